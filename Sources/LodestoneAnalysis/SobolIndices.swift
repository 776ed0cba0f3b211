#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif
import LodestoneKernel

/// First-order and total Sobol indices of one output, with bootstrap confidence intervals.
///
/// For output Y and parameter j, the first-order index S₁ is the share of Var(Y) that parameter j
/// explains alone, Var(E[Y | X_j]) / Var(Y); the total index S_T the share it explains with all its
/// interactions, E[Var(Y | X_~j)] / Var(Y). From a ``SaltelliDesign``'s outputs (A, A_B^(j), B):
///
/// - S₁ = mean(f(B) · (f(A_B^(j)) − f(A))) / V (Saltelli et al. 2010, eq. (b) of table 2);
/// - S_T = mean((f(A) − f(A_B^(j)))²) / (2V) (Jansen 1999);
///
/// with V the variance of the 2N values f(A), f(B) (divided by 2N). The outputs are first centred
/// on their mean over the whole design: the S₁ estimator is biased for outputs far from zero. These
/// are SALib's estimators and centring (`analyze.sobol`), so the same outputs give the same indices.
public struct SobolIndices: Sendable, Equatable {
    /// S₁ per parameter.
    public var first: [Double]
    /// S_T per parameter.
    public var total: [Double]
    /// Half-width of the confidence interval of each S₁ (z · bootstrap standard deviation).
    public var firstConfidence: [Double]
    /// Half-width of the confidence interval of each S_T.
    public var totalConfidence: [Double]
    /// Var(Y) over f(A) and f(B), in the output's unit squared; 0 when the output is constant (then
    /// every index is 0).
    public var variance: Double
    /// Mean of Y over f(A) and f(B), in the output's unit.
    public var mean: Double

    /// The indices from `outputs` of `design` (one output per design row, in its order).
    /// `resamples` bootstrap resamples of the N base points (drawn with `seed`) give the confidence
    /// intervals at `level`: ±z·sd, z the standard normal's (1 + level)/2 quantile (SALib's).
    public static func estimate(
        outputs: [Double], design: SaltelliDesign, resamples: Int = 100, level: Double = 0.95, seed: UInt64 = 1
    ) throws(AnalysisError) -> SobolIndices {
        let n = design.baseSamples
        let d = design.parameters
        guard outputs.count == design.runs else {
            throw AnalysisError("expected \(design.runs) outputs of the design, got \(outputs.count)")
        }
        guard outputs.allSatisfy(\.isFinite) else { throw AnalysisError("every output must be a finite number") }
        let all = Array(0..<n)
        let centre = outputs.reduce(0, +) / Double(outputs.count)
        let outputs = outputs.map { $0 - centre }
        var result = SobolIndices(first: [], total: [], firstConfidence: [], totalConfidence: [], variance: 0, mean: 0)
        (result.mean, result.variance) = moments(outputs, design, rows: all)
        result.mean += centre
        let constant = result.variance <= Double.ulpOfOne * max(1, abs(result.mean))
        var samples: [[Int]] = []
        var generator = SeededGenerator(seed: seed, stream: 0)
        for _ in 0..<max(0, resamples) {
            samples.append((0..<n).map { _ in min(n - 1, Int(generator.uniform() * Double(n))) })
        }
        let z = Distribution.standardNormalQuantile(0.5 + level / 2)
        for j in 0..<d {
            guard !constant else {
                result.first.append(0); result.total.append(0)
                result.firstConfidence.append(0); result.totalConfidence.append(0)
                continue
            }
            let (s1, st) = indices(outputs, design, parameter: j, rows: all)
            result.first.append(s1)
            result.total.append(st)
            var firsts: [Double] = []
            var totals: [Double] = []
            for rows in samples {
                let (a, b) = indices(outputs, design, parameter: j, rows: rows)
                firsts.append(a)
                totals.append(b)
            }
            result.firstConfidence.append(z * standardDeviation(firsts))
            result.totalConfidence.append(z * standardDeviation(totals))
        }
        return result
    }

    /// Mean and variance (divided by the count) of f(A) and f(B) over the given base rows.
    static func moments(_ y: [Double], _ design: SaltelliDesign, rows: [Int]) -> (mean: Double, variance: Double) {
        let width = design.parameters + 2
        var sum = 0.0
        for i in rows { sum += y[i * width] + y[i * width + width - 1] }
        let count = Double(2 * rows.count)
        let mean = sum / count
        var squares = 0.0
        for i in rows {
            let a = y[i * width] - mean
            let b = y[i * width + width - 1] - mean
            squares += a * a + b * b
        }
        return (mean, squares / count)
    }

    /// S₁ and S_T of one parameter over the given base rows (0 for both when f(A), f(B) are
    /// constant there).
    static func indices(_ y: [Double], _ design: SaltelliDesign, parameter j: Int, rows: [Int]) -> (Double, Double) {
        let width = design.parameters + 2
        let variance = moments(y, design, rows: rows).variance
        guard variance > Double.ulpOfOne else { return (0, 0) }
        var first = 0.0
        var total = 0.0
        for i in rows {
            let a = y[i * width]
            let ab = y[i * width + 1 + j]
            let b = y[i * width + width - 1]
            first += b * (ab - a)
            total += (a - ab) * (a - ab)
        }
        let n = Double(rows.count)
        return (first / n / variance, total / (2 * n) / variance)
    }

    /// Sample standard deviation (divided by count − 1); 0 for fewer than two values.
    static func standardDeviation(_ xs: [Double]) -> Double {
        guard xs.count > 1 else { return 0 }
        let mean = xs.reduce(0, +) / Double(xs.count)
        let squares = xs.reduce(0) { $0 + ($1 - mean) * ($1 - mean) }
        return (squares / Double(xs.count - 1)).squareRoot()
    }
}
