import LodestoneKernel

extension HTMLReport {
    /// The report of a Monte Carlo ensemble: the scenario and its events, the varied parameters
    /// (distributions and values drawn) and the base parameters changed from their defaults, the
    /// metrics' percentiles over the runs, how likely each month metric (`settled_at`,
    /// `exhausted_at`, …) is to happen, one chart per band signal in `signals` (exact ids or
    /// family names; empty: all) with its 90 % and 50 % bands and median, and the citations.
    ///
    /// Sections carry ids: `scenario`, `parameters`, `metrics`, `probabilities`, `charts`, `sources`.
    public static func render(ensemble: EnsembleResult, signals: [String] = []) throws -> String {
        let metricIDs = Set(ensemble.metrics.map(\.id) + ensemble.metrics.map(\.name))
        let columns = try EnsembleFacts.bandColumns(ensemble, signals.filter { !metricIDs.contains(SignalLookup.normalize($0)) })
        let title = ensemble.scenario.name
        var body = "<header>\n<h1>\(e(title))</h1>\n"
        body += "<p class=\"meta\">Monte Carlo ensemble of <strong>\(e(EnsembleFacts.runsText(ensemble)))</strong> · "
        body += "dataset <strong>\(e(ensemble.datasetName))</strong> · \(ensemble.start) to \(EnsembleFacts.end(ensemble)) "
        body += "(\(ensemble.months) months) · seed \(ensemble.request.seed)</p>\n</header>\n"
        var charts: [(chart: LineChart, caption: String)] = []
        for j in columns {
            let signal = ensemble.bandSignals[j]
            let chart = try EnsembleChart.make(
                ensemble, signals: [signal.id], title: signal.wordsWithKey)
            charts.append(
                (
                    chart,
                    "\(signal.id) (\(signal.unit.symbol)) over \(EnsembleFacts.runsText(ensemble)): the line is the median "
                        + "month by month, the dark band holds the middle 50 % of runs (25th–75th percentile), the light band "
                        + "90 % (5th–95th). Dashed grey lines mark the scenario events; grey shading spans the months an event lasts."
                ))
        }
        body += answer(headline: headline(ensemble, named: signals), charts: charts, wideHeadline: true)
        if columns.isEmpty {
            body += "<p>The ensemble kept no monthly bands; ask for some with <code>bands:</code> in <code>montecarlo</code>.</p>\n"
        }
        body += "<section id=\"scenario\">\n<h2>Scenario and events</h2>\n" + eventList(ensemble.scenario) + "</section>\n"
        body += ensembleParameters(ensemble)
        let metrics = EnsembleFacts.metrics(ensemble)
        body += quantityMetrics(metrics.filter { !$0.isMonth })
        body += probabilities(metrics.filter(\.isMonth), runs: ensemble.completedRuns, end: EnsembleFacts.end(ensemble))
        body += sourcesSection(
            sources: ensemble.sources, datasets: [ensemble.datasetName], notes: ensemble.dataset.map { [$0.notes] } ?? [])
        return page(title: title, body: body + footer)
    }

    private static func ensembleParameters(_ ensemble: EnsembleResult) -> String {
        var out = "<section id=\"parameters\">\n<h2>Parameters</h2>\n<h3>Varied from run to run</h3>\n"
        let variations = EnsembleFacts.variations(ensemble)
        if variations.isEmpty {
            out += "<p>No parameter is varied: the runs differ only in their random draws (for example, when talks settle).</p>\n"
        } else {
            out += "<table>\n<thead><tr><th>parameter</th><th>distribution</th><th class=\"num\">drawn 5 %</th>"
            out += "<th class=\"num\">median</th><th class=\"num\">95 %</th><th class=\"num\">mean</th></tr></thead>\n<tbody>\n"
            for v in variations {
                out += "<tr><td><code>\(e(v.path))</code></td><td><code>\(e(v.distribution))</code></td>"
                out += [v.p5, v.p50, v.p95, v.mean].map { "<td class=\"num\">\(e(NumberText.readable($0, digits: 6)))</td>" }.joined()
                out += "</tr>\n"
            }
            out += "</tbody>\n</table>\n"
        }
        out += "<h3>Changed from their defaults in every run</h3>\n" + changeTable(ensemble.parameters)
        return out + "</section>\n"
    }

    private static func quantityMetrics(_ rows: [MetricSummary]) -> String {
        var out = "<section id=\"metrics\">\n<h2>All metrics across the runs</h2>\n"
        guard !rows.isEmpty else { return out + "<p>The model reports no quantity metrics.</p>\n</section>\n" }
        out += "<details>\n<summary>Every quantity metric (\(rows.count)) with its percentiles over the runs</summary>\n"
        out += "<table>\n<thead><tr><th>metric</th><th class=\"num\">5 %</th><th class=\"num\">median</th>"
        out += "<th class=\"num\">95 %</th><th class=\"num\">mean</th><th>unit</th></tr></thead>\n<tbody>\n"
        for row in rows {
            out += "<tr><td title=\"\(e(row.doc))\"><code>\(e(row.id))</code></td>"
            out += [row.p5, row.p50, row.p95, row.mean].map { "<td class=\"num\">\(e(RunFacts.text($0)))</td>" }.joined()
            out += "<td>\(e(row.unit))</td></tr>\n"
        }
        out += "</tbody>\n</table>\n<p class=\"note\">5 % and 95 %: one run in twenty ends below (above) these values.</p>\n"
        return out + "</details>\n</section>\n"
    }

