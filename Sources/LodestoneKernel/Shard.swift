/// One of `count` equal parts of an ensemble, a sweep or a sensitivity design, for running them
/// on several machines (`--shard 2/4`, `shard: "2/4"`).
///
/// Shard *i* of *n* (1 ≤ *i* ≤ *n*) takes the runs (or grid points) whose index *k* satisfies
/// *k* mod *n* = *i* − 1: runs *i* − 1, *i* − 1 + *n*, *i* − 1 + 2*n*, …. Round robin rather than
/// contiguous blocks, because neighbouring runs of a design cost alike (a sweep's grid and a
/// Saltelli design vary the same parameters in neighbouring rows): interleaving gives every
/// shard a share of each, and a shard's own summary already samples the whole range. Each run is
/// seeded from (seed, run index) exactly as without shards, so the union of the shards is the
/// unsharded ensemble, run for run.
public struct Shard: Sendable, Equatable, CustomStringConvertible {
    /// Which shard, 1 … ``count``.
    public let index: Int
    /// How many shards, 1 … ``maximumCount``.
    public let count: Int

    /// The most shards a computation may be split into.
    public static let maximumCount = 100_000

    /// Shard `index` of `count`; an index outside 1…count is an error saying what was expected.
    public init(_ index: Int, of count: Int) throws(ParameterError) {
        guard count >= 1, count <= Self.maximumCount else {
            throw ParameterError("shard: expected 1…\(Self.maximumCount) shards, got \(count)")
        }
        guard index >= 1, index <= count else {
            throw ParameterError(
                "shard: expected a shard from 1/\(count) to \(count)/\(count) (shards count from 1), got \(index)/\(count)")
        }
        self.index = index
        self.count = count
    }

    /// Reads `i/n` (`2/4`): whole numbers with 1 ≤ i ≤ n. Anything else is an error naming the
    /// text and what was expected.
    public init(parsing text: String) throws(ParameterError) {
        let parts = text.split(separator: "/", omittingEmptySubsequences: false)
        guard parts.count == 2, let i = Int(parts[0].trimmingSpaces), let n = Int(parts[1].trimmingSpaces) else {
            throw ParameterError(
                "shard: expected i/n with whole numbers 1 ≤ i ≤ n, such as 2/4 (the second of four shards), got `\(text)`")
        }
        try self.init(i, of: n)
    }

    /// `2/4`.
    public var description: String { "\(index)/\(count)" }

    /// `shard-2-of-4`: the part a shard's file names carry.
    public var fileTag: String { "shard-\(index)-of-\(count)" }

    /// Whether run (or point) `k` belongs to this shard.
    public func contains(_ k: Int) -> Bool { k % count == index - 1 }

    /// How many of the runs 0..<total belong to this shard.
    public func size(of total: Int) -> Int {
        total >= index ? (total - index) / count + 1 : 0
    }

    /// The run index of this shard's `row`-th run (row 0 is run index − 1).
    public func runIndex(_ row: Int) -> Int { index - 1 + row * count }

    /// The run indices of this shard among 0..<total, in order.
    public func runIndices(of total: Int) -> [Int] { (0..<size(of: total)).map(runIndex) }
}

/// A sharded result's place in the script that made it: the shard, and which of the script's
/// sharded computations it is (0 for the first `montecarlo`, `sweep` or `sensitivity`, 1 for the
/// next, …), the same in every shard, so that merging can put each back in its place.
public struct ShardTag: Sendable, Equatable {
    /// The shard.
    public var shard: Shard
    /// The computation's position among the script's sharded computations, from 0.
    public var part: Int
    /// Creates a tag.
    public init(shard: Shard, part: Int) {
        self.shard = shard
        self.part = part
    }
}

extension Substring {
    fileprivate var trimmingSpaces: Substring {
        var s = self
        while s.first == " " { s.removeFirst() }
        while s.last == " " { s.removeLast() }
        return s
    }
}

/// What a designed ensemble (``MonteCarloRequest/design``) was designed for: a sensitivity
/// method, the metric analysed and the design's size, recorded with its exports so that the
/// indices can be estimated again from the per-run metrics of a file (after merging shards).
public struct DesignInfo: Sendable, Equatable {
    /// `sobol` or `morris`.
    public var method: String
    /// The metric analysed (its id).
    public var metric: String
    /// Sobol: base samples N; Morris: trajectories r.
    public var samples: Int
    /// Bootstrap resamples of the confidence intervals.
    public var resamples: Int
    /// Confidence level of the intervals (0.95).
    public var level: Double
    /// Creates a description.
    public init(method: String, metric: String, samples: Int, resamples: Int, level: Double) {
        self.method = method
        self.metric = metric
        self.samples = samples
        self.resamples = resamples
        self.level = level
    }
}
