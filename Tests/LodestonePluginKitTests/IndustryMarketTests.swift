import LodestoneKernel
import LodestonePluginKit
import LodestoneStockpile
import LodestoneTesting
import LodestoneTrade
import Testing

/// Σ_g a[c,g] · σ_g(n) for the documented shares of commodity `shares` after n months of shortage
/// in every sector that uses it (README.md's defaults).
func replacedShare(_ shares: [String: Double], months n: Double) -> Double {
    sectors.reduce(0) { sum, g in sum + shares[g]! * min(substitutionCap[g]!, substitutionRate[g]! / 12 * n) }
}

/// The documented NdPr sector shares (motors 0.62, electronics 0.26, wind 0.12).
let ndPrShare = ["motors": 0.62, "electronics": 0.26, "wind": 0.12, "catalysts": 0.0, "glass_polishing": 0.0]

/// `industry` taking part in the market: its lasting substitution lowers demand through
/// `market.demand_adjustment`, which trade reads the month after (Examples/IndustryPlugin/README.md).
@Suite struct IndustryMarketTests {
    /// The DyTb curb on JP from 2026-02 (month 1), 12 months, trade (v1 equations) without other responses.
    /// After shortage month t, industry writes A[t] = −D0 · Σ_g a[c,g] · σ_g(t) (t months of
    /// shortage so far); trade's demand in month t + 1 is D0 + A[t], so the shortfall is
    /// 30/32 · (32 + A[t]) = 30 · (1 − Σ a σ(t)). Substitution lasts: after the curb, demand stays
    /// 32 · (1 − Σ a σ(12)). Motors switching away from magnets need less NdPr too.
    @Test func substitutionLowersTheDemandTradeSeesNextMonth() throws {
        let result = try simulate(
            [TradeModel(), try industryModel()], on: Fixtures.miniature, scenario: Fixtures.curbScenario,
            preset: "v1", settings: quietTrade, months: 18)
        let adjustment = try result.series("market.demand_adjustment[JP/DyTb]")
        let ndPr = try result.series("market.demand_adjustment[JP/NdPr]")
        let demand = try result.series("trade.demand[JP/DyTb]")
        let shortfall = try result.series("trade.shortfall[JP/DyTb]")
        let ndPrD0 = Fixtures.miniature.baselineDemand(importer: "JP", commodity: "NdPr")
        for t in 0..<18 {
            let n = Double(min(max(t, 0), 12))  // shortage months up to and including t
            #expect(abs(adjustment[t] + 32 * replacedShare(dyTbShare, months: n)) < 1e-12, "month \(t)")
            #expect(abs(ndPr[t] + ndPrD0 * replacedShare(ndPrShare, months: n)) < 1e-9, "month \(t)")
            let before = Double(min(max(t - 1, 0), 12))
            #expect(abs(demand[t] - 32 * (1 - replacedShare(dyTbShare, months: before))) < 1e-12, "month \(t)")
            let expected = (1...12).contains(t) ? 30 * (1 - replacedShare(dyTbShare, months: before)) : 0
            #expect(abs(shortfall[t] - expected) < 1e-12, "month \(t)")
        }
        // Twelve months of shortage: motors 0.2 (0.8 × 0.2), electronics 0.1 × 0.1, wind 0.1 × 0.05.
        #expect(abs(demand[17] - 32 * (1 - 0.16 - 0.01 - 0.005)) < 1e-12)
        #expect(try result.series("market.demand_adjustment[US/DyTb]").allSatisfy { $0 == 0 })
    }

    /// With stockpile and the default market (v2): the same curb leaves less demand unmet and a lower
    /// price with industry's feedback than with `market_feedback` = 0 (industry only reporting).
    @Test func unmetDemandAndPriceAreLowerWithTheFeedback() throws {
        let models: [any Model] = [TradeModel(), StockpileModel(), try industryModel()]
        // The cap out of the way, so that the peak is the market's (as in the recycling plugin's test).
        let market = [("trade.max_price_multiple", 1000.0)]
        let oneWay = try simulate(
            models, on: Fixtures.miniature, scenario: Fixtures.curbScenario,
            settings: market + [("industry.market_feedback", 0)], months: 24)
        let twoWay = try simulate(
            models, on: Fixtures.miniature, scenario: Fixtures.curbScenario, settings: market, months: 24)
        let unmet = "stockpile.unmet_total[JP/DyTb]", peak = "trade.peak_price[DyTb]"
        #expect(try number(oneWay.metric("trade.months_at_price_cap[DyTb]")) == 0)
        #expect(try number(twoWay.metric(unmet)) < number(oneWay.metric(unmet)))
        #expect(try number(twoWay.metric(peak)) < number(oneWay.metric(peak)))
        #expect(try oneWay.series("market.demand_adjustment[JP/DyTb]").allSatisfy { $0 == 0 })
    }

    /// Industry and recycling in one market: trade's demand is D0 + A (industry, last month) − E
    /// (recycling, this month), each producer's contribution intact.
    @Test func industryAndRecyclingFormOneMarket() throws {
        let result = try simulate(
            [TradeModel(), try industryModel(), try recyclingModel()], on: Fixtures.miniature,
            scenario: Fixtures.curbScenario, preset: "v1", settings: quietTrade, months: 14)
        let adjustment = try result.series("market.demand_adjustment[JP/DyTb]")
        let recycled = try result.series("market.extra_supply[JP/DyTb]")
        let demand = try result.series("trade.demand[JP/DyTb]")
        #expect(adjustment[12] < 0 && recycled[12] > 0)
        for t in 1..<14 {
            #expect(abs(demand[t] - (32 + adjustment[t - 1] - recycled[t])) < 1e-12, "month \(t)")
        }
        #expect(try result.series("recycling.recycled[JP/DyTb]") == recycled)
    }
}
