import Foundation
import CLodestonePluginABI
import LodestoneDiplomacy
@testable import LodestoneKernel
@testable import LodestonePluginKit
import LodestoneStockpile
import LodestoneTesting
import LodestoneTrade
import Testing

/// A random walk written only in the batch form: `walk.level[k]` += gain · (uniform − 0.5) each
/// month; metric `walk.final[k]`. Its draws cross the plugin boundary as per-run seeds.
struct WalkModel: BatchModel {
    /// A broken batch form for the conformance kit's test: every run of a block draws from run 0.
    var mixesRuns = false
    let name = "walk"
    let summary = "A random walk per key, in the batch form only"
    static let keys = ["a", "b"]
    struct Refs: Sendable {
        let level: OutputRef, gain: ParameterRef, final: MetricRef
        init(_ wiring: Wiring) throws {
            level = try wiring.output("level")
            gain = try wiring.parameter("gain")
            final = try wiring.metric("final")
        }
    }
    struct Factory: BatchModelFactory {
        let refs: Refs
        let mixesRuns: Bool
        func makeBatch(width: Int) throws -> any BatchModelInstance {
            Walk(refs: refs, width: width, mixesRuns: mixesRuns)
        }
    }
    final class Walk: BatchModelInstance {
        let refs: Refs
        let state: BatchState
        let level: BatchState.Doubles
        let mixesRuns: Bool
        init(refs: Refs, width: Int, mixesRuns: Bool) {
            self.refs = refs
            self.mixesRuns = mixesRuns
            state = BatchState(width: width)
            level = state.doubles(keys: WalkModel.keys.count)
        }
        func step(_ frame: BatchFrame) throws {
            for k in 0..<level.keys {
                let gain = frame.parameter(refs.gain, k)
                var level = frame.state(self.level, k), out = frame.output(refs.level, k)
                for r in 0..<frame.width {
                    level[r] += gain[r] * (frame.uniform(run: mixesRuns ? 0 : r) - 0.5)
                    out[r] = level[r]
                }
            }
        }
        func finish(_ metrics: BatchMetricFrame) {
            for k in 0..<level.keys {
                let level = metrics.state(self.level, k)
                var final = metrics.metric(refs.final, k)
                for r in 0..<metrics.width { final[r] = level[r] }
            }
        }
    }
    func parameters(for dataset: Dataset) -> [ParameterDeclaration] {
        [ParameterDeclaration("gain", unit: .dimensionless, keys: Self.keys, defaults: [1, 2], range: 0...10, doc: "Step size")]
    }
    func interface(in context: ModelContext) throws -> ModelInterface {
        ModelInterface(
            outputs: [OutputDeclaration("level", keys: Self.keys, unit: .dimensionless, doc: "The walk")],
            metrics: [MetricDeclaration("final", keys: Self.keys, kind: .quantity(.dimensionless), doc: "Last level")])
    }
    func batchFactory(in context: ModelContext, wiring: Wiring) throws -> any BatchModelFactory {
        Factory(refs: try Refs(wiring), mixesRuns: mixesRuns)
    }
}

/// Plugins in the batch form (`lodestone_plugin.h`, revision 2): a block of runs crosses the C
/// boundary in one call per month and computes bit for bit what the per-run functions compute;
/// a plugin built before the batch form still loads and runs run by run.
@Suite struct PluginBatchTests {
    /// An ensemble's metrics, varied values and bands, bit for bit.
    static func fingerprint(
        _ models: [any Model], vary: [Variation], bands: [String] = [], blockSize: Int?, threads: Int, months: Int = 24
    ) throws -> [UInt64] {
        let parameters = ParameterSet(models: models, dataset: Fixtures.miniature)
        let composition = try Composition(
            models: models, dataset: Fixtures.miniature, scenario: Fixtures.curbScenario, parameters: parameters)
        let plan = try RunPlan(composition: composition, start: Month(2026, 1), months: months)
        var request = MonteCarloRequest(runs: 37, seed: 3, vary: vary, bandSignals: bands, threads: threads)
        request.blockSize = blockSize
        let result = try MonteCarlo.run(plan, parameters: parameters, request: request)
        var bits = result.metricValues.map(\.bitPattern) + result.variedValues.map(\.bitPattern)
        for id in bands {
            for q in EnsembleResult.bandLevels { bits += try result.band(id, level: q).map(\.bitPattern) }
        }
        return bits
    }

