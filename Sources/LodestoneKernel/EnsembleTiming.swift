import Dispatch

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// Where an ensemble's wall time went: inside its parallel sections (the workers running chunks
/// of runs, the parallel band merge) or outside them (set-up, each wave's bookkeeping, building
/// the result). `serialSeconds / totalSeconds` on one thread is Amdahl's serial fraction, which
/// bounds the speed-up on N cores at `1 / (s + (1 − s) / N)`; `lodestone bench` prints it.
///
/// Inside the parallel sections it also records each worker's busy time: `workerBusySeconds /
/// workerCapacitySeconds` is the share of the workers' time spent working rather than waiting
/// for the others at the end of a wave (load balance), and `workerCPUSeconds` is the workers'
/// processor time, which, per run, grows with the thread count only through contention (shared
/// caches, cache lines moving between cores, memory bandwidth, a slower clock with every core busy).
///
/// Pass one to ``MonteCarlo/run(_:parameters:request:isCancelled:progress:timing:)``; it is
/// written by the calling thread only, after each parallel section.
public final class EnsembleTiming: @unchecked Sendable {
    /// Wall seconds from the start of the ensemble to its result.
    public private(set) var totalSeconds = 0.0
    /// Wall seconds inside the parallel sections.
    public private(set) var parallelSeconds = 0.0
    /// Wall seconds outside the parallel sections.
    public var serialSeconds: Double { max(0, totalSeconds - parallelSeconds) }
    /// Wall seconds the workers were busy, summed over workers and parallel sections.
    public private(set) var workerBusySeconds = 0.0
    /// Processor seconds of the workers' threads while busy, summed like ``workerBusySeconds``.
    public private(set) var workerCPUSeconds = 0.0
    /// Wall seconds the workers were available: each parallel section's wall time times its
    /// number of workers, summed.
    public private(set) var workerCapacitySeconds = 0.0

    /// An empty record.
    public init() {}

    /// Times `body` as a parallel section.
    func parallel<R>(_ body: () throws -> R) rethrows -> R {
        let start = DispatchTime.now().uptimeNanoseconds
        defer { parallelSeconds += Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9 }
        return try body()
    }

    /// Times `body` as a parallel section of `workers` workers, each of which wraps its work in
    /// `clock.measure(worker) { … }` so that its busy wall and processor time are recorded.
    func parallel<R>(workers: Int, _ body: (WorkerClock) throws -> R) rethrows -> R {
        let clock = WorkerClock(workers: workers)
        defer { clock.deallocate() }
        let start = DispatchTime.now().uptimeNanoseconds
        let result = try body(clock)
        let seconds = Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9
        parallelSeconds += seconds
        workerCapacitySeconds += seconds * Double(workers)
        for worker in 0..<workers {
            workerBusySeconds += clock.slots[worker * WorkerClock.stride]
            workerCPUSeconds += clock.slots[worker * WorkerClock.stride + 1]
        }
        return result
    }

    /// Records the whole ensemble's wall time, from `start` (an uptime in nanoseconds) to now.
    func finish(since start: UInt64) {
        totalSeconds = Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9
    }
}

/// Each worker's busy wall and processor seconds in one parallel section, one cache line per
/// worker (so that workers finishing together do not write the same line).
struct WorkerClock: @unchecked Sendable {
    /// Doubles per worker: a 64-byte cache line (busy wall seconds, processor seconds, padding).
    static let stride = 8
    /// `workers × stride` doubles, cache-line aligned.
    let slots: UnsafeMutablePointer<Double>
    let workers: Int

    init(workers: Int) {
        self.workers = workers
        let raw = UnsafeMutableRawPointer.allocate(byteCount: max(1, workers) * Self.stride * 8, alignment: 64)
        slots = raw.initializeMemory(as: Double.self, repeating: 0, count: max(1, workers) * Self.stride)
    }

    func deallocate() { UnsafeMutableRawPointer(slots).deallocate() }

    /// Runs `work` as worker `worker`'s share of the section and adds its busy time to its slot.
    func measure(_ worker: Int, _ work: () -> Void) {
        let wall = DispatchTime.now().uptimeNanoseconds
        let cpu = Self.threadCPUSeconds()
        work()
        slots[worker * Self.stride] += Double(DispatchTime.now().uptimeNanoseconds - wall) / 1e9
        slots[worker * Self.stride + 1] += Self.threadCPUSeconds() - cpu
    }

    /// The calling thread's processor time, in seconds (0 where the system does not say).
    static func threadCPUSeconds() -> Double {
        #if canImport(Glibc) || canImport(Darwin)
            var time = timespec()
            guard clock_gettime(CLOCK_THREAD_CPUTIME_ID, &time) == 0 else { return 0 }
            return Double(time.tv_sec) + Double(time.tv_nsec) / 1e9
        #else
            return 0
        #endif
    }
}
