import Foundation
import LodestoneKernel
import LodestonePluginKit
import LodestoneStockpile
import LodestoneTesting
import LodestoneTrade
import Testing

/// The recycling plugin built by `swift build` next to the test runner.
func recyclingModel() throws -> PluginModel {
    let path = buildDirectory.appendingPathComponent(PluginLoader.fileName(for: "recycling")).path
    try #require(
        FileManager.default.fileExists(atPath: path),
        "\(path) is missing: build it with `swift build --product recycling` (plain `swift build` builds it too)")
    return try #require(try PluginLoader(searchPath: []).load(path).first)
}

/// The potential of the miniature's JP/DyTb (D0 = 32 t/month) with the documented defaults.
let jpDyTbPotential = 32 * pow(1.07, -12) * 0.5 * 0.9

/// A metric's number (NaN for a month or none).
func number(_ value: MetricValue) -> Double {
    if case .number(let x) = value { return x }
    return .nan
}

@Suite struct RecyclingPluginTests {
    @Test func conformsWithTheMarketBalance() throws {
        try ModelConformance(model: try recyclingModel(), companions: [TradeModel(), StockpileModel()]).run()
    }

    /// Docs/Authoring-Modules.md's example of a balance of one's own ("recycled ≤ potential"),
    /// run as the guide shows it (the plugin loaded instead of `RecyclingModel()`).
    @Test func theGuidesCustomBalanceHolds() throws {
        let guide = try String(
            contentsOf: packageRoot.appendingPathComponent("Docs/Authoring-Modules.md"), encoding: .utf8)
        for line in [
            "let withinPotential = ModelConformance.Balance(\"recycled ≤ potential\") { result in",
            "    return zip(recycled, potential).map { max(0, $0 - $1) }",
            "try ModelConformance(model: RecyclingModel(), companions: [TradeModel()], balances: [withinPotential]).run()",
        ] {
            #expect(guide.contains(line), "the guide shows `\(line)`")
        }
        let withinPotential = ModelConformance.Balance("recycled ≤ potential") { result in
            let recycled = try result.series("recycling.recycled[JP/DyTb]")
            let potential = try result.series("recycling.potential[JP/DyTb]")
            return zip(recycled, potential).map { max(0, $0 - $1) }
        }
        try ModelConformance(model: try recyclingModel(), companions: [TradeModel()], balances: [withinPotential]).run()
        // Not a check that cannot fail: the reverse balance (recycled ≥ potential) has residuals,
        // since a calm run recycles its initial 1 % of the potential.
        let result = try simulate(
            [TradeModel(), try recyclingModel()], on: Fixtures.miniature, preset: "v1", settings: quietTrade, months: 4)
        #expect(try withinPotential.residuals(result).allSatisfy { $0 == 0 })
        let reverse = ModelConformance.Balance("recycled ≥ potential") { result in
            let recycled = try result.series("recycling.recycled[JP/DyTb]")
            let potential = try result.series("recycling.potential[JP/DyTb]")
            return zip(recycled, potential).map { max(0, $1 - $0) }
        }
        #expect(try reverse.residuals(result).allSatisfy { abs($0 - 0.99 * jpDyTbPotential) < 1e-9 })
    }

    @Test func declaresTheOpenInputItFeeds() throws {
        let model = try recyclingModel()
        let interface = try model.interface(
            in: ModelContext(dataset: Fixtures.miniature, scenario: Fixtures.curbScenario))
        let supply = try #require(interface.outputs.first)
        #expect(supply.name == "market.extra_supply" && supply.unit == .tonnesPerMonth)
        #expect(supply.keys == ["JP/NdPr", "JP/DyTb", "US/NdPr", "US/DyTb", "ROW/NdPr", "ROW/DyTb"])
        #expect(interface.inputs.map(\.signal) == ["trade.price"] && interface.inputs[0].timing == .delayed)
    }