    /// Expects two fingerprints to be equal, saying how many values differ when they are not.
    static func expectSame(
        _ got: [UInt64], _ expected: [UInt64], _ what: String, sourceLocation: Testing.SourceLocation = #_sourceLocation
    ) {
        let differing = zip(got, expected).filter { $0 != $1 }.count + abs(got.count - expected.count)
        #expect(differing == 0, "\(what): \(differing) of \(expected.count) values differ", sourceLocation: sourceLocation)
    }

    /// Whether the composition of `models` steps model `m` in its batch form.
    static func hasBatchForm(_ models: [any Model], _ m: Int) throws -> Bool {
        let parameters = ParameterSet(models: models, dataset: Fixtures.miniature)
        let composition = try Composition(
            models: models, dataset: Fixtures.miniature, scenario: Fixtures.curbScenario, parameters: parameters)
        let index = try #require(composition.models.firstIndex { $0.name == models[m].name })
        return composition.batchFactories[index] != nil
    }

    /// The example plugins, loaded from their libraries, step blocks through the ABI's batch
    /// functions, and an ensemble's results do not depend on the block size or thread count: they
    /// equal the per-run path's (the plugin's batch form hidden), bit for bit.
    @Test(arguments: ["recycling", "industry"])
    func examplePluginsInBlocksGiveThePerRunResults(plugin name: String) throws {
        let plugin: any Model = name == "recycling" ? try recyclingModel() : try industryModel()
        let vary = name == "recycling" ? PluginGoldenTests.recyclingVary : PluginGoldenTests.industryVary
        let bands = name == "recycling" ? ["recycling.recycled[JP/DyTb]"] : ["industry.output_at_risk[JP/motors]"]
        let builtIns: [any Model] = [TradeModel(), StockpileModel(), DiplomacyModel()]
        #expect(try Self.hasBatchForm(builtIns + [plugin], 3))
        #expect(try !Self.hasBatchForm(builtIns + [PerRunOnly(model: plugin)], 3))
        let expected = try Self.fingerprint(
            builtIns.map { PerRunOnly(model: $0) } + [PerRunOnly(model: plugin)], vary: vary, bands: bands,
            blockSize: nil, threads: 1)
        for threads in [1, 2, 8] {
            for blockSize in [1, 3, 16] {
                let got = try Self.fingerprint(
                    builtIns + [plugin], vary: vary, bands: bands, blockSize: blockSize, threads: threads)
                Self.expectSame(got, expected, "\(name): \(threads) threads, blocks of \(blockSize)")
            }
        }
    }

    /// A module that draws random numbers, written only in the batch form and exported through
    /// the kit: each run's stream is seeded from its own generator, so blocks, threads and the
    /// per-run path agree bit for bit, and the walk really varies from run to run.
    @Test func randomDrawsCrossTheBoundaryPerRun() throws {
        let tables = InMemoryTables()
        defer { tables.freeAll() }
        let walk = try tables.adapted(WalkModel())
        #expect(try Self.hasBatchForm([walk], 0))
        let vary = [Variation("walk.gain[a]", .uniform(low: 0, high: 3))]
        let expected = try Self.fingerprint([PerRunOnly(model: walk)], vary: vary, blockSize: nil, threads: 1)
        for threads in [1, 2, 8] {
            for blockSize in [1, 3, 16] {
                Self.expectSame(
                    try Self.fingerprint([walk], vary: vary, blockSize: blockSize, threads: threads), expected,
                    "\(threads) threads, blocks of \(blockSize)")
            }
        }
        // The walk really is random: its final levels differ from run to run.
        let finals = Set(expected.prefix(2 * 37))
        #expect(finals.count > 60)
    }

