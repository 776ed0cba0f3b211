import Foundation
import LodestoneKernel
import LodestoneStockpile
import LodestoneTesting
import LodestoneTrade
import Testing

@testable import LodestoneAnalysis

@Suite("calibration")
struct CalibrationTests {
    @Test("Nelder–Mead finds an interior minimum, and a minimum on a bound")
    func nelderMead() throws {
        let optimizer = NelderMead()
        let inside = optimizer.minimize(from: [0.5, 0.5]) { x in
            let a = x[0] - 0.3
            let b = x[1] - 0.7
            return a * a + 10 * b * b + a * b
        }
        #expect(abs(inside.point[0] - 0.3) < 1e-4 && abs(inside.point[1] - 0.7) < 1e-4)
        #expect(inside.evaluations <= optimizer.maximumEvaluations)
        let edge = optimizer.minimize(from: [0.5]) { x in (x[0] - 1.5) * (x[0] - 1.5) }
        #expect(edge.point == [1])
    }

    @Test("observations parse from month,series,value CSV; bad rows are errors naming file:line")
    func observations() throws {
        let url = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent(
            "../../Docs/Validation/backcast-2010.csv")
        let backcast = try ObservedSeries(csv: String(contentsOf: url, encoding: .utf8), file: "backcast-2010.csv")
        #expect(backcast.observations.count == 360)
        #expect(backcast.observations.first == .init(month: Month(2009, 1), series: "jp_imports_from_cn", value: 1884))
        #expect(backcast.names.first == "jp_imports_from_cn")
        #expect(throws: AnalysisError("f.csv:1: expected the header `month,series,value`")) {
            try ObservedSeries(csv: "month,value\n", file: "f.csv")
        }
        #expect(throws: AnalysisError("f.csv:3: expected a month such as 2010-09, got `2026-13`")) {
            try ObservedSeries(csv: "month,series,value\n2026-01,a,1\n2026-13,a,2\n", file: "f.csv")
        }
        #expect(throws: AnalysisError("f.csv:2: expected a finite number, got `nan`")) {
            try ObservedSeries(csv: "month,series,value\n2026-01,a,nan\n", file: "f.csv")
        }
    }

    @Test("recovery: series simulated with known parameters are fitted back within 5 %")
    func recovery() throws {
        let dataset = Fixtures.miniature
        let models: [any Model] = [TradeModel(), StockpileModel()]
        var scenario = Scenario("curb")
        scenario.add(.restrict(from: "CN", to: "JP", commodity: "DyTb", share: 1, start: Month(2026, 2), months: 12))
        let base = ParameterSet(models: models, dataset: dataset)
        let composition = try Composition(models: models, dataset: dataset, scenario: scenario, parameters: base)
        let plan = try RunPlan(composition: composition, start: Month(2026, 1), months: 24)
        var truth = base
        try truth.set("trade.ramp_months", to: 4)
        try truth.set("stockpile.cover_days[JP/DyTb]", to: 75)
        let run = try Runner.run(plan, parameters: truth, seed: 1)
        var observations: [ObservedSeries.Observation] = []
        for id in ["stockpile.days_of_cover[JP/DyTb]", "trade.price[DyTb]"] {
            for (t, value) in try run.series(id).enumerated() {
                observations.append(.init(month: Month(2026, 1) + t, series: id, value: value))
            }
        }
        let request = CalibrationRequest(
            bounds: [("trade.ramp_months", 1, 12), ("stockpile.cover_days[JP/DyTb]", 20, 200)], restarts: 2)
        let fit = try Calibration.run(plan, parameters: base, observed: ObservedSeries(observations), request: request)
        #expect(abs(fit.values[0] - 4) / 4 < 0.05, "ramp_months \(fit.values[0])")
        #expect(abs(fit.values[1] - 75) / 75 < 0.05, "cover_days \(fit.values[1])")
        #expect(fit.objective < 0.01)
        #expect(fit.fits.map(\.signal) == ["stockpile.days_of_cover[JP/DyTb]", "trade.price[DyTb]"])
        #expect(fit.fits.allSatisfy { $0.count == 24 && $0.relative < 0.02 })
        #expect(fit.atBound == [false, false])
        // Away from the optimum the objective rises on both sides.
        for (j, s) in fit.sensitivity.enumerated() { #expect(s.minus > fit.objective && s.plus > fit.objective, "parameter \(j)") }
    }

    @Test("an unknown signal or a month outside the run is an error before the search")
    func errors() throws {
        let dataset = Fixtures.miniature
        let models: [any Model] = [TradeModel(), StockpileModel()]
        let base = ParameterSet(models: models, dataset: dataset)
        let plan = try RunPlan(
            composition: Composition(models: models, dataset: dataset, scenario: Scenario("none"), parameters: base),
            start: Month(2026, 1), months: 6)
        let request = CalibrationRequest(bounds: [("trade.ramp_months", 1, 12)])
        #expect(throws: AnalysisError.self) {
            try Calibration.run(plan, parameters: base, observed: ObservedSeries([.init(month: Month(2026, 1), series: "trade.prise[DyTb]", value: 1)]), request: request)
        }
        #expect(throws: AnalysisError.self) {
            try Calibration.run(plan, parameters: base, observed: ObservedSeries([.init(month: Month(2027, 1), series: "trade.price[DyTb]", value: 1)]), request: request)
        }
    }
}
