import LodestoneKernel

/// Writes Markdown for notes and issues: a run's summary (scenario, dataset, months, seed,
/// events, changed parameters) and its metric table; several runs as one summary each plus a
/// metric table with a column per run; a table as a Markdown table.
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
        try AtomicFile.write(render(payload), to: path, overwrite: options.overwrite)
    }

    /// The Markdown text for `payload`.
    public func render(_ payload: ExportPayload) -> String {
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
        out += "\(heading) Events\n\n"
        if result.scenario.events.isEmpty {
            out += "No events: the baseline.\n"
        } else {
            for event in result.scenario.events { out += "- \(event.start): \(inline(event.summary))\n" }
        }
        out += "\n\(heading) Changed parameters\n\n"
        let changes = RunFacts.changes(result.parameters)
        if changes.isEmpty {
            out += "All parameters at their defaults.\n"
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
