import Dispatch

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// A parameter an ensemble varies, and the distribution it is drawn from.
public struct Variation: Sendable, Equatable {
    /// The parameter path (`diplomacy.settle_base`, `stockpile.cover_days[JP]`).
    public var path: String
    /// The distribution.
    public var distribution: Distribution
    /// Creates a variation.
    public init(_ path: String, _ distribution: Distribution) {
        self.path = path
        self.distribution = distribution
    }
}

/// Progress of a long computation: runs done out of the total.
public typealias ProgressHandler = @Sendable (_ done: Int, _ total: Int) -> Void

/// What a Monte Carlo ensemble runs.
public struct MonteCarloRequest: Sendable {
    /// Number of runs.
    public var runs: Int
    /// The ensemble's seed: run k uses `SeededGenerator(seed: seed, stream: k)`.
    public var seed: UInt64
    /// Parameters drawn per run (from the run's own generator, before the models draw).
    public var vary: [Variation]
    /// Signals whose monthly distribution is kept (quantile bands); empty: none.
    public var bandSignals: [String]
    /// Worker threads; nil: every core. Results do not depend on it.
    public var threads: Int?
    /// The most memory the ensemble may plan to use; nil: no check. An ensemble whose estimate
    /// (``MonteCarlo/memoryEstimate(_:request:)``) is over it is refused before any run.
    public var memoryBudget: MemoryBudget?
    /// A designed experiment instead of random draws (sensitivity analysis): per run and varied
    /// parameter, a point in [0, 1) (`design[run * vary.count + v]`) that is mapped through the
    /// distribution's quantile function (``Distribution/quantile(_:)``). Every run of a designed
    /// ensemble then uses stream 0 of the seed (common random numbers, as a sweep does), so that
    /// runs differ by their parameters alone. Nil: draw, run k on stream k.
    public var design: [Double]?
    /// Runs stepped together by the models' batch forms (``BatchSimulation``), 1…64; nil: 64 when
    /// every model of the plan has a batch form, otherwise every run alone. Results do not depend on it.
    public var blockSize: Int?
    /// What a designed ensemble was designed for (method, metric, size), recorded with its exports
    /// so that its indices can be computed again from a file; nil for a plain ensemble.
    public var designInfo: DesignInfo?
    /// Run only this shard's runs (``Shard``): `runs` stays the size of the whole ensemble, each
    /// run keeps its seed and design point, and the result keeps every run's band values so that
    /// shards can be merged exactly. Nil: every run.
    public var shard: Shard?

    /// Upper bound on `runs`, so that a typo cannot run for days.
    public static let maximumRuns = 10_000_000
    /// Upper bound on `threads` (a typo must not start a million threads).
    public static let maximumThreads = 1024

    /// Checks a thread count: nil (every core) or 1…``maximumThreads``.
    public static func validate(threads: Int?) throws(ParameterError) {
        guard let threads else { return }
        guard threads >= 1, threads <= maximumThreads else {
            throw ParameterError("threads: expected 1…\(maximumThreads), got \(threads)")
        }
    }

    /// Creates a request.
    public init(runs: Int, seed: UInt64, vary: [Variation] = [], bandSignals: [String] = [], threads: Int? = nil) {
        self.runs = runs
        self.seed = seed
        self.vary = vary
        self.bandSignals = bandSignals
        self.threads = threads
    }
}

/// Runs Monte Carlo ensembles in parallel, deterministically: run k's result depends only on the
/// seed and k, and aggregates are merged in run order, so any thread count gives identical results.
public enum MonteCarlo {
    /// Runs per chunk: the unit of parallel work and of cancellation checks for progress.
    static let chunkSize = 64
    /// Chunks per worker thread in a wave: a wave is ``chunkSize`` × this = 512 runs per worker
    /// (its band values are kept until the wave is merged, so this bounds their memory).
    static let chunksPerWorkerInWave = 8
    /// Pieces per worker of a wave's band merge (each a range of whole rows): enough that the
    /// pieces fill the end of the next wave, when workers run out of chunks one by one.
    static let mergePiecesPerWorker = 8

