import Foundation
import LodestoneDiplomacy
import LodestoneKernel
import LodestoneStockpile
import LodestoneTesting
import LodestoneTrade
import Testing

let world: Dataset = {
    var world = WorldBuilder(commodities: ["X": 10, "DyTb": 370])
    world.flow(from: "CN", to: "JP", "X", perMonth: 60)
    world.flow(from: "MY", to: "JP", "X", perMonth: 40)
    world.flow(from: "CN", to: "JP", "DyTb", perMonth: 10)
    world.flow(from: "CN", to: "US", "X", perMonth: 50)
    world.capacity("CN", "X", perMonth: 120)
    world.capacity("CN", "DyTb", perMonth: 10)
    world.capacity("MY", "X", perMonth: 50)
    return world.build()
}()

let noSettlement: [(String, Double)] = [
    ("diplomacy.settle_base", 0), ("diplomacy.settle_pain_target", 0), ("diplomacy.settle_pain_restrictor", 0),
]

func incident(_ severity: Double, at month: Month = Month(2026, 1)) -> Scenario {
    Scenario("incident", events: [.incident(from: "CN", to: "JP", severity: severity, at: month)])
}

func diplomacyRun(_ scenario: Scenario, _ settings: [(String, Double)], months: Int = 24, seed: UInt64 = 1) throws -> RunResult {
    try simulate([TradeModel(), DiplomacyModel()], on: world, scenario: scenario, preset: "v1", settings: settings, months: months, seed: seed)
}

@Suite struct DiplomacyTension {
    @Test(arguments: [0.5, 0.8, 1.0])
    func tensionDecaysWithItsHalfLife(severity: Double) throws {
        let result = try diplomacyRun(incident(severity), noSettlement)
        let peak = 0.2 + severity * 0.8
        for (t, theta) in try result.series("diplomacy.tension[CN>JP]").enumerated() {
            let expected = 0.2 + (peak - 0.2) * pow(2, -Double(t) / 6)
            #expect(abs(theta - expected) < 1e-12, "month \(t)")
        }
    }

    @Test func restrictionMapsTensionAboveTheThreshold() throws {
        let result = try diplomacyRun(incident(0.8), noSettlement + [("trade.ramp_months", .infinity)])
        let tension = try result.series("diplomacy.tension[CN>JP]")
        let x = try result.series("diplomacy.restriction[CN>JP/X]")
        let dytb = try result.series("diplomacy.restriction[CN>JP/DyTb]")
        for t in 0..<result.months {
            let level = min(1, max(0, (tension[t] - 0.5) / 0.5))
            #expect(abs(x[t] - level) < 1e-12, "X has no default cap: 1.0")
            #expect(abs(dytb[t] - level) < 1e-12, "DyTb's default cap is 1.0")
        }
        #expect(x[0] > 0.6)
        #expect(x.last == 0)
        // Trade sees the restriction: CN's share of JP's X imports is cut.
        #expect(abs(try result.series("trade.shortfall[JP/X]")[0] - 60 * x[0]) < 1e-9)
    }

    @Test func secondIncidentCompoundsOnTheDecayedTension() throws {
        var scenario = incident(0.5)
        scenario.add(.incident(from: "CN", to: "JP", severity: 0.5, at: Month(2026, 4)))
        let tension = try diplomacyRun(scenario, noSettlement).series("diplomacy.tension[CN>JP]")
        let decayed = 0.2 + (0.6 - 0.2) * pow(2, -3.0 / 6)
        #expect(abs(tension[3] - (decayed + 0.5 * (1 - decayed))) < 1e-12)
    }
}

