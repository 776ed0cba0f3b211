import Foundation
import LodestoneKernel
import LodestoneTesting
import LodestoneTrade
import Testing

/// Parameters that switch off every response except the one a test looks at.
let quiet: [(String, Double)] = [
    ("trade.ramp_months", .infinity), ("trade.leakage", 0), ("trade.demand_elasticity", 0),
    ("trade.substitution_per_year", 0), ("trade.expansion_per_year", 0),
]

/// JP imports 100 t/month of X: 60 from CN, 40 from MY; US imports 50: 30 CN, 20 MY.
/// MY can export 100 t/month (40 spare); CN 120 (30 spare).
func twoImporterWorld(myCapacity: Double = 100) -> Dataset {
    var world = WorldBuilder(commodities: ["X": 10])
    world.flow(from: "CN", to: "JP", "X", perMonth: 60)
    world.flow(from: "MY", to: "JP", "X", perMonth: 40)
    world.flow(from: "CN", to: "US", "X", perMonth: 30)
    world.flow(from: "MY", to: "US", "X", perMonth: 20)
    world.capacity("CN", "X", perMonth: 120)
    world.capacity("MY", "X", perMonth: myCapacity)
    return world.build()
}

func curb(_ share: Double, to importer: String? = "JP", start: Month = Month(2026, 1), months: Int? = nil) -> Scenario {
    Scenario("curb", events: [.restrict(from: "CN", to: importer, commodity: nil, share: share, start: start, months: months)])
}

@Suite struct TradeClosedForms {
    @Test(arguments: [0.25, 0.5, 1.0])
    func shortfallIsBaselineTimesBlockedShare(share: Double) throws {
        let result = try simulate([TradeModel()], on: twoImporterWorld(), scenario: curb(share), preset: "v1", settings: quiet, months: 6)
        let shortfall = try result.series("trade.shortfall[JP/X]")
        // short = D0 · Σ_s share0 · R = 100 · 0.6 · share, exactly, every month.
        for value in shortfall { #expect(value == 100 * 0.6 * share) }
        #expect(try result.series("trade.shortfall[US/X]") == Array(repeating: 0, count: 6))
        #expect(try result.series("trade.imports[JP/X]").allSatisfy { $0 == 100 - 60 * share })
    }

    @Test func leakageLetsPartOfTheBlockedVolumeThrough() throws {
        let result = try simulate(
            [TradeModel()], on: twoImporterWorld(), scenario: curb(1),
            preset: "v1", settings: quiet + [("trade.leakage", 0.25)], months: 3)
        #expect(try result.series("trade.shortfall[JP/X]")[0] == 100 * 0.6 * 0.75)
    }

    @Test func restrictionEndsAfterItsMonths() throws {
        let result = try simulate(
            [TradeModel()], on: twoImporterWorld(), scenario: curb(1, start: Month(2026, 3), months: 2),
            preset: "v1", settings: quiet, months: 6)
        #expect(try result.series("trade.shortfall[JP/X]") == [0, 0, 60, 60, 0, 0])
    }

    @Test func exportLossValuesBlockedTonnesAtBasePrice() throws {
        let result = try simulate([TradeModel()], on: twoImporterWorld(), scenario: curb(0.5), preset: "v1", settings: quiet, months: 2)
        // 30 t/month blocked × 1000 kg/t × 10 USD/kg.
        #expect(try result.series("trade.export_loss[CN/X]")[0] == 30 * 1000 * 10)
        #expect(try result.series("trade.export_loss[MY/X]")[0] == 0)
    }
}

@Suite struct TradeResourcing {
    @Test(arguments: [1.0, 3.0, 6.0])
    func alternativeSupplyRampsWithTimeConstant(tau: Double) throws {
        // JP loses 60 t/month; MY has 60 spare, all for JP (US is not restricted, so has no loss).
        let world = twoImporterWorld(myCapacity: 120)
        let result = try simulate(
            [TradeModel()], on: world, scenario: curb(1), preset: "v1", settings: quiet + [("trade.ramp_months", tau)], months: 12)
        let alt = try result.series("trade.alt_supply[JP/X]")
        for (t, value) in alt.enumerated() {
            let expected = 60 * (1 - exp(-Double(t + 1) / tau))
            #expect(abs(value - expected) < 1e-9, "month \(t): \(value) vs \(expected)")
        }
    }

    @Test func zeroRampResourcesAtOnce() throws {
        let result = try simulate(
            [TradeModel()], on: twoImporterWorld(myCapacity: 120), scenario: curb(1),
            preset: "v1", settings: quiet + [("trade.ramp_months", 0)], months: 2)
        #expect(try result.series("trade.shortfall[JP/X]") == [0, 0])
        #expect(try result.series("trade.share[MY>JP/X]") == [1, 1])
    }

    @Test func spareCapacityIsSharedProRataToLosses() throws {
        // CN cuts both importers: JP loses 60, US loses 30. MY has 40 spare: JP gets 40·60/90, US 40·30/90.
        let result = try simulate(
            [TradeModel()], on: twoImporterWorld(), scenario: curb(1, to: nil),
            preset: "v1", settings: quiet + [("trade.ramp_months", 0)], months: 1)
        let jp = try result.series("trade.alt_supply[JP/X]")[0]
        let us = try result.series("trade.alt_supply[US/X]")[0]
        #expect(abs(jp - 40 * 60 / 90) < 1e-12)
        #expect(abs(us - 40 * 30 / 90) < 1e-12)
        #expect(abs(try result.series("trade.shortfall[JP/X]")[0] - (60 - 40 * 60 / 90)) < 1e-12)
    }

