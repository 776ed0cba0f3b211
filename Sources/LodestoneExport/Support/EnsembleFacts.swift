import LodestoneKernel

/// One metric of an ensemble summarised over its completed runs, as exporters show it.
struct MetricSummary {
    /// `module.metric[key]`.
    let id: String
    /// The unit symbol (`month` for month metrics).
    let unit: String
    /// What it means.
    let doc: String
    /// Whether it is a month metric (`settled_at`, `exhausted_at`).
    let isMonth: Bool
    /// The 5th, 50th and 95th percentiles over the runs (a month metric's runs where it never
    /// happened count as later than any month, so a percentile they reach is `none`).
    let p5, p50, p95: MetricValue
    /// The mean over the runs where it happened; for a month metric the mean month index,
    /// rounded to the nearest month; `none` if it never happened.
    let mean: MetricValue
    /// The share of runs in which it happened (was not none), 0…1; NaN with no runs.
    let probability: Double
}

/// A parameter an ensemble varied: its distribution and a summary of the values drawn.
struct VariationSummary {
    /// The parameter path as given (`diplomacy.settle_base`, `stockpile.cover_days[JP]`).
    let path: String
    /// The distribution as written in scripts (`uniform(0.01, 0.06)`).
    let distribution: String
    /// The 5th, 50th and 95th percentiles and the mean of the values drawn (after clamping to
    /// the parameter's range); NaN with no runs.
    let p5, p50, p95, mean: Double
}

/// Facts about ensembles that several exporters write: band names and values, metric and
/// variation summaries.
enum EnsembleFacts {
    /// The column name of a quantile level: `p5`, `p25`, `p50`, `p2.5`.
    static func quantileName(_ level: Double) -> String {
        "p" + NumberText.plain((level * 1000).rounded() / 10)
    }

    /// The band rows of one signal: the standard levels (``EnsembleResult/bandLevels``) by name,
    /// then `mean`; each one value per month.
    static func bandSeries(_ ensemble: EnsembleResult, _ j: Int) -> [(name: String, values: [Double])] {
        bandSeries(ensemble.distributions[j])
    }

    /// The band rows of one signal's monthly accumulators (``bandSeries(_:_:)``).
    static func bandSeries(_ distribution: [QuantileAccumulator]) -> [(name: String, values: [Double])] {
        EnsembleResult.bandLevels.map { level in
            (quantileName(level), distribution.map { $0.quantile(level) })
        } + [("mean", distribution.map(\.mean))]
    }

    /// The band signal of index `j` as a chart band (5 … 95 %; the median drawn as a line).
    static func band(_ ensemble: EnsembleResult, _ j: Int) -> QuantileBand {
        let signal = ensemble.bandSignals[j]
        let distribution = ensemble.distributions[j]
        return QuantileBand(
            label: signal.id, unit: signal.unit.symbol,
            quantiles: EnsembleResult.bandLevels.map { level in
                QuantileBand.Quantile(probability: level, values: distribution.map { $0.quantile(level) })
            }, title: signal.words)
    }

    /// The band signals named by `ids` (exact ids, or family names such as `stockpile.level`
    /// meaning all its kept keys), as indices into ``EnsembleResult/bandSignals``; all of them
    /// when `ids` is empty. An id without bands is an error naming it and the kept signals.
    static func bandColumns(_ ensemble: EnsembleResult, _ ids: [String]) throws(LookupError) -> [Int] {
        let signals = ensemble.bandSignals
        guard !ids.isEmpty else { return Array(signals.indices) }
        var columns: [Int] = []
        for id in ids {
            let wanted = SignalLookup.normalize(id)
            var found = signals.indices.filter { signals[$0].name == wanted }
            if found.isEmpty, let j = signals.firstIndex(where: { $0.id == wanted }) { found = [j] }
            guard !found.isEmpty else {
                let kept = signals.isEmpty ? "none" : signals.map(\.id).joined(separator: ", ")
                throw LookupError(
                    "`\(id)` has no bands in this ensemble" + Suggestions.hint(for: wanted, among: signals.map(\.id))
                        + " (bands: \(kept); ask for it with `bands:` in `montecarlo`)")
            }
            for column in found where !columns.contains(column) { columns.append(column) }
        }
        return columns
    }

    /// The band columns for a format that shows nothing else (CSV, SVG): as ``bandColumns(_:_:)``,
    /// but an ensemble that kept no bands is an error saying how to keep some.
    static func requiredBandColumns(_ ensemble: EnsembleResult, _ ids: [String], format: String) throws -> [Int] {
        guard !ensemble.bandSignals.isEmpty else {
            throw LookupError(
                "the ensemble kept no signal bands, so there is nothing to write as \(format); "
                    + "ask for some with `bands:` in `montecarlo`, or export it as JSON, Markdown or HTML for its metrics")
        }
        return try bandColumns(ensemble, ids)
    }

