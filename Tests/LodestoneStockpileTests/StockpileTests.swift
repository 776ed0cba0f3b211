import Foundation
import LodestoneKernel
import LodestoneStockpile
import LodestoneTesting
import LodestoneTrade
import Testing

/// JP imports 100 t/month of X, all from CN, which has no spare capacity: a restriction of share
/// r gives a constant need of 100·r t/month.
let soleSupplier: Dataset = {
    var world = WorldBuilder(commodities: ["X": 10])
    world.flow(from: "CN", to: "JP", "X", perMonth: 100)
    world.capacity("CN", "X", perMonth: 100)
    return world.build()
}()

let quietTrade: [(String, Double)] = [
    ("trade.ramp_months", .infinity), ("trade.demand_elasticity", 0), ("trade.substitution_per_year", 0),
    ("trade.expansion_per_year", 0),
]

/// Tonnes per day of cover for D0 = 100 t/month.
let perDay = 100 / SimulationCalendar.daysPerMonth

func stockRun(
    share: Double = 1, cover: Double = 100, months: Int = 12, curbMonths: Int? = nil,
    _ extra: [(String, Double)] = []
) throws -> RunResult {
    let scenario = Scenario(
        "curb", events: [.restrict(from: "CN", to: "JP", commodity: "X", share: share, start: Month(2026, 1), months: curbMonths)])
    return try simulate(
        [TradeModel(), StockpileModel()], on: soleSupplier, scenario: scenario,
        preset: "v1", settings: quietTrade + [("stockpile.cover_days[JP]", cover)] + extra, months: months)
}

