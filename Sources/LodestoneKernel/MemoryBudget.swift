#if canImport(Glibc)
    import Glibc
#elseif canImport(Musl)
    import Musl
#elseif canImport(Darwin)
    import Darwin
#endif

/// How much memory an ensemble or a sweep may plan to use, and the estimates checked against it
/// before the first run, so that a request that is allowed value by value (`runs: 9_999_999`,
/// `months: 12000`) cannot together exhaust the machine.
///
/// The default is an eighth of physical memory (``defaultFraction``); `lodestone --max-memory`
/// and the script function `max_memory(…)` change it. The estimates are upper bounds of what
/// the result and the working buffers hold at the peak (see Docs/Ensembles.md, "Memory").
public struct MemoryBudget: Sendable, Equatable, CustomStringConvertible {
    /// The budget in bytes.
    public var bytes: Int

    /// Creates a budget of `bytes` bytes.
    public init(bytes: Int) { self.bytes = max(0, bytes) }

    /// The share of physical memory the default budget allows.
    public static let defaultFraction = 0.125

    /// The machine's physical memory in bytes (8 GB when it cannot be read).
    public static var physicalMemory: Int {
        let pages = sysconf(Int32(_SC_PHYS_PAGES)), size = sysconf(Int32(_SC_PAGESIZE))
        guard pages > 0, size > 0 else { return 8 << 30 }
        return pages.multipliedReportingOverflow(by: size).overflow ? Int.max : pages * size
    }

    /// The default budget: ``defaultFraction`` of physical memory.
    public static var `default`: MemoryBudget {
        MemoryBudget(bytes: Int(Double(physicalMemory) * defaultFraction))
    }

    /// The budget as `3 GB`.
    public var description: String { Self.format(bytes) }

    /// Parses a size: bytes (`2000000000`, `2e9`), with a unit (`512 MB`, `2GB`, `1.5 GiB`, `64K`),
    /// or a share of physical memory (`25%`). Nil for anything else, or for 0 or less.
    public static func parse(_ text: String) -> Int? {
        var body = text.filter { $0 != " " && $0 != "_" }.uppercased()
        var factor = 1.0
        if body.hasSuffix("%") {
            body.removeLast()
            guard let share = Double(body), share > 0, share <= 100 else { return nil }
            return Int(Double(physicalMemory) * share / 100)
        }
        if body.hasSuffix("IB") { body.removeLast(2) } else if body.hasSuffix("B") { body.removeLast() }
        let units: [Character: Double] = ["K": 1024, "M": 1024 * 1024, "G": 1024 * 1024 * 1024, "T": 1024 * 1024 * 1024 * 1024]
        if let last = body.last, let unit = units[last] {
            factor = unit
            body.removeLast()
        }
        guard let number = Double(body), number.isFinite, number > 0 else { return nil }
        let bytes = number * factor
        guard bytes >= 1, bytes < 9e18 else { return nil }
        return Int(bytes)
    }

    /// `bytes` as text: `812 MB`, `3.2 GB`.
    public static func format(_ bytes: Int) -> String {
        let units = ["bytes", "KB", "MB", "GB", "TB", "PB", "EB"]
        var value = Double(bytes), unit = 0
        while value >= 1024, unit < units.count - 1 {
            value /= 1024
            unit += 1
        }
        if unit == 0 { return "\(bytes) bytes" }
        let rounded = value >= 100 ? (value).rounded() : (value * 10).rounded() / 10
        let text = rounded == rounded.rounded() ? String(Int(rounded)) : String(rounded)
        return "\(text) \(units[unit])"
    }

    /// An error when `estimate` bytes are over the budget: what needs the memory and what to do.
    public func check(_ estimate: Int, for what: String, advice: String) throws(MemoryBudgetError) {
        guard estimate > bytes else { return }
        throw MemoryBudgetError(
            message: "\(what) would need about \(Self.format(estimate)) of memory, more than the \(Self.format(bytes)) allowed; "
                + "\(advice), or raise the limit (lodestone --max-memory SIZE, or max_memory(\"SIZE\") in the script)")
    }

    // MARK: Estimates

    /// Bytes one band accumulator (a signal in one month) holds after `runs` runs: the exact
    /// values up to ``QuantileAccumulator/exactLimit`` (an array that may hold twice its count),
    /// then a sketch: 32 KB covers values spread over about 8 factors of 10 with room to grow.
    static func accumulatorBytes(runs: Int) -> Int {
        let exact = min(runs, QuantileAccumulator.exactLimit)
        return 96 + (runs > QuantileAccumulator.exactLimit ? 32 << 10 : exact * 16)
    }

    /// The peak memory of a Monte Carlo ensemble, in bytes: the metric and varied-value tables
    /// (`runs × (metrics + varied) × 8`), the band accumulators (`bands × months` of them), the
    /// band values of one wave (`min(runs, threads × 512) × bands × months × 8`; of two when
    /// there is more than one wave), and each thread's
    /// simulation (`signals × 8 × 4`).
    public static func ensembleEstimate(
        runs: Int, months: Int, metrics: Int, varied: Int, bands: Int, signals: Int, threads: Int
    ) -> Int {
        let r = Double(runs), m = Double(months), b = Double(bands)
        let tables = r * Double(metrics + varied) * 8 + r
        let accumulators = b * m * Double(accumulatorBytes(runs: runs))
        let perWave = threads * MonteCarlo.chunksPerWorkerInWave * MonteCarlo.chunkSize
        let waveRuns = Double(min(runs, perWave) + 8)
        // Two wave tables when there is more than one wave (one is merged while the next fills).
        let wave = waveRuns * b * m * 8 * (runs > perWave ? 2 : 1)
        let simulations = Double(threads) * Double(signals) * 8 * 4
        return clamp(tables + accumulators + wave + simulations)
    }

    /// The peak memory of a sweep, in bytes: each point's kept signals (`kept × months × 8`), its
    /// metrics and its parameter values, plus the whole runs the workers hold before keeping only
    /// those signals (`threads × 2 × signals × months × 8`).
    public static func sweepEstimate(
        points: Int, months: Int, keptSignals: Int, metrics: Int, parameters: Int, signals: Int, threads: Int
    ) -> Int {
        let perPoint = Double(keptSignals) * Double(months) * 8 + Double(metrics + parameters) * 8 + 2048
        let working = Double(threads * 2) * Double(signals) * Double(months) * 8
        return clamp(Double(points) * perPoint + working)
    }

    private static func clamp(_ bytes: Double) -> Int { bytes >= 9e18 ? Int.max : Int(bytes) }
}

/// An ensemble or sweep refused before it starts because its memory estimate is over the
/// ``MemoryBudget``.
public struct MemoryBudgetError: Error, Sendable, Equatable, CustomStringConvertible {
    /// What would need the memory, how much, the budget, and what to do.
    public let message: String
    /// The message.
    public var description: String { message }
}
