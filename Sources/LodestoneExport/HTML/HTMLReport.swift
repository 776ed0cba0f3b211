import LodestoneKernel

/// Builds the HTML report: one self-contained page (inline CSS and SVG, no scripts, no network)
/// with the scenario and its events, the parameters that differ from their defaults, the key
/// metrics, charts, and the dataset's citations with assumptions flagged. It is meant to be
/// printed as a workshop handout.
///
/// Sections carry ids: `scenario`, `parameters`, `metrics`, `charts`, `sources`.
public enum HTMLReport {
    /// The report for one run or several (compared side by side). `signals` picks the charted
    /// signals (exact ids or family names); empty: one chart per module with up to four of its
    /// signals that change during the run.
    public static func render(runs: [(label: String?, result: RunResult)], signals: [String] = []) throws -> String {
        guard let first = runs.first?.result else { return page(title: "Lodestone report", body: "<p>No runs.</p>") }
        let results = runs.map(\.result)
        let title = runs.count == 1 ? first.scenario.name : "Comparison: " + runs.map { $0.label ?? $0.result.scenario.name }.joined(separator: ", ")
        var body = "<header>\n<h1>\(e(title))</h1>\n"
        if runs.count == 1 { body += "<p class=\"meta\">\(meta(first))</p>\n" }
        body += "</header>\n"
        let charts = try runCharts(runs, signals: chartSignals(signals, runs.map(\.result)))
        body += answer(headline: headline(runs, named: signals), charts: charts.map { ($0, runCaption($0)) })
        body += scenarioSection(runs)
        body += parametersSection(runs)
        body += metricsSection(runs)
        body += sourcesSection(results)
        body += footer
        return page(title: title, body: body)
    }

    /// A table as a page (for `export(table, "x.html")`).
    public static func render(table: ResultTable, title: String = "Lodestone table") -> String {
        page(title: title, body: "<header><h1>\(e(title))</h1></header>\n<section id=\"table\">\n" + htmlTable(table) + "</section>\n")
    }

    static func page(title: String, body: String) -> String {
        """
        <!DOCTYPE html>
        <html lang="en">
        <head>
        <meta charset="utf-8">
        <meta name="viewport" content="width=device-width, initial-scale=1">
        <meta name="generator" content="Lodestone">
        <title>\(e(title))</title>
        <style>
        \(ReportStyle.css)
        </style>
        </head>
        <body>
        \(body)</body>
        </html>

        """
    }

    static func e(_ text: String) -> String { TextEscaping.xml(text) }

    static func meta(_ result: RunResult) -> String {
        "Dataset <strong>\(e(result.datasetName))</strong> · \(result.start) to \(result.end) (\(result.months) months) · "
            + "seed \(result.seed) · modules \(e(result.modules.joined(separator: ", ")))"
    }

    private static func scenarioSection(_ runs: [(label: String?, result: RunResult)]) -> String {
        var out = "<section id=\"scenario\">\n<h2>Scenario and events</h2>\n"
        for (label, result) in runs {
            if runs.count > 1 {
                out += "<h3>\(e(label ?? result.scenario.name))</h3>\n<p class=\"meta\">Scenario <strong>\(e(result.scenario.name))</strong> · \(meta(result))</p>\n"
            }
            out += eventList(result.scenario)
        }
        return out + "</section>\n"
    }

    /// A scenario's events as an ordered list (or a line saying it is the baseline).
    static func eventList(_ scenario: Scenario) -> String {
        guard !scenario.events.isEmpty else { return "<p>No events: this is the baseline.</p>\n" }
        var out = "<ol class=\"events\">\n"
        for event in scenario.events {
            out += "<li><time datetime=\"\(event.start)\">\(e(event.start.description))</time>\(e(event.summary))</li>\n"
        }
        return out + "</ol>\n"
    }

    private static func parametersSection(_ runs: [(label: String?, result: RunResult)]) -> String {
        var out = "<section id=\"parameters\">\n<h2>Parameters changed from their defaults</h2>\n"
        for (label, result) in runs {
            if runs.count > 1 { out += "<h3>\(e(label ?? result.scenario.name))</h3>\n" }
            out += changeTable(result.parameters)
        }
        return out + "</section>\n"
    }

