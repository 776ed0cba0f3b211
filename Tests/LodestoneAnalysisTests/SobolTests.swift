import Foundation
import LodestoneKernel
import Testing

@testable import LodestoneAnalysis

/// Reads one of the SALib reference files (comma-separated numbers, a row per line).
func referenceRows(_ name: String) throws -> [[Double]] {
    let url = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("Data/\(name)")
    return try String(contentsOf: url, encoding: .utf8).split(separator: "\n").map { line in
        try line.split(separator: ",").map { field in
            guard let x = Double(field) else { throw AnalysisError("not a number: \(field)") }
            return x
        }
    }
}

/// The Ishigami function's analytic indices (a = 7, b = 0.1): V = a²/8 + bπ⁴/5 + b²π⁸/18 + 1/2,
/// V₁ = (1 + bπ⁴/5)²/2, V₂ = a²/8, V₁₃ = b²π⁸(1/18 − 1/50), V₃ = 0.
enum IshigamiIndices {
    static let a = 7.0
    static let b = 0.1
    static let pi4 = pow(Double.pi, 4)
    static let variance = a * a / 8 + b * pi4 / 5 + b * b * pi4 * pi4 / 18 + 0.5
    static let v1 = pow(1 + b * pi4 / 5, 2) / 2
    static let v2 = a * a / 8
    static let v13 = b * b * pi4 * pi4 * (1.0 / 18 - 1.0 / 50)
    static let first = [v1 / variance, v2 / variance, 0]
    static let total = [(v1 + v13) / variance, v2 / variance, v13 / variance]
}

@Suite("Sobol sequence and Saltelli design")
struct SobolSequenceTests {
    @Test("the first points are SciPy's unscrambled Sobol points")
    func firstPoints() throws {
        var sequence = try SobolSequence(dimensions: 3)
        let points = (0..<5).map { _ in sequence.next() }
        // scipy.stats.qmc.Sobol(3, scramble=False).random(5)
        #expect(points == [[0, 0, 0], [0.5, 0.5, 0.5], [0.75, 0.25, 0.25], [0.25, 0.75, 0.75], [0.375, 0.375, 0.625]])
    }

    @Test("the Saltelli design is SALib's, point for point")
    func saltelliMatchesSALib() throws {
        let salib = try referenceRows("sobol_points.csv")
        let design = try SaltelliDesign(parameters: 3, baseSamples: 256)
        let points = design.points()
        #expect(design.runs == salib.count)
        #expect(points == salib.flatMap { $0 })
    }

    @Test("dimensions beyond the table and too few samples are errors")
    func limits() {
        #expect(throws: AnalysisError.self) { try SobolSequence(dimensions: 129) }
        #expect(throws: AnalysisError.self) { try SaltelliDesign(parameters: 65, baseSamples: 8) }
        #expect(throws: AnalysisError.self) { try SaltelliDesign(parameters: 2, baseSamples: 1) }
    }

    @Test("a coordinate of 2^k points is stratified: one point in each interval of width 2^-k")
    func stratified() throws {
        var sequence = try SobolSequence(dimensions: 40)
        let points = (0..<64).map { _ in sequence.next() }
        for d in [0, 7, 39] {
            let cells = Set(points.map { Int($0[d] * 64) })
            #expect(cells.count == 64)
        }
    }
}

@Suite("Sobol indices")
struct SobolIndicesTests {
    @Test("the estimators give SALib's S1 and ST on the same outputs")
    func matchesSALib() throws {
        let outputs = try referenceRows("sobol_outputs.csv").map { $0[0] }
        let salib = try referenceRows("sobol_indices.csv")
        let indices = try SobolIndices.estimate(outputs: outputs, design: SaltelliDesign(parameters: 3, baseSamples: 256))
        for j in 0..<3 {
            #expect(abs(indices.first[j] - salib[0][j]) < 1e-12)
            #expect(abs(indices.total[j] - salib[1][j]) < 1e-12)
        }
    }

