import Synchronization
import Testing

@testable import LodestoneKernel

/// ``InputRef/isSameInEveryRun``: the keys the kernel promises hold one value in every run of a
/// block (a scenario signal, a fallback), so that a batch module may look at one run's value.
@Suite("Block frames: inputs the same in every run")
struct SameInEveryRunTests {
    /// What the reader saw: its input's flags, and the values of flagged keys that differed from
    /// the block's first run, over every month.
    final class Seen: Sendable {
        let flags = Mutex<[Bool]>([]), differing = Mutex(0), months = Mutex(0)
        /// Per month: the frame's ``BatchFrame/scenarioChanged`` and run 0's scenario value.
        let scenario = Mutex<[(changed: Bool, value: Double)]>([])
    }

    /// A batch model reading a scenario key, a key nothing produces (its fallback) and a
    /// per-run draw of `noise.draw`; in every month it counts the flagged keys' values that
    /// differ from run 0's.
    struct Reader: BatchModel {
        let seen: Seen
        var name: String { "reader" }
        var summary: String { "reads inputs and checks the kernel's same-in-every-run flags" }
        func parameters(for dataset: Dataset) -> [ParameterDeclaration] { [] }
        func interface(in context: ModelContext) throws -> ModelInterface {
            ModelInterface(inputs: [
                InputDeclaration("scenario.restriction", keys: ["CN>JP/DyTb", "XX>YY/NdPr"], unit: .dimensionless, fallback: 0),
                InputDeclaration("noise.draw", keys: [], unit: .dimensionless),
            ])
        }
        func batchFactory(in context: ModelContext, wiring: Wiring) throws -> any BatchModelFactory {
            Factory(restriction: try wiring.input("scenario.restriction"), draw: try wiring.input("noise.draw"), seen: seen)
        }
        struct Factory: BatchModelFactory {
            let restriction: InputRef, draw: InputRef, seen: Seen
            func makeBatch(width: Int) throws -> any BatchModelInstance { Instance(inputs: [restriction, draw], seen: seen) }
        }
        final class Instance: BatchModelInstance {
            let inputs: [InputRef], seen: Seen
            init(inputs: [InputRef], seen: Seen) {
                self.inputs = inputs
                self.seen = seen
            }
            func step(_ frame: BatchFrame) throws {
                var differing = 0
                for input in inputs {
                    for k in 0..<input.count where input.isSameInEveryRun[k] {
                        let values = frame.input(input, k)
                        for r in 0..<frame.width where values[r].bitPattern != values[0].bitPattern { differing += 1 }
                    }
                }
                seen.flags.withLock { $0 = inputs.flatMap(\.isSameInEveryRun) }
                seen.differing.withLock { $0 += differing }
                seen.months.withLock { $0 += 1 }
                let value = frame.input(inputs[0], 0)[0]
                seen.scenario.withLock { $0.append((frame.scenarioChanged, value)) }
            }
        }
    }

    /// A per-run model writing one uniform draw a month, different in every run.
    static let noise = ToyModel(
        name: "noise",
        declaredInterface: ModelInterface(outputs: [OutputDeclaration("draw", keys: [], unit: .dimensionless, doc: "a draw")]),
        onStep: { instance, frame in frame.write(instance.outputs[0], 0, frame.uniform()) })

    @Test("scenario keys and fallbacks are flagged, a module's output is not, flagged keys agree in every run, and scenarioChanged is true when they move")
    func flags() throws {
        let seen = Seen()
        let models: [any Model] = [Self.noise, Reader(seen: seen)]
        let parameters = ParameterSet(models: models, dataset: ToyWorld.dataset)
        let scenario = Scenario(
            "curb", events: [.restrict(from: "CN", to: "JP", commodity: "DyTb", share: 0.5, start: Month(2026, 2), months: 3)])
        let composition = try Composition(models: models, dataset: ToyWorld.dataset, scenario: scenario, parameters: parameters)
        let plan = try RunPlan(composition: composition, start: ToyWorld.january2026, months: 6)
        let block = try BatchSimulation(
            plan: plan, parameters: parameters, generators: (0..<5).map { SeededGenerator(seed: 3, stream: UInt64($0)) })
        var curbed = 0
        for _ in 0..<6 {
            try block.step()
            let slot = try #require(composition.slot(of: "scenario.restriction[CN>JP/DyTb]"))
            if block.value(slot: slot, run: 4) == 0.5 { curbed += 1 }
        }
        #expect(curbed == 3)
        #expect(seen.months.withLock { $0 } == 6)
        #expect(seen.flags.withLock { $0 } == [true, true, false])
        #expect(seen.differing.withLock { $0 } == 0)
        // scenarioChanged: true in month 0 and whenever the scenario's value moved (the curb's
        // start and end), false in some month.
        let rows = seen.scenario.withLock { $0 }
        #expect(rows.count == 6)
        #expect(rows.first?.changed == true)
        for t in 1..<rows.count where rows[t].value.bitPattern != rows[t - 1].value.bitPattern {
            #expect(rows[t].changed, "month \(t)")
        }
        #expect(rows.contains { !$0.changed })
        #expect(rows.filter { $0.value == 0.5 }.count == 3)
        // The draws do differ between runs: a flag on them would be wrong.
        let draw = try #require(composition.slot(of: "noise.draw"))
        #expect(block.value(slot: draw, run: 0) != block.value(slot: draw, run: 1))
    }
}
