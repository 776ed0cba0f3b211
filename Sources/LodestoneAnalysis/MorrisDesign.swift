import LodestoneKernel

/// Morris's elementary-effects screening design (Morris, "Factorial sampling plans for
/// preliminary computational experiments", Technometrics 33 (1991) 161–174; Campolongo et al. 2007
/// for μ*): r random trajectories on a grid of p = 4 levels in [0, 1]^D, each of D + 1 points, the
/// next point moving one parameter (in a random order) by Δ = p / (2(p − 1)) = 2/3, up or down.
/// r·(D + 1) runs in all.
public struct MorrisDesign: Sendable, Equatable {
    /// Number of parameters D.
    public let parameters: Int
    /// Number of trajectories r.
    public let trajectories: Int
    /// Grid levels p.
    public static let levels = 4
    /// The step Δ = p / (2(p − 1)), as a share of the unit interval.
    public static let delta = Double(levels) / Double(2 * (levels - 1))
    /// The design's points in [0, 1]^D, row-major (`points[run * D + j]`), trajectory after
    /// trajectory.
    public let points: [Double]
    /// For each trajectory and step k = 1…D: the parameter that moved at step k.
    public let moved: [Int]

    /// Rows of the design: r·(D + 1).
    public var runs: Int { trajectories * (parameters + 1) }

    /// Most trajectories.
    public static let maximumTrajectories = 1 << 16

    /// A design of `trajectories` trajectories for `parameters` parameters, drawn with `seed`.
    public init(parameters: Int, trajectories: Int, seed: UInt64) throws(AnalysisError) {
        guard parameters >= 1, parameters <= 64 else {
            throw AnalysisError("a Morris analysis varies 1…64 parameters, not \(parameters)")
        }
        guard trajectories >= 2, trajectories <= Self.maximumTrajectories else {
            throw AnalysisError("samples: expected 2…\(Self.maximumTrajectories) trajectories, got \(trajectories)")
        }
        self.parameters = parameters
        self.trajectories = trajectories
        let d = parameters
        let step = 1.0 / Double(Self.levels - 1)
        var generator = SeededGenerator(seed: seed, stream: 0)
        var points: [Double] = []
        var moved: [Int] = []
        points.reserveCapacity(trajectories * (d + 1) * d)
        for _ in 0..<trajectories {
            // Start: each coordinate on a level from which ±Δ stays on the grid, and a direction.
            var x = [Double](repeating: 0, count: d)
            var up = [Bool](repeating: true, count: d)
            for j in 0..<d {
                let low = Double(min(Self.levels / 2 - 1, Int(generator.uniform() * Double(Self.levels / 2)))) * step
                up[j] = generator.uniform() < 0.5
                x[j] = up[j] ? low : low + Self.delta
            }
            // A random order of the parameters (Fisher–Yates).
            var order = Array(0..<d)
            for i in stride(from: d - 1, to: 0, by: -1) {
                let k = min(i, Int(generator.uniform() * Double(i + 1)))
                order.swapAt(i, k)
            }
            points += x
            for j in order {
                x[j] += up[j] ? Self.delta : -Self.delta
                points += x
                moved.append(j)
            }
        }
        self.points = points
        self.moved = moved
    }

    /// A design from given trajectories (such as SALib's): `points` row-major, D + 1 rows per
    /// trajectory, each row after the first differing from the one before in one parameter.
    init(points: [Double], parameters: Int) throws(AnalysisError) {
        let d = parameters
        guard d >= 1, points.count % (d * (d + 1)) == 0 else {
            throw AnalysisError("expected trajectories of \(d + 1) points of \(d) coordinates")
        }
        var moved: [Int] = []
        for t in 0..<(points.count / (d * (d + 1))) {
            for k in 1...d {
                let row = t * (d + 1) + k
                let changed = (0..<d).filter { points[row * d + $0] != points[(row - 1) * d + $0] }
                guard changed.count == 1 else { throw AnalysisError("step \(k) of trajectory \(t) moves \(changed.count) parameters") }
                moved.append(changed[0])
            }
        }
        self.parameters = d
        self.trajectories = points.count / (d * (d + 1))
        self.points = points
        self.moved = moved
    }
}

/// Morris's screening measures of one output per parameter, from the elementary effects
/// EE = (f(x + Δe_j) − f(x)) / Δ of a ``MorrisDesign`` (Δ as a share of the parameter's range in
/// the unit cube, so an effect is the output's change per whole range): μ* the mean of |EE|
/// (Campolongo et al. 2007: how much the parameter matters), μ the mean of EE (its direction), σ
/// their standard deviation (n − 1; non-linearity or interactions). As SALib's `analyze.morris`.
public struct MorrisIndices: Sendable, Equatable {
    /// μ* per parameter, in the output's unit.
    public var muStar: [Double]
    /// μ per parameter.
    public var mu: [Double]
    /// σ per parameter.
    public var sigma: [Double]
    /// Half-width of a bootstrap confidence interval of each μ* (z · sd over resampled trajectories).
    public var muStarConfidence: [Double]

    /// The measures from `outputs` of `design`, with `resamples` bootstrap resamples of the
    /// trajectories (drawn with `seed`) for μ*'s interval at `level`.
    public static func estimate(
        outputs: [Double], design: MorrisDesign, resamples: Int = 100, level: Double = 0.95, seed: UInt64 = 1
    ) throws(AnalysisError) -> MorrisIndices {
        guard outputs.count == design.runs else {
            throw AnalysisError("expected \(design.runs) outputs of the design, got \(outputs.count)")
        }
        guard outputs.allSatisfy(\.isFinite) else { throw AnalysisError("every output must be a finite number") }
        let d = design.parameters
        let r = design.trajectories
        // effects[j][t]: parameter j's elementary effect in trajectory t.
        var effects = [[Double]](repeating: [Double](repeating: 0, count: r), count: d)
        for t in 0..<r {
            for k in 1...d {
                let j = design.moved[t * d + k - 1]
                let before = t * (d + 1) + k - 1
                let dx = design.points[(before + 1) * d + j] - design.points[before * d + j]
                effects[j][t] = (outputs[before + 1] - outputs[before]) / dx
            }
        }
        var generator = SeededGenerator(seed: seed, stream: 0)
        let samples = (0..<max(0, resamples)).map { _ in (0..<r).map { _ in min(r - 1, Int(generator.uniform() * Double(r))) } }
        let z = Distribution.standardNormalQuantile(0.5 + level / 2)
        var result = MorrisIndices(muStar: [], mu: [], sigma: [], muStarConfidence: [])
        for ee in effects {
            result.muStar.append(ee.reduce(0) { $0 + abs($1) } / Double(r))
            result.mu.append(ee.reduce(0, +) / Double(r))
            result.sigma.append(SobolIndices.standardDeviation(ee))
            let resampled = samples.map { rows in rows.reduce(0) { $0 + abs(ee[$1]) } / Double(r) }
            result.muStarConfidence.append(z * SobolIndices.standardDeviation(resampled))
        }
        return result
    }
}