@Suite struct StockpileClosedForm {
    @Test(arguments: [100.0, 91.3125, 45, 7])
    func constantNeedExhaustsTheStockOnSchedule(cover: Double) throws {
        let result = try stockRun(cover: cover)
        let s0 = cover * perDay
        let n = 100.0
        let release = try result.series("stockpile.release[JP/X]")
        let fullMonths = Int((s0 / n).rounded(.down))
        for t in 0..<fullMonths { #expect(abs(release[t] - n) < 1e-9, "month \(t) releases the whole need") }
        #expect(release[fullMonths] < n)
        let exhaustion = Int((s0 / n).rounded(.up)) - 1
        #expect(try result.metric("stockpile.exhausted_at[JP/X]") == .month(Month(2026, 1) + exhaustion))
        guard case .number(let unmet) = try result.metric("stockpile.unmet_total[JP/X]") else {
            Issue.record("unmet_total is not a number")
            return
        }
        #expect(abs(unmet - max(0, 12 * n - s0)) < 1e-9)
    }

    @Test func noCoverMeansNoExhaustionMetric() throws {
        let result = try stockRun(cover: 0)
        #expect(try result.metric("stockpile.exhausted_at[JP/X]") == MetricValue.none)
        #expect(try result.metric("stockpile.unmet_total[JP/X]") == .number(1200))
    }

    @Test func releaseCapLimitsEachMonth() throws {
        let result = try stockRun(cover: 100, [("stockpile.max_release_days", 20)])
        let cap = 20 * perDay
        let release = try result.series("stockpile.release[JP/X]")
        for t in 0..<5 { #expect(abs(release[t] - cap) < 1e-9) }
        #expect(release[5] < 1e-9)
        #expect(abs(try result.series("stockpile.unmet[JP/X]")[0] - (100 - cap)) < 1e-9)
        #expect(try result.metric("stockpile.exhausted_at[JP/X]") == .month(Month(2026, 5)))
    }

    @Test func floorIsNeverReleased() throws {
        let result = try stockRun(cover: 100, [("stockpile.floor_days", 40)])
        let level = try result.series("stockpile.level[JP/X]")
        #expect(abs(level.last! - 40 * perDay) < 1e-9)
        #expect(try result.metric("stockpile.exhausted_at[JP/X]") == .month(Month(2026, 2)))
    }

    @Test func triggerHoldsBackSmallShortfalls() throws {
        let held = try stockRun(share: 0.4, [("stockpile.release_trigger", 0.5)])
        #expect(try held.series("stockpile.release[JP/X]").allSatisfy { $0 == 0 })
        #expect(try held.series("stockpile.unmet[JP/X]").allSatisfy { abs($0 - 40) < 1e-9 })
        let released = try stockRun(share: 0.6, [("stockpile.release_trigger", 0.5)])
        #expect(try released.series("stockpile.release[JP/X]")[0] == 60)
    }

    @Test func lagDelaysTheFirstRelease() throws {
        let result = try stockRun(cover: 100, [("stockpile.release_lag_months", 2)])
        let release = try result.series("stockpile.release[JP/X]")
        #expect(release[0] == 0 && release[1] == 0 && release[2] == 100)
        #expect(try result.metric("stockpile.exhausted_at[JP/X]") == .month(Month(2026, 6)))
    }

    @Test func privatePoolGoesFirstAndStatePoolWaitsForItsLag() throws {
        let result = try stockRun(
            cover: 100, [("stockpile.state_share", 0.5), ("stockpile.state_release_lag_months", 2)])
        let half = 50 * perDay
        let release = try result.series("stockpile.release[JP/X]")
        #expect(release[0] == 100)
        #expect(abs(release[1] - (half - 100)) < 1e-9)
        #expect(abs(release[2] - 100) < 1e-9)
        #expect(abs(try result.series("stockpile.state_level[JP/X]")[1] - half) < 1e-9)
        #expect(try result.metric("stockpile.exhausted_at[JP/X]") == .month(Month(2026, 4)))
    }

    @Test func stockIsRebuiltAfterTheCurbAndPurchasesRaiseDemand() throws {
        let result = try stockRun(cover: 30, months: 20, curbMonths: 2)
        let purchases = try result.series("stockpile.purchases[JP/X]")
        let demand = try result.series("trade.demand[JP/X]")
        #expect(purchases[1] == 0)
        #expect(abs(purchases[2] - 2 * perDay) < 1e-9)
        // Last month's purchases are added to this month's demand.
        #expect(abs(demand[3] - (100 + purchases[2])) < 1e-9)
        let level = try result.series("stockpile.level[JP/X]")
        #expect(abs(level.last! - 30 * perDay) < 1e-9, "rebuilt to the target")
    }
}

@Suite struct StockpileBalances {
    @Test func flowsAndStocksBalanceEveryMonthOnTheMiniatureWorld() throws {
        let result = try simulate(
            [TradeModel(), StockpileModel()], on: Fixtures.miniature, scenario: Fixtures.curbScenario, preset: "v1", months: 36)
        for key in ["JP/NdPr", "JP/DyTb", "US/NdPr", "ROW/DyTb"] {
            let demand = try result.series("trade.demand[\(key)]")
            let imports = try result.series("trade.imports[\(key)]")
            let release = try result.series("stockpile.release[\(key)]")
            let unmet = try result.series("stockpile.unmet[\(key)]")
            let purchases = try result.series("stockpile.purchases[\(key)]")
            let level = try result.series("stockpile.level[\(key)]")
            let cover = try result.parameters.values("stockpile.cover_days[\(key)]")[0].value
            var previous = cover * Fixtures.miniature.baselineDemand(
                importer: String(key.split(separator: "/")[0]), commodity: String(key.split(separator: "/")[1]))
                / SimulationCalendar.daysPerMonth
            for t in 0..<result.months {
                #expect(abs(imports[t] + release[t] + unmet[t] - demand[t]) <= 1e-9 * max(1, demand[t]), "\(key) month \(t)")
                #expect(abs((level[t] - previous) - (purchases[t] - release[t])) <= 1e-9 * max(1, level[t]), "\(key) month \(t)")
                #expect(level[t] >= 0)
                previous = level[t]
            }
        }
        #expect(try result.series("stockpile.release[JP/DyTb]").contains { $0 > 0 })
    }

    @Test func passesTheConformanceKit() throws {
        try ModelConformance(model: StockpileModel(), companions: [TradeModel()]).run()
    }

    /// With the market model v2 (late deliveries beyond demand go to the private pool, stock
    /// above the target is sold back, a quota and a halt that ends): `imports − surplus + release
    /// + unmet = demand` and `Δstock = purchases + surplus − release` every month.
    @Test func flowsAndStocksBalanceEveryMonthWithTheMarketV2() throws {
        var scenario = Fixtures.curbScenario
        scenario.add(.restrict(from: "CN", to: "JP", commodity: nil, share: 0.6, start: Month(2026, 3), months: 2))
        scenario.add(.quota(from: "CN", commodity: nil, tonnesPerYear: 12 * 300, start: Month(2026, 6), months: 12))
        let v2 = TradeParameters.v2.values.map { ("trade." + $0.path, $0.value) } + [("stockpile.destock_days", 2.0)]
        let result = try simulate(
            [TradeModel(), StockpileModel()], on: Fixtures.miniature, scenario: scenario, settings: v2, months: 36)
        var sawSurplus = false
        for key in ["JP/NdPr", "JP/DyTb", "US/NdPr", "ROW/DyTb"] {
            let demand = try result.series("trade.demand[\(key)]")
            let imports = try result.series("trade.imports[\(key)]")
            let surplus = try result.series("trade.surplus[\(key)]")
            let release = try result.series("stockpile.release[\(key)]")
            let unmet = try result.series("stockpile.unmet[\(key)]")
            let purchases = try result.series("stockpile.purchases[\(key)]")
            let level = try result.series("stockpile.level[\(key)]")
            let cover = try result.parameters.values("stockpile.cover_days[\(key)]")[0].value
            var previous = cover * Fixtures.miniature.baselineDemand(
                importer: String(key.split(separator: "/")[0]), commodity: String(key.split(separator: "/")[1]))
                / SimulationCalendar.daysPerMonth
            for t in 0..<result.months {
                let scale = max(1, demand[t], imports[t])
                #expect(abs(imports[t] - surplus[t] + release[t] + unmet[t] - demand[t]) <= 1e-9 * scale, "\(key) month \(t)")
                #expect(
                    abs((level[t] - previous) - (purchases[t] + surplus[t] - release[t])) <= 1e-9 * max(1, level[t]),
                    "\(key) month \(t)")
                #expect(level[t] >= 0 && demand[t] >= 0 && surplus[t] >= 0)
                if surplus[t] > 0 { sawSurplus = true }
                previous = level[t]
            }
        }
        #expect(sawSurplus, "the halt's deferred volume arrives after it, beyond demand")
        #expect(try result.series("trade.hoard[DyTb]").allSatisfy { $0 >= 0 })
        #expect(try result.series("trade.hoard[DyTb]").contains { $0 > 0 })
    }
}

@Suite struct StockpileRebuildTolerance {
    @Test func aTinyLastingShortfallStopsRebuildingOnlyWithoutTolerance() throws {
        // 0.05 % of demand stays blocked after the curb: strict rebuilding never starts, a 0.1 %
        // tolerance rebuilds to the target.
        let scenario = Scenario(
            "curb",
            events: [
                .restrict(from: "CN", to: "JP", commodity: "X", share: 1, start: Month(2026, 1), months: 2),
                .restrict(from: "CN", to: "JP", commodity: "X", share: 0.0005, start: Month(2026, 3), months: nil),
            ])
        func level(_ tolerance: Double) throws -> Double {
            let result = try simulate(
                [TradeModel(), StockpileModel()], on: soleSupplier, scenario: scenario,
                preset: "v1", settings: quietTrade + [("stockpile.cover_days[JP]", 30), ("stockpile.rebuild_tolerance", tolerance)],
                months: 40)
            return try result.series("stockpile.level[JP/X]").last!
        }
        #expect(try level(0) < 1)
        #expect(abs(try level(0.001) - 30 * perDay) < 1e-9)
    }
}

/// The price's stock term (market model v2, `stock_price_elasticity`) and the size of Japan's
/// stock: JP and US each import 100 t/month of X from CN; US holds 30 days; CN halts JP for a
/// year. The shortage term is constant (x = 100/200, elasticity 1: 2 × p0) and every other
/// response is off, so the peak is p0 · 2 · cover₀ / cover once JP's stock is gone
/// (Docs/Models.md, "A larger stock and the peak price").
@Suite struct StockCoverAndThePeakPrice {
    static let world: Dataset = {
        var world = WorldBuilder(commodities: ["X": 10])
        world.flow(from: "CN", to: "JP", "X", perMonth: 100)
        world.flow(from: "CN", to: "US", "X", perMonth: 100)
        world.capacity("CN", "X", perMonth: 200)
        world.stock("US", "X", .private, days: 30)
        return world.build()
    }()