    @Test func recyclesTheInitialShareOfItsPotentialWhilePricesAreCalm() throws {
        let result = try simulate([TradeModel(), try recyclingModel()], on: Fixtures.miniature, preset: "v1", settings: quietTrade, months: 4)
        for value in try result.series("recycling.potential[JP/DyTb]") { #expect(abs(value - jpDyTbPotential) < 1e-12) }
        for value in try result.series("market.extra_supply[JP/DyTb]") {
            #expect(abs(value - 0.01 * jpDyTbPotential) < 1e-12)
        }
        // Trade meets demand with it first: D' = D0 − R.
        for value in try result.series("trade.demand[JP/DyTb]") {
            #expect(abs(value - (32 - 0.01 * jpDyTbPotential)) < 1e-12)
        }
        #expect(try result.series("recycling.capacity_share[DyTb]") == [0.01, 0.01, 0.01, 0.01])
    }

    @Test func capacityGrowsAfterTheLagWhilePricesAreHigh() throws {
        // The curb starts in month 1 and the price moves at once (lag 0): recycling sees it high
        // from month 2, so n = t − 1 and κ grows by 0.5/12 a month once n > 6, from month 8.
        let result = try simulate(
            [TradeModel(), try recyclingModel()], on: Fixtures.miniature, scenario: Fixtures.curbScenario,
            preset: "v1", settings: quietTrade + [("trade.price_lag_months", 0)], months: 12)
        let share = try result.series("recycling.capacity_share[DyTb]")
        for t in 0..<12 {
            let expected = 0.01 + Double(max(0, t - 7)) * 0.5 / 12
            #expect(abs(share[t] - expected) < 1e-12, "month \(t): \(share[t]) vs \(expected)")
        }
        #expect(try result.series("recycling.capacity_share[NdPr]").allSatisfy { $0 == 0.01 })
        // The shortfall falls by what is recycled: CN's share (30/32) of D' is blocked.
        let shortfall = try result.series("trade.shortfall[JP/DyTb]")
        let recycled = try result.series("recycling.recycled[JP/DyTb]")
        for t in 1..<12 { #expect(abs(shortfall[t] - 30.0 / 32 * (32 - recycled[t])) < 1e-9) }
    }

    @Test func addsUpWithAnotherProducerOfExtraSupply() throws {
        let mine = ConstantProducer("mine", signal: "market.extra_supply", values: ["JP/DyTb": 4])
        let result = try simulate(
            [TradeModel(), try recyclingModel(), mine], on: Fixtures.miniature, preset: "v1", settings: quietTrade, months: 2)
        for value in try result.series("market.extra_supply[JP/DyTb]") {
            #expect(abs(value - (4 + 0.01 * jpDyTbPotential)) < 1e-12)
        }
        #expect(try result.series("market.extra_supply[US/NdPr]") == result.series("recycling.recycled[US/NdPr]"))
    }

    @Test func lowersUnmetDemandAndThePeakPriceInACurb() throws {
        // The cap out of the way, so that the peak is the market's (at v1's cap of 30 × p0
        // both runs peak at the cap).
        let models: [any Model] = [TradeModel(), StockpileModel()]
        let market = [("trade.max_price_multiple", 1000.0)]
        let without = try simulate(
            models, on: Fixtures.miniature, scenario: Fixtures.curbScenario, settings: market, months: 24)
        let with = try simulate(
            models + [try recyclingModel()], on: Fixtures.miniature, scenario: Fixtures.curbScenario, settings: market,
            months: 24)
        let unmet = "stockpile.unmet_total[JP/DyTb]", peak = "trade.peak_price[DyTb]"
        #expect(try number(without.metric("trade.months_at_price_cap[DyTb]")) == 0)
        #expect(try number(with.metric(unmet)) < number(without.metric(unmet)))
        #expect(try number(with.metric(peak)) < number(without.metric(peak)))
    }
}
