import LodestoneKernel

extension MarkdownExporter {
    /// An ensemble: summary lines, events, varied and changed parameters, and the metric table
    /// (5th, 50th and 95th percentiles, mean and probability over the runs).
    static func render(_ ensemble: EnsembleResult) -> String {
        var out = "# \(inline(ensemble.scenario.name))\n\n"
        out += "- **Scenario:** \(inline(ensemble.scenario.name))\n"
        out += "- **Dataset:** \(inline(ensemble.datasetName))\n"
        out += "- **Months:** \(ensemble.months) (\(ensemble.start) to \(EnsembleFacts.end(ensemble)))\n"
        out += "- **Runs:** \(EnsembleFacts.runsText(ensemble))\n"
        out += "- **Seed:** \(ensemble.request.seed)\n"
        if !ensemble.bandSignals.isEmpty {
            out += "- **Bands:** \(ensemble.bandSignals.map { inline($0.id) }.joined(separator: ", "))\n"
        }
        out += "\n" + events(ensemble.scenario, heading: "##")
        out += "\n## Varied parameters\n\n"
        let variations = EnsembleFacts.variations(ensemble)
        if variations.isEmpty {
            out += "No parameter is varied: the runs differ only in their random draws.\n"
        } else {
            out += table(
                ["parameter", "distribution", "drawn p5", "drawn p50", "drawn p95", "drawn mean"],
                variations.map { v in
                    [v.path, v.distribution] + [v.p5, v.p50, v.p95, v.mean].map { NumberText.readable($0, digits: 6) }
                })
        }
        out += "\n## Changed parameters\n\n" + changes(ensemble.parameters)
        out += "\n## Metrics\n\n" + metricTable(ensemble)
        return out
    }

    /// The metric table of an ensemble.
    static func metricTable(_ ensemble: EnsembleResult) -> String {
        let rows = EnsembleFacts.metrics(ensemble)
        guard !rows.isEmpty else { return "The model reports no metrics.\n" }
        return table(
            ["metric", "p5", "p50", "p95", "mean", "probability", "unit"],
            rows.map { row in
                [row.id] + [row.p5, row.p50, row.p95, row.mean].map(RunFacts.text)
                    + [EnsembleFacts.percent(row.probability), row.unit]
            })
            + "\nPercentiles are over the runs; for month metrics, runs where the event never happened count as "
            + "later than any month (so a percentile they reach is none), the mean is over the runs where it happened, "
            + "and the probability is the share of runs where it happened.\n"
    }

    /// A sweep: summary lines, events, the swept and other changed parameters, and its table.
    static func render(_ sweep: SweepResult, columns: [String]) throws -> String {
        var out = "# \(inline(sweep.title))\n\n"
        guard let first = sweep.points.first?.result else { return out + "No points were run.\n" }
        out += "- **Scenario:** \(inline(first.scenario.name))\n"
        out += "- **Dataset:** \(inline(first.datasetName))\n"
        out += "- **Months:** \(first.months) (\(first.start) to \(first.end))\n"
        out += "- **Seed:** \(first.seed) (every point)\n"
        out += "- **Points:** \(SweepFacts.pointsText(sweep))\n"
        out += "- **Modules:** \(first.modules.joined(separator: ", "))\n\n"
        out += events(first.scenario, heading: "##")
        out += "\n## Other changed parameters\n\n" + changes(first.parameters, excluding: SweepFacts.sweptKeys(sweep))
        let table = try SweepFacts.table(sweep, columns)
        out += "\n## Results\n\n" + self.table(table.columns, table.rows.map { $0.map(cellText) })
        return out
    }

    /// A table cell for people: numbers readable, `none` for no value.
    private static func cellText(_ cell: ResultTable.Cell) -> String {
        switch cell {
        case .number(let x): NumberText.readable(x, digits: 6)
        case .text(let s): s
        case .none: "none"
        }
    }
}