    /// The peak price; `referenceDays` nil keeps the declared default of `stock_reference_days`.
    func peak(jpDays: Double, referenceDays: Double?) throws -> Double {
        let scenario = Scenario(
            "JP halted", events: [.restrict(from: "CN", to: "JP", commodity: "X", share: 1, start: Month(2026, 1), months: 12)])
        let reference = referenceDays.map { [("trade.stock_reference_days", $0)] } ?? []
        let result = try simulate(
            [TradeModel(), StockpileModel()], on: Self.world, scenario: scenario, preset: "v1",
            settings: quietTrade + [
                ("stockpile.cover_days[JP]", jpDays), ("trade.stock_price_elasticity", 1), ("trade.price_elasticity", 1),
                ("trade.price_lag_months", 0), ("trade.max_price_multiple", 1000),
            ] + reference, months: 12)
        guard case .number(let value) = try result.metric("trade.peak_price[X]") else {
            Issue.record("no peak price")
            return .nan
        }
        return value
    }

    @Test func measuredAgainstTheStartingStockALargerStockRaisesThePeak() throws {
        // cover₀ = JP's + US's days; once JP's is gone cover = US's 30: 2 × (60 + 30)/30 and 2 × (120 + 30)/30.
        #expect(abs(try peak(jpDays: 60, referenceDays: -1) - 10 * 2 * 3) < 1e-9)
        #expect(abs(try peak(jpDays: 120, referenceDays: -1) - 10 * 2 * 5) < 1e-9)
    }