    /// Every metric summarised over the runs, in declaration order.
    static func metrics(_ ensemble: EnsembleResult) -> [MetricSummary] {
        ensemble.metrics.compactMap { info in
            guard let samples = try? ensemble.metricSamples(info.id) else { return nil }
            let isMonth = if case .month = info.kind { true } else { false }
            return summary(
                id: info.id, unit: RunFacts.unit(of: info.kind), doc: info.doc, isMonth: isMonth, samples: samples,
                start: ensemble.start)
        }
    }

    /// One metric summarised over its values in run order (NaN: none; a month metric as months
    /// from `start`): what an ensemble's exports write, and what merging shards writes again.
    static func summary(
        id: String, unit: String, doc: String, isMonth: Bool, samples: [Double], start: Month
    ) -> MetricSummary {
        let quantiles = EnsembleResult.metricQuantiles(samples, isMonth: isMonth, start: start, [0.05, 0.5, 0.95])
        let probability = EnsembleResult.probability(samples)
        let mean = EnsembleResult.metricMean(samples)
        let meanValue: MetricValue
        if !mean.isFinite {
            meanValue = .none
        } else if isMonth {
            meanValue = abs(mean) < 1e9 ? .month(start + Int(mean.rounded())) : .none
        } else {
            meanValue = .number(mean)
        }
        return MetricSummary(
            id: id, unit: unit, doc: doc, isMonth: isMonth, p5: quantiles[0], p50: quantiles[1], p95: quantiles[2],
            mean: meanValue, probability: probability)
    }

    /// The varied parameters with their distributions and the values drawn.
    static func variations(_ ensemble: EnsembleResult) -> [VariationSummary] {
        let width = ensemble.request.vary.count
        return ensemble.request.vary.enumerated().map { v, variation in
            let drawn = (0..<ensemble.completedRuns).map { ensemble.variedValues[$0 * width + v] }.filter(\.isFinite)
            let sorted = drawn.sorted()
            return VariationSummary(
                path: variation.path, distribution: variation.distribution.description,
                p5: quantile(sorted, 0.05), p50: quantile(sorted, 0.5), p95: quantile(sorted, 0.95),
                mean: drawn.isEmpty ? .nan : drawn.reduce(0, +) / Double(drawn.count))
        }
    }

    /// The q-quantile of sorted values by linear interpolation between order statistics (as the
    /// kernel computes them); NaN when empty.
    static func quantile(_ sorted: [Double], _ q: Double) -> Double {
        guard !sorted.isEmpty else { return .nan }
        let h = Double(sorted.count - 1) * min(1, max(0, q))
        let lower = Int(h.rounded(.down))
        let upper = min(sorted.count - 1, lower + 1)
        return sorted[lower] + (h - Double(lower)) * (sorted[upper] - sorted[lower])
    }

    /// The modules an ensemble ran, as far as its result shows them: those with parameters,
    /// metrics or band signals, in first-seen order. (The kernel's ``EnsembleResult`` does not
    /// record the module list itself.)
    static func modules(_ ensemble: EnsembleResult) -> [String] {
        var names: [String] = []
        let candidates =
            ensemble.parameters.entries.map(\.module)
            + ensemble.metrics.map { String($0.name.prefix { $0 != "." }) }
            + ensemble.bandSignals.map(\.producer).filter { $0 != ScenarioSignals.module }
        for name in candidates where !names.contains(name) { names.append(name) }
        return names
    }

    /// The last month of each run.
    static func end(_ ensemble: EnsembleResult) -> Month { ensemble.start + (ensemble.months - 1) }

    /// “40 runs” or “37 of 40 runs (cancelled)”.
    static func runsText(_ ensemble: EnsembleResult) -> String {
        let requested = ensemble.request.runs
        if ensemble.completedRuns == requested, !ensemble.wasCancelled {
            return "\(NumberText.grouped(UInt64(max(0, requested)))) run\(requested == 1 ? "" : "s")"
        }
        return "\(NumberText.grouped(UInt64(max(0, ensemble.completedRuns)))) of "
            + "\(NumberText.grouped(UInt64(max(0, requested)))) runs (cancelled)"
    }

    /// A probability as a percentage for people (`87.5%`, `none` for NaN).
    static func percent(_ probability: Double) -> String {
        probability.isNaN ? "none" : NumberText.readable(probability * 100) + "%"
    }
}
