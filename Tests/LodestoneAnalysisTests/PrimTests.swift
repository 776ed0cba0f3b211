import Foundation
import LodestoneKernel
import Testing

@testable import LodestoneAnalysis

@Suite("scenario discovery (PRIM)")
struct PrimTests {
    /// 4,000 uniform points in [0, 1]³ of which those with x₁ < 0.3 and x₂ > 0.6 are of interest.
    static func synthetic() throws -> Prim {
        var generator = SeededGenerator(seed: 11, stream: 0)
        let points = (0..<(4000 * 3)).map { _ in generator.uniform() }
        let flags = (0..<4000).map { points[$0 * 3] < 0.3 && points[$0 * 3 + 1] > 0.6 }
        return try Prim(points: points, parameters: 3, interesting: flags)
    }

    @Test("a known box is found within 5 % of its bounds, and only its parameters are restricted")
    func knownBox() throws {
        let prim = try Self.synthetic()
        let trajectory = prim.peelingTrajectory()
        let box = prim.paste(trajectory[prim.chosenIndex(trajectory)])
        #expect(prim.restricted(box) == [0, 1])
        #expect(abs(box.upper[0] - 0.3) <= 0.05 * 0.3, "x1 ≤ \(box.upper[0])")
        #expect(abs(box.lower[1] - 0.6) <= 0.05 * 0.6, "x2 ≥ \(box.lower[1])")
        #expect(box.density >= 0.9 && box.coverage >= 0.9)
        // The trade-off: coverage never rises along the peeling; density ends above where it starts.
        for (a, b) in zip(trajectory, trajectory.dropFirst()) { #expect(b.coverage <= a.coverage && b.mass < a.mass) }
        #expect(trajectory.first!.coverage == 1 && trajectory.first!.mass == 1)
        #expect(abs(trajectory.first!.density - Double(prim.interestingCount) / 4000) < 1e-12)
        // Both restrictions matter: tiny quasi-p-values.
        let p = prim.quasiPValues(box)
        #expect(p.map(\.parameter) == [0, 1])
        #expect(p.allSatisfy { $0.p < 1e-10 })
    }

    @Test("coverage, density and mass of a box are counted from the points")
    func measures() throws {
        let prim = try Prim(points: [0, 0, 1, 1, 2, 2, 3, 3], parameters: 2, interesting: [true, false, true, true])
        let box = prim.measured(lower: [1, 1], upper: [3, 3])
        #expect(box.count == 3 && box.interesting == 2)
        #expect(box.mass == 0.75 && abs(box.density - 2.0 / 3) < 1e-15 && box.coverage == 2.0 / 3)
    }

    @Test("the binomial upper tail in closed form")
    func binomial() {
        #expect(abs(Prim.binomialUpperTail(successes: 1, trials: 1, probability: 0.5) - 0.5) < 1e-14)
        #expect(abs(Prim.binomialUpperTail(successes: 3, trials: 3, probability: 0.5) - 0.125) < 1e-14)
        #expect(abs(Prim.binomialUpperTail(successes: 2, trials: 4, probability: 0.5) - 11.0 / 16) < 1e-14)
        #expect(Prim.binomialUpperTail(successes: 0, trials: 4, probability: 0.3) == 1)
    }

    @Test("conditions parse and treat never as later than any month")
    func conditions() throws {
        let c = try MetricCondition(parsing: "stockpile.exhausted_at[JP/DyTb] <= 2026-12")
        #expect(c.metric == "stockpile.exhausted_at[JP/DyTb]" && c.comparison == .lessOrEqual && c.month == Month(2026, 12))
        let q = try MetricCondition(parsing: "stockpile.unmet_total[JP/DyTb]>0")
        #expect(q.comparison == .greater && q.value == 0 && q.month == nil)
        #expect(throws: AnalysisError.self) { try MetricCondition(parsing: "stockpile.unmet_total[JP/DyTb]") }
        #expect(throws: AnalysisError.self) { try MetricCondition(parsing: "x <= soon") }
    }

    @Test("on an ensemble of the Ishigami module: the runs whose month comes by 2026-06 are x1 ≤ −π/2")
    func ensemble() throws {
        // late_at = ⌊24 (x1 + π) / 2π⌋ months after 2026-01 in a 12-month run: by 2026-06 (index 5)
        // exactly when x1 < −π/2; never in half the runs.
        let ensemble = try ishigamiEnsemble(runs: 3000, months: 12)
        let early = try ScenarioDiscovery.run(ensemble, where: MetricCondition(parsing: "ishigami.late_at <= 2026-06"))
        #expect(early.restrictions.map(\.parameter) == [0])
        #expect(abs(early.box.upper[0] - -Double.pi / 2) <= 0.05 * Double.pi / 2)
        #expect(early.box.density == 1 && early.box.coverage > 0.95)
        #expect(early.restrictionText { String(format: "%.2f", $0) } == "ishigami.x1 ≤ \(String(format: "%.2f", early.box.upper[0]))")
        // "never" is later than any month: > 2026-12 holds exactly in the runs where it is none.
        let never = try MetricCondition(parsing: "ishigami.late_at > 2026-12").evaluate(on: ensemble)
        let samples = try ensemble.metricSamples("ishigami.late_at")
        #expect(never == samples.map(\.isNaN))
        #expect(throws: AnalysisError.self) {
            try ScenarioDiscovery.run(ensemble, where: MetricCondition(parsing: "ishigami.y > 100"))
        }
    }
}

/// A Monte Carlo ensemble of the Ishigami module with x drawn uniformly on [−π, π]³.
func ishigamiEnsemble(runs: Int, months: Int) throws -> EnsembleResult {
    let dataset = Dataset(
        name: "empty", regions: [], commodities: [], consumption: [], flows: [], capacities: [], stockpiles: [], sources: [])
    let models: [any Model] = [IshigamiModel()]
    let parameters = ParameterSet(models: models, dataset: dataset)
    let composition = try Composition(models: models, dataset: dataset, scenario: Scenario("test"), parameters: parameters)
    let plan = try RunPlan(composition: composition, start: Month(2026, 1), months: months)
    let request = MonteCarloRequest(
        runs: runs, seed: 5, vary: (1...3).map { Variation("ishigami.x\($0)", .uniform(low: -Double.pi, high: Double.pi)) })
    return try MonteCarlo.run(plan, parameters: parameters, request: request)
}
