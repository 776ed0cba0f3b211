/// The Nelder–Mead simplex method (Nelder & Mead, Computer Journal 7 (1965) 308–313; coefficients
/// 1, 2, ½, ½ as in Lagarias et al., SIAM J. Optim. 9 (1998) 112–147) on the unit cube: every
/// trial point is clamped into [0, 1]^d, so a minimum on a bound is found on the bound.
///
/// Written by hand: no mirrored Swift package has a derivative-free optimiser.
public struct NelderMead: Sendable {
    /// The most objective evaluations.
    public var maximumEvaluations = 400
    /// Stop when the simplex's values differ by less than this and its points by less than
    /// ``pointTolerance``.
    public var valueTolerance = 1e-10
    /// See ``valueTolerance`` (in the unit cube's coordinates).
    public var pointTolerance = 1e-7
    /// Edge of the first simplex, in the unit cube.
    public var initialStep = 0.1

    /// Creates an optimiser with the default settings.
    public init() {}

    /// The point found, its value and the evaluations used, minimising `f` from `start`.
    public func minimize(
        from start: [Double], _ f: ([Double]) throws -> Double
    ) rethrows -> (point: [Double], value: Double, evaluations: Int) {
        let d = start.count
        func clamp(_ x: [Double]) -> [Double] { x.map { min(1, max(0, $0)) } }
        var evaluations = 0
        func value(_ x: [Double]) throws -> Double {
            evaluations += 1
            let y = try f(x)
            return y.isNaN ? .infinity : y
        }
        var simplex = [clamp(start)]
        for i in 0..<d {
            var x = simplex[0]
            x[i] += x[i] + initialStep <= 1 ? initialStep : -initialStep
            simplex.append(x)
        }
        var values = try simplex.map(value)
        while evaluations < maximumEvaluations {
            let order = values.indices.sorted { values[$0] < values[$1] }
            simplex = order.map { simplex[$0] }
            values = order.map { values[$0] }
            let spread = values[d] - values[0]
            let size = simplex.dropFirst().map { x in zip(x, simplex[0]).map { abs($0 - $1) }.max() ?? 0 }.max() ?? 0
            if spread.isFinite, spread <= valueTolerance, size <= pointTolerance { break }
            if size <= pointTolerance / 10 { break }
            // Centroid of all but the worst point.
            var centroid = [Double](repeating: 0, count: d)
            for x in simplex.dropLast() { for i in 0..<d { centroid[i] += x[i] / Double(d) } }
            func along(_ t: Double) -> [Double] { clamp((0..<d).map { centroid[$0] + t * (centroid[$0] - simplex[d][$0]) }) }
            let reflected = along(1)
            let fr = try value(reflected)
            if fr < values[0] {
                let expanded = along(2)
                let fe = try value(expanded)
                if fe < fr { (simplex[d], values[d]) = (expanded, fe) } else { (simplex[d], values[d]) = (reflected, fr) }
                continue
            }
            if fr < values[d - 1] {
                (simplex[d], values[d]) = (reflected, fr)
                continue
            }
            // Contract outside (the reflection was better than the worst) or inside.
            let contracted = fr < values[d] ? along(0.5) : along(-0.5)
            let fc = try value(contracted)
            if fc < min(fr, values[d]) {
                (simplex[d], values[d]) = (contracted, fc)
                continue
            }
            // Shrink towards the best point.
            for k in 1...d {
                simplex[k] = clamp((0..<d).map { simplex[0][$0] + 0.5 * (simplex[k][$0] - simplex[0][$0]) })
                values[k] = try value(simplex[k])
            }
        }
        let best = values.indices.min { values[$0] < values[$1] } ?? 0
        return (simplex[best], values[best], evaluations)
    }
}