@Suite struct DiplomacySettlement {
    @Test func fixedHazardSettlesWithBinomialFrequency() throws {
        let settings = noSettlement + [("diplomacy.settle_base", 0.2), ("diplomacy.half_life_months", .infinity)]
        let models: [any Model] = [TradeModel(), DiplomacyModel()]
        var parameters = ParameterSet(models: models, dataset: world)
        for (path, value) in settings { try parameters.set(path, to: value) }
        let composition = try Composition(models: models, dataset: world, scenario: incident(1), parameters: parameters)
        let plan = try RunPlan(composition: composition, start: Month(2026, 1), months: 12)
        let runs = 2000
        var firstMonth = 0
        var withinYear = 0
        for k in 0..<runs {
            let result = try Runner.run(plan, parameters: parameters, seed: 99, stream: UInt64(k))
            if case .month(let month) = try result.metric("diplomacy.settled_at[CN>JP]") {
                withinYear += 1
                if month == Month(2026, 1) { firstMonth += 1 }
            }
        }
        // P(month 0) = 0.2; P(within 12 months) = 1 − 0.8^12. Four standard deviations.
        let p0 = 0.2, p12: Double = 1 - pow(0.8 as Double, 12.0)
        #expect(abs(Double(firstMonth) - p0 * Double(runs)) < 4 * (Double(runs) * p0 * (1 - p0)).squareRoot())
        #expect(abs(Double(withinYear) - p12 * Double(runs)) < 4 * (Double(runs) * p12 * (1 - p12)).squareRoot())
    }

    @Test func settlementLiftsTheRestrictionAtOnce() throws {
        let result = try diplomacyRun(incident(1), noSettlement + [("diplomacy.settle_base", 1)])
        #expect(try result.metric("diplomacy.settled_at[CN>JP]") == .month(Month(2026, 1)))
        #expect(try result.series("diplomacy.restriction[CN>JP/X]")[0] == 0)
        #expect(try result.series("diplomacy.tension[CN>JP]")[0] == 0.2)
        #expect(try result.series("trade.shortfall[JP/X]")[0] == 0)
    }

    @Test func talksAddTheirBoostInTheirMonth() throws {
        var scenario = incident(1)
        scenario.add(.talks(from: "CN", to: "JP", boost: 1, at: Month(2026, 4)))
        let result = try diplomacyRun(scenario, noSettlement + [("diplomacy.half_life_months", .infinity)])
        #expect(try result.metric("diplomacy.settled_at[CN>JP]") == .month(Month(2026, 4)))
        #expect(try result.series("diplomacy.hazard[CN>JP]")[3] == 1)
        #expect(try result.series("diplomacy.hazard[CN>JP]")[2] == 0)
    }

    @Test func hazardAddsLastMonthsPainOfBothSides() throws {
        let settings: [(String, Double)] = [
            ("diplomacy.settle_base", 0.01), ("diplomacy.settle_pain_target", 0.1),
            ("diplomacy.settle_pain_restrictor", 0.1), ("diplomacy.half_life_months", .infinity),
            ("trade.ramp_months", .infinity),
        ]
        let result = try diplomacyRun(incident(1), settings, months: 6, seed: 3)
        let hazard = try result.series("diplomacy.hazard[CN>JP]")
        let shortX = try result.series("trade.shortfall[JP/X]"), shortD = try result.series("trade.shortfall[JP/DyTb]")
        let demandX = try result.series("trade.demand[JP/X]"), demandD = try result.series("trade.demand[JP/DyTb]")
        let lossX = try result.series("trade.export_loss[CN/X]"), lossD = try result.series("trade.export_loss[CN/DyTb]")
        // CN's baseline exports by value: (60 + 50) t · 1000 · 10 + 10 t · 1000 · 370 per month.
        let baselineValue = 110.0 * 1000 * 10 + 10 * 1000 * 370
        #expect(hazard[0] == 0.01, "no pain in the first month")
        let settled = try result.metric("diplomacy.settled_at[CN>JP]")
        let last: Int = if case .month(let m) = settled { m - Month(2026, 1) } else { 5 }
        for t in 1...max(1, last) where t < 6 {
            let painTarget = (shortX[t - 1] * 10 + shortD[t - 1] * 370) / (demandX[t - 1] * 10 + demandD[t - 1] * 370)
            let painRestrictor = (lossX[t - 1] + lossD[t - 1]) / baselineValue
            #expect(abs(hazard[t] - (0.01 + 0.1 * painTarget + 0.1 * painRestrictor)) < 1e-12, "month \(t)")
        }
    }

    @Test func noIncidentMeansNoDiplomacySignalsAndTradeSeesNoRestriction() throws {
        let result = try diplomacyRun(Scenario("calm"), [])
        #expect(!result.signals.contains { $0.name.hasPrefix("diplomacy.") })
        #expect(try result.series("trade.shortfall[JP/X]").allSatisfy { $0 == 0 })
    }

    @Test func passesTheConformanceKit() throws {
        try ModelConformance(model: DiplomacyModel(), companions: [TradeModel(), StockpileModel()]).run()
    }
}
