import LodestoneKernel

/// The result of `montecarlo(…)`: per-run metrics and monthly quantile bands of chosen signals.
public final class EnsembleObject {
    /// The kernel's result.
    public let result: EnsembleResult

    init(_ result: EnsembleResult) { self.result = result }

    /// The metrics that happened (month) or were non-zero (quantity) in some run.
    var keyMetrics: [MetricInfo] {
        result.metrics.filter { metric in
            (try? result.metricSamples(metric.id))?.contains { !$0.isNaN && ($0 != 0 || metric.kind == .month) } ?? false
        }
    }

    func display() -> String {
        let r = result
        var out = "ensemble \(ValueFormatter.quoted(r.scenario.name)): \(r.completedRuns) runs, \(r.start)…\(r.start + (r.months - 1)) (\(r.months) months), seed \(r.request.seed)"
        if let shard = r.request.shard {
            out += "\nshard \(shard) of \(r.totalRuns) runs: runs \(shard.index - 1), \(shard.index - 1 + shard.count), … "
                + "(export to SQLite, then `lodestone merge` the shards for the whole ensemble)"
        }
        if !r.request.vary.isEmpty {
            out += "\nvaried: " + r.request.vary.map { "\($0.path) ~ \($0.distribution)" }.joined(separator: ", ")
        }
        if !r.bandSignals.isEmpty { out += "\nbands: " + r.bandSignals.map(\.id).joined(separator: ", ") }
        let metrics = keyMetrics.filter { $0.bound == nil }
        let warnings = r.boundWarnings.map { "\nwarning: " + $0 }.joined()
        if metrics.isEmpty {
            out += "\nno events: every metric is none or 0 in every run"
            return out + warnings
        }
        // What the runs disagree on first — when something happens (settlement, exhaustion), then
        // amounts whose 5–95 % range is wide — then the rest, each group in model order.
        let spread = metrics.map { spreadRank($0) }
        let ordered = (0...2).flatMap { rank in metrics.indices.filter { spread[$0] == rank }.map { metrics[$0] } }
        let shown = ordered.prefix(12)
        let width = shown.map(\.id.count).max() ?? 0
        for metric in shown {
            out += "\n  " + metric.id.padded(to: width) + "  " + summary(metric)
        }
        if metrics.count > shown.count { out += "\n  … \(metrics.count - shown.count) more (e.table() lists every metric)" }
        if !r.request.vary.isEmpty, r.completedRuns > 1, metrics.allSatisfy(isIdenticalInEveryRun) {
            // Worth saying: a spread of zero is more often a parameter that does not act on this
            // scenario (a settlement rate with no incident to settle) than a robust result.
            let varied = r.request.vary.map { "`\($0.path)`" }.joined(separator: ", ")
            out += "\nnote: every run gave the same metrics; varying \(varied) changes nothing in this scenario"
        }
        return out + warnings
    }

    /// Whether a metric has the same value (or none) in every run.
    private func isIdenticalInEveryRun(_ metric: MetricInfo) -> Bool {
        guard let samples = try? result.metricSamples(metric.id), let first = samples.first else { return true }
        return samples.allSatisfy { $0 == first || ($0.isNaN && first.isNaN) }
    }

    /// 0: a month metric on which runs differ (it happens in some runs only, or at different
    /// months); 1: a quantity whose 5–95 % range exceeds 1 % of its median; 2: anything else.
    private func spreadRank(_ metric: MetricInfo) -> Int {
        guard let samples = try? result.metricSamples(metric.id), !samples.isEmpty else { return 2 }
        switch metric.kind {
        case .month:
            let happened = samples.filter { !$0.isNaN }
            let differs = happened.count < samples.count || Set(happened).count > 1
            return differs && !happened.isEmpty ? 0 : 2
        case .quantity:
            guard let q = try? result.metricQuantiles(metric.id, [0.05, 0.5, 0.95]),
                case .number(let low) = q[0], case .number(let median) = q[1], case .number(let high) = q[2]
            else { return 2 }
            return high - low > 0.01 * max(abs(median), 1e-300) ? 1 : 2
        }
    }

