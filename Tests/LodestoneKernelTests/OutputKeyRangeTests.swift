import Synchronization
import Testing

@testable import LodestoneKernel

/// ``BatchFrame/outputs(_:keys:)``: one writable span over a run of consecutive keys of an output,
/// key `keys.lowerBound + j` of run `r` at `j * width + r`.
@Suite("Block frames: outputs over a range of keys")
struct OutputKeyRangeTests {
    /// Writes `100 · key + run` to keys 1 and 2 through one ranged span, `−1` to key 0 key by key,
    /// then reads every key back key by key and counts the values that differ.
    struct Probe: BatchModel {
        let checks: Checks
        var name: String { "probe" }
        var summary: String { "writes a range of an output's keys through one span" }
        func parameters(for dataset: Dataset) -> [ParameterDeclaration] { [] }
        func interface(in context: ModelContext) throws -> ModelInterface {
            ModelInterface(outputs: [OutputDeclaration("mark", keys: ["JP", "CN", "US"], unit: .dimensionless, doc: "key and run")])
        }
        func batchFactory(in context: ModelContext, wiring: Wiring) throws -> any BatchModelFactory {
            ProbeFactory(mark: try wiring.output("mark"), checks: checks)
        }
    }

    final class Checks: Sendable {
        let made = Mutex(0), failed = Mutex(0)
    }

    struct ProbeFactory: BatchModelFactory {
        let mark: OutputRef, checks: Checks
        func makeBatch(width: Int) throws -> any BatchModelInstance { ProbeBatch(mark: mark, checks: checks) }
    }

    final class ProbeBatch: BatchModelInstance {
        let mark: OutputRef, checks: Checks
        init(mark: OutputRef, checks: Checks) {
            self.mark = mark
            self.checks = checks
        }
        func step(_ frame: BatchFrame) throws {
            let w = frame.width
            var first = frame.output(mark, 0)
            for r in 0..<w { first[r] = -1 }
            var range = frame.outputs(mark, keys: 1..<3)
            #expect(range.count == 2 * w)
            for j in 0..<range.count { range[j] = Double(100 * (1 + j / w) + j % w) }
            var wrong = 0
            for k in 0..<3 {
                let values = frame.output(mark, k)
                for r in 0..<w where values[r] != (k == 0 ? -1 : Double(100 * k + r)) { wrong += 1 }
            }
            checks.made.withLock { $0 += 1 }
            checks.failed.withLock { $0 += wrong }
        }
    }

    @Test("a ranged span writes exactly the keys of its range, key after key")
    func rangeOfKeys() throws {
        let checks = Checks()
        let models: [any Model] = [Probe(checks: checks)]
        let parameters = ParameterSet(models: models, dataset: ToyWorld.dataset)
        let composition = try Composition(
            models: models, dataset: ToyWorld.dataset, scenario: Scenario("calm"), parameters: parameters)
        let plan = try RunPlan(composition: composition, start: ToyWorld.january2026, months: 3)
        let block = try BatchSimulation(
            plan: plan, parameters: parameters, generators: (0..<3).map { SeededGenerator(seed: 1, stream: UInt64($0)) })
        for _ in 0..<3 { try block.step() }
        #expect(checks.made.withLock { $0 } == 3)
        #expect(checks.failed.withLock { $0 } == 0)
    }
}