    /// The peak memory of `request` on `plan`, in bytes
    /// (``MemoryBudget/ensembleEstimate(runs:months:metrics:varied:bands:signals:threads:)``).
    public static func memoryEstimate(_ plan: RunPlan, request: MonteCarloRequest) -> Int {
        let runs = request.shard?.size(of: request.runs) ?? request.runs
        let estimate = MemoryBudget.ensembleEstimate(
            runs: runs, months: plan.months, metrics: plan.composition.metrics.count, varied: request.vary.count,
            bands: request.bandSignals.count, signals: plan.composition.slotCount,
            threads: max(1, request.threads ?? processorCount()))
        // A shard also keeps every run's band values (8 bytes per run, band signal and month).
        guard request.shard != nil else { return estimate }
        return estimate + 8 * runs * request.bandSignals.count * plan.months
    }

    /// Checks `request` against its ``MonteCarloRequest/memoryBudget``.
    public static func checkMemory(_ plan: RunPlan, request: MonteCarloRequest) throws(MemoryBudgetError) {
        guard let budget = request.memoryBudget else { return }
        try budget.check(
            memoryEstimate(plan, request: request),
            for: "this ensemble (\(request.runs) runs × \(plan.months) months, \(request.bandSignals.count) band signals)",
            advice: "use fewer runs, months or band signals (`bands:`)")
    }

