import Dispatch

/// One point of a sweep: the swept parameters' values and the run they gave.
public struct SweepPoint: Sendable {
    /// The value of each swept parameter, in the sweep's parameter order.
    public let values: [Double]
    /// The run.
    public let result: RunResult
    /// The point's position in the whole grid (0-based, the first parameter varying slowest).
    public var index = 0
}

/// The outcome of a sweep: one run per point of a grid of parameter values, all with the same
/// seed (common random numbers), so that differences come from the parameters alone.
public struct SweepResult: Sendable {
    /// The swept parameter paths.
    public let paths: [String]
    /// The points in grid order (the first parameter varies slowest).
    public let points: [SweepPoint]
    /// Whether it was cancelled before every point ran.
    public let wasCancelled: Bool
    /// Points requested (of the whole grid, also in a shard).
    public let requestedPoints: Int
    /// The shard that ran (only its points are in ``points``), or nil.
    public var shard: Shard?
    /// Which shard of which computation of the script this is (set by the script layer).
    public var shardTag: ShardTag?

    /// A table with a column per swept parameter and one per requested metric or signal
    /// (`signal` columns show the value in the last month; `signal@YYYY-MM` a given month).
    public func table(_ columns: [String]) throws(LookupError) -> ResultTable {
        var rows: [[ResultTable.Cell]] = []
        for point in points {
            var row = point.values.map { ResultTable.Cell.number($0) }
            for column in columns { row.append(try Self.cell(column, in: point.result)) }
            rows.append(row)
        }
        return ResultTable(columns: paths + columns, rows: rows)
    }

    /// The value of a metric (or a signal's last value) in a run, as a table cell.
    public static func cell(_ id: String, in result: RunResult) throws(LookupError) -> ResultTable.Cell {
        let wanted = SignalLookup.normalize(id)
        if result.metrics.contains(where: { $0.id == wanted }) {
            switch try result.metric(wanted) {
            case .number(let x): return .number(x)
            case .month(let m): return .text(m.description)
            case .none: return .none
            }
        }
        if let at = wanted.lastIndex(of: "@"), let month = Month(String(wanted[wanted.index(after: at)...])) {
            let series = try result.series(String(wanted[..<at]))
            let t = month - result.start
            guard t >= 0, t < series.count else {
                throw LookupError("`\(id)`: \(month) is outside the run (\(result.start)…\(result.end))")
            }
            return .number(series[t])
        }
        if result.signals.contains(where: { $0.id == wanted }) {
            return .number(try result.series(wanted).last ?? .nan)
        }
        throw LookupError(
            "unknown metric or signal `\(id)`"
                + Suggestions.hint(for: wanted, among: result.metrics.map(\.id) + result.signals.map(\.id)))
    }
}

/// What a sweep keeps of each point's run.
public enum SweepKeep: Sendable, Equatable {
    /// The whole run: every signal every month.
    case runs
    /// Every metric, and only these signals (ids) month by month.
    case signals([String])
}

/// Runs sweeps over one or more parameters, in parallel, deterministically.
public enum Sweep {
    /// Upper bound on grid points.
    public static let maximumPoints = 100_000

    /// The peak memory of a sweep of `points` points on `plan` keeping `keptSignals` signals per
    /// point (``MemoryBudget/sweepEstimate(points:months:keptSignals:metrics:parameters:signals:threads:)``).
    public static func memoryEstimate(_ plan: RunPlan, parameters: ParameterSet, points: Int, keptSignals: Int, threads: Int? = nil) -> Int {
        MemoryBudget.sweepEstimate(
            points: points, months: plan.months, keptSignals: keptSignals, metrics: plan.composition.metrics.count,
            parameters: parameters.values.count, signals: plan.composition.signals.count,
            threads: max(1, threads ?? MonteCarlo.processorCount()))
    }

