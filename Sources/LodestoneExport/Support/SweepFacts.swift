import LodestoneKernel

/// Facts about sweeps that several exporters write: point labels, table columns and the
/// parameters the sweep did not vary. (The charted signals and the title are the kernel's:
/// ``SweepResult/defaultSignalIDs(limit:)``, ``SweepResult/title``.)
enum SweepFacts {
    /// A point's label: `path=value` per swept parameter, comma-separated
    /// (`stockpile.cover_days[JP]=90, trade.ramp_months=3`).
    static func label(_ sweep: SweepResult, _ point: SweepPoint) -> String {
        zip(sweep.paths, point.values).map { "\($0)=\(NumberText.readable($1, digits: 6))" }.joined(separator: ", ")
    }

    /// The points as labelled runs, in grid order.
    static func labelledRuns(_ sweep: SweepResult) -> [(label: String?, result: RunResult)] {
        sweep.points.map { (label(sweep, $0), $0.result) }
    }

    /// The metric and signal columns of the sweep's table: `ids` with family names expanded to
    /// their keys (metrics first, then signals), other ids kept as written (`signal@YYYY-MM`).
    /// When `ids` is empty: every metric whose value differs between points (a metric the sweep
    /// does not move says nothing about it), or every metric if none differs.
    static func tableColumns(_ sweep: SweepResult, _ ids: [String]) -> [String] {
        guard let first = sweep.points.first?.result else { return ids }
        guard !ids.isEmpty else {
            let moved = first.metrics.filter { metric in
                let reference = first.metricValues[metric.index]
                return sweep.points.dropFirst().contains { point in
                    let value = point.result.metricValues[metric.index]
                    return value != reference && !(value.isNaN && reference.isNaN)
                }
            }
            return (moved.isEmpty ? first.metrics : moved).map(\.id)
        }
        var columns: [String] = []
        for id in ids {
            let wanted = SignalLookup.normalize(id)
            var found = first.metrics.filter { $0.name == wanted }.map(\.id)
            if found.isEmpty { found = first.signals.filter { $0.name == wanted }.map(\.id) }
            if found.isEmpty { found = [id] }
            for column in found where !columns.contains(column) { columns.append(column) }
        }
        return columns
    }

    /// The sweep's table of `ids` (see ``tableColumns(_:_:)``).
    static func table(_ sweep: SweepResult, _ ids: [String]) throws -> ResultTable {
        try sweep.table(tableColumns(sweep, ids))
    }

    /// The full parameter paths (`module.name[key]`) the sweep sets, so that reports can tell
    /// the swept parameters from the fixed ones.
    static func sweptKeys(_ sweep: SweepResult) -> Set<String> {
        guard let parameters = sweep.points.first?.result.parameters else { return [] }
        var keys = Set<String>()
        for path in sweep.paths {
            guard let positions = try? parameters.positions(path) else { continue }
            for position in positions {
                guard let entry = parameters.entries.last(where: { $0.base <= position }) else { continue }
                let k = position - entry.base
                keys.insert(entry.path + (entry.declaration.keys.isEmpty ? "" : "[\(entry.declaration.keys[k])]"))
            }
        }
        return keys
    }

    /// “6 points” or “4 of 6 points (cancelled)”.
    static func pointsText(_ sweep: SweepResult) -> String {
        if sweep.points.count == sweep.requestedPoints, !sweep.wasCancelled {
            return "\(sweep.points.count) point\(sweep.points.count == 1 ? "" : "s")"
        }
        return "\(sweep.points.count) of \(sweep.requestedPoints) points (cancelled)"
    }
}