    /// Runs the ensemble. `isCancelled` is checked before every run (before every chunk of runs
    /// when they step in blocks); `progress` is called from the calling thread after each wave of
    /// chunks; `timing`, when given, receives the split of the wall time between the parallel
    /// sections and the rest.
    public static func run(
        _ plan: RunPlan, parameters: ParameterSet, request: MonteCarloRequest,
        isCancelled: CancellationCheck? = nil, progress: ProgressHandler? = nil, timing: EnsembleTiming? = nil
    ) throws -> EnsembleResult {
        let clockStart = DispatchTime.now().uptimeNanoseconds
        let timing = timing ?? EnsembleTiming()
        defer { timing.finish(since: clockStart) }
        guard request.runs >= 1, request.runs <= MonteCarloRequest.maximumRuns else {
            throw ParameterError("runs: expected 1…\(MonteCarloRequest.maximumRuns), got \(request.runs)")
        }
        try MonteCarloRequest.validate(threads: request.threads)
        if let size = request.blockSize, size < 1 || size > chunkSize {
            throw ParameterError("block size: expected 1…\(chunkSize), got \(size)")
        }
        try checkMemory(plan, request: request)
        if let design = request.design {
            guard design.count == request.runs * request.vary.count else {
                throw ParameterError("design: expected \(request.runs) × \(request.vary.count) points, got \(design.count) values")
            }
        }
        let composition = plan.composition
        var variedPositions: [[Int]] = []
        for variation in request.vary {
            try variation.distribution.validate()
            variedPositions.append(try parameters.positions(variation.path))
        }
        let positions = variedPositions
        var slots: [Int] = []
        var bandSignals: [SignalInfo] = []
        for id in request.bandSignals {
            guard let slot = composition.slot(of: id) else {
                throw LookupError(
                    "unknown signal `\(id)`" + Suggestions.hint(for: id, among: composition.signals.map(\.id)))
            }
            slots.append(slot)
            bandSignals.append(composition.signals[slot])
        }
        let bandSlots = slots
        // Rows of this result: every run, or this shard's (row r is run shard.runIndex(r)).
        let shard = request.shard
        let runs = shard?.size(of: request.runs) ?? request.runs
        let months = plan.months
        let metricCount = composition.metrics.count
        let varyCount = request.vary.count
        let threads = max(1, request.threads ?? processorCount())
        let chunks = (runs + chunkSize - 1) / chunkSize
        let blockSize = Self.blockSize(request, plan)
        let wave = max(1, threads * chunksPerWorkerInWave)

        var metricValues = [Double](repeating: .nan, count: runs * metricCount)
        var variedValues = [Double](repeating: .nan, count: runs * varyCount)
        var done = [UInt8](repeating: 0, count: runs)
        let bandWidth = bandSlots.count * months
        // One accumulator per (band signal, month), in raw memory so that the merge below can fill
        // them from several threads, each owning its own accumulators.
        let accumulators = UnsafeMutableBufferPointer<QuantileAccumulator>.allocate(capacity: max(1, bandWidth))
        accumulators.initialize(repeating: QuantileAccumulator())
        defer {
            _ = accumulators.deinitialize()
            accumulators.deallocate()
        }
        // A wave's band values: row per (band signal, month), column per run of the wave, so that
        // the merge reads each row in order. Two such tables when there is more than one wave:
        // while the workers simulate a wave into one, they merge the wave before from the other,
        // taking pieces of that merge once the wave's chunks are all taken (so a worker that would
        // wait at the end of a wave for the last chunk merges instead).
        let waveRuns = min(wave, chunks) * chunkSize
        // Rows one cache line longer than a power of two, so that a run's writes down a column
        // do not all fall into the same cache sets.
        let rowStride = waveRuns + 8
        let table = rowStride * bandWidth
        let tables = chunks > wave ? 2 : 1
        var chunkBands = [Double](repeating: .nan, count: tables * table)
        // A shard keeps each run's band values (row per run, then band signal, then month).
        var runBands = [Double](repeating: .nan, count: shard == nil ? 0 : runs * bandWidth)
        var failure: (any Error)?
        var cancelled = false

        var firstChunk = 0
        var completedSoFar = 0
        // The table the next wave writes, and the simulated wave whose merge is still to do.
        var writingTable = 0
        var pending: PendingMerge?
        while (firstChunk < chunks && !cancelled && failure == nil) || pending != nil {
            let waveChunks = firstChunk < chunks && !cancelled && failure == nil ? min(wave, chunks - firstChunk) : 0
            let waveStart = firstChunk
            let merging = pending
            // Pieces of whole rows, several per worker so that they fill the end of the wave.
            let pieces = merging == nil ? 0 : min(bandWidth, threads * mergePiecesPerWorker)
            let errors = ErrorBox()
            metricValues.withUnsafeMutableBufferPointer { metricBuffer in
                variedValues.withUnsafeMutableBufferPointer { variedBuffer in
                    done.withUnsafeMutableBufferPointer { doneBuffer in
                        chunkBands.withUnsafeMutableBufferPointer { bandTables in
                            let shared = SharedBuffers(
                                metrics: metricBuffer, varied: variedBuffer, done: doneBuffer,
                                bands: UnsafeMutableBufferPointer(
                                    rebasing: bandTables[(writingTable * table)..<((writingTable + 1) * table)]))
                            let merged = merging?.table ?? 0
                            let merge = BandMerge(
                                accumulators: accumulators,
                                bands: UnsafeBufferPointer(rebasing: bandTables[(merged * table)..<((merged + 1) * table)]))
                            // Tasks 0..<waveChunks are the wave's chunks, then the merge's pieces.
                            let queue = ChunkQueue(count: waveChunks + pieces)
                            // Exactly `threads` workers, each taking the next task.
                            let workers = max(1, min(threads, waveChunks + pieces))
                            timing.parallel(workers: workers) { clock in
                                DispatchQueue.concurrentPerform(iterations: workers) { worker in
                                    clock.measure(worker) {
                                        while let task = queue.next() {
                                            if task >= waveChunks, let merging {
                                                let piece = task - waveChunks
                                                merge.add(
                                                    slots: (bandWidth * piece / pieces)..<(bandWidth * (piece + 1) / pieces),
                                                    of: merging, rowStride: rowStride)
                                                continue
                                            }
                                            let w = task
                                            let chunk = waveStart + w
                                            let lower = chunk * chunkSize
                                            let upper = min(runs, lower + chunkSize)
                                            // Cancelled: the chunk is skipped; the merge's pieces are still taken.
                                            if let isCancelled, isCancelled() { continue }
                                            if let blockSize {
                                                // A failure in a block is left to the per-run path
                                                // below, which reports the run it happened in.
                                                if (try? runBlocks(
                                                    lower..<upper, size: blockSize, plan: plan, parameters: parameters,
                                                    request: request, positions: positions, bandSlots: bandSlots,
                                                    firstColumn: w * chunkSize, bandStride: rowStride, shared: shared)) != nil
                                                {
                                                    continue
                                                }
                                            }
                                            for run in lower..<upper {
                                                if let isCancelled, isCancelled() { break }
                                                do {
                                                    try runOne(
                                                        run, plan: plan, parameters: parameters, request: request,
                                                        positions: positions, bandSlots: bandSlots,
                                                        bandColumn: w * chunkSize + run - lower, bandStride: rowStride, shared: shared)
                                                } catch {
                                                    errors.record(error, run: run)
                                                    return
                                                }
                                            }
                                        }
                                    }
                                }
                            }
                        }
                    }
                }
            }
            pending = nil
            if let error = errors.first {
                failure = error
                break
            }
            guard waveChunks > 0 else { continue }
            // The wave's finished runs, as ranges of consecutive runs (one range when none
            // failed), each added to an accumulator in one call by the next round's merge.
            let finished = (waveStart * chunkSize..<min(runs, (waveStart + waveChunks) * chunkSize))
                .filter { done[$0] == 1 }
            if shard != nil {
                let written = writingTable * table - waveStart * chunkSize
                for run in finished {
                    for slot in 0..<bandWidth {
                        runBands[run * bandWidth + slot] = chunkBands[written + slot * rowStride + run]
                    }
                }
            }
            if bandWidth > 0 {
                pending = PendingMerge(
                    waveStart: waveStart, table: writingTable, ranges: Self.consecutiveRanges(finished), chunkSize: chunkSize)
            }
            writingTable = (writingTable + 1) % tables
            firstChunk += waveChunks
            if let isCancelled, isCancelled() { cancelled = firstChunk < chunks || done.contains(0) }
            // Counted wave by wave: summing `done` over every run after each wave would make
            // the serial part grow with the square of the runs.
            completedSoFar += finished.count
            progress?(completedSoFar, runs)
        }
        if let failure { throw failure }
        let completed = (0..<runs).filter { done[$0] == 1 }
        if completed.count < runs { cancelled = true }
        // Every run done (the usual case): the tables are handed over as they are, not copied
        // (a copy would double the peak memory of a large ensemble). Otherwise the completed rows
        // are moved up in place.
        chunkBands = []
        done = []
        if completed.count < runs {
            for (row, run) in completed.enumerated() where row != run {
                for j in 0..<metricCount { metricValues[row * metricCount + j] = metricValues[run * metricCount + j] }
                for v in 0..<varyCount { variedValues[row * varyCount + v] = variedValues[run * varyCount + v] }
                if shard != nil {
                    for b in 0..<bandWidth { runBands[row * bandWidth + b] = runBands[run * bandWidth + b] }
                }
            }
            metricValues.removeSubrange((completed.count * metricCount)...)
            variedValues.removeSubrange((completed.count * varyCount)...)
            if shard != nil { runBands.removeSubrange((completed.count * bandWidth)...) }
        }
        let keptMetrics = metricValues
        let keptVaried = variedValues
        metricValues = []
        variedValues = []
        var result = EnsembleResult(
            scenario: composition.scenario, datasetName: composition.dataset.name, sources: composition.dataset.sources,
            parameters: parameters, start: plan.start, months: months, request: request,
            modules: composition.models.map(\.name), completedRuns: completed.count,
            runIndices: shard.map { s in completed.map(s.runIndex) } ?? completed, wasCancelled: cancelled, metrics: composition.metrics,
            metricValues: keptMetrics, variedValues: keptVaried, bandSignals: bandSignals,
            distributions: (0..<bandSlots.count).map { b in Array(accumulators[(b * months)..<((b + 1) * months)]) })
        result.dataset = composition.dataset
        result.runBandValues = runBands
        return result
    }

