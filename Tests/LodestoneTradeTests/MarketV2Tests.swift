import Foundation
import LodestoneKernel
import LodestoneTesting
import LodestoneTrade
import Testing

/// Closed forms of the market model v2's mechanisms (Docs/Models.md, "trade: market model v2"),
/// each on the two-importer world with every other response switched off (`quiet`).
@Suite struct MarketV2Quotas {
    /// CN ships 60 to JP and 30 to US: 90 t/month.
    func quota(_ tonnesPerYear: Double, commodity: String? = "X") -> Scenario {
        Scenario("quota", events: [
            .quota(from: "CN", commodity: commodity, tonnesPerYear: tonnesPerYear, start: Month(2026, 1), months: nil)
        ])
    }

    @Test func aQuotaAboveWhatBuyersWantDoesNotBind() throws {
        let result = try simulate([TradeModel()], on: twoImporterWorld(), scenario: quota(12 * 100), preset: "v1", settings: quiet, months: 3)
        #expect(try result.series("trade.shortfall[JP/X]") == [0, 0, 0])
        #expect(try result.series("trade.imports[JP/X]") == [100, 100, 100])
        #expect(try result.series("scenario.quota[CN/X]") == [100, 100, 100])
    }

    @Test(arguments: [nil, "X"] as [String?])
    func aBindingQuotaCutsEveryFlowInProportion(commodity: String?) throws {
        // Quota 45 t/month against 90 wanted: each CN flow halves; JP loses 30, US 15.
        let result = try simulate(
            [TradeModel()], on: twoImporterWorld(), scenario: quota(12 * 45, commodity: commodity), preset: "v1", settings: quiet,
            months: 2)
        #expect(try result.series("trade.shortfall[JP/X]") == [30, 30])
        #expect(try result.series("trade.shortfall[US/X]") == [15, 15])
        // Blocked exports valued at p0 = 10 USD/kg.
        #expect(try result.series("trade.export_loss[CN/X]")[0] == 45 * 1000 * 10)
    }

    @Test func theQuotaBoundsWhatTheExporterOffersReSourcing() throws {
        // CN curbs JP (60 lost); MY has 40 spare but a quota of 70 t/month on exports of 60, so
        // only 10 of its spare can reach JP.
        let scenario = Scenario("quota on the alternative", events: [
            .restrict(from: "CN", to: "JP", commodity: nil, share: 1, start: Month(2026, 1), months: nil),
            .quota(from: "MY", commodity: "X", tonnesPerYear: 12 * 70, start: Month(2026, 1), months: nil),
        ])
        let result = try simulate(
            [TradeModel()], on: twoImporterWorld(), scenario: scenario, preset: "v1", settings: quiet + [("trade.ramp_months", 0)],
            months: 2)
        #expect(try result.series("trade.alt_supply[JP/X]") == [10, 10])
        #expect(try result.series("trade.shortfall[JP/X]") == [50, 50])
    }
}

@Suite struct MarketV2DeferredDeliveries {
    @Test func halfOfWhatAHaltBlocksArrivesAfterIt() throws {
        // A two-month halt blocks 60 t/month; half is deferred: 60 t wait. With catch_up_months 0
        // all of it arrives in the first open month, beyond demand: a surplus of 60.
        let scenario = curb(1, start: Month(2026, 2), months: 2)
        let result = try simulate(
            [TradeModel()], on: twoImporterWorld(), scenario: scenario,
            preset: "v1", settings: quiet + [("trade.deferred_share", 0.5), ("trade.catch_up_months", 0)], months: 5)
        #expect(try result.series("trade.shortfall[JP/X]") == [0, 60, 60, 0, 0])
        #expect(try result.series("trade.deferred[JP/X]") == [0, 30, 60, 0, 0])
        #expect(try result.series("trade.imports[JP/X]") == [100, 40, 40, 160, 100])
        #expect(try result.series("trade.surplus[JP/X]") == [0, 0, 0, 60, 0])
    }

