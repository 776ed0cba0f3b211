import LodestoneKernel

/// One metric of a report's headline block: what it means in words, its unit, and its value per
/// run (run reports) or its 5/50/95 % over the runs (ensembles).
struct HeadlineMetric {
    /// `module.metric[key]`.
    let id: String
    /// The metric's declared description (`First month with level ≥ 20`).
    let doc: String
    /// The unit symbol (`month` for month metrics).
    let unit: String
    /// The value in each run, or the 5th, 50th and 95th percentiles for an ensemble, as text.
    let values: [String]
    /// For an ensemble's month metric: the share of runs in which it happened.
    let probability: Double?
}

/// The answer-first block that opens every report: the scenario in one sentence and the few
/// metrics that moved.
enum Headline {
    /// The most metrics a headline lists (the full table, folded, has the rest).
    static let limit = 6
    /// The most sweep points a headline shows one column each; beyond, it shows the first and
    /// last point and the lowest and highest value.
    static let pointColumns = 4

    /// What a sweep varied: `Swept ramp.slope over 1, 2, 4 and ramp.offset over 0, 10: 6 points, the same seed at each.`
    static func sweptText(_ sweep: SweepResult) -> String {
        let parts = sweep.paths.enumerated().map { k, path in
            var values: [Double] = []
            for point in sweep.points where !values.contains(point.values[k]) { values.append(point.values[k]) }
            return path + " over " + values.map { NumberText.readable($0, digits: 6) }.joined(separator: ", ")
        }
        return "Swept " + parts.joined(separator: " and ") + ": " + SweepFacts.pointsText(sweep) + ", the same seed at each."
    }

    /// A metric over a sweep's points: its value at the first point, the lowest and highest over
    /// all points (earliest and latest for a month; `none` counts as never), and at the last point.
    static func spread(_ runs: [RunResult], id: String) -> [String] {
        let rows = runs.compactMap { RunFacts.metrics($0).first { $0.id == id } }
        guard let first = rows.first, let last = rows.last else { return ["–", "–", "–", "–"] }
        let happened = rows.filter { !$0.raw.isNaN }
        let low = happened.min { $0.raw < $1.raw }
        let high = rows.contains { $0.raw.isNaN } && first.unit == "month" ? nil : happened.max { $0.raw < $1.raw }
        return [RunFacts.text(first.value), low.map { RunFacts.text($0.value) } ?? "none", high.map { RunFacts.text($0.value) } ?? "none",
            RunFacts.text(last.value)]
    }

    /// The scenario in one sentence: its name, the period and modules, and its first events.
    static func sentence(_ scenario: Scenario, start: Month, months: Int, modules: [String]) -> String {
        let end = start + (months - 1)
        var text = "Scenario “\(scenario.name)”, \(months) month\(months == 1 ? "" : "s") from \(start) to \(end)"
        if !modules.isEmpty { text += " with \(modules.joined(separator: ", "))" }
        let events = scenario.events
        if events.isEmpty { return text + ": no events, the baseline." }
        let shown = events.prefix(3).map(\.summary)
        let more = events.count > shown.count ? "; and \(events.count - shown.count) more event\(events.count - shown.count == 1 ? "" : "s")" : ""
        return text + ": " + shown.joined(separator: "; ") + more + "."
    }

    /// The metrics that moved in `runs`: for one run, those that happened (months) or are not
    /// zero (quantities); for several, those that differ between the runs (or, if none differs,
    /// those that moved in any). Metrics named in `named` come first whatever their values;
    /// then month metrics, then quantities, each in model order. Returns at most ``limit`` and
    /// how many more moved.
    static func metrics(_ runs: [RunResult], named: [String] = []) -> (rows: [HeadlineMetric], more: Int) {
        guard let first = runs.first else { return ([], 0) }
        let rowsByRun = runs.map(RunFacts.metrics)
        let wanted = Set(named.map(SignalLookup.normalize))
        func moved(_ i: Int) -> Bool {
            rowsByRun.contains { rows in i < rows.count && !rows[i].raw.isNaN && (rows[i].raw != 0 || rows[i].unit == "month") }
        }
        func differs(_ i: Int) -> Bool {
            let values = rowsByRun.map { i < $0.count ? $0[i].raw : .nan }
            return values.contains { $0 != values[0] && !($0.isNaN && values[0].isNaN) }
        }
        let indices = Array(first.metrics.indices)
        var chosen = indices.filter { wanted.contains(first.metrics[$0].id) || wanted.contains(first.metrics[$0].name) }
        var candidates = indices.filter(moved)
        if runs.count > 1, candidates.contains(where: differs) { candidates = candidates.filter(differs) }
        let ordered = candidates.filter { rowsByRun[0][$0].unit == "month" } + candidates.filter { rowsByRun[0][$0].unit != "month" }
        for i in ordered where !chosen.contains(i) { chosen.append(i) }
        let rows = chosen.prefix(limit).map { i in
            let info = rowsByRun[0][i]
            return HeadlineMetric(
                id: info.id, doc: info.doc, unit: info.unit,
                values: rowsByRun.map { i < $0.count ? RunFacts.text($0[i].value) : "–" }, probability: nil)
        }
        return (rows, max(0, chosen.count - rows.count))
    }

    /// The metrics that moved in an ensemble (happened, or non-zero, in some run): first month
    /// metrics on which the runs disagree, then quantities with a wide 5–95 % range, then the
    /// rest; those in `named` first. Returns at most ``limit`` and how many more moved.
    static func metrics(_ ensemble: EnsembleResult, named: [String] = []) -> (rows: [HeadlineMetric], more: Int) {
        let summaries = EnsembleFacts.metrics(ensemble)
        let wanted = Set(named.map(SignalLookup.normalize))
        let width = ensemble.metrics.count
        func samples(_ j: Int) -> [Double] { (0..<ensemble.completedRuns).map { ensemble.metricValues[$0 * width + j] } }
        var rank: [String: Int] = [:]
        var moved: [Int] = []
        for (j, metric) in ensemble.metrics.enumerated() {
            let values = samples(j)
            let happened = values.filter { !$0.isNaN }
            let isMonth = metric.kind == .month
            guard happened.contains(where: { $0 != 0 || isMonth }) else { continue }
            moved.append(j)
            if isMonth {
                rank[metric.id] = happened.count < values.count || Set(happened).count > 1 ? 0 : 2
            } else {
                let sorted = happened.sorted()
                let low = EnsembleFacts.quantile(sorted, 0.05), high = EnsembleFacts.quantile(sorted, 0.95)
                let median = EnsembleFacts.quantile(sorted, 0.5)
                rank[metric.id] = high - low > 0.01 * max(abs(median), 1e-300) ? 1 : 2
            }
        }
        var chosen = ensemble.metrics.indices.filter {
            wanted.contains(ensemble.metrics[$0].id) || wanted.contains(ensemble.metrics[$0].name)
        }
        for r in 0...2 {
            for j in moved where rank[ensemble.metrics[j].id] == r && !chosen.contains(j) { chosen.append(j) }
        }
        let byID = Dictionary(summaries.map { ($0.id, $0) }, uniquingKeysWith: { a, _ in a })
        let rows: [HeadlineMetric] = chosen.prefix(limit).compactMap { j in
            guard let summary = byID[ensemble.metrics[j].id] else { return nil }
            return HeadlineMetric(
                id: summary.id, doc: summary.doc, unit: summary.unit,
                values: [summary.p5, summary.p50, summary.p95].map(RunFacts.text),
                probability: summary.isMonth ? summary.probability : nil)
        }
        return (rows, max(0, chosen.count - rows.count))
    }
}