    /// One run: draw the varied parameters, simulate, record band signals and metrics.
    private static func runOne(
        _ run: Int, plan: RunPlan, parameters: ParameterSet, request: MonteCarloRequest, positions: [[Int]],
        bandSlots: [Int], bandColumn: Int, bandStride: Int, shared: SharedBuffers
    ) throws {
        let varyCount = request.vary.count
        // The run's index in the whole ensemble (its seed and design point); `run` is its row here.
        let index = request.shard?.runIndex(run) ?? run
        // The run's row of drawn values (an empty row when nothing varies).
        let varied = UnsafeMutableBufferPointer(rebasing: shared.varied[(run * varyCount)..<((run + 1) * varyCount)])
        let generator = drawVaried(run, request: request, shared: shared)
        let simulation = try Simulation(plan: plan, parameters: parameters, generator: generator) { values in
            for v in 0..<varyCount {
                for position in positions[v] { values[position] = parameters.clamped(varied[v], at: position) }
            }
        }
        // Recorded as applied to the first key (clamped into the parameter's range).
        for v in 0..<varyCount { varied[v] = positions[v].first.map { simulation.parameterValue(at: $0) } ?? varied[v] }
        let months = plan.months
        do {
            for t in 0..<months {
                try simulation.step()
                for (b, slot) in bandSlots.enumerated() {
                    shared.bands[(b * months + t) * bandStride + bandColumn] = simulation.value(slot: slot)
                }
            }
            let width = plan.composition.metrics.count
            let row = UnsafeMutableBufferPointer(rebasing: shared.metrics[(run * width)..<((run + 1) * width)])
            simulation.finishMetrics(into: row)
            try Runner.checkFinite(UnsafeBufferPointer(row), plan.composition.metrics)
        } catch var error as NonFiniteError {
            error.run = index
            throw error
        }
        shared.done[run] = 1
    }

