import Dispatch

/// Where an ensemble's wall time went: inside its parallel sections (the workers running chunks
/// of runs, the parallel band merge) or outside them (set-up, each wave's bookkeeping, building
/// the result). `serialSeconds / totalSeconds` on one thread is Amdahl's serial fraction, which
/// bounds the speed-up on N cores at `1 / (s + (1 − s) / N)`; `lodestone bench` prints it.
///
/// Pass one to ``MonteCarlo/run(_:parameters:request:isCancelled:progress:timing:)``; it is
/// written by the calling thread only, after the run.
public final class EnsembleTiming: @unchecked Sendable {
    /// Wall seconds from the start of the ensemble to its result.
    public private(set) var totalSeconds = 0.0
    /// Wall seconds inside the parallel sections.
    public private(set) var parallelSeconds = 0.0
    /// Wall seconds outside the parallel sections.
    public var serialSeconds: Double { max(0, totalSeconds - parallelSeconds) }

    /// An empty record.
    public init() {}

    /// Times `body` as a parallel section.
    func parallel<R>(_ body: () throws -> R) rethrows -> R {
        let start = DispatchTime.now().uptimeNanoseconds
        defer { parallelSeconds += Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9 }
        return try body()
    }

    /// Records the whole ensemble's wall time, from `start` (an uptime in nanoseconds) to now.
    func finish(since start: UInt64) {
        totalSeconds = Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9
    }
}
