import Testing

@testable import LodestoneKernel

/// A batch-only model writing `1 + t` into each key of its output `output` in month t, but
/// `spike` into key `spikeKey` of run `spikeRun` in month `spikeMonth` (−1: in reset), through
/// the accessor chosen. With `.keys`, only key 1 is written after reset (key 0 keeps reset's
/// value); with `.resetOnly`, nothing is written after reset.
struct SpikeModel: BatchModel {
    enum Accessor: Sendable, CaseIterable { case key, whole, keys, resetOnly }
    var name: String
    var output = "level"
    var accessor: Accessor
    var spikeMonth: Int
    var spikeRun = 3
    var spikeKey = 1
    var spike = Double.nan
    /// Also reads the summed `market.extra` (so that its producers are summed).
    var readsSum = false

    var summary: String { "writes a NaN or ±∞ once, for the finiteness check's tests" }
    func parameters(for dataset: Dataset) -> [ParameterDeclaration] { [] }
    func interface(in context: ModelContext) throws -> ModelInterface {
        ModelInterface(
            inputs: readsSum
                ? [InputDeclaration("market.extra", keys: ["JP", "US"], unit: .tonnesPerMonth, summed: true)] : [],
            outputs: [OutputDeclaration(output, keys: ["JP", "US"], unit: .tonnesPerMonth, doc: "what the test writes")])
    }
    func batchFactory(in context: ModelContext, wiring: Wiring) throws -> any BatchModelFactory {
        Factory(model: self, ref: try wiring.output(output))
    }

    struct Factory: BatchModelFactory {
        let model: SpikeModel, ref: OutputRef
        func makeBatch(width: Int) throws -> any BatchModelInstance { Instance(model: model, ref: ref) }
    }

    final class Instance: BatchModelInstance {
        let model: SpikeModel, ref: OutputRef
        init(model: SpikeModel, ref: OutputRef) {
            self.model = model
            self.ref = ref
        }

        func value(_ frame: BatchFrame, key k: Int, run r: Int) -> Double {
            frame.monthIndex == model.spikeMonth && r == model.spikeRun && k == model.spikeKey
                ? model.spike : 1 + Double(frame.monthIndex)
        }

        func reset(_ frame: BatchFrame) throws {
            for k in 0..<2 {
                var out = frame.output(ref, k)
                for r in 0..<frame.width { out[r] = value(frame, key: k, run: r) }
            }
        }

        func step(_ frame: BatchFrame) throws {
            let w = frame.width
            switch model.accessor {
            case .key:
                for k in 0..<2 {
                    var out = frame.output(ref, k)
                    for r in 0..<w { out[r] = value(frame, key: k, run: r) }
                }
            case .whole:
                var out = frame.outputs(ref)
                for k in 0..<2 {
                    for r in 0..<w { out[k * w + r] = value(frame, key: k, run: r) }
                }
            case .keys:
                var out = frame.outputs(ref, keys: 1..<2)
                for r in 0..<w { out[r] = value(frame, key: 1, run: r) }
            case .resetOnly:
                break
            }
        }
    }
}

/// The finiteness check of a block (``BatchSimulation``) looks, from month 2 on, only at the slots
/// a model took a writable view of: it must still stop at every NaN or ±∞, naming the signal, the
/// month and the run a check of every slot names.
@Suite("Written slots")
struct WrittenSlotsTests {
    /// Steps a block of 8 runs of `models` for 8 months; the error it stops with, if any.
    static func error(_ models: [any Model]) throws -> NonFiniteError? {
        let parameters = ParameterSet(models: models, dataset: ToyWorld.dataset)
        let composition = try Composition(
            models: models, dataset: ToyWorld.dataset, scenario: Scenario("calm"), parameters: parameters)
        let plan = try RunPlan(composition: composition, start: ToyWorld.january2026, months: 8)
        let block = try BatchSimulation(
            plan: plan, parameters: parameters, generators: (0..<8).map { SeededGenerator(seed: 1, stream: UInt64($0)) })
        do {
            for _ in 0..<8 { try block.step() }
        } catch let error as NonFiniteError {
            return error
        }
        return nil
    }

    @Test("a NaN or ±∞ written in any month through any writable view stops the block, naming signal, month and run")
    func everyAccessorAndMonth() throws {
        for accessor in [SpikeModel.Accessor.key, .whole, .keys] {
            for month in [0, 1, 2, 3, 6] {
                for spike in [Double.nan, .infinity, -.infinity] {
                    let model = SpikeModel(name: "spike", accessor: accessor, spikeMonth: month, spike: spike)
                    let error = try #require(try Self.error([model]), "\(accessor), month \(month), \(spike)")
                    #expect(error.signal == "spike.level[US]")
                    #expect(error.month == ToyWorld.january2026 + month)
                    #expect(error.run == 3)
                    #expect(error.value.bitPattern == spike.bitPattern)
                }
            }
        }
        #expect(try Self.error([SpikeModel(name: "spike", accessor: .whole, spikeMonth: 99)]) == nil)
    }

    @Test("a NaN written in reset and never overwritten is found in month 1, in the buffer reset wrote")
    func resetValues() throws {
        for accessor in SpikeModel.Accessor.allCases where accessor != .key && accessor != .whole {
            // `.keys` writes key 1 only, so a NaN reset wrote into key 0 stays.
            let model = SpikeModel(name: "spike", accessor: accessor, spikeMonth: -1, spikeKey: 0)
            let error = try #require(try Self.error([model]), "\(accessor)")
            #expect(error.signal == "spike.level[JP]")
            #expect(error.month == ToyWorld.january2026 + 1)
            #expect(error.run == 3)
        }
    }

    @Test("a NaN reaching a sum of several producers stops the block at the sum's signal")
    func sums() throws {
        let models: [any Model] = [
            SpikeModel(name: "one", output: "market.extra", accessor: .whole, spikeMonth: 4),
            SpikeModel(name: "two", output: "market.extra", accessor: .key, spikeMonth: 99),
            SpikeModel(name: "reader", accessor: .key, spikeMonth: 99, readsSum: true),
        ]
        let error = try #require(try Self.error(models))
        #expect(error.signal == "market.extra[US]")
        #expect(error.month == ToyWorld.january2026 + 4)
        #expect(error.run == 3)
    }

    @Test("an ensemble in blocks reports the NaN of a later month as the per-run path does")
    func ensemble() throws {
        // Run 0 of every block spikes (the model knows runs by their place in the block).
        let models: [any Model] = [SpikeModel(name: "spike", accessor: .keys, spikeMonth: 5, spikeRun: 0)]
        let parameters = ParameterSet(models: models, dataset: ToyWorld.dataset)
        let composition = try Composition(
            models: models, dataset: ToyWorld.dataset, scenario: Scenario("calm"), parameters: parameters)
        let plan = try RunPlan(composition: composition, start: ToyWorld.january2026, months: 8)
        for blockSize in [1, 8, 64] {
            var request = MonteCarloRequest(runs: 20, seed: 1, threads: 1)
            request.blockSize = blockSize
            let error = try #require(throws: NonFiniteError.self) {
                try MonteCarlo.run(plan, parameters: parameters, request: request)
            }
            #expect(error.signal == "spike.level[US]")
            #expect(error.month == ToyWorld.january2026 + 5)
            #expect(error.run == 0)
        }
    }
}