    /// The parameters that differ from their defaults (except the full paths in `excluding`) as
    /// a table, or a line saying there are none.
    static func changeTable(_ parameters: ParameterSet, excluding: Set<String> = []) -> String {
        let changes = RunFacts.changes(parameters).filter { !excluding.contains($0.path) }
        if changes.isEmpty {
            return excluding.isEmpty ? "<p>All parameters at their defaults.</p>\n" : "<p>All other parameters at their defaults.</p>\n"
        }
        var out = "<table>\n<thead><tr><th>parameter</th><th class=\"num\">value</th><th class=\"num\">default</th><th>unit</th></tr></thead>\n<tbody>\n"
        for change in changes {
            out += "<tr><td><code>\(e(change.path))</code></td><td class=\"num\">\(e(NumberText.readable(change.value, digits: 6)))</td>"
            out += "<td class=\"num\">\(e(NumberText.readable(change.defaultValue, digits: 6)))</td><td>\(e(change.unit))</td></tr>\n"
        }
        return out + "</tbody>\n</table>\n"
    }

    private static func metricsSection(_ runs: [(label: String?, result: RunResult)]) -> String {
        var out = "<section id=\"metrics\">\n<h2>All metrics</h2>\n"
        var ids: [String] = []
        var info: [String: MetricRow] = [:]
        var values: [[String: String]] = []
        for (_, result) in runs {
            var byId: [String: String] = [:]
            for row in RunFacts.metrics(result) {
                if info[row.id] == nil { ids.append(row.id); info[row.id] = row }
                byId[row.id] = RunFacts.text(row.value)
            }
            values.append(byId)
        }
        guard !ids.isEmpty else { return out + "<p>The model reports no metrics.</p>\n</section>\n" }
        let headers = runs.count == 1 ? ["value"] : runs.map { $0.label ?? $0.result.scenario.name }
        out += "<details>\n<summary>Every metric of the model (\(ids.count)), including those that stayed 0 or never happened</summary>\n"
        out += "<table>\n<thead><tr><th>metric</th>" + headers.map { "<th class=\"num\">\(e($0))</th>" }.joined() + "<th>unit</th></tr></thead>\n<tbody>\n"
        for id in ids {
            let row = info[id]
            out += "<tr><td title=\"\(e(row?.doc ?? ""))\"><code>\(e(id))</code></td>"
            out += values.map { "<td class=\"num\">\(e($0[id] ?? "–"))</td>" }.joined()
            out += "<td>\(e(row?.unit ?? ""))</td></tr>\n"
        }
        out += "</tbody>\n</table>\n<p class=\"note\">“none” means the event never happened during the run (for example, a stockpile that never ran out).</p>\n"
        return out + "</details>\n</section>\n"
    }

    /// The signal ids among `ids` (metric ids, which the headline shows, are left out).
    static func chartSignals(_ ids: [String], _ results: [RunResult]) -> [String] {
        guard let first = results.first else { return ids }
        let metrics = Set(first.metrics.map(\.id) + first.metrics.map(\.name))
        return ids.filter { !metrics.contains(SignalLookup.normalize($0)) }
    }

    /// The charts of a run report: the `signals` chosen, or for one run a chart per module with
    /// up to four of its signals that change (headline signals first).
    private static func runCharts(_ runs: [(label: String?, result: RunResult)], signals: [String]) throws -> [LineChart] {
        var charts: [LineChart] = []
        if !signals.isEmpty || runs.count > 1 {
            charts.append(try RunChart.make(runs: runs, signals: signals))
        } else if let result = runs.first?.result {
            for module in result.modules {
                let columns = SignalSelection.defaultChart(result, limit: 4, module: module)
                guard !columns.isEmpty else { continue }
                charts.append(try RunChart.make(result, signals: columns.map { result.signals[$0].id }, title: "Module \(module)"))
            }
        }
        return charts
    }

    private static func runCaption(_ chart: LineChart) -> String {
        "\(chart.title): \(chart.series.map(\.label).joined(separator: ", ")). Dashed grey lines mark the scenario events; grey shading spans the months an event lasts."
    }

    /// The report's opening: the headline block beside the first chart (`figure.key-chart`; on a
    /// narrow screen and on paper, below it), then `<section id="charts">` with the other charts.
    /// `wideHeadline` gives the headline the wider column (an ensemble's has five value columns).
    static func answer(headline: String, charts: [(chart: LineChart, caption: String)], wideHeadline: Bool = false) -> String {
        var out = "<div class=\"answer\(wideHeadline ? " wide-headline" : "")\">\n" + headline
        if let key = charts.first {
            out += "<figure class=\"key-chart\">\n" + SVGChart.render(key.chart, width: 900, standalone: false)
            out += "<figcaption>\(e(key.caption))</figcaption>\n</figure>\n"
        } else {
            out += "<p class=\"note\">No signals to chart.</p>\n"
        }
        out += "</div>\n"
        guard charts.count > 1 else { return out }
        out += "<section id=\"charts\">\n<h2>More charts</h2>\n"
        for (chart, caption) in charts.dropFirst() { out += figure(chart, caption: caption) }
        return out + "</section>\n"
    }

