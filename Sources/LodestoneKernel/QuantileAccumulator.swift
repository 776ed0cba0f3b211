#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// The distribution of one value (a signal in one month, or a metric) over the runs of an
/// ensemble, with bounded memory.
///
/// Up to ``exactLimit`` values are kept as they are and quantiles are exact (linear
/// interpolation between order statistics). Past that the values move into a DDSketch-style
/// log-bucketed histogram with relative accuracy ``relativeAccuracy`` (0.5 %): its memory depends
/// on the range of values, not on their number, and merging is order-independent.
/// Hand-written because none of the packages available to the project provides a mergeable
/// quantile sketch.
public struct QuantileAccumulator: Sendable {
    /// Values kept exactly before switching to the sketch.
    public static let exactLimit = 2_048
    /// Relative accuracy of quantiles once sketched.
    public static let relativeAccuracy = 0.005

    private static let gamma = (1 + relativeAccuracy) / (1 - relativeAccuracy)
    private static let logGamma = log(gamma)

    private var exact: [Double] = []
    private var isSketched = false
    private var positive = DenseCounts()
    private var negative = DenseCounts()
    private var zeros = 0
    /// Number of finite values added.
    public private(set) var count = 0
    /// Sum of the finite values added.
    public private(set) var sum = 0.0
    /// Values that were NaN (a month metric that never happened) and were not counted.
    public private(set) var missing = 0

    /// An empty accumulator.
    public init() {}

    /// Adds a value; NaN counts as missing, ±∞ is kept in the sketch's extreme buckets.
    public mutating func add(_ value: Double) {
        guard !value.isNaN else {
            missing += 1
            return
        }
        count += 1
        if value.isFinite { sum += value }
        if isSketched {
            insertSketched(value)
        } else {
            exact.append(value)
            if exact.count > Self.exactLimit { sketch() }
        }
    }

    /// Adds `values` in order: the same as ``add(_:)`` for each in turn (the same sum, the same
    /// kept values), in one pass and one copy while the values stay exact.
    public mutating func add(contentsOf values: UnsafeBufferPointer<Double>) {
        guard !isSketched, exact.count + values.count <= Self.exactLimit else {
            for value in values { add(value) }
            return
        }
        var nans = 0
        var total = sum
        if let base = values.baseAddress, Simulation.allFinite(base, count: values.count) {
            // Every value finite (the usual case, proved by their sum being finite): the same
            // additions in the same order without a test per value, four per iteration.
            var i = 0
            while values.count - i >= 4 {
                total += values[i]
                total += values[i + 1]
                total += values[i + 2]
                total += values[i + 3]
                i += 4
            }
            while i < values.count {
                total += values[i]
                i += 1
            }
        } else {
            for value in values {
                if value.isNaN {
                    nans += 1
                } else if value.isFinite {
                    total += value
                }
            }
        }
        sum = total
        missing += nans
        count += values.count - nans
        if nans == 0 {
            exact.append(contentsOf: values)
        } else {
            exact.reserveCapacity(exact.count + values.count - nans)
            for value in values where !value.isNaN { exact.append(value) }
        }
    }

    /// The mean of the finite values, NaN when there are none.
    public var mean: Double { count > 0 ? sum / Double(count) : .nan }

    /// The q-quantile (q in 0...1) of the values added, NaN when there are none.
    public func quantile(_ q: Double) -> Double {
        guard count > 0 else { return .nan }
        let q = min(1, max(0, q))
        if !isSketched {
            let sorted = exact.sorted()
            let h = Double(sorted.count - 1) * q
            let lower = Int(h.rounded(.down))
            let upper = min(sorted.count - 1, lower + 1)
            return sorted[lower] + (h - Double(lower)) * (sorted[upper] - sorted[lower])
        }
        let rank = q * Double(count - 1)
        var seen = 0.0
        for (key, n) in negative.descending() {
            seen += Double(n)
            if seen > rank { return -Self.value(ofKey: key) }
        }
        seen += Double(zeros)
        if seen > rank { return 0 }
        for (key, n) in positive.ascending() {
            seen += Double(n)
            if seen > rank { return Self.value(ofKey: key) }
        }
        return Self.value(ofKey: positive.maxKey ?? 0)
    }

    /// Adds every value of `other` (order does not change the sketch).
    public mutating func merge(_ other: QuantileAccumulator) {
        missing += other.missing
        if !other.isSketched {
            for value in other.exact {
                count += 1
                if value.isFinite { sum += value }
                if isSketched { insertSketched(value) } else { exact.append(value) }
            }
            if !isSketched, exact.count > Self.exactLimit { sketch() }
            return
        }
        if !isSketched { sketch() }
        count += other.count
        sum += other.sum
        zeros += other.zeros
        positive.merge(other.positive)
        negative.merge(other.negative)
    }

    private mutating func sketch() {
        isSketched = true
        for value in exact { insertSketched(value) }
        exact = []
    }

    private mutating func insertSketched(_ value: Double) {
        let magnitude = abs(value)
        if magnitude < 1e-300 {
            zeros += 1
        } else if value > 0 {
            positive.add(Self.key(of: magnitude))
        } else {
            negative.add(Self.key(of: magnitude))
        }
    }

    private static func key(of magnitude: Double) -> Int {
        guard magnitude.isFinite else { return 100_000 }
        return Int((log(magnitude) / logGamma).rounded(.up))
    }

    private static func value(ofKey key: Int) -> Double {
        if key >= 100_000 { return .infinity }
        return 2 * pow(gamma, Double(key)) / (gamma + 1)
    }
}

/// Counts per integer key in a dense array that grows to cover the keys seen.
struct DenseCounts: Sendable {
    private var offset = 0
    private var counts: [Int] = []

    var maxKey: Int? { counts.lastIndex { $0 > 0 }.map { $0 + offset } }

    mutating func add(_ key: Int, _ n: Int = 1) {
        if counts.isEmpty {
            offset = key
            counts = [0]
        } else if key < offset {
            counts.insert(contentsOf: repeatElement(0, count: offset - key), at: 0)
            offset = key
        } else if key >= offset + counts.count {
            counts.append(contentsOf: repeatElement(0, count: key - offset - counts.count + 1))
        }
        counts[key - offset] += n
    }

    mutating func merge(_ other: DenseCounts) {
        for (i, n) in other.counts.enumerated() where n > 0 { add(i + other.offset, n) }
    }

    func ascending() -> [(Int, Int)] { counts.enumerated().filter { $0.element > 0 }.map { ($0.offset + offset, $0.element) } }
    func descending() -> [(Int, Int)] { ascending().reversed() }
}