    private func summary(_ metric: MetricInfo) -> String {
        let levels = (try? result.metricQuantiles(metric.id, [0.05, 0.5, 0.95])) ?? []
        let text = levels.map { ValueFormatter.inline(Session.metricValue($0)).replacingOccurrences(of: "\"", with: "") }
        switch metric.kind {
        case .month:
            let p = (try? result.probability(metric.id)) ?? .nan
            return "in \(ValueFormatter.rounded(p * 100))% of runs; 5/50/95%: \(text.joined(separator: " / "))"
        case .quantity:
            let mean = (try? result.metricMean(metric.id)) ?? .nan
            return "mean \(ValueFormatter.rounded(mean)); 5/50/95%: \(text.map { Double($0).map(ValueFormatter.rounded) ?? $0 }.joined(separator: " / "))"
        }
    }

    func inline() -> String { "<ensemble \(ValueFormatter.quoted(result.scenario.name)), \(result.completedRuns) runs>" }

    /// Per metric: the share of runs where it happened, the mean, and the 5/50/95 % quantiles.
    func summaryTable(_ ids: [String]) throws(LookupError) -> ResultTable {
        let chosen = ids.isEmpty ? keyMetrics.map(\.id) : ids
        var rows: [[ResultTable.Cell]] = []
        for id in chosen {
            let column = try result.metricColumn(id)
            let kind = result.metrics[column].kind
            let quantiles = try result.metricQuantiles(id, [0.05, 0.5, 0.95]).map(Self.cell)
            let mean = try result.metricMean(id)
            let meanCell: ResultTable.Cell =
                !mean.isFinite ? .none
                : kind == .month ? (abs(mean) < 1e9 ? .text((result.start + Int(mean.rounded())).description) : .none)
                : .number(mean)
            rows.append([.text(SignalLookup.normalize(id)), .number(try result.probability(id)), meanCell] + quantiles)
        }
        return ResultTable(columns: ["metric", "probability", "mean", "p5", "p50", "p95"], rows: rows)
    }

    static func cell(_ value: MetricValue) -> ResultTable.Cell {
        switch value {
        case .number(let x): .number(x)
        case .month(let m): .text(m.description)
        case .none: .none
        }
    }

    /// The quantile bands of a signal by month.
    func bandTable(_ id: String, levels: [Double]) throws(LookupError) -> ResultTable {
        var columns: [[Double]] = []
        for level in levels { columns.append(try result.band(id, level: level)) }
        let rows: [[ResultTable.Cell]] = (0..<result.months).map { t in
            [.text((result.start + t).description)] + columns.map { .number($0[t]) }
        }
        return ResultTable(columns: ["month"] + levels.map { "p" + ValueFormatter.number(($0 * 1000).rounded() / 10) }, rows: rows)
    }

    func charts(signals: [(String, SourceRange)], title: String?, session: Session, range: SourceRange) throws(ScriptError) -> [Chart] {
        let ids = signals.isEmpty ? result.bandSignals.map { ($0.id, range) } : signals
        guard !ids.isEmpty else {
            throw ScriptError("the ensemble kept no signal bands; ask for some with `bands:` in `montecarlo`", at: range)
        }
        var lines: [(unit: String, label: String, words: String, values: [Double])] = []
        for (id, idRange) in ids {
            guard let info = result.bandSignals.first(where: { $0.id == SignalLookup.normalize(id) }) else {
                do { _ = try result.band(id, level: 0.5) } catch { throw ScriptError(error.message, at: idRange) }
                continue
            }
            for level in [0.05, 0.5, 0.95] {
                do {
                    lines.append((info.unit.symbol, "\(info.id) p\(Int(level * 100))", info.words, try result.band(id, level: level)))
                } catch {
                    throw ScriptError(error.message, at: idRange)
                }
            }
        }
        return Chart.byUnit(lines, title: title ?? result.scenario.name, start: result.start)
    }
}
