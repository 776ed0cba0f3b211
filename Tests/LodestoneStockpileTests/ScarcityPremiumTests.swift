import Foundation
import LodestoneKernel
import LodestoneStockpile
import LodestoneTesting
import LodestoneTrade
import Testing

/// The expected-scarcity premium (`trade.scarcity_horizon_months`, Docs/Models.md, "Expected
/// scarcity"): p* = max(spot, p_short · e^(−M/H)), p_short = p0 (1 − d/D)^(−1/ε_p), M = S/d.
///
/// `soleSupplier`: JP buys 100 t/month of X (p0 = 10 USD/kg) from CN, which has no spare capacity,
/// so a curb of share r is a draw d = 100·r t/month on JP's stock. ε_p = 1 (p_short = 10/(1 − r)),
/// no price lag, releases count as supply (`release_in_price` 1: the spot price sees last month's
/// release), no rebuilding, cap out of the way.
@Suite struct ExpectedScarcityPremium {
    static let p0 = 10.0

    func prices(
        share: Double, cover: Double, curbMonths: Int, horizon: Double, months: Int = 8, _ extra: [(String, Double)] = []
    ) throws -> [Double] {
        let scenario = Scenario(
            "curb", events: [.restrict(from: "CN", to: "JP", commodity: "X", share: share, start: Month(2026, 1), months: curbMonths)])
        let result = try simulate(
            [TradeModel(), StockpileModel()], on: soleSupplier, scenario: scenario, preset: "v1",
            settings: quietTrade + [
                ("stockpile.cover_days[JP]", cover), ("stockpile.rebuild_days", 0), ("trade.release_in_price", 1),
                ("trade.price_elasticity", 1), ("trade.price_lag_months", 0), ("trade.max_price_multiple", 1000),
                ("trade.scarcity_horizon_months", horizon),
            ] + extra, months: months)
        return try result.series("trade.price[X]")
    }

    /// p_short · e^(−S/(d·H)) for a draw `d` on a stock `stock` (t), D = 100.
    func premium(draw d: Double, stock: Double, horizon: Double) -> Double {
        Self.p0 / (1 - d / 100) * exp(-stock / (d * horizon))
    }

    @Test(arguments: [(0.5, 60.0, 6.0), (0.5, 60, 12), (0.8, 120, 6)])
    func whenTheDrawStartsThePriceCarriesTheDiscountedShortagePrice(share: Double, cover: Double, horizon: Double) throws {
        let d = 100 * share, s0 = cover * perDay
        let with = try prices(share: share, cover: cover, curbMonths: 2, horizon: horizon)
        let without = try prices(share: share, cover: cover, curbMonths: 2, horizon: 0)
        // Month 0: last month's release was 0, so the spot price is already the shortage price.
        #expect(abs(with[0] - Self.p0 / (1 - share)) < 1e-9)
        // Month 1: the release covers the deficit (spot p0), the premium prices the coming shortage.
        let expected = premium(draw: d, stock: s0 - d, horizon: horizon)
        #expect(expected > Self.p0)
        #expect(abs(with[1] - expected) < 1e-9 * expected, "month 1: \(with[1]) against \(expected)")
        #expect(without[1] == Self.p0)
    }

    @Test func whenTheDrawStopsThePremiumIsGone() throws {
        // A two-month curb on 60 days: 97 t of stock are left, and the price is p0 from month 2 on.
        let with = try prices(share: 0.5, cover: 60, curbMonths: 2, horizon: 6)
        #expect(with[1] > Self.p0)
        for t in 2..<with.count { #expect(with[t] == Self.p0, "month \(t): \(with[t])") }
    }

    @Test func aSmallerDrawOnTheSameStockCarriesAMuchSmallerPremium() throws {
        // 30 t/month on 60 days: p_short 14.3, M ≈ 5.6 months, 14.3 · e^(−0.93) < p0: no premium yet.
        #expect(premium(draw: 30, stock: 60 * perDay - 30, horizon: 6) < Self.p0)
        #expect(try prices(share: 0.3, cover: 60, curbMonths: 2, horizon: 6)[1] == Self.p0)
        #expect(try prices(share: 0.5, cover: 60, curbMonths: 2, horizon: 6)[1] > Self.p0)
    }

    @Test func aSpentStockGivesTheSamePriceAsNoStock() throws {
        // 30 days ≈ 98.6 t at 50 t/month: spent in month 1, so from month 2 on both runs are at
        // the no-stock price p0/(1 − 0.5) = 20.
        let spent = try prices(share: 0.5, cover: 30, curbMonths: 8, horizon: 6)
        let none = try prices(share: 0.5, cover: 0, curbMonths: 8, horizon: 6)
        for t in 0..<none.count { #expect(abs(none[t] - 2 * Self.p0) < 1e-12, "no stock, month \(t)") }
        #expect(abs(spent[1] - premium(draw: 50, stock: 30 * perDay - 50, horizon: 6)) < 1e-9)
        for t in 2..<spent.count { #expect(spent[t] == none[t], "month \(t): \(spent[t]) against \(none[t])") }
        // The premium takes the place of the stock-cover term: switching that on changes nothing.
        let withCoverTerm = try prices(
            share: 0.5, cover: 30, curbMonths: 8, horizon: 6, [("trade.stock_price_elasticity", 1)])
        #expect(withCoverTerm == spent)
        // The defect it removes: with the cover term instead (horizon 0), the spent stock's floor
        // (5 % of the reference) multiplies the no-stock price by 20.
        let coverTerm = try prices(
            share: 0.5, cover: 30, curbMonths: 8, horizon: 0, [("trade.stock_price_elasticity", 1)])
        let noStockCoverTerm = try prices(
            share: 0.5, cover: 0, curbMonths: 8, horizon: 0, [("trade.stock_price_elasticity", 1)])
        #expect(abs(coverTerm[4] - 20 * 2 * Self.p0) < 1e-9)
        #expect(abs(noStockCoverTerm[4] - 2 * Self.p0) < 1e-12)
    }

    @Test func aLargerStockNeverRaisesThePrice() throws {
        // Month by month, a larger stock gives a price no higher, and none above the no-stock price.
        var previous = try prices(share: 0.5, cover: 0, curbMonths: 8, horizon: 6)
        for cover in [15.0, 30, 60, 120, 180] {
            let current = try prices(share: 0.5, cover: cover, curbMonths: 8, horizon: 6)
            for t in 0..<current.count {
                #expect(current[t] <= previous[t], "\(cover) days, month \(t): \(current[t]) > \(previous[t])")
                #expect(current[t] <= 2 * Self.p0)
            }
            previous = current
        }
    }
}
