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
