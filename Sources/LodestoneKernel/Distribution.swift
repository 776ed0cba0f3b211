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
}