    @Test("a constant output gives zero indices, not NaN")
    func constant() throws {
        let design = try SaltelliDesign(parameters: 2, baseSamples: 8)
        let indices = try SobolIndices.estimate(outputs: Array(repeating: 3, count: design.runs), design: design)
        #expect(indices.first == [0, 0] && indices.total == [0, 0] && indices.variance == 0)
    }

    @Test("Ishigami through a model module: every index within ±0.02 of the analytic value at N = 8,192")
    func ishigami() throws {
        let result = try runIshigami(method: .sobol, samples: 8192)
        let s = try #require(result.sobol)
        for j in 0..<3 {
            #expect(abs(s.first[j] - IshigamiIndices.first[j]) < 0.02, "S1 of x\(j + 1): \(s.first[j]) vs \(IshigamiIndices.first[j])")
            #expect(abs(s.total[j] - IshigamiIndices.total[j]) < 0.02, "ST of x\(j + 1): \(s.total[j]) vs \(IshigamiIndices.total[j])")
            // The bootstrap interval is a real, small interval.
            #expect(s.firstConfidence[j] > 0 && s.firstConfidence[j] < 0.05)
            #expect(s.totalConfidence[j] > 0 && s.totalConfidence[j] < 0.05)
        }
        #expect(abs(s.variance - IshigamiIndices.variance) / IshigamiIndices.variance < 0.02)
        #expect(result.ensemble.completedRuns == 8192 * 5)
        // Each run's metric is f at the design point mapped onto [−π, π].
        let points = try SaltelliDesign(parameters: 3, baseSamples: 8192).points()
        for run in [0, 1, 17, 40_959] {
            let x = (0..<3).map { -Double.pi + 2 * Double.pi * points[run * 3 + $0] }
            #expect(abs(result.outputs[run] - IshigamiModel.f(x[0], x[1], x[2])) < 1e-12)
        }
    }

    @Test("a month metric that never happens counts as the month after the last")
    func never() throws {
        let result = try runIshigami(method: .sobol, samples: 64, metric: "ishigami.late_at", months: 6)
        let design = try SaltelliDesign(parameters: 3, baseSamples: 64)
        let points = design.points()
        var never = 0
        for run in 0..<design.runs {
            let month = (12 * points[run * 3]).rounded(.down)
            if month >= 6 { never += 1 }
            #expect(result.outputs[run] == min(month, 6))
        }
        #expect(result.neverRuns == never && never > 0)
        // Only x1 moves the month.
        let s = try #require(result.sobol)
        #expect(s.total[1] == 0 && s.total[2] == 0 && s.first[0] > 0.9)
    }

    @Test("unknown metrics and paths are errors before any run")
    func errors() throws {
        #expect(throws: LookupError.self) { try runIshigami(method: .sobol, samples: 8, metric: "ishigami.z") }
        #expect(throws: (any Error).self) { try runIshigami(method: .sobol, samples: 8, paths: ["ishigami.x9"]) }
    }
}

/// Runs a sensitivity analysis of the Ishigami module over x ∈ [−π, π]³.
func runIshigami(
    method: SensitivityMethod, samples: Int, metric: String = "ishigami.y", months: Int = 1,
    paths: [String] = ["ishigami.x1", "ishigami.x2", "ishigami.x3"]
) throws -> SensitivityResult {
    let dataset = Dataset(
        name: "empty", regions: [], commodities: [], consumption: [], flows: [], capacities: [], stockpiles: [], sources: [])
    let models: [any Model] = [IshigamiModel()]
    let parameters = ParameterSet(models: models, dataset: dataset)
    let composition = try Composition(models: models, dataset: dataset, scenario: Scenario("test"), parameters: parameters)
    let plan = try RunPlan(composition: composition, start: Month(2026, 1), months: months)
    let request = SensitivityRequest(
        vary: paths.map { Variation($0, .uniform(low: -Double.pi, high: Double.pi)) }, metric: metric, method: method,
        samples: samples, seed: 3)
    return try SensitivityAnalysis.run(plan, parameters: parameters, request: request)
}