    /// A plugin written in C with the batch functions: its blocks give what its per-run
    /// functions give (the same library's batch form hidden).
    @Test func aCPluginSteppingBlocks() throws {
        let directory = try temporaryDirectory("cbatch")
        defer { try? FileManager.default.removeItem(at: directory) }
        let model = try #require(
            try PluginLoader(searchPath: []).load(try compileCPlugin(named: "cstep", defines: ["BATCH"], in: directory))
                .first)
        #expect(try Self.hasBatchForm([model], 0))
        let vary = [Variation("cstep.gain", .uniform(low: 0, high: 3))]
        let expected = try Self.fingerprint([PerRunOnly(model: model)], vary: vary, blockSize: nil, threads: 1)
        for blockSize in [1, 3, 16] {
            Self.expectSame(
                try Self.fingerprint([model], vary: vary, blockSize: blockSize, threads: 2), expected, "blocks of \(blockSize)")
        }
    }

    /// A plugin built against revision 1 of the table (before the batch form; garbage where the
    /// batch functions would be) loads, has no batch form, and runs run by run inside blocks with
    /// the results of the per-run path: sum = gain · Σ month index.
    @Test func aPluginBuiltBeforeTheBatchFormStillLoadsAndRunsPerRun() throws {
        let directory = try temporaryDirectory("oldtable")
        defer { try? FileManager.default.removeItem(at: directory) }
        #expect(lodestone_plugin_size_revision_1() == 96)  // what plugins built before revision 2 carry
        let path = try compileCPlugin(named: "cstep", defines: ["OLD_TABLE"], in: directory)
        let model = try #require(try PluginLoader(searchPath: []).load(path).first)
        #expect(!model.library.hasBatchFunctions)
        #expect(try !Self.hasBatchForm([model], 0))
        let vary = [Variation("cstep.gain", .uniform(low: 0, high: 3))]
        let perRun = try Self.fingerprint([model], vary: vary, blockSize: nil, threads: 1, months: 12)
        for blockSize in [1, 3, 16] {
            Self.expectSame(
                try Self.fingerprint([model], vary: vary, blockSize: blockSize, threads: 2, months: 12), perRun,
                "blocks of \(blockSize)")
        }
        let run = try simulate([model], on: Fixtures.miniature, settings: [("cstep.gain", 1.5)], months: 12)
        #expect(try run.metric("cstep.sum") == .number(1.5 * 66))
    }

    /// A batch step that fails stops the ensemble with the message the per-run step gives (the
    /// kernel re-runs a failed block run by run, so the error names the same run).
    @Test func aFailingBatchStepReportsThePerRunError() throws {
        let directory = try temporaryDirectory("cbatchfail")
        defer { try? FileManager.default.removeItem(at: directory) }
        let path = try compileCPlugin(named: "cstep", defines: ["BATCH", "FAIL_AT=3"], in: directory)
        let model = try #require(try PluginLoader(searchPath: []).load(path).first)
        let error = #expect(throws: (any Error).self) {
            _ = try Self.fingerprint([model], vary: [], blockSize: 4, threads: 1, months: 6)
        }
        let text = "\(error.map { "\($0)" } ?? "")"
        #expect(text.contains("stock went negative in month 3 (reported by plugin \(path))"), "\(text)")
    }

    /// The conformance kit steps runs in blocks and alone: a batch form that mixes the runs of a
    /// block is reported, naming the run and signal; a correct one passes.
    @Test func theConformanceKitChecksTheBatchForm() {
        #expect(ModelConformance(model: WalkModel(), randomTrials: 5).findings() == [])
        let findings = ModelConformance(model: WalkModel(mixesRuns: true), randomTrials: 5).findings()
        #expect(findings.map(\.check) == [.blocks])
        #expect(findings.first?.message.hasPrefix("in a block of 5 runs, run 0 has walk.level[b] =") == true, "\(findings)")
    }
}
