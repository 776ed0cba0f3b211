import LodestoneKernel

/// The result of `sweep(…)`: one run per point of a grid of parameter values.
public final class SweepObject {
    /// The kernel's result.
    public let result: SweepResult

    init(_ result: SweepResult) { self.result = result }

    /// Each point's run, labelled `path=value`.
    var labelledRuns: [(label: String, run: RunResult)] {
        result.points.map { point in
            (zip(result.paths, point.values).map { "\($0)=\(ValueFormatter.number($1))" }.joined(separator: ", "), point.result)
        }
    }

    /// The metrics that are not none or 0 at some point, those that differ between points first
    /// (what the sweep moved), each group in declaration order.
    var keyMetrics: [String] {
        guard let first = result.points.first?.result else { return [] }
        let present = first.metrics.filter { metric in
            result.points.contains { point in
                let raw = point.result.metricValues[metric.index]
                return !raw.isNaN && (raw != 0 || metric.kind == .month)
            }
        }
        let varying = present.filter { metric in
            let values = result.points.map { $0.result.metricValues[metric.index].bitPattern }
            return Set(values).count > 1
        }
        let steady = present.filter { metric in !varying.contains { $0.index == metric.index } }
        return (varying + steady).map(\.id)
    }

    func display() -> String {
        var out = "sweep of \(result.paths.joined(separator: " × ")): \(result.points.count) runs"
        if let first = result.points.first?.result {
            out += ", \(first.start)…\(first.end) (\(first.months) months), seed \(first.seed)"
        }
        if let shard = result.shard {
            out += "\nshard \(shard) of \(result.requestedPoints) points (export to SQLite, then `lodestone merge` the shards)"
        }
        let metrics = keyMetrics
        if let table = try? result.table(Array(metrics.prefix(4))) {
            out += "\n" + ValueFormatter.table(table)
        }
        if metrics.count > 4 {
            out += "\n… \(metrics.count - 4) more metrics (`.table(\"id\")` on the sweep shows any metric or signal)"
        }
        return out
    }

    func inline() -> String { "<sweep of \(result.paths.joined(separator: " × ")), \(result.points.count) runs>" }
}
