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
    /// The bucket of a magnitude, `⌈ln(m) / ln γ⌉`.
    static let keys = SketchKey(gamma: gamma)

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
        if isSketched {
            addSketched(values)
            return
        }
        guard exact.count + values.count <= Self.exactLimit else {
            // One by one until the switch to the sketch (at the same value as with `add(_:)`),
            // then the rest at once.
            var i = 0
            while i < values.count, !isSketched {
                add(values[i])
                i += 1
            }
            if i < values.count { addSketched(UnsafeBufferPointer(rebasing: values[i...])) }
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

    /// ``add(_:)`` for each of `values` in turn, once sketched: the same count, the same sum (the
    /// same additions in the same order) and the same buckets. Zeros and positive values whose
    /// bucket the counts already cover are counted in one loop; any other value goes through
    /// ``insertSketched(_:)``.
    private mutating func addSketched(_ values: UnsafeBufferPointer<Double>) {
        let keys = Self.keys
        var total = sum, added = 0, nans = 0, zeroCount = zeros
        var i = 0
        while i < values.count {
            i = positive.countCovered(values, from: i, keys: keys, sum: &total, added: &added, zeros: &zeroCount)
            zeros = zeroCount
            guard i < values.count else { break }
            let value = values[i]
            if value.isNaN {
                nans += 1
            } else {
                added += 1
                if value.isFinite { total += value }
                insertSketched(value)
                zeroCount = zeros
            }
            i += 1
        }
        sum = total
        count += added
        missing += nans
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

    /// Moves the exact values into the sketch: the same buckets as ``insertSketched(_:)`` of
    /// each, counted in one loop once the positive counts cover the smallest and largest
    /// (their sum and count are already taken).
    private mutating func sketch() {
        isSketched = true
        let kept = exact
        exact = []
        var smallest = Double.infinity, largest = 0.0
        for value in kept where value >= 1e-300 && value < .infinity {
            smallest = min(smallest, value)
            largest = max(largest, value)
        }
        if largest > 0 {
            // Empty buckets at both ends (a count of 0 is never reported): the range to cover.
            positive.add(Self.key(of: smallest), 0)
            positive.add(Self.key(of: largest), 0)
        }
        let keys = Self.keys
        var uncountedSum = 0.0, uncounted = 0, zeroCount = zeros
        kept.withUnsafeBufferPointer { values in
            var i = 0
            while i < values.count {
                i = positive.countCovered(
                    values, from: i, keys: keys, sum: &uncountedSum, added: &uncounted, zeros: &zeroCount)
                zeros = zeroCount
                guard i < values.count else { break }
                insertSketched(values[i])
                zeroCount = zeros
                i += 1
            }
        }
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
        return keys.key(magnitude)
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

    /// Counts `values[start...]` while each is a zero (magnitude below 10⁻³⁰⁰, the sketch's zero
    /// threshold: into `zeros`) or a positive finite number whose bucket is already covered,
    /// adding each to `sum` and to `added` in order; returns the index of the first value that is
    /// neither (or `values.count`).
    mutating func countCovered(
        _ values: UnsafeBufferPointer<Double>, from start: Int, keys: SketchKey, sum: inout Double, added: inout Int,
        zeros: inout Int
    ) -> Int {
        let offset = self.offset
        // One exclusive access for the whole loop, instead of a uniqueness check per value.
        return counts.withUnsafeMutableBufferPointer { counts in
            var i = start
            // The last value's bits and position: runs of one ensemble often share a month's
            // value (all of them until their draws part), and then need no new bucket.
            var lastBits = Double.nan.bitPattern, lastPosition = 0
            while i < values.count {
                let value = values[i]
                if abs(value) < 1e-300 {
                    zeros += 1
                    sum += value
                    added += 1
                    i += 1
                    continue
                }
                guard value > 0, value < .infinity else { return i }
                if value.bitPattern != lastBits {
                    lastBits = value.bitPattern
                    lastPosition = keys.key(value) &- offset
                }
                let j = lastPosition
                guard UInt(bitPattern: j) < UInt(counts.count) else { return i }
                counts[j] &+= 1
                sum += value
                added &+= 1
                i &+= 1
            }
            return i
        }
    }

    mutating func merge(_ other: DenseCounts) {
        for (i, n) in other.counts.enumerated() where n > 0 { add(i + other.offset, n) }
    }

    func ascending() -> [(Int, Int)] { counts.enumerated().filter { $0.element > 0 }.map { ($0.offset + offset, $0.element) } }
    func descending() -> [(Int, Int)] { ascending().reversed() }
}