    /// Runs every combination of `grid` values (first parameter slowest) with `seed`, keeping
    /// what `keep` says of each run. With a `memoryBudget`, a sweep whose estimate is over it is
    /// refused before any run.
    public static func run(
        _ plan: RunPlan, parameters: ParameterSet, grid: [(path: String, values: [Double])], seed: UInt64,
        keep: SweepKeep = .runs, memoryBudget: MemoryBudget? = nil,
        threads: Int? = nil, shard: Shard? = nil, isCancelled: CancellationCheck? = nil, progress: ProgressHandler? = nil
    ) throws -> SweepResult {
        guard !grid.isEmpty else { throw ParameterError("sweep: give at least one parameter and its values") }
        try MonteCarloRequest.validate(threads: threads)
        var total = 1
        for axis in grid {
            guard !axis.values.isEmpty else { throw ParameterError(
                    "sweep: `\(axis.path)` has no values; give a list such as [30, 60, 90] or a range such as 30..180 step 30") }
            total *= axis.values.count
            guard total <= maximumPoints else {
                throw ParameterError("sweep: \(total) points is more than the \(maximumPoints) allowed")
            }
        }
        var keptColumns: [Int]?
        if case .signals(let ids) = keep {
            keptColumns = try ids.map { id throws(LookupError) -> Int in
                let wanted = SignalLookup.normalize(id)
                guard let j = plan.composition.signals.firstIndex(where: { $0.id == wanted }) else {
                    throw LookupError(
                        "unknown signal `\(id)`" + Suggestions.hint(for: wanted, among: plan.composition.signals.map(\.id)))
                }
                return j
            }
        }
        if let memoryBudget {
            let kept = keptColumns?.count ?? plan.composition.signals.count
            try memoryBudget.check(
                memoryEstimate(plan, parameters: parameters, points: total, keptSignals: kept, threads: threads),
                for: "this sweep (\(total) runs × \(plan.months) months, \(kept) signals kept per run)",
                advice: keptColumns == nil
                    ? "keep fewer signals (`keep: [\"signal\", …]`), use fewer points or months"
                    : "use fewer points, months or kept signals")
        }
        let columns = keptColumns
        // Validate every value up front so that a bad one fails before any run.
        var points: [[Double]] = [[]]
        for axis in grid {
            var probe = parameters
            for value in axis.values { try probe.set(axis.path, to: value) }
            points = points.flatMap { prefix in axis.values.map { prefix + [$0] } }
        }
        // A shard runs only its points (round robin over the grid), each with the sweep's seed.
        let indices = shard.map { $0.runIndices(of: points.count) } ?? Array(points.indices)
        let requested = points.count
        points = indices.map { points[$0] }
        let settings = try points.map { values -> ParameterSet in
            var set = parameters
            for (axis, value) in zip(grid, values) { try set.set(axis.path, to: value) }
            return set
        }
        let slots = ResultSlots(count: points.count)
        let threads = max(1, threads ?? MonteCarlo.processorCount())
        var next = 0
        var cancelled = false
        while next < points.count, !cancelled {
            let wave = min(threads * 2, points.count - next)
            let start = next
            DispatchQueue.concurrentPerform(iterations: wave) { w in
                if let isCancelled, isCancelled() { return }
                slots.store(
                    start + w,
                    Result {
                        let run = try Runner.run(plan, parameters: settings[start + w], seed: seed)
                        return columns.map { run.keeping(columns: $0) } ?? run
                    })
            }
            next += wave
            if let isCancelled, isCancelled() { cancelled = true }
            progress?(next, points.count)
        }
        var done: [SweepPoint] = []
        for (i, values) in points.enumerated() {
            guard let outcome = slots.value(i) else { continue }
            done.append(SweepPoint(values: values, result: try outcome.get(), index: indices[i]))
        }
        var result = SweepResult(
            paths: grid.map(\.path), points: done, wasCancelled: done.count < points.count, requestedPoints: requested)
        result.shard = shard
        return result
    }
}

/// Results written by parallel workers, each to its own index.
/// Backed by raw memory: a Swift array in a class would trip exclusivity checks under
/// concurrent writes even to different indices.
private final class ResultSlots: @unchecked Sendable {
    private let results: UnsafeMutablePointer<Result<RunResult, any Error>?>
    private let count: Int
    init(count: Int) {
        self.count = count
        results = .allocate(capacity: count)
        results.initialize(repeating: nil, count: count)
    }
    deinit {
        results.deinitialize(count: count)
        results.deallocate()
    }
    func store(_ index: Int, _ result: Result<RunResult, any Error>) { results[index] = result }
    func value(_ index: Int) -> Result<RunResult, any Error>? { results[index] }
}
