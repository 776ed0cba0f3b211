/// The outcome of a Monte Carlo ensemble: per-run metrics and varied values, and the monthly
/// distribution of the requested signals.
public struct EnsembleResult: Sendable {
    /// The scenario.
    public let scenario: Scenario
    /// The dataset's name.
    public let datasetName: String
    /// The dataset's citations.
    public let sources: [Citation]
    /// The base parameters (before variation).
    public let parameters: ParameterSet
    /// First month.
    public let start: Month
    /// Months per run.
    public let months: Int
    /// The request.
    public let request: MonteCarloRequest
    /// The module names in step order.
    public let modules: [String]
    /// Runs completed (fewer than requested when cancelled).
    public let completedRuns: Int
    /// The run index k of each completed run, in row order (replay run k with
    /// `SeededGenerator(seed: request.seed, stream: k)`).
    public let runIndices: [Int]
    /// Whether the ensemble was cancelled before the end.
    public let wasCancelled: Bool
    /// The metrics, in column order of ``metricValues``.
    public let metrics: [MetricInfo]
    /// Metric values, row per completed run in run order: `metricValues[r * metrics.count + j]`.
    public let metricValues: [Double]
    /// Varied values, row per completed run: `variedValues[r * request.vary.count + v]`.
    public let variedValues: [Double]
    /// The band signals, in order of ``distributions``.
    public let bandSignals: [SignalInfo]
    /// For each band signal, one accumulator per month.
    public let distributions: [[QuantileAccumulator]]
    /// The dataset the runs used (set by ``MonteCarlo``; nil for results built by hand), so that
    /// exports can record its content hash.
    public var dataset: Dataset?
    /// A shard's band values of every completed run: row r, band signal b, month t at
    /// `runBandValues[(r * bandSignals.count + b) * months + t]` (empty for an unsharded
    /// ensemble, whose accumulators are all that is kept). Merging shards feeds them to the
    /// accumulators in run order, which reproduces the unsharded bands bit for bit.
    public internal(set) var runBandValues: [Double] = []
    /// Which shard of which computation of the script this is (set by the script layer); nil for
    /// an unsharded ensemble.
    public var shardTag: ShardTag?

    /// The number of runs of the whole ensemble (``MonteCarloRequest/runs``); a shard completes
    /// only its share of them.
    public var totalRuns: Int { request.runs }

    /// The standard band levels: 5, 25, 50, 75, 95 %.
    public static let bandLevels: [Double] = [0.05, 0.25, 0.5, 0.75, 0.95]

    /// The monthly q-quantiles of a band signal.
    public func band(_ id: String, level q: Double) throws(LookupError) -> [Double] {
        try distribution(of: id).map { $0.quantile(q) }
    }

    /// The monthly mean of a band signal.
    public func meanSeries(_ id: String) throws(LookupError) -> [Double] {
        try distribution(of: id).map(\.mean)
    }

    private func distribution(of id: String) throws(LookupError) -> [QuantileAccumulator] {
        let wanted = SignalLookup.normalize(id)
        guard let j = bandSignals.firstIndex(where: { $0.id == wanted }) else {
            throw LookupError(
                "`\(id)` has no bands in this ensemble" + Suggestions.hint(for: wanted, among: bandSignals.map(\.id))
                    + " (bands: \(bandSignals.map(\.id).joined(separator: ", ")); ask for it with `bands:`)")
        }
        return distributions[j]
    }

    /// The column of a metric id.
    public func metricColumn(_ id: String) throws(LookupError) -> Int {
        let wanted = SignalLookup.normalize(id)
        if let metric = metrics.first(where: { $0.id == wanted }) { return metric.index }
        throw LookupError(
            "unknown metric `\(id)`" + Suggestions.hint(for: wanted, among: metrics.map(\.id))
                + RunResult.familyHint(wanted, metrics.map(\.name)))
    }

    /// The values of a metric over the completed runs (NaN where it did not happen).
    public func metricSamples(_ id: String) throws(LookupError) -> [Double] {
        let j = try metricColumn(id)
        let width = metrics.count
        return (0..<completedRuns).map { metricValues[$0 * width + j] }
    }