    /// `runs` (ascending) as ranges of consecutive runs, in order.
    static func consecutiveRanges(_ runs: [Int]) -> [Range<Int>] {
        var ranges: [Range<Int>] = []
        for run in runs {
            if let last = ranges.last, last.upperBound == run {
                ranges[ranges.count - 1] = last.lowerBound..<(run + 1)
            } else {
                ranges.append(run..<(run + 1))
            }
        }
        return ranges
    }

    /// Online processors, at least 1.
    public static func processorCount() -> Int {
        #if canImport(Glibc) || canImport(Darwin)
            return max(1, Int(sysconf(Int32(_SC_NPROCESSORS_ONLN))))
        #else
            return 1
        #endif
    }
}

/// Buffers the workers of one wave write to, each at positions no other worker writes.
struct SharedBuffers: @unchecked Sendable {
    let metrics: UnsafeMutableBufferPointer<Double>
    let varied: UnsafeMutableBufferPointer<Double>
    let done: UnsafeMutableBufferPointer<UInt8>
    let bands: UnsafeMutableBufferPointer<Double>
}

/// The accumulators and a wave's band values, shared by the merging threads (each writes only
/// the accumulators of its own piece of slots).
private struct BandMerge: @unchecked Sendable {
    let accumulators: UnsafeMutableBufferPointer<QuantileAccumulator>
    let bands: UnsafeBufferPointer<Double>

    /// Adds the finished runs of `wave` to the accumulators of `slots`, each in run order.
    func add(slots: Range<Int>, of wave: PendingMerge, rowStride: Int) {
        for slot in slots {
            let row = slot * rowStride - wave.waveStart * wave.chunkSize
            for range in wave.ranges {
                accumulators[slot].add(
                    contentsOf: UnsafeBufferPointer(rebasing: bands[(row + range.lowerBound)..<(row + range.upperBound)]))
            }
        }
    }
}

/// A simulated wave whose band values are still to be added to the accumulators: its first
/// chunk, the band table it was written to, and its finished runs as ranges of consecutive runs.
struct PendingMerge: Sendable {
    let waveStart: Int
    let table: Int
    let ranges: [Range<Int>]
    let chunkSize: Int
}

/// The first error of a wave (lowest run index, so the message does not depend on timing).
private final class ErrorBox: @unchecked Sendable {
    private let lock = NSLockLike()
    private var best: (run: Int, error: any Error)?
    func record(_ error: any Error, run: Int) {
        lock.withLock {
            if best == nil || run < best!.run { best = (run, error) }
        }
    }
    var first: (any Error)? { lock.withLock { best?.error } }
}

/// Hands out the chunk numbers 0..<count of a wave, each once, to whichever worker asks first.
private final class ChunkQueue: @unchecked Sendable {
    private let lock = NSLockLike()
    private var nextChunk = 0
    private let count: Int
    init(count: Int) { self.count = count }
    func next() -> Int? {
        lock.withLock {
            guard nextChunk < count else { return nil }
            defer { nextChunk += 1 }
            return nextChunk
        }
    }
}

/// A tiny mutex on pthreads (the kernel avoids Foundation).
private final class NSLockLike: @unchecked Sendable {
    private var mutex = pthread_mutex_t()
    init() { pthread_mutex_init(&mutex, nil) }
    deinit { pthread_mutex_destroy(&mutex) }
    func withLock<T>(_ body: () -> T) -> T {
        pthread_mutex_lock(&mutex)
        defer { pthread_mutex_unlock(&mutex) }
        return body()
    }
}
