import LodestoneKernel

extension HTMLReport {
    /// The answer-first block of a run report (`<section id="headline">`): the scenario in one
    /// sentence per run and the few metrics that moved (see ``Headline``), one value column per run.
    static func headline(_ runs: [(label: String?, result: RunResult)], named: [String]) -> String {
        var out = "<section id=\"headline\">\n<h2>In short</h2>\n"
        for (label, result) in runs {
            let sentence = Headline.sentence(
                result.scenario, start: result.start, months: result.months, modules: result.modules)
            let prefix = runs.count > 1 ? "<strong>\(e(label ?? result.scenario.name)):</strong> " : ""
            out += "<p class=\"lede\">\(prefix)\(e(sentence))</p>\n"
            out += warnings(result.boundWarnings, prefix: prefix)
        }
        let (rows, more) = Headline.metrics(runs.map(\.result), named: named)
        let total = runs.first?.result.metrics.count ?? 0
        guard !rows.isEmpty else {
            return out + "<p>No metric moved: every one is 0 or never happened (all \(total) are listed below).</p>\n</section>\n"
        }
        let headers = runs.count == 1 ? ["value"] : runs.map { $0.label ?? $0.result.scenario.name }
        out += "<table class=\"headline\">\n<thead><tr><th>what moved</th>"
        out += headers.map { "<th class=\"num\">\(e($0))</th>" }.joined() + "<th>unit</th></tr></thead>\n<tbody>\n"
        for row in rows {
            out += "<tr><td>\(describe(row))</td>"
            out += row.values.map { "<td class=\"num\">\(e($0))</td>" }.joined()
            out += "<td>\(e(unitText(row.unit)))</td></tr>\n"
        }
        out += "</tbody>\n</table>\n"
        return out + moreNote(more, total: total) + "</section>\n"
    }

    /// The answer-first block of an ensemble report: the scenario in one sentence, the runs,
    /// and the metrics that moved with their 5/50/95 % over the runs (and, for month metrics,
    /// how often they happened).
    static func headline(_ ensemble: EnsembleResult, named: [String]) -> String {
        var out = "<section id=\"headline\">\n<h2>In short</h2>\n"
        let sentence = Headline.sentence(
            ensemble.scenario, start: ensemble.start, months: ensemble.months, modules: ensemble.modules)
        out += "<p class=\"lede\">\(e(sentence)) "
        let varied = ensemble.request.vary.map { "\($0.path) ~ \($0.distribution)" }
        out += e(EnsembleFacts.runsText(ensemble).capitalizingFirst)
        out += varied.isEmpty ? ", differing only in their random draws.</p>\n" : e(" varying " + varied.joined(separator: ", ")) + ".</p>\n"
        out += warnings(ensemble.boundWarnings, prefix: "")
        let (rows, more) = Headline.metrics(ensemble, named: named)
        guard !rows.isEmpty else {
            return out + "<p>No metric moved in any run: every one is 0 or never happened (all are listed below).</p>\n</section>\n"
        }
        out += "<table class=\"headline\">\n<thead><tr><th>what moved</th><th class=\"num\">in runs</th>"
        out += "<th class=\"num\">5 %</th><th class=\"num\">median</th><th class=\"num\">95 %</th><th>unit</th></tr></thead>\n<tbody>\n"
        for row in rows {
            out += "<tr><td>\(describe(row))</td>"
            out += "<td class=\"num\">\(row.probability.map { e(EnsembleFacts.percent($0)) } ?? "")</td>"
            out += row.values.map { "<td class=\"num\">\(e($0))</td>" }.joined()
            out += "<td>\(e(unitText(row.unit)))</td></tr>\n"
        }
        out += "</tbody>\n</table>\n"
        out += "<p class=\"note\">5 % and 95 %: one run in twenty ends below (above) these values; “in runs” is how often "
        out += "an event happened at all.</p>\n"
        return out + moreNote(more, total: ensemble.metrics.count) + "</section>\n"
    }

    /// The answer-first block of a sweep report: the scenario in one sentence, what was swept
    /// over which values, and the metrics that differ between points (see ``Headline/metrics(_:named:)``)
    /// with their value at each point (up to ``Headline/pointColumns`` points), or else at the
    /// first and last point with the lowest and highest over all points.
    static func headline(_ sweep: SweepResult, named: [String]) -> String {
        var out = "<section id=\"headline\">\n<h2>In short</h2>\n"
        guard let first = sweep.points.first?.result else { return out + "<p>No points were run.</p>\n</section>\n" }
        let sentence = Headline.sentence(first.scenario, start: first.start, months: first.months, modules: first.modules)
        out += "<p class=\"lede\">\(e(sentence)) \(e(Headline.sweptText(sweep)))</p>\n"
        for (label, result) in SweepFacts.labelledRuns(sweep) where !result.boundWarnings.isEmpty {
            out += warnings(result.boundWarnings, prefix: "<strong>\(e(label ?? "")):</strong> ")
        }
        let runs = sweep.points.map(\.result)
        let (rows, more) = Headline.metrics(runs, named: named)
        guard !rows.isEmpty else {
            return out + "<p>No metric moved at any point: every one is 0 or never happened.</p>\n</section>\n"
        }
        let perPoint = runs.count <= Headline.pointColumns
        let headers = perPoint ? SweepFacts.labelledRuns(sweep).map { $0.label ?? "" } : ["first point", "lowest", "highest", "last point"]
        out += "<table class=\"headline\">\n<thead><tr><th>what moved</th>"
        out += headers.map { "<th class=\"num\">\(e($0))</th>" }.joined() + "<th>unit</th></tr></thead>\n<tbody>\n"
        for row in rows {
            let values = perPoint ? row.values : Headline.spread(runs, id: row.id)
            out += "<tr><td>\(describe(row))</td>"
            out += values.map { "<td class=\"num\">\(e($0))</td>" }.joined()
            out += "<td>\(e(unitText(row.unit)))</td></tr>\n"
        }
        out += "</tbody>\n</table>\n"
        if !perPoint {
            out += "<p class=\"note\">First and last point: \(e(SweepFacts.labelledRuns(sweep).first?.label ?? "")) and "
            out += "\(e(SweepFacts.labelledRuns(sweep).last?.label ?? "")); every point is in the table below.</p>\n"
        }
        return out + moreNote(more, total: first.metrics.count) + "</section>\n"
    }

    /// One paragraph per output that sat at a bound or cap (``RunResult/boundWarnings``): a result
    /// at a cap is not a result, so the report says so before any number.
    private static func warnings(_ texts: [String], prefix: String) -> String {
        texts.map { "<p class=\"warning\">\(prefix)<strong>At a bound:</strong> \(e($0))</p>\n" }.joined()
    }

    /// A headline row's first cell: the description in words, the id beneath it.
    private static func describe(_ row: HeadlineMetric) -> String {
        let words = row.doc.isEmpty ? "" : e(row.doc) + "<br>"
        return words + "<code>\(e(row.id))</code>"
    }

    /// The unit column: empty for month metrics (the value is a month) and dimensionless ones.
    private static func unitText(_ unit: String) -> String { unit == "month" || unit == "1" ? "" : unit }

    private static func moreNote(_ more: Int, total: Int) -> String {
        guard more > 0 else { return "" }
        return "<p class=\"note\">\(more) more moved; all \(total) metrics are in the table at the end.</p>\n"
    }
}

extension String {
    /// The string with its first letter upper-cased (`40 runs` stays, `runs` → `Runs`).
    var capitalizingFirst: String { prefix(1).uppercased() + dropFirst() }
}