    private static func probabilities(_ rows: [MetricSummary], runs: Int, end: Month) -> String {
        var out = "<section id=\"probabilities\">\n<h2>How likely, and when?</h2>\n"
        guard !rows.isEmpty else { return out + "<p>The model reports no events to count.</p>\n</section>\n" }
        out += "<details>\n<summary>Every month metric (\(rows.count)): how likely it is, and when</summary>\n"
        out += "<table>\n<thead><tr><th>event</th><th class=\"num\">probability by \(end)</th><th class=\"num\">5 %</th>"
        out += "<th class=\"num\">median</th><th class=\"num\">95 %</th><th class=\"num\">mean month</th></tr></thead>\n<tbody>\n"
        for row in rows {
            out += "<tr><td title=\"\(e(row.doc))\"><code>\(e(row.id))</code></td>"
            out += "<td class=\"num\">\(e(EnsembleFacts.percent(row.probability)))</td>"
            out += [row.p5, row.p50, row.p95, row.mean].map { "<td class=\"num\">\(e(RunFacts.text($0)))</td>" }.joined()
            out += "</tr>\n"
        }
        out += "</tbody>\n</table>\n<p class=\"note\">The probability is the share of the \(runs) runs in which the event "
        out += "happened before the end of the run. Months are percentiles over all runs, counting runs where it never "
        out += "happened as later than any month (so “none” means more than that share of runs never saw it); the mean "
        out += "month is over the runs where it happened.</p>\n"
        return out + "</details>\n</section>\n"
    }

    /// The report of a sweep, answer first: the headline block (the scenario in one sentence, what
    /// was swept, and the metrics that differ between points; metric ids in `signals` are listed
    /// first) beside the chart of the first signal in `signals` (empty: the signal the sweep moves
    /// most) with one line per point, other charts, the table of results by point (its columns:
    /// `columns`, metric or signal ids or family names; empty: every metric that differs between
    /// points), the scenario and its events, the swept parameters and their values and the other
    /// parameters changed from their defaults, and the citations.
    ///
    /// Sections carry ids: `headline`, `charts` (when there is more than one chart), `table`,
    /// `scenario`, `parameters`, `sources`.
    public static func render(sweep: SweepResult, signals: [String] = [], columns: [String] = []) throws -> String {
        let title = sweep.title
        guard let first = sweep.points.first?.result else {
            return page(title: title, body: "<header><h1>\(e(title))</h1></header>\n<p>No points were run.</p>\n")
        }
        var body = "<header>\n<h1>\(e(title))</h1>\n"
        body += "<p class=\"meta\">\(e(SweepFacts.pointsText(sweep))) · scenario <strong>\(e(first.scenario.name))</strong> · "
        body += meta(first) + " (the same seed at every point)</p>\n</header>\n"
        let metricIDs = Set(first.metrics.map(\.id) + first.metrics.map(\.name))
        let chartIDs = signals.filter { !metricIDs.contains(SignalLookup.normalize($0)) }
        let ids = chartIDs.isEmpty ? sweep.defaultSignalIDs() : chartIDs
        var charts: [(chart: LineChart, caption: String)] = []
        for id in ids {
            let chart = try EnsembleChart.make(sweep, signals: [id])
            charts.append((chart, "\(chart.title). One line per point, labelled with its swept values."))
        }
        body += answer(headline: headline(sweep, named: signals), charts: charts)
        body += "<section id=\"table\">\n<h2>Results by point</h2>\n"
        body += "<div class=\"table-wide\">\n" + htmlTable(try SweepFacts.table(sweep, columns), readable: true) + "</div>\n"
        body += "<p class=\"note\">Month metrics show the month the event first happened; “none” means it never did.</p>\n</section>\n"
        body += "<section id=\"scenario\">\n<h2>Scenario and events</h2>\n" + eventList(first.scenario) + "</section>\n"
        body += "<section id=\"parameters\">\n<h2>Parameters</h2>\n<h3>Swept</h3>\n<table>\n"
        body += "<thead><tr><th>parameter</th><th>values</th></tr></thead>\n<tbody>\n"
        for (k, path) in sweep.paths.enumerated() {
            var values: [Double] = []
            for point in sweep.points where !values.contains(point.values[k]) { values.append(point.values[k]) }
            body += "<tr><td><code>\(e(path))</code></td><td>\(e(values.map { NumberText.readable($0, digits: 6) }.joined(separator: ", ")))</td></tr>\n"
        }
        body += "</tbody>\n</table>\n<h3>Other parameters changed from their defaults</h3>\n"
        body += changeTable(first.parameters, excluding: SweepFacts.sweptKeys(sweep)) + "</section>\n"
        let results = sweep.points.map(\.result)
        body += sourcesSection(
            sources: RunFacts.sources(results), datasets: Set(results.map(\.datasetName)).sorted(),
            notes: results.compactMap { $0.dataset?.notes })
        return page(title: title, body: body + footer)
    }
}