    /// Quantiles of a metric over the runs. For a month metric, runs where it never happened count
    /// as later than any month, so a quantile they reach is `none`.
    public func metricQuantiles(_ id: String, _ levels: [Double]) throws(LookupError) -> [MetricValue] {
        let j = try metricColumn(id)
        let isMonth = if case .month = metrics[j].kind { true } else { false }
        return Self.metricQuantiles(try metricSamples(id), isMonth: isMonth, start: start, levels)
    }

    /// Quantiles of a metric's values over runs (in any order; NaN: none, later than any month),
    /// as ``metricQuantiles(_:_:)`` computes them; `start` is the first month of a month metric.
    public static func metricQuantiles(_ values: [Double], isMonth: Bool, start: Month, _ levels: [Double]) -> [MetricValue] {
        let samples = values.map { $0.isNaN ? Double.infinity : $0 }.sorted()
        guard !samples.isEmpty else { return levels.map { _ in .none } }
        return levels.map { q in
            let h = Double(samples.count - 1) * min(1, max(0, q))
            let lower = Int(h.rounded(.down))
            let upper = min(samples.count - 1, lower + 1)
            let a = samples[lower], b = samples[upper]
            let value: Double
            if a.isInfinite || b.isInfinite {
                value = h == Double(lower) ? a : (b.isInfinite ? .infinity : b)
            } else {
                value = a + (h - Double(lower)) * (b - a)
            }
            if value.isInfinite { return .none }
            if isMonth { return .month(start + Int(value.rounded(.down))) }
            return .number(value)
        }
    }

    /// The share of runs in which a metric happened (was not none), e.g. `settled_at`.
    public func probability(_ id: String) throws(LookupError) -> Double {
        Self.probability(try metricSamples(id))
    }

    /// The share of `values` that are not NaN (none); NaN when there are none.
    public static func probability(_ values: [Double]) -> Double {
        guard !values.isEmpty else { return .nan }
        return Double(values.filter { !$0.isNaN }.count) / Double(values.count)
    }

    /// The share of runs in which a month metric happened in `month` or before, e.g. the chance
    /// that a dispute is settled by the end of 2026. An error for a quantity metric.
    public func probability(_ id: String, by month: Month) throws(LookupError) -> Double {
        let j = try metricColumn(id)
        guard case .month = metrics[j].kind else {
            throw LookupError(
                "`\(metrics[j].id)` is an amount, not a month: `by:` applies to month metrics such as `…settled_at[…]` or `…exhausted_at[…]`")
        }
        let samples = try metricSamples(id)
        guard !samples.isEmpty else { return .nan }
        let last = Double(month - start)
        return Double(samples.filter { !$0.isNaN && $0 <= last }.count) / Double(samples.count)
    }

    /// The mean of a metric over the runs where it happened (NaN if never).
    public func metricMean(_ id: String) throws(LookupError) -> Double {
        Self.metricMean(try metricSamples(id))
    }

    /// The mean of the values that are not NaN, summed in the order given (run order), NaN if none.
    public static func metricMean(_ values: [Double]) -> Double {
        let samples = values.filter { !$0.isNaN }
        return samples.isEmpty ? .nan : samples.reduce(0, +) / Double(samples.count)
    }
}

extension EnsembleResult {
    /// One warning per bound metric (``MetricDeclaration/bound``) above 0 in some run: in how many
    /// runs an output sat at a bound or cap, and for how many months in the median such run
    /// (`DyTb: price at its cap (max_price_multiple) in 100% of runs (median 12 months): the result
    /// is the cap, not the market (trade.months_at_price_cap[DyTb])`).
    public var boundWarnings: [String] {
        let width = metrics.count
        return metrics.compactMap { metric in
            guard let bound = metric.bound, completedRuns > 0 else { return nil }
            let hits = (0..<completedRuns).map { metricValues[$0 * width + metric.index] }.filter { $0 > 0 }.sorted()
            guard !hits.isEmpty else { return nil }
            let share = Double(hits.count) / Double(completedRuns) * 100
            let median = Int(hits[hits.count / 2].rounded())
            let percent = ParameterSet.format((share * 10).rounded() / 10)
            return metric.boundWarning(
                bound, span: "in \(percent)% of runs (median \(median) month\(median == 1 ? "" : "s"))")
        }
    }
}
