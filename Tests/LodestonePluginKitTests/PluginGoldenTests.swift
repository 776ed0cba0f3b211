import LodestoneDiplomacy
import LodestoneKernel
import LodestonePluginKit
import LodestoneStockpile
import LodestoneTesting
import LodestoneTrade
import Testing

/// FNV-1a over the bit patterns of doubles.
struct BitHash {
    private(set) var value: UInt64 = 0xCBF2_9CE4_8422_2325
    mutating func add(_ x: Double) {
        var bits = x.bitPattern
        for _ in 0..<8 {
            value = (value ^ (bits & 0xFF)) &* 0x100_0000_01B3
            bits >>= 8
        }
    }
    mutating func add(_ xs: [Double]) { xs.forEach { add($0) } }
}

/// The example plugins compute today what they computed in the per-run form they were first
/// written in: every series value and metric of single runs and of an ensemble (with the
/// plugin's own parameters varied), hashed bit for bit. The hashes were recorded from the
/// per-run `RecyclingInstance` and `IndustryInstance` (commit c0ff22e) before both moved to the
/// batch form; a change of any value by one bit changes them.
@Suite struct PluginGoldenTests {
    /// Trade's defaults when the hashes were recorded: `stock_reference_days` became 30 in session 7
    /// (Docs/Models.md, "A larger stock and the peak price") and `scarcity_horizon_months` 6 in
    /// session 9 (the market model v3); pinned so that the hashes test the plugins' code, not
    /// trade's defaults.
    static let before: [(String, Double)] = [("trade.stock_reference_days", -1), ("trade.scarcity_horizon_months", 0)]

    /// Single runs of trade, stockpile, diplomacy and the plugin on the miniature world under
    /// the curb, three seeds, with some of the plugin's parameters set.
    static func runsHash(_ plugin: any Model, settings: [(String, Double)]) throws -> UInt64 {
        var hash = BitHash()
        let models: [any Model] = [TradeModel(), StockpileModel(), DiplomacyModel(), plugin]
        for seed: UInt64 in [1, 2, 3] {
            let result = try simulate(
                models, on: Fixtures.miniature, scenario: Fixtures.curbScenario,
                settings: settings + [("trade.max_price_multiple", 1000)] + Self.before, months: 36, seed: seed)
            hash.add(result.values)
            hash.add(result.metricValues)
        }
        return hash.value
    }

    /// An ensemble of 40 runs with `vary`, its metrics and varied values hashed.
    static func ensembleHash(_ plugin: any Model, vary: [Variation], blockSize: Int? = nil, threads: Int = 1) throws
        -> UInt64
    {
        let models: [any Model] = [TradeModel(), StockpileModel(), DiplomacyModel(), plugin]
        var parameters = ParameterSet(models: models, dataset: Fixtures.miniature)
        for (path, value) in Self.before { try parameters.set(path, to: value) }
        let composition = try Composition(
            models: models, dataset: Fixtures.miniature, scenario: Fixtures.curbScenario, parameters: parameters)
        let plan = try RunPlan(composition: composition, start: Month(2026, 1), months: 30)
        var request = MonteCarloRequest(runs: 40, seed: 5, vary: vary, threads: threads)
        request.blockSize = blockSize
        let result = try MonteCarlo.run(plan, parameters: parameters, request: request)
        var hash = BitHash()
        hash.add(result.metricValues)
        hash.add(result.variedValues)
        return hash.value
    }

    static let recyclingVary = [
        Variation("recycling.price_trigger", .uniform(low: 1, high: 3)),
        Variation("recycling.build_lag_months", .choice([0, 2, 6])),
        Variation("recycling.lifetime_years[DyTb]", .uniform(low: 5, high: 20)),
        Variation("diplomacy.settle_base", .uniform(low: 0.01, high: 0.2)),
    ]

    static let industryVary = [
        Variation("industry.market_feedback", .uniform(low: 0, high: 1)),
        Variation("industry.substitution_per_year[motors]", .uniform(low: 0, high: 2)),
        Variation("industry.sector_share[DyTb/wind]", .uniform(low: 0, high: 1)),
        Variation("diplomacy.settle_base", .uniform(low: 0.01, high: 0.2)),
    ]

    @Test func recyclingComputesWhatItsPerRunFormComputed() throws {
        let plugin = try recyclingModel()
        let settings = [("recycling.price_trigger", 1.2), ("recycling.build_lag_months", 1.0)]
        // The plugin takes part: capacity is built during the curb.
        let run = try simulate(
            [TradeModel(), StockpileModel(), DiplomacyModel(), plugin], on: Fixtures.miniature,
            scenario: Fixtures.curbScenario, settings: settings + [("trade.max_price_multiple", 1000)], months: 36)
        let share = try run.series("recycling.capacity_share[DyTb]")
        #expect(share.last! > share.first!)
        #expect(try Self.runsHash(plugin, settings: settings) == 13_740_792_013_487_188_178)
        #expect(try Self.ensembleHash(plugin, vary: Self.recyclingVary) == 7_620_249_897_032_337_425)
    }

    @Test func industryComputesWhatItsPerRunFormComputed() throws {
        let plugin = try industryModel()
        let run = try simulate(
            [TradeModel(), StockpileModel(), DiplomacyModel(), plugin], on: Fixtures.miniature,
            scenario: Fixtures.curbScenario, settings: [("industry.market_feedback", 0.7)], months: 36)
        #expect(try run.series("industry.output_at_risk[JP/motors]").contains { $0 > 0 })
        #expect(try run.series("market.demand_adjustment[JP/DyTb]").contains { $0 < 0 })
        #expect(try Self.runsHash(plugin, settings: [("industry.market_feedback", 0.7)]) == 17_417_382_217_915_353_016)
        #expect(try Self.ensembleHash(plugin, vary: Self.industryVary) == 3_706_645_575_441_848_487)
    }
}
