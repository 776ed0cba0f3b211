import Foundation
import LodestoneKernel
import LodestoneTesting
import LodestoneTrade
import Testing

/// Trade's open inputs (`market.*`, Docs/Models.md "Open inputs"), fed by stand-in producers.
@Suite struct TradeOpenInputs {
    @Test func extraSupplyMeetsDemandBeforeImports() throws {
        // JP: D0 = 100, E = 20 → D' = 80; CN (60 %) blocked, MY (40 %) ships 32; short = 0.6 · 80.
        let recycling = ConstantProducer("recycling", signal: "market.extra_supply", values: ["JP/X": 20])
        let result = try simulate(
            [TradeModel(), recycling], on: twoImporterWorld(), scenario: curb(1),
            preset: "v1", settings: quiet + [("trade.price_lag_months", 0)], months: 3)
        #expect(try result.series("trade.demand[JP/X]") == [80, 80, 80])
        #expect(try result.series("trade.imports[JP/X]") == [32, 32, 32])
        #expect(try result.series("trade.shortfall[JP/X]") == [48, 48, 48])
        #expect(try result.series("trade.shortfall[US/X]") == [0, 0, 0])
        #expect(try result.series("market.extra_supply[JP/X]") == [20, 20, 20])
        // x = 48 / (80 + 50) of world demand, below the 60 / 150 without recycling.
        let expected = 10 * pow(1 - 48.0 / 130, -1 / 0.15)
        for price in try result.series("trade.price[X]") { #expect(abs(price - expected) < 1e-9 * expected) }
    }

    @Test func extraSupplyBeyondDemandIsNotExported() throws {
        let mine = ConstantProducer("mine", signal: "market.extra_supply", values: ["JP/X": 150])
        let result = try simulate([TradeModel(), mine], on: twoImporterWorld(), scenario: curb(1), preset: "v1", settings: quiet, months: 2)
        #expect(try result.series("trade.demand[JP/X]") == [0, 0])
        #expect(try result.series("trade.shortfall[JP/X]") == [0, 0])
        #expect(try result.series("trade.imports[US/X]") == [50, 50])
    }

    @Test func demandAdjustmentsFromSeveralModulesAddUp() throws {
        // −4 − 6 = −10: D' = 90, short = 0.6 · 90 = 54.
        let thrift = ConstantProducer("thrift", signal: "market.demand_adjustment", values: ["JP/X": -4])
        let substitute = ConstantProducer("substitute", signal: "market.demand_adjustment", values: ["JP/X": -6])
        let result = try simulate(
            [TradeModel(), thrift, substitute], on: twoImporterWorld(), scenario: curb(1), preset: "v1", settings: quiet, months: 2)
        #expect(try result.series("market.demand_adjustment[JP/X]") == [-10, -10])
        #expect(try result.series("trade.demand[JP/X]") == [90, 90])
        #expect(try result.series("trade.shortfall[JP/X]") == [54, 54])
        #expect(try result.series("trade.imports[JP/X]") == [36, 36])
    }

    @Test func extraExportsAreSpareCapacityForResourcing() throws {
        // CN cuts both importers: JP loses 60, US 30. MY's spare is 40 + 50 offered = 90: all replaced.
        let mine = ConstantProducer("mine", signal: "market.extra_exports", values: ["MY/X": 50])
        let result = try simulate(
            [TradeModel(), mine], on: twoImporterWorld(), scenario: curb(1, to: nil),
            preset: "v1", settings: quiet + [("trade.ramp_months", 0)], months: 2)
        #expect(try result.series("trade.alt_supply[JP/X]") == [60, 60])
        #expect(try result.series("trade.alt_supply[US/X]") == [30, 30])
        #expect(try result.series("trade.shortfall[JP/X]") == [0, 0])
        #expect(try result.series("trade.capacity[MY/X]") == [150, 150])
    }

    @Test func producersOfZeroChangeNothing() throws {
        let zeros: [any Model] = [
            ConstantProducer("a", signal: "market.extra_supply", values: ["JP/X": 0, "US/X": 0]),
            ConstantProducer("b", signal: "market.extra_exports", values: ["MY/X": 0]),
            ConstantProducer("c", signal: "market.demand_adjustment", values: ["JP/X": 0]),
        ]
        let plain = try simulate([TradeModel()], on: twoImporterWorld(), scenario: curb(1), months: 12)
        let fed = try simulate([TradeModel()] + zeros, on: twoImporterWorld(), scenario: curb(1), months: 12)
        for id in ["trade.shortfall[JP/X]", "trade.price[X]", "trade.imports[US/X]", "trade.alt_supply[JP/X]"] {
            #expect(try plain.series(id) == fed.series(id), "\(id)")
        }
    }

    @Test(arguments: ["v1", "v2"])
    func balancesHoldWithOpenInputs(preset: String) throws {
        let models: [any Model] = [
            TradeModel(),
            ConstantProducer("recycling", signal: "market.extra_supply", values: ["JP/X": 15, "US/X": 5]),
            ConstantProducer("mine", signal: "market.extra_exports", values: ["MY/X": 10]),
            ConstantProducer("thrift", signal: "market.demand_adjustment", values: ["JP/X": -8]),
        ]
        let result = try simulate(
            models, on: twoImporterWorld(), scenario: curb(1, start: Month(2026, 3), months: 6), preset: preset, months: 18)
        for importer in ["JP", "US"] {
            let demand = try result.series("trade.demand[\(importer)/X]")
            let imports = try result.series("trade.imports[\(importer)/X]")
            let shortfall = try result.series("trade.shortfall[\(importer)/X]")
            let surplus = try result.series("trade.surplus[\(importer)/X]")
            for t in demand.indices {
                #expect(abs(imports[t] + shortfall[t] - demand[t] - surplus[t]) < 1e-9 * max(1, demand[t]))
            }
        }
    }
}
