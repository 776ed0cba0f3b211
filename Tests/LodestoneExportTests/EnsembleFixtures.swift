import Foundation
import LodestoneKernel

@testable import LodestoneExport

/// Ensembles and sweeps of the ramp model, run through the kernel's `MonteCarlo` and `Sweep`.
///
/// Base parameters: `ramp.slope[JP/NdPr] = 3` (so `level[JP/NdPr] = 10 + 3t` in every run) and
/// the defaults otherwise (`offset` 10, `slope[JP/DyTb]` 2).
enum EnsembleFixture {
    /// The values `ramp.slope[JP/DyTb]` is drawn from: with 0.5 the level never reaches 20 in
    /// 12 months (10 + 0.5·11 = 15.5); with 1, 2, 4 it does at month index 10, 5, 3.
    static let slopes: [Double] = [0.5, 1, 2, 4]
    static let varied = "ramp.slope[JP/DyTb]"
    static let bands = ["ramp.level[JP/DyTb]", "ramp.level[JP/NdPr]"]

    static func plan() throws -> (plan: RunPlan, parameters: ParameterSet) {
        let models: [any Model] = [RampModel()]
        var parameters = ParameterSet(models: models, dataset: Fixture.dataset)
        try parameters.set("ramp.slope[JP/NdPr]", to: 3)
        let composition = try Composition(
            models: models, dataset: Fixture.dataset, scenario: Fixture.scenario, parameters: parameters)
        return (try RunPlan(composition: composition, start: Fixture.start, months: Fixture.months), parameters)
    }

    /// A 40-run ensemble varying `ramp.slope[JP/DyTb]` over ``slopes``, with bands of both levels.
    static func ensemble(
        runs: Int = 40, bandSignals: [String] = bands, isCancelled: CancellationCheck? = nil
    ) throws -> EnsembleResult {
        let (plan, parameters) = try plan()
        return try MonteCarlo.run(
            plan, parameters: parameters,
            request: MonteCarloRequest(
                runs: runs, seed: 11, vary: [Variation(varied, .choice(slopes))], bandSignals: bandSignals, threads: 2),
            isCancelled: isCancelled)
    }

    /// The slope each completed run drew.
    static func draws(_ ensemble: EnsembleResult) -> [Double] {
        (0..<ensemble.completedRuns).map { ensemble.variedValues[$0 * ensemble.request.vary.count] }
    }

    /// The q-quantile of `values` by linear interpolation between order statistics.
    static func quantile(_ values: [Double], _ q: Double) -> Double {
        let sorted = values.sorted()
        let h = Double(sorted.count - 1) * q
        let lower = Int(h.rounded(.down))
        let upper = min(sorted.count - 1, lower + 1)
        return sorted[lower] + (h - Double(lower)) * (sorted[upper] - sorted[lower])
    }

    /// A 3 × 2 sweep: `ramp.slope[JP/DyTb]` in 1, 2, 4 (slowest) × `ramp.offset` in 0, 10, so
    /// that `level[JP/DyTb] = offset + slope·t`.
    static func sweep() throws -> SweepResult {
        let (plan, parameters) = try plan()
        return try Sweep.run(
            plan, parameters: parameters, grid: [(varied, [1, 2, 4]), ("ramp.offset", [0, 10])], seed: 3, threads: 2)
    }

    /// Whether two numbers agree to within a relative 1e-12.
    static func close(_ a: Double, _ b: Double) -> Bool { abs(a - b) <= 1e-12 * max(1, abs(a), abs(b)) }
}
