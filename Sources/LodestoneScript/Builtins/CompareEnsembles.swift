import LodestoneKernel

/// `compare` of ensembles: the distributions of their metrics, or the median of a band signal,
/// side by side.
extension Session {
    /// The ensembles among `items` with their labels (record keys, else the scenario's name,
    /// repeated names numbered `#2`), or nil when the items are not all ensembles.
    func labelledEnsembles(_ items: [(value: Value, range: SourceRange)]) -> [(label: String, ensemble: EnsembleResult)]? {
        var found: [(String?, EnsembleResult)] = []
        func add(_ value: Value, label: String?) -> Bool {
            switch value {
            case .ensemble(let e):
                found.append((label, e.result))
                return true
            case .list(let items) where !items.isEmpty: return items.allSatisfy { add($0, label: nil) }
            case .record(let record) where !record.fields.isEmpty:
                return record.fields.allSatisfy { add($0.1, label: $0.0) }
            default: return false
            }
        }
        guard !items.isEmpty, items.allSatisfy({ add($0.value, label: nil) }) else { return nil }
        return Self.labelled(found) { $0.scenario.name }.map { ($0.label, $0.item) }
    }

    /// The comparison table of ensembles. With `signal:`, the signal's monthly median in each
    /// (it must be one of their bands). Otherwise four rows per metric — for a month metric the
    /// share of runs in which it happened and its 5/50/95 % quantiles, for an amount its mean and
    /// quantiles — for the metrics named in `metrics:`, or by default those that happen (or are
    /// not 0) in some run, the ones whose medians or probabilities differ first.
    func compareEnsembles(_ ensembles: [(label: String, ensemble: EnsembleResult)], _ args: Arguments) throws(ScriptError)
        -> Value
    {
        let labels = ensembles.map(\.label)
        if let signal = try args.string("signal") {
            var series: [(label: String, start: Month, values: [Double])] = []
            for (label, e) in ensembles {
                let median = try Self.lookup(at: args.range("signal")) { () throws(LookupError) in try e.band(signal, level: 0.5) }
                series.append(("\(label) p50", e.start, median))
            }
            return .table(Self.monthTable(series))
        }
        let ids = try comparedMetrics(ensembles, args)
        var rows: [[ResultTable.Cell]] = []
        for id in ids {
            var statistics: [(name: String, cells: [ResultTable.Cell])] = []
            // The metric's kind in the first ensemble that has it.
            let kind = ensembles.lazy.compactMap { entry in
                (try? entry.ensemble.metricColumn(id)).map { entry.ensemble.metrics[$0].kind }
            }.first
            let isMonth = if case .month? = kind { true } else { false }
            func column(_ body: (EnsembleResult) throws(LookupError) -> ResultTable.Cell) -> [ResultTable.Cell] {
                ensembles.map { entry in (try? body(entry.ensemble)) ?? .none }
            }
            if isMonth {
                statistics.append(("probability", column { e throws(LookupError) in .number(try e.probability(id)) }))
            } else {
                statistics.append(("mean", column { e throws(LookupError) in
                    let mean = try e.metricMean(id)
                    return mean.isFinite ? .number(mean) : .none
                }))
            }
            for (name, level) in [("p5", 0.05), ("p50", 0.5), ("p95", 0.95)] {
                statistics.append((name, column { e throws(LookupError) in
                    EnsembleObject.cell(try e.metricQuantiles(id, [level])[0])
                }))
            }
            for (k, statistic) in statistics.enumerated() {
                rows.append([.text(k == 0 ? SignalLookup.normalize(id) : ""), .text(statistic.name)] + statistic.cells)
            }
        }
        return .table(ResultTable(columns: ["metric", "statistic"] + labels, rows: rows))
    }

    /// The metric ids to compare: `metrics:` (each checked against every ensemble), or those that
    /// happen in some run of some ensemble, those whose median or probability differs first.
    private func comparedMetrics(_ ensembles: [(label: String, ensemble: EnsembleResult)], _ args: Arguments)
        throws(ScriptError) -> [String]
    {
        if let ids = try Self.metricIDs(args) {
            for id in ids {
                for (_, e) in ensembles {
                    _ = try Self.lookup(at: args.range("metrics")) { () throws(LookupError) in try e.metricColumn(id) }
                }
            }
            return ids
        }
        var ids: [String] = []
        for (_, e) in ensembles {
            for id in EnsembleObject(e).keyMetrics.map(\.id) where !ids.contains(id) { ids.append(id) }
        }
        let order = ensembles[0].ensemble.metrics.map(\.id)
        ids.sort { (order.firstIndex(of: $0) ?? Int.max, $0) < (order.firstIndex(of: $1) ?? Int.max, $1) }
        func summary(_ e: EnsembleResult, _ id: String) -> [UInt64] {
            let p = (try? e.probability(id)) ?? .nan
            let median = (try? e.metricQuantiles(id, [0.5]))?.first.map { value -> Double in
                switch value {
                case .number(let x): x
                case .month(let m): Double(m.ordinal)
                case .none: .nan
                }
            } ?? .nan
            return [p.bitPattern, median.bitPattern]
        }
        let differing = ids.filter { id in Set(ensembles.map { summary($0.ensemble, id) }).count > 1 }
        return differing + ids.filter { !differing.contains($0) }
    }
}

extension Session {
    /// Charts comparing ensembles: each ensemble's monthly median of each signal (by default the
    /// first ensemble's band signals), one chart per unit.
    func ensembleComparisonCharts(
        _ ensembles: [(label: String, ensemble: EnsembleResult)], _ signals: [(String, SourceRange)], title: String?,
        range: SourceRange
    ) throws(ScriptError) -> [Chart] {
        let ids = signals.isEmpty ? ensembles[0].ensemble.bandSignals.map { ($0.id, range) } : signals
        guard !ids.isEmpty else {
            throw ScriptError("the ensembles kept no signal bands; ask for some with `bands:` in `montecarlo`", at: range)
        }
        let start = ensembles.map(\.ensemble.start).min()!
        let end = ensembles.map { $0.ensemble.start + ($0.ensemble.months - 1) }.max()!
        var lines: [(unit: String, label: String, words: String, values: [Double])] = []
        var shown: [String] = []
        for (id, idRange) in ids {
            for (label, e) in ensembles {
                let median = try Self.lookup(at: idRange) { () throws(LookupError) in try e.band(id, level: 0.5) }
                guard let info = e.bandSignals.first(where: { $0.id == SignalLookup.normalize(id) }) else { continue }
                if !shown.contains(info.wordsWithKey) { shown.append(info.wordsWithKey) }
                var values = [Double](repeating: .nan, count: end - start + 1)
                for (t, x) in median.enumerated() { values[e.start - start + t] = x }
                lines.append(
                    (info.unit.symbol, ids.count == 1 ? "\(label) p50" : "\(label): \(info.id) p50", info.words, values))
            }
        }
        let heading = title ?? ensembles.map(\.label).joined(separator: " vs ") + (shown.count == 1 ? ": \(shown[0])" : "")
        return Chart.byUnit(lines, title: heading, start: start)
    }
}