    private static func sourcesSection(_ results: [RunResult]) -> String {
        sourcesSection(
            sources: RunFacts.sources(results), datasets: Set(results.map(\.datasetName)).sorted(),
            notes: results.compactMap { $0.dataset?.notes })
    }

    /// The data sources section: the datasets' names and their citations, assumptions flagged.
    /// Citations are shown without paths of the source tree; one that refers to the dataset's
    /// notes (`see NOTES.md`) gets the notes' paragraphs that name its id beneath it, and the
    /// whole notes follow the table, folded (`<details id="notes">`), so that the report holds
    /// what it refers to.
    static func sourcesSection(sources: [Citation], datasets: [String], notes: [String] = []) -> String {
        var texts: [String] = []
        for text in notes where !text.isEmpty && !texts.contains(text) { texts.append(text) }
        let noted = !texts.isEmpty && sources.contains(where: \.refersToNotes)
        var out = "<section id=\"sources\">\n<h2>Data sources</h2>\n"
        out += "<p>Dataset\(datasets.count == 1 ? "" : "s") <strong>\(e(datasets.joined(separator: ", ")))</strong>.</p>\n"
        guard !sources.isEmpty else { return out + "<p>The dataset cites no sources.</p>\n</section>\n" }
        out += "<table>\n<thead><tr><th>id</th><th>citation</th></tr></thead>\n<tbody>\n"
        for source in sources {
            out += source.isAssumption ? "<tr class=\"assumption\">" : "<tr>"
            out += "<td><code>\(e(source.id))</code>" + (source.isAssumption ? "<span class=\"badge\">assumption</span>" : "") + "</td>"
            out += "<td>\(e(source.readerText(notes: noted ? "the dataset's notes (at the end of this section)" : "the dataset's notes")))"
            if !source.url.isEmpty {
                let link = source.url.hasPrefix("http://") || source.url.hasPrefix("https://")
                out += link ? " <a href=\"\(e(source.url))\">\(e(source.url))</a>" : " \(e(source.url))"
            }
            if noted, source.refersToNotes {
                let paragraphs = DatasetNotes.paragraphs(texts.joined(separator: "\n\n"), naming: source.id)
                if !paragraphs.isEmpty {
                    out += "<details class=\"note-text\"><summary>From the dataset's notes</summary>\n"
                    out += paragraphs.map { "<p>\(e($0))</p>\n" }.joined() + "</details>"
                }
            }
            out += "</td></tr>\n"
        }
        out += "</tbody>\n</table>\n"
        if noted {
            out += "<details id=\"notes\">\n<summary>The dataset's notes: how each derived or assumed number was put together</summary>\n"
            out += "<pre class=\"notes\">\(e(texts.joined(separator: "\n\n")))</pre>\n</details>\n"
        }
        if sources.contains(where: \.isAssumption) {
            out += "<p class=\"note\">Rows marked <span class=\"badge\">assumption</span> are Lodestone's judgement where no published figure exists; treat them with care.</p>\n"
        }
        return out + "</section>\n"
    }

    /// A chart as a figure with its caption.
    static func figure(_ chart: LineChart, caption: String) -> String {
        "<figure>\n" + SVGChart.render(chart, width: 900, standalone: false) + "<figcaption>\(e(caption))</figcaption>\n</figure>\n"
    }

    /// The page footer.
    static let footer =
        "<footer><p>Made with Lodestone. Runs are deterministic: the same model, scenario, parameters and seed give the same numbers.</p></footer>\n"

    /// A table; `readable` writes numbers for people (6 significant digits, grouped) instead of
    /// exactly.
    static func htmlTable(_ table: ResultTable, readable: Bool = false) -> String {
        var out = "<table>\n<thead><tr>" + table.columns.map { "<th>\(e($0))</th>" }.joined() + "</tr></thead>\n<tbody>\n"
        for row in table.rows {
            out += "<tr>" + row.map { cell in
                if case .number(let x) = cell {
                    return "<td class=\"num\">\(e(readable ? NumberText.readable(x, digits: 6) : cell.description))</td>"
                }
                return "<td>\(e(cell.description))</td>"
            }.joined() + "</tr>\n"
        }
        return out + "</tbody>\n</table>\n"
    }
}