    @Test func theBacklogArrivesAlongTheCatchUpLag() throws {
        let scenario = curb(1, start: Month(2026, 1), months: 1)
        let tau = 2.0
        let result = try simulate(
            [TradeModel()], on: twoImporterWorld(), scenario: scenario,
            preset: "v1", settings: quiet + [("trade.deferred_share", 1), ("trade.catch_up_months", tau)], months: 4)
        let surplus = try result.series("trade.surplus[JP/X]")
        // 60 t wait; each open month delivers the share 1 − e^(−1/τ) of what still waits.
        let rate = 1 - exp(-1 / tau)
        #expect(abs(surplus[1] - 60 * rate) < 1e-12)
        #expect(abs(surplus[2] - 60 * (1 - rate) * rate) < 1e-12)
    }
}

@Suite struct MarketV2Thrifting {
    @Test func thriftingBuildsWhileThePriceIsHighAndStaysWhenItFalls() throws {
        // A total curb for 6 months lifts the price far above 1.5 p0 from the first month; θ grows
        // by 0.12/12 = 0.01 a month from the month after (it reads last month's price), then stays.
        let result = try simulate(
            [TradeModel()], on: twoImporterWorld(), scenario: curb(1, start: Month(2026, 1), months: 6),
            preset: "v1", settings: quiet + [("trade.thrifting_per_year", 0.12), ("trade.price_lag_months", 0)], months: 12)
        let theta = try result.series("trade.thrifting[JP/X]")
        #expect(theta[0] == 0)
        for t in 1...6 { #expect(abs(theta[t] - 0.01 * Double(t)) < 1e-12, "month \(t): \(theta[t])") }
        // The curb ends in month 6; the price returns to p0 and θ does not fall back.
        #expect(try result.series("trade.price[X]")[11] == 10)
        for t in 7..<12 { #expect(abs(theta[t] - 0.06) < 1e-12) }
        // Demand stays 6 % below baseline: the lasting part of the response.
        #expect(abs(try result.series("trade.demand[JP/X]")[11] - 94) < 1e-9)
    }
}

@Suite struct MarketV2Hoarding {
    @Test func buyersStockUpAgainstAnExpectedLossAndSellWhenItPasses() throws {
        // JP loses 60 of 150 t/month worldwide: a lost share of 0.4. With threat_months 0 buyers
        // expect it at once (next month), want hoard_months · 0.4 · 150 and buy it at once.
        let settings = quiet + [
            ("trade.hoard_months", 2), ("trade.threat_months", 0), ("trade.hoard_adjust_months", 0),
        ]
        let result = try simulate(
            [TradeModel()], on: twoImporterWorld(), scenario: curb(1, start: Month(2026, 1), months: 3),
            preset: "v1", settings: settings, months: 6)
        let demand = try result.series("trade.demand[US/X]")
        // Month 1: buyers want 2 · 0.4 · 150 = 120 t, shared by baseline demand: US (50/150) buys 40.
        #expect(abs(demand[1] - 90) < 1e-9)
        let hoard = try result.series("trade.hoard[X]")
        #expect(hoard[0] == 0)
        #expect(hoard[1] > 0)
        // After the curb (month 3 on) the expected loss is 0 and the stock is sold: demand falls
        // below the baseline while it is, and the stock ends at 0.
        #expect(demand[4] < 50)
        #expect(hoard[5] == 0)
    }
}

@Suite struct MarketV2Speculation {
    @Test func buyersStockUpWhileThePriceRisesAndSellWhenItStops() throws {
        // A 50 % curb on JP in month 0 only: x = 30/150 = 0.2, and with no price lag
        // p(0) = 10 · 0.8^(−1/0.15). The reference p̄ closes 1 − e^(−1) of the gap (trend_months 1):
        // p̄(0) = 10 + (p(0) − 10)(1 − e^(−1)). In month 1 buyers see the rise r = (p − p̄)/p̄ and,
        // with hoard_adjust_months 0, buy H* = speculation_months · r/(1 + r) · Σ D0 at once, shared
        // by baseline demand (US: 50 of 150). No loss is expected (hoard_months 0).
        let settings = quiet + [
            ("trade.speculation_months", 2), ("trade.trend_months", 1), ("trade.hoard_adjust_months", 0),
            ("trade.price_lag_months", 0),
        ]
        let result = try simulate(
            [TradeModel()], on: twoImporterWorld(), scenario: curb(0.5, start: Month(2026, 1), months: 1),
            preset: "v1", settings: settings, months: 4)
        let p0 = 10.0
        let p = p0 * pow(0.8, -1 / 0.15)
        let price = try result.series("trade.price[X]")
        #expect(abs(price[0] - p) < 1e-9 * p)
        let reference = p0 + (p - p0) * (1 - exp(-1))
        let rise = (p - reference) / reference
        let wanted = 2 * rise / (1 + rise) * 150
        let demand = try result.series("trade.demand[US/X]")
        #expect(abs(demand[1] - (50 + wanted / 3)) < 1e-9)
        // Every purchase is delivered (direct flows follow demand), so the stock holds H*.
        let hoard = try result.series("trade.hoard[X]")
        #expect(abs(hoard[1] - wanted) < 1e-9)
        // The curb is over: the price is back at p0 in month 1, below p̄, so r = 0 and the whole
        // stock is sold in month 2, lowering demand by the same share (destocking).
        #expect(price[1] == p0)
        #expect(abs(demand[2] - (50 - wanted / 3)) < 1e-9)
        #expect(hoard[2] == 0)
        #expect(demand[3] == 50)
    }

    @Test func withoutSpeculationDemandIgnoresTheRise() throws {
        let settings = quiet + [("trade.trend_months", 1), ("trade.hoard_adjust_months", 0), ("trade.price_lag_months", 0)]
        let result = try simulate(
            [TradeModel()], on: twoImporterWorld(), scenario: curb(0.5, start: Month(2026, 1), months: 1),
            preset: "v1", settings: settings, months: 3)
        #expect(try result.series("trade.demand[US/X]") == [50, 50, 50])
        #expect(try result.series("trade.hoard[X]") == [0, 0, 0])
    }
}

@Suite struct MarketV2Supply {
    @Test func anOfftakeIsServedBeforeTheSpotMarket() throws {
        // MY has 40 t/month beyond its baseline flows; JP contracts 30 of it: JP's direct flows
        // are split on the remaining 70 t of demand (CN 42, MY 28), imports still 100.
        let scenario = Scenario("offtake", events: [
            .offtake(from: "MY", to: "JP", commodity: "X", tonnesPerYear: 12 * 30, start: Month(2026, 1), months: nil)
        ])
        let result = try simulate([TradeModel()], on: twoImporterWorld(), scenario: scenario, preset: "v1", settings: quiet, months: 2)
        #expect(try result.series("trade.imports[JP/X]") == [100, 100])
        let cnShare = try result.series("trade.share[CN>JP/X]")[0]
        #expect(abs(cnShare - 0.42) < 1e-12)
    }

    @Test func newCapacityJoinsReSourcingFromItsStart() throws {
        // MY has no spare (capacity = its flows); 20 t/month of new capacity from month 2.
        let scenario = Scenario("new mine", events: [
            .restrict(from: "CN", to: "JP", commodity: nil, share: 1, start: Month(2026, 1), months: nil),
            .newCapacity(region: "MY", commodity: "X", tonnesPerYear: 12 * 20, start: Month(2026, 3)),
        ])
        let result = try simulate(
            [TradeModel()], on: twoImporterWorld(myCapacity: 60), scenario: scenario,
            preset: "v1", settings: quiet + [("trade.ramp_months", 0)], months: 4)
        #expect(try result.series("trade.alt_supply[JP/X]") == [0, 0, 20, 20])
        #expect(try result.metric("trade.months_without_alternative[JP/X]") == .number(2))
    }

    @Test func aPriceAtItsCapIsCounted() throws {
        let result = try simulate(
            [TradeModel()], on: twoImporterWorld(), scenario: curb(1, start: Month(2026, 1), months: 3),
            preset: "v1", settings: quiet + [("trade.max_price_multiple", 2), ("trade.price_lag_months", 0)], months: 5)
        #expect(try result.metric("trade.months_at_price_cap[X]") == .number(3))
        #expect(result.boundWarnings.first?.hasPrefix("X: price at its cap (max_price_multiple) for 3 months") == true)
    }
}