    @Test func restrictingExporterDoesNotResupplyItsTarget() throws {
        // CN restricts JP only; CN's own 30 spare must not flow to JP, MY's 40 does.
        let result = try simulate(
            [TradeModel()], on: twoImporterWorld(), scenario: curb(1),
            preset: "v1", settings: quiet + [("trade.ramp_months", 0)], months: 1)
        #expect(abs(try result.series("trade.alt_supply[JP/X]")[0] - 40) < 1e-12)
        #expect(try result.series("trade.share[CN>JP/X]")[0] == 0)
    }
}

@Suite struct TradePrice {
    @Test func steadyStatePriceFollowsElasticity() throws {
        let result = try simulate(
            [TradeModel()], on: twoImporterWorld(), scenario: curb(0.5),
            preset: "v1", settings: quiet + [("trade.price_lag_months", 0)], months: 3)
        // x = 30 / 150 short of world demand; p = p0 (1 − x)^(−1/0.15) (below the 30 × p0 cap).
        let expected = 10 * pow(1 - 30.0 / 150, -1 / 0.15)
        for price in try result.series("trade.price[X]") { #expect(abs(price - expected) < 1e-9 * expected) }
    }

    @Test func priceCapAppliesToTheTarget() throws {
        let result = try simulate(
            [TradeModel()], on: twoImporterWorld(), scenario: curb(1, to: nil),
            preset: "v1", settings: quiet + [("trade.price_lag_months", 0), ("trade.max_price_multiple", 5)], months: 1)
        #expect(try result.series("trade.price[X]")[0] == 50)
    }

    @Test(arguments: [1.0, 4.0])
    func priceMovesWithItsLag(lag: Double) throws {
        let result = try simulate(
            [TradeModel()], on: twoImporterWorld(), scenario: curb(0.5),
            preset: "v1", settings: quiet + [("trade.price_lag_months", lag)], months: 8)
        let target = 10 * pow(1 - 30.0 / 150, -1 / 0.15)
        for (t, price) in try result.series("trade.price[X]").enumerated() {
            let expected = target + (10 - target) * exp(-Double(t + 1) / lag)
            #expect(abs(price - expected) < 1e-9 * target, "month \(t)")
        }
    }
}

@Suite struct TradeLongRun {
    @Test func substitutionGrowsWhileThePriceIsElevated() throws {
        let result = try simulate(
            [TradeModel()], on: twoImporterWorld(), scenario: curb(1),
            preset: "v1", settings: quiet + [("trade.price_lag_months", 0), ("trade.substitution_per_year", 0.12)], months: 40)
        let sigma = try result.series("trade.substitution[JP/X]")
        // p(−1) = p0 in month 0: not elevated. From month 1, +1% a month up to the 0.3 cap.
        #expect(sigma[0] == 0)
        #expect(abs(sigma[1] - 0.01) < 1e-12)
        #expect(abs(sigma[10] - 0.10) < 1e-12)
        #expect(sigma[39] == 0.3)
        // Demand falls with substitution: D = D0 (1 − σ).
        #expect(abs(try result.series("trade.demand[JP/X]")[10] - 100 * 0.9) < 1e-9)
    }

    @Test func capacityExpandsOutsideTheRestrictorAfterTheLag() throws {
        let result = try simulate(
            [TradeModel()], on: twoImporterWorld(), scenario: curb(1),
            preset: "v1", settings: quiet + [("trade.price_lag_months", 0), ("trade.expansion_per_year", 0.12),
                               ("trade.expansion_lag_months", 3)],
            months: 8)
        let capacity = try result.series("trade.capacity[MY/X]")
        // Elevated from month 1; the count exceeds 3 from month 4: +0.01 · 150 t/month each month,
        // all to MY (CN restricts JP, so it gets none).
        #expect(capacity[3] == 100)
        #expect(abs(capacity[4] - 101.5) < 1e-9)
        #expect(abs(capacity[7] - 106) < 1e-9)
        #expect(try result.series("trade.capacity[CN/X]")[7] == 120)
    }
}

@Suite struct TradeConformance {
    @Test func passesTheConformanceKit() throws {
        try ModelConformance(
            model: TradeModel(),
            balances: [
                // Late deliveries beyond demand are the surplus (market v2; 0 in v1).
                .init("imports + shortfall = demand + surplus") { result in
                    let keys = result.signals.filter { $0.name == "trade.demand" }.map(\.key)
                    return try keys.flatMap { key in
                        let d = try result.series("trade.demand[\(key)]")
                        let m = try result.series("trade.imports[\(key)]")
                        let s = try result.series("trade.shortfall[\(key)]")
                        let extra = try result.series("trade.surplus[\(key)]")
                        return (0..<d.count).map { m[$0] + s[$0] - d[$0] - extra[$0] }
                    }
                }
            ]
        ).run()
    }
}

func + (lhs: [(String, Double)], rhs: [(String, Double)]) -> [(String, Double)] {
    var all = lhs
    for (k, v) in rhs {
        if let i = all.firstIndex(where: { $0.0 == k }) { all[i] = (k, v) } else { all.append((k, v)) }
    }
    return all
}
