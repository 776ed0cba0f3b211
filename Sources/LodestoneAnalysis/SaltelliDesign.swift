/// Saltelli's sampling design for first-order and total Sobol indices (Saltelli 2002; Saltelli et
/// al., "Variance based sensitivity analysis of model output", Comput. Phys. Commun. 181 (2010)
/// 259–270): N base points of a 2D-dimensional Sobol sequence give matrices A (first D coordinates)
/// and B (last D); for each base point the design has D + 2 rows — A, then A with parameter j
/// taken from B for j = 1…D (the matrices A_B^(j)), then B — N·(D + 2) runs in all. The layout is
/// SALib's `sample.sobol.sample(…, calc_second_order=False, scramble=False, skip_values=skip)`.
public struct SaltelliDesign: Sendable, Equatable {
    /// Number of parameters D.
    public let parameters: Int
    /// Number of base points N.
    public let baseSamples: Int
    /// Sobol points skipped before the first base point: N rounded up to a power of two (SALib's
    /// former default), which avoids the origin and the sequence's first, most regular points.
    public var skipped: Int { Self.skip(for: baseSamples) }

    /// Rows of the design: N·(D + 2).
    public var runs: Int { baseSamples * (parameters + 2) }

    /// Most base points: 2²⁰ (about a million), far beyond any interactive use.
    public static let maximumBaseSamples = 1 << 20

    /// A design for `parameters` parameters with `baseSamples` base points.
    public init(parameters: Int, baseSamples: Int) throws(AnalysisError) {
        let most = (SobolSequence.maximumDimensions) / 2
        guard parameters >= 1, parameters <= most else {
            throw AnalysisError("a Sobol analysis varies 1…\(most) parameters, not \(parameters)")
        }
        guard baseSamples >= 2, baseSamples <= Self.maximumBaseSamples else {
            throw AnalysisError("samples: expected 2…\(Self.maximumBaseSamples) base samples, got \(baseSamples)")
        }
        self.parameters = parameters
        self.baseSamples = baseSamples
    }

    /// N rounded up to a power of two.
    static func skip(for n: Int) -> Int {
        var power = 1
        while power < n { power <<= 1 }
        return power
    }

    /// The design's points in [0, 1)^D, row-major (`points[run * D + j]`).
    public func points() -> [Double] {
        let d = parameters
        // The dimension count is within range: checked in `init`.
        guard var sequence = try? SobolSequence(dimensions: 2 * d) else { return [] }
        sequence.skip(skipped)
        var out = [Double]()
        out.reserveCapacity(runs * d)
        for _ in 0..<baseSamples {
            let base = sequence.next()
            let a = base[0..<d]
            let b = base[d..<(2 * d)]
            out += a
            for j in 0..<d {
                for k in 0..<d { out.append(k == j ? b[d + k] : a[k]) }
            }
            out += b
        }
        return out
    }
}
