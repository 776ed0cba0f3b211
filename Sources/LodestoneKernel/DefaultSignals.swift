extension RunResult {
    /// The columns to show when the user names no signal (a chart of a run, an ensemble's bands):
    /// up to `limit` columns of signals written by modules (not the scenario), optionally only
    /// `module`'s.
    ///
    /// Headline signals come first (``OutputDeclaration/isHeadline``: a price, a shortfall, days of
    /// cover, tension): for each headline family in step order, the key that stays away from where
    /// the run ends for the most months (a shock's signals return there, or settle), then the one
    /// that moves most relative to its size; the first key among equals. The rest of the limit goes
    /// to other signals that change, in step order. If nothing changes: the first `limit` module
    /// signals.
    public func defaultColumns(limit: Int = 4, module: String? = nil) -> [Int] {
        let width = signals.count
        let candidates = signals.indices.filter { j in
            signals[j].producer != ScenarioSignals.module && (module == nil || signals[j].producer == module)
        }
        var changing: [(column: Int, months: Int, relative: Double)] = []
        for j in candidates where months > 0 {
            var low = Double.infinity, high = -Double.infinity
            for t in 0..<months where values[t * width + j].isFinite {
                low = min(low, values[t * width + j])
                high = max(high, values[t * width + j])
            }
            guard high > low else { continue }
            let size = max(abs(high), abs(low), 1e-300)
            let last = values[(months - 1) * width + j]
            let moved = (0..<months).filter { t in
                let x = values[t * width + j]
                return x.isFinite && !(abs(x - last) <= 0.01 * size)
            }.count
            changing.append((j, moved, (high - low) / size))
        }
        guard !changing.isEmpty else { return Array(candidates.prefix(limit)) }
        var chosen: [Int] = []
        var families: [String] = []
        for entry in changing where signals[entry.column].isHeadline && !families.contains(signals[entry.column].name) {
            families.append(signals[entry.column].name)
        }
        for family in families where chosen.count < limit {
            var best: (column: Int, months: Int, relative: Double)?
            for entry in changing where signals[entry.column].name == family {
                if let current = best, (entry.months, entry.relative) <= (current.months, current.relative) { continue }
                best = entry
            }
            if let best { chosen.append(best.column) }
        }
        for entry in changing where chosen.count < limit && !chosen.contains(entry.column) { chosen.append(entry.column) }
        return chosen
    }
}

extension SweepResult {
    /// The ids of the signals to chart when the user names none: up to `limit` module signals
    /// that the sweep moves most. Signals with the most distinct series across the points come
    /// first; among those, signals that change within a run (a series flat in every run merely
    /// restates the swept value), then headline signals (``OutputDeclaration/isHeadline``), then
    /// the widest spread between points relative to the signal's size; ties in step order. If no signal
    /// differs between points, the first point's ``RunResult/defaultColumns(limit:module:)``.
    ///
    /// The terminal's `plot(sweep)` and the SVG and HTML exports share this rule.
    public func defaultSignalIDs(limit: Int = 1) -> [String] {
        guard let first = points.first?.result else { return [] }
        // Every module signal: one that is flat at the first point may move at the others.
        let candidates = first.signals.indices.filter { first.signals[$0].producer != ScenarioSignals.module }
        var ranked: [(column: Int, distinct: Int, changes: Bool, headline: Bool, spread: Double)] = []
        for j in candidates {
            let id = first.signals[j].id
            let series = points.compactMap { try? $0.result.series(id) }
            let distinct = Set(series.map { $0.map(\.bitPattern) }).count
            guard distinct > 1 else { continue }
            let changes = series.contains { values in values.contains { $0 != values.first && !$0.isNaN } }
            ranked.append((j, distinct, changes, first.signals[j].isHeadline, Self.spread(series)))
        }
        ranked.sort { a, b in
            if a.distinct != b.distinct { return a.distinct > b.distinct }
            if a.changes != b.changes { return a.changes }
            if a.headline != b.headline { return a.headline }
            if a.spread != b.spread { return a.spread > b.spread }
            return a.column < b.column
        }
        let chosen = ranked.isEmpty ? first.defaultColumns(limit: limit) : ranked.prefix(limit).map(\.column)
        return chosen.map { first.signals[$0].id }
    }

    /// How far apart a signal's series lie: the mean over months of the range across points,
    /// divided by the largest magnitude the signal reaches (0…1; 0 when all are equal).
    private static func spread(_ series: [[Double]]) -> Double {
        guard let months = series.map(\.count).min(), months > 0 else { return 0 }
        var size = 0.0, total = 0.0
        for t in 0..<months {
            var low = Double.infinity, high = -Double.infinity
            for values in series where values[t].isFinite {
                low = min(low, values[t])
                high = max(high, values[t])
                size = max(size, abs(values[t]))
            }
            if high > low { total += high - low }
        }
        return size > 0 ? total / (Double(months) * size) : 0
    }

    /// The sweep's name as a chart or report title: `Sweep of path × path`.
    public var title: String { "Sweep of " + paths.joined(separator: " × ") }
}
