import LodestoneKernel

/// One row of `runs` to write, with everything that hangs off it, resolved before anything is
/// written so that a bad signal id fails first.
enum SQLiteRecord {
    /// A run (`kind` `run` or `sweep`) with the signal columns to store and, for a sweep point,
    /// the swept parameters' values.
    case run(
        RunResult, label: String?, kind: String, columns: [Int], swept: [(path: String, value: Double)],
        shard: (tag: ShardTag, position: Int, total: Int)? = nil)
    /// An ensemble with the indices of the band signals to store.
    case ensemble(EnsembleResult, bands: [Int])

    /// The records of a payload, with `signals` (ids or family names; empty: all) resolved.
    /// Tables are not supported.
    static func records(_ payload: ExportPayload, signals: [String], format: String) throws -> [SQLiteRecord] {
        switch payload {
        case .run(let result):
            return [.run(result, label: nil, kind: "run", columns: try SignalSelection.columns(result, signals), swept: [])]
        case .runs(let runs):
            return try runs.map {
                .run($0.result, label: $0.label, kind: "run", columns: try SignalSelection.columns($0.result, signals), swept: [])
            }
        case .sweep(let sweep):
            return try sweep.points.map { point in
                .run(
                    point.result, label: SweepFacts.label(sweep, point), kind: "sweep",
                    columns: try SignalSelection.columns(point.result, signals),
                    swept: Array(zip(sweep.paths, point.values)).map { (path: $0, value: $1) },
                    shard: sweep.shardTag.map { (tag: $0, position: point.index, total: sweep.requestedPoints) })
            }
        case .ensemble(let ensemble):
            return [.ensemble(ensemble, bands: try EnsembleFacts.bandColumns(ensemble, signals))]
        case .table:
            throw ExportError.unsupported(format: format, payload: payload.kindDescription)
        }
    }
}
