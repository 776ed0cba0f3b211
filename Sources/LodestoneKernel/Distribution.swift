#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// A distribution a Monte Carlo ensemble draws a varied parameter from, once per run.
public enum Distribution: Sendable, Equatable, CustomStringConvertible {
    /// Uniform on [low, high].
    case uniform(low: Double, high: Double)
    /// Normal with a mean and standard deviation (draws outside the parameter's range are
    /// clamped to it).
    case normal(mean: Double, sd: Double)
    /// Triangular on [low, high] with its peak at `mode`.
    case triangular(low: Double, mode: Double, high: Double)
    /// One of the values, each equally likely.
    case choice([Double])

    /// The distribution as written in scripts: `uniform(0.01, 0.06)`.
    public var description: String {
        func f(_ x: Double) -> String { ParameterSet.format(x) }
        switch self {
        case .uniform(let a, let b): return "uniform(\(f(a)), \(f(b)))"
        case .normal(let m, let s): return "normal(\(f(m)), \(f(s)))"
        case .triangular(let a, let m, let b): return "triangular(\(f(a)), \(f(m)), \(f(b)))"
        case .choice(let values): return "choice([\(values.map(f).joined(separator: ", "))])"
        }
    }

    /// Checks the arguments (`low ≤ high`, `sd ≥ 0`, `low ≤ mode ≤ high`, a non-empty choice,
    /// finite numbers), naming what is wrong.
    public func validate() throws(ParameterError) {
        let numbers: [Double]
        switch self {
        case .uniform(let a, let b):
            numbers = [a, b]
            guard a <= b else { throw ParameterError("\(self): low must not exceed high") }
        case .normal(let m, let s):
            numbers = [m, s]
            guard s >= 0 else { throw ParameterError("\(self): the standard deviation must be ≥ 0") }
        case .triangular(let a, let m, let b):
            numbers = [a, m, b]
            guard a <= m, m <= b else { throw ParameterError("\(self): expected low ≤ mode ≤ high") }
        case .choice(let values):
            numbers = values
            guard !values.isEmpty else { throw ParameterError("choice([]): give at least one value") }
        }
        guard numbers.allSatisfy(\.isFinite) else { throw ParameterError("\(self): every argument must be a finite number") }
    }

    /// One draw from `generator`; uses one uniform (two for `normal`).
    public func draw(using generator: inout SeededGenerator) -> Double {
        switch self {
        case .uniform(let a, let b):
            return a + (b - a) * generator.uniform()
        case .normal(let mean, let sd):
            // Box–Muller with the cosine branch; 1 − u avoids log(0).
            let u1 = 1 - generator.uniform()
            let u2 = generator.uniform()
            return mean + sd * (-2 * log(u1)).squareRoot() * cos(2 * Double.pi * u2)
        case .triangular(let a, let m, let b):
            let u = generator.uniform()
            guard b > a else { return a }
            let cut = (m - a) / (b - a)
            return u < cut ? a + ((b - a) * (m - a) * u).squareRoot() : b - ((b - a) * (b - m) * (1 - u)).squareRoot()
        case .choice(let values):
            let index = min(values.count - 1, Int(generator.uniform() * Double(values.count)))
            return values[index]
        }
    }

    /// The value at cumulative probability `u` (the quantile function, u in [0, 1]): how a designed
    /// experiment (Sobol, Morris) turns its points in the unit cube into parameter values. A
    /// normal's tails are cut at u = 10⁻¹² (about ±7 standard deviations).
    public func quantile(_ u: Double) -> Double {
        let u = min(max(u.isNaN ? 0.5 : u, 0), 1)
        switch self {
        case .uniform(let a, let b):
            return a + (b - a) * u
        case .normal(let mean, let sd):
            return mean + sd * Self.standardNormalQuantile(min(max(u, 1e-12), 1 - 1e-12))
        case .triangular(let a, let m, let b):
            guard b > a else { return a }
            let cut = (m - a) / (b - a)
            return u < cut ? a + ((b - a) * (m - a) * u).squareRoot() : b - ((b - a) * (b - m) * (1 - u)).squareRoot()
        case .choice(let values):
            return values[min(values.count - 1, Int(u * Double(values.count)))]
        }
    }

    /// The standard normal quantile Φ⁻¹(p) for p in (0, 1): Acklam's rational approximation
    /// (relative error below 1.2 × 10⁻⁹) refined by one Halley step on `erfc`, which brings it to
    /// about machine precision. Written by hand: swift-numerics has no inverse normal CDF.
    public static func standardNormalQuantile(_ p: Double) -> Double {
        let a = [-3.969683028665376e+01, 2.209460984245205e+02, -2.759285104469687e+02, 1.383577518672690e+02, -3.066479806614716e+01, 2.506628277459239e+00]
        let b = [-5.447609879822406e+01, 1.615858368580409e+02, -1.556989798598866e+02, 6.680131188771972e+01, -1.328068155288572e+01]
        let c = [-7.784894002430293e-03, -3.223964580411365e-01, -2.400758277161838e+00, -2.549732539343734e+00, 4.374664141464968e+00, 2.938163982698783e+00]
        let d = [7.784695709041462e-03, 3.224671290700398e-01, 2.445134137142996e+00, 3.754408661907416e+00]
        let low = 0.02425
        var x: Double
        if p < low {
            let q = (-2 * log(p)).squareRoot()
            x = (((((c[0] * q + c[1]) * q + c[2]) * q + c[3]) * q + c[4]) * q + c[5]) / ((((d[0] * q + d[1]) * q + d[2]) * q + d[3]) * q + 1)
        } else if p <= 1 - low {
            let q = p - 0.5
            let r = q * q
            x = (((((a[0] * r + a[1]) * r + a[2]) * r + a[3]) * r + a[4]) * r + a[5]) * q / (((((b[0] * r + b[1]) * r + b[2]) * r + b[3]) * r + b[4]) * r + 1)
        } else {
            let q = (-2 * log(1 - p)).squareRoot()
            x = -(((((c[0] * q + c[1]) * q + c[2]) * q + c[3]) * q + c[4]) * q + c[5]) / ((((d[0] * q + d[1]) * q + d[2]) * q + d[3]) * q + 1)
        }
        // One Halley step: e = Φ(x) − p.
        let e = 0.5 * erfc(-x / 2.0.squareRoot()) - p
        let u = e * (2 * Double.pi).squareRoot() * exp(x * x / 2)
        x -= u / (1 + x * u / 2)
        return x
    }
}
