import LodestoneKernel

/// Writes Markdown for notes and issues: a run's summary (scenario, dataset, months, seed,
/// events, changed parameters) and its metric table; several runs as one summary each plus a
/// metric table with a column per run; an ensemble as its summary (runs, varied parameters) and
/// a table of metric percentiles, means and probabilities; a sweep as its summary and a table with
/// a column per swept parameter and one per metric that differs between points (or per id in
/// `options.signals`); a table as a
/// Markdown table.
public struct MarkdownExporter: Exporter {
    /// `markdown`.
    public let format = "markdown"
    /// `md`, `markdown`.
    public let fileExtensions = ["md", "markdown"]
    /// One line for listings.
    public let summary = "Markdown summary and metric tables"

    /// Creates the exporter.
    public init() {}

    /// Writes `payload` to `path` atomically.
    public func write(_ payload: ExportPayload, to path: String, options: ExportOptions) throws {
        try AtomicFile.write(try render(payload, options: options), to: path, overwrite: options.overwrite)
    }

    /// The Markdown text for `payload`. `options.signals` picks a sweep's table columns (metric
    /// or signal ids, family names, `signal@YYYY-MM`); other payloads ignore it.
    /// The document ends with its provenance (``ExportProvenance``).
    public func render(_ payload: ExportPayload, options: ExportOptions = ExportOptions()) throws -> String {
        try body(payload, options: options) + ExportProvenance(payload, script: options.script).markdownSection
    }

    private func body(_ payload: ExportPayload, options: ExportOptions) throws -> String {
        switch payload {
        case .run(let result):
            return "# \(Self.inline(result.scenario.name))\n\n" + Self.summary(result, heading: "##")
                + "\n## Metrics\n\n" + Self.metricTable(result)
        case .runs(let runs):
            var out = "# Comparison of \(runs.count) runs\n\n"
            for (label, result) in runs {
                out += "## \(Self.inline(label))\n\n" + Self.summary(result, heading: "###") + "\n"
            }
            return out + "## Metrics\n\n" + Self.comparisonTable(runs)
        case .table(let table):
            return Self.table(table.columns, table.rows.map { $0.map(\.description) })
        case .ensemble(let ensemble):
            return Self.render(ensemble)
        case .sweep(let sweep):
            return try Self.render(sweep, columns: options.signals)
        }
    }

    /// The summary lines and the events and changed-parameter sections.
    static func summary(_ result: RunResult, heading: String) -> String {
        var out = ""
        out += "- **Scenario:** \(inline(result.scenario.name))\n"
        out += "- **Dataset:** \(inline(result.datasetName))\n"
        out += "- **Months:** \(result.months) (\(result.start) to \(result.end))\n"
        out += "- **Seed:** \(result.seed)\n"
        out += "- **Modules:** \(result.modules.joined(separator: ", "))\n\n"
        out += events(result.scenario, heading: heading)
        out += "\n\(heading) Changed parameters\n\n" + changes(result.parameters)
        return out
    }

    /// The events section: a heading and one line per event.
    static func events(_ scenario: Scenario, heading: String) -> String {
        var out = "\(heading) Events\n\n"
        if scenario.events.isEmpty {
            out += "No events: the baseline.\n"
        } else {
            for event in scenario.events { out += "- \(event.start): \(inline(event.summary))\n" }
        }
        return out
    }

    /// The parameters that differ from their defaults as a table (`excluding` full paths).
    static func changes(_ parameters: ParameterSet, excluding: Set<String> = []) -> String {
        var out = ""
        let changes = RunFacts.changes(parameters).filter { !excluding.contains($0.path) }
        if changes.isEmpty {
            out += excluding.isEmpty ? "All parameters at their defaults.\n" : "All other parameters at their defaults.\n"
        } else {
            out += table(
                ["parameter", "value", "default", "unit"],
                changes.map {
                    [$0.path, NumberText.readable($0.value, digits: 6), NumberText.readable($0.defaultValue, digits: 6), $0.unit]
                })
        }
        return out
    }

    /// The metric table of one run.
    static func metricTable(_ result: RunResult) -> String {
        let rows = RunFacts.metrics(result)
        guard !rows.isEmpty else { return "The model reports no metrics.\n" }
        return table(["metric", "value", "unit"], rows.map { [$0.id, RunFacts.text($0.value), $0.unit] })
    }

    /// Metrics of several runs side by side (rows: metric ids in first-seen order).
    static func comparisonTable(_ runs: [(label: String, result: RunResult)]) -> String {
        var ids: [String] = []
        var units: [String: String] = [:]
        var values: [[String: String]] = []
        for (_, result) in runs {
            var byId: [String: String] = [:]
            for row in RunFacts.metrics(result) {
                if units[row.id] == nil { ids.append(row.id); units[row.id] = row.unit }
                byId[row.id] = RunFacts.text(row.value)
            }
            values.append(byId)
        }
        guard !ids.isEmpty else { return "The models report no metrics.\n" }
        return table(
            ["metric"] + runs.map(\.label) + ["unit"],
            ids.map { id in [id] + values.map { $0[id] ?? "–" } + [units[id] ?? ""] })
    }

    /// A Markdown table; number-like columns are right-aligned.
    static func table(_ columns: [String], _ rows: [[String]]) -> String {
        let numeric = columns.indices.map { c in
            !rows.isEmpty && rows.allSatisfy { row in c < row.count && isNumberLike(row[c]) }
        }
        var out = "| " + columns.map(markdownCell).joined(separator: " | ") + " |\n"
        out += "|" + numeric.map { $0 ? " ---: |" : " --- |" }.joined() + "\n"
        for row in rows {
            let cells = columns.indices.map { $0 < row.count ? markdownCell(row[$0]) : "" }
            out += "| " + cells.joined(separator: " | ") + " |\n"
        }
        return out
    }

    private static func markdownCell(_ text: String) -> String { TextEscaping.markdownCell(text) }

    private static func isNumberLike(_ text: String) -> Bool {
        !text.isEmpty && text.allSatisfy { $0.isNumber || ",.-+e∞%".contains($0) }
    }

    /// Text for running Markdown (line breaks flattened, markup characters escaped).
    static func inline(_ text: String) -> String {
        var out = ""
        for character in text {
            if "\\`*_[]<|".contains(character) { out.append("\\") }
            out.append(character == "\n" || character == "\r" ? " " : character)
        }
        return out
    }
}
