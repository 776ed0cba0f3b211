/// The Sobol low-discrepancy sequence in up to 128 dimensions (Joe–Kuo direction numbers, Gray-code
/// order, 30 bits, not scrambled): the quasi-random points Saltelli's sensitivity design is built
/// from. Point 0 is the origin; point k is exactly SciPy's `qmc.Sobol(d, scramble=False)` k-th point.
///
/// Written by hand: none of the mirrored Swift packages (swift-numerics, swift-algorithms, …) has a
/// Sobol or other low-discrepancy generator, and the construction is short (Bratley & Fox,
/// "Algorithm 659", ACM TOMS 14 (1988) 88–100, with Joe & Kuo's direction numbers).
public struct SobolSequence: Sendable {
    /// The most dimensions the embedded direction numbers cover.
    public static let maximumDimensions = SobolDirections.table.count + 1
    /// Bits per coordinate: coordinates are multiples of 2⁻³⁰, as in SciPy.
    static let bits = 30

    /// Number of coordinates of each point.
    public let dimensions: Int
    /// `directions[j * bits + b]`: the direction number of dimension j for bit b, already shifted.
    private let directions: [UInt32]
    /// The current point as integers (coordinate × 2³⁰).
    private var state: [UInt32]
    /// Index of the next point.
    public private(set) var index = 0

    /// A sequence of points in [0, 1)^dimensions, starting at point 0 (the origin).
    public init(dimensions: Int) throws(AnalysisError) {
        guard dimensions >= 1, dimensions <= Self.maximumDimensions else {
            throw AnalysisError("a Sobol sequence has 1…\(Self.maximumDimensions) dimensions, not \(dimensions)")
        }
        self.dimensions = dimensions
        let bits = Self.bits
        var v = [UInt32](repeating: 0, count: dimensions * bits)
        for b in 0..<bits { v[b] = 1 }
        for d in 1..<dimensions {
            let (polynomial, initial) = SobolDirections.table[d - 1]
            let degree = initial.count
            for b in 0..<degree { v[d * bits + b] = initial[b] }
            if degree < bits {
                for b in degree..<bits {
                    // m_b = m_{b−s} ⊕ 2^s m_{b−s} ⊕ ⊕_k 2^k a_k m_{b−k} (Bratley & Fox, eq. 2).
                    var next = v[d * bits + b - degree]
                    var power: UInt32 = 1
                    for k in 0..<degree {
                        power <<= 1
                        if (polynomial >> UInt32(degree - 1 - k)) & 1 == 1 { next ^= power &* v[d * bits + b - k - 1] }
                    }
                    v[d * bits + b] = next
                }
            }
        }
        // Shift bit b's direction number to its place: v · 2^(bits − 1 − b).
        for d in 0..<dimensions {
            for b in 0..<bits { v[d * bits + b] <<= UInt32(bits - 1 - b) }
        }
        directions = v
        state = [UInt32](repeating: 0, count: dimensions)
    }

    /// The next point, its coordinates in [0, 1).
    public mutating func next() -> [Double] {
        if index > 0 {
            // Gray-code order: flip the direction of the lowest zero bit of index − 1.
            let bit = (~(index - 1)).trailingZeroBitCount
            precondition(bit < Self.bits, "the Sobol sequence has 2^30 points")
            for d in 0..<dimensions { state[d] ^= directions[d * Self.bits + bit] }
        }
        index += 1
        let scale = 1.0 / Double(1 << Self.bits)
        return state.map { Double($0) * scale }
    }

    /// Skips `count` points.
    public mutating func skip(_ count: Int) {
        for _ in 0..<max(0, count) { _ = next() }
    }
}

/// A mistake in an analysis request (a bad sample count, too many parameters, …), in words for the
/// user.
public struct AnalysisError: Error, Sendable, Equatable, CustomStringConvertible {
    /// What is wrong and what to do.
    public var message: String
    /// Creates an error.
    public init(_ message: String) { self.message = message }
    /// The message.
    public var description: String { message }
}
