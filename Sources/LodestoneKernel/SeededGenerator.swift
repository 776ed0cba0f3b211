/// SplitMix64: a tiny generator used to expand seeds into generator states.
public struct SplitMix64: RandomNumberGenerator, Sendable {
    /// The generator's 64-bit state.
    public var state: UInt64

    /// Creates a generator from a seed.
    public init(seed: UInt64) { state = seed }

    /// The next 64 random bits.
    public mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}

/// The generator of every Lodestone run: xoshiro256** seeded through SplitMix64.
///
/// Run *k* of an ensemble with seed *s* uses `SeededGenerator(seed: s, stream: k)`, so results do
/// not depend on thread count or order. The generator is a value type: copying it forks the
/// stream, which keeps parallel runs independent without locks.
public struct SeededGenerator: RandomNumberGenerator, Sendable {
    private var s0: UInt64, s1: UInt64, s2: UInt64, s3: UInt64

    /// Creates the generator for run `stream` of an ensemble seeded with `seed`.
    public init(seed: UInt64, stream: UInt64 = 0) {
        var mixer = SplitMix64(seed: seed)
        let base = mixer.next()
        var expander = SplitMix64(seed: base ^ (stream &* 0xD1B5_4A32_D192_ED03))
        // Burn one value so neighbouring streams do not share a first output.
        _ = expander.next()
        s0 = expander.next()
        s1 = expander.next()
        s2 = expander.next()
        s3 = expander.next()
        if s0 | s1 | s2 | s3 == 0 { s0 = 1 }
    }

    /// The next 64 random bits.
    @inline(__always)
    public mutating func next() -> UInt64 {
        let result = rotate(s1 &* 5, 7) &* 9
        let t = s1 << 17
        s2 ^= s0
        s3 ^= s1
        s1 ^= s2
        s0 ^= s3
        s2 ^= t
        s3 = rotate(s3, 45)
        return result
    }

    /// A uniform draw in [0, 1) with 53 bits of precision.
    @inline(__always)
    public mutating func uniform() -> Double {
        Double(next() >> 11) * 0x1.0p-53
    }

    @inline(__always)
    private func rotate(_ x: UInt64, _ k: UInt64) -> UInt64 { (x << k) | (x >> (64 - k)) }
}
