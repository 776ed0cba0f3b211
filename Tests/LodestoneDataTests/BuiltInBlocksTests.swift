import LodestoneData
import LodestoneDiplomacy
import LodestoneStockpile
import LodestoneTesting
import LodestoneTrade
import Testing

@testable import LodestoneKernel

/// The built-in modules (stockpile and diplomacy in the batch form, trade in whichever form it
/// has) stepped in blocks of runs give the per-run results bit for bit, on the embedded datasets
/// with the `v1` preset and with the defaults (market model v2), whatever the block size and
/// thread count. The diplomacy here settles in some runs and not in others, at months that
/// depend on each run's draws (its settlement hazard on its drawn parameters and its pains), and
/// two pairs draw from each run's generator in pair order.
@Suite("Built-in modules in blocks")
struct BuiltInBlocksTests {
    static let months = 36
    static let bands = [
        "diplomacy.hazard[CN>JP]", "diplomacy.tension[CN>US]", "diplomacy.restriction[CN>JP/NdPr]",
        "stockpile.days_of_cover[JP/NdPr]", "stockpile.unmet[JP/NdPr]", "stockpile.purchases[US/NdPr]",
        "trade.price[NdPr]",
    ]

    /// Two diplomatic pairs (an incident each, talks on one) and a curb of all China's exports
    /// to Japan, from 2026-01.
    static let scenario = Scenario(
        "two incidents and a curb",
        events: [
            .incident(from: "CN", to: "JP", severity: 0.9, at: Month(2026, 1)),
            .incident(from: "CN", to: "US", severity: 0.7, at: Month(2026, 3)),
            .talks(from: "CN", to: "US", boost: 0.1, at: Month(2026, 8)),
            .restrict(from: "CN", to: "JP", commodity: nil, share: 0.8, start: Month(2026, 2), months: 10),
        ])

    static func plan(data: String, preset: String?, perRun: Bool) throws -> (RunPlan, ParameterSet) {
        let dataset = try DataSources.resolve(data).load()
        let builtIns: [any Model] = [TradeModel(), StockpileModel(), DiplomacyModel()]
        let models = perRun ? builtIns.map { PerRunOnly(model: $0) } : builtIns
        var parameters = ParameterSet(models: models, dataset: dataset)
        if let preset { try parameters.apply(preset: preset, of: models, dataset: dataset) }
        let composition = try Composition(models: models, dataset: dataset, scenario: scenario, parameters: parameters)
        return (try RunPlan(composition: composition, start: Month(2026, 1), months: months), parameters)
    }

    static func request(threads: Int, blockSize: Int?) -> MonteCarloRequest {
        var request = MonteCarloRequest(
            runs: 77, seed: 21,  // 77 runs: not a multiple of any block size
            vary: [
                Variation("diplomacy.settle_base", .uniform(low: 0.01, high: 0.3)),
                Variation("diplomacy.half_life_months", .uniform(low: 2, high: 24)),
                Variation("diplomacy.settle_pain_target", .uniform(low: 0, high: 2)),
                Variation("stockpile.cover_days[JP]", .uniform(low: 0, high: 120)),
            ],
            bandSignals: bands, threads: threads)
        request.blockSize = blockSize
        return request
    }

    @Test(
        "blocks of 1, 3 and 16 runs on 1, 2 and 8 threads give the per-run results bit for bit",
        arguments: [("baseline-2024", "v1"), ("default", nil)] as [(String, String?)])
    func blocksGiveThePerRunResults(data: String, preset: String?) throws {
        let (perRunPlan, parameters) = try Self.plan(data: data, preset: preset, perRun: true)
        let (plan, _) = try Self.plan(data: data, preset: preset, perRun: false)
        #expect(plan.composition.models.map(\.name) == ["diplomacy", "trade", "stockpile"])
        let reference = try MonteCarlo.run(
            perRunPlan, parameters: parameters, request: Self.request(threads: 1, blockSize: nil))
        #expect(reference.completedRuns == 77)
        // The draws matter: some runs settle, some never do, at months that differ; the hazard
        // differs between runs; the stock is drawn on and rebuilt.
        for pair in ["CN>JP", "CN>US"] {
            let settled = try reference.metricSamples("diplomacy.settled_at[\(pair)]")
            #expect(settled.contains(where: \.isNaN) && settled.contains(where: { !$0.isNaN }), "\(pair)")
            #expect(Set(settled.filter { !$0.isNaN }).count > 3, "\(pair)")
        }
        let hazard = try reference.band("diplomacy.hazard[CN>JP]", level: EnsembleResult.bandLevels.last!)
        let lowHazard = try reference.band("diplomacy.hazard[CN>JP]", level: EnsembleResult.bandLevels.first!)
        #expect(zip(hazard, lowHazard).contains { $0 > $1 })
        #expect(try reference.metricSamples("stockpile.release_total[JP/NdPr]").contains { $0 > 0 })
        #expect(Set(try reference.metricSamples("stockpile.unmet_total[JP/NdPr]")).count > 10)
        let expected = try reference.fingerprint(bands: Self.bands)
        for threads in [1, 2, 8] {
            for blockSize in [1, 3, 16] {
                let blocks = try MonteCarlo.run(plan, parameters: parameters, request: Self.request(threads: threads, blockSize: blockSize))
                #expect(try blocks.fingerprint(bands: Self.bands) == expected, "\(data): \(threads) threads, blocks of \(blockSize)")
            }
        }
        // By default (no block size asked for) too, whether or not every module has a batch form.
        let byDefault = try MonteCarlo.run(plan, parameters: parameters, request: Self.request(threads: 2, blockSize: nil))
        #expect(try byDefault.fingerprint(bands: Self.bands) == expected, "\(data): default blocks")
    }

    @Test("stockpile and diplomacy offer the batch form, with or without diplomatic pairs")
    func batchForms() throws {
        let dataset = try DataSources.resolve("default").load()
        for scenario in [Self.scenario, Scenario("calm")] {
            let models: [any Model] = [TradeModel(), StockpileModel(), DiplomacyModel()]
            let composition = try Composition(
                models: models, dataset: dataset, scenario: scenario, parameters: ParameterSet(models: models, dataset: dataset))
            let modules = composition.models.map(\.name)
            for name in ["stockpile", "diplomacy"] {
                #expect(composition.batchFactories[modules.firstIndex(of: name)!] != nil, "\(name), \(scenario.name)")
            }
            let plan = try RunPlan(composition: composition, start: Month(2026, 1), months: 3)
            let block = try BatchSimulation(
                plan: plan, parameters: ParameterSet(models: models, dataset: dataset),
                generators: (0..<4).map { SeededGenerator(seed: 3, stream: UInt64($0)) })
            for _ in 0..<3 { try block.step() }
            let single = try Simulation(plan: plan, parameters: ParameterSet(models: models, dataset: dataset), seed: 3, stream: 2)
            for _ in 0..<3 { try single.step() }
            for (slot, _) in composition.signals.enumerated() {
                #expect(block.value(slot: slot, run: 2).bitPattern == single.value(slot: slot).bitPattern)
            }
        }
    }
}