    @Test(arguments: [60.0, 120, 180])
    func measuredAgainstAReferenceCoverALargerStockDoesNotRaiseIt(jpDays: Double) throws {
        // Reference 30 days of world demand (200 t/month), below the starting stocks: cover₀ is
        // 60 days of JP's demand, so once JP's stock is gone the factor is 60/30 = 2 whatever JP held.
        #expect(abs(try peak(jpDays: jpDays, referenceDays: 30) - 10 * 2 * 2) < 1e-9)
        #expect(try peak(jpDays: jpDays, referenceDays: 30) <= (try peak(jpDays: 60, referenceDays: 30)))
    }

    @Test func theDefaultReferenceIsAMonthOfWorldDemand() throws {
        // The default (30 days) gives the same peaks as the explicit 30: 40 USD/kg for 30 to 180
        // days of Japanese stock, so from a start at the reference on a larger stock never raises it.
        var previous = Double.infinity
        for jpDays in [30.0, 60, 120, 180] {
            let value = try peak(jpDays: jpDays, referenceDays: nil)
            #expect(abs(value - 10 * 2 * 2) < 1e-9, "JP \(jpDays) days: \(value)")
            #expect(value <= previous)
            previous = value
        }
    }

    @Test func belowTheReferenceAStartIsStillItsOwnReference() throws {
        // The documented limit (Docs/Models.md): world stocks below 30 days of world demand at the
        // start are their own reference. JP 0 days: US's stock is never drawn, factor 1, peak 2 × p0;
        // JP 20 days: start = (20 · 100 + 30 · 100)/200 = 25 days, once JP's are gone 15: 2 × 25/15.
        #expect(abs(try peak(jpDays: 0, referenceDays: nil) - 10 * 2) < 1e-9)
        #expect(abs(try peak(jpDays: 20, referenceDays: nil) - 10 * 2 * 25 / 15) < 1e-9)
    }
}

@Suite struct StockpileParameterEvents {
    /// A key still at its target (no shortfall, nothing bought) is computed again in the month a
    /// `set` event raises its target: it buys toward the new one, `rebuild_days` of demand a month.
    @Test func aStillKeyRebuildsTowardATargetRaisedByAnEvent() throws {
        let scenario = Scenario("raise", events: [.set(path: "stockpile.target_days[JP]", value: 120, at: Month(2026, 4))])
        let result = try simulate(
            [TradeModel(), StockpileModel()], on: soleSupplier, scenario: scenario, preset: "v1",
            settings: quietTrade + [("stockpile.cover_days[JP]", 100)], months: 8)
        let purchases = try result.series("stockpile.purchases[JP/X]")
        let level = try result.series("stockpile.level[JP/X]")
        for t in 0..<3 {
            #expect(purchases[t] == 0, "month \(t): still at the target")
            #expect(abs(level[t] - 100 * perDay) < 1e-9)
        }
        #expect(abs(purchases[3] - 2 * perDay) < 1e-9, "the raised target is bought toward")
        #expect(abs(level[3] - 102 * perDay) < 1e-9)
    }
}
