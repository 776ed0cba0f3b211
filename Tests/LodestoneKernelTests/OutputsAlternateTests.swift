import Synchronization
import Testing

@testable import LodestoneKernel

/// ``BatchFrame/outputsAlternate``: a kernel block promises that this month's buffer holds what
/// the module wrote in the call before last (the stockpile relies on it to leave a key that was
/// still for two months unwritten).
@Suite("Block frames: outputs alternate")
struct OutputsAlternateTests {
    /// Writes `1000 · (month index + 2) + run` to its one output in every call, and checks before
    /// writing that the buffer holds the value of the call before last wherever the frame
    /// promises it; counts the checks and the mismatches.
    struct Probe: BatchModel {
        let checks: Checks
        var name: String { "probe" }
        var summary: String { "checks that a block's output buffers alternate" }
        func parameters(for dataset: Dataset) -> [ParameterDeclaration] { [] }
        func interface(in context: ModelContext) throws -> ModelInterface {
            ModelInterface(outputs: [OutputDeclaration("mark", keys: ["JP"], unit: .dimensionless, doc: "month and run")])
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
        func reset(_ frame: BatchFrame) throws { write(frame) }
        func step(_ frame: BatchFrame) throws {
            if frame.outputsAlternate, frame.monthIndex >= 1 {
                let held = frame.output(mark, 0)
                var wrong = 0
                for r in 0..<frame.width where held[r] != Double(1000 * frame.monthIndex + r) { wrong += 1 }
                checks.made.withLock { $0 += 1 }
                checks.failed.withLock { $0 += wrong }
            }
            write(frame)
        }
        private func write(_ frame: BatchFrame) {
            var out = frame.output(mark, 0)
            for r in 0..<frame.width { out[r] = Double(1000 * (frame.monthIndex + 2) + r) }
        }
    }

    @Test("a block's month holds the outputs of the call before last; single runs do not promise it")
    func blocksAlternate() throws {
        let checks = Checks()
        let models: [any Model] = [Probe(checks: checks)]
        let parameters = ParameterSet(models: models, dataset: ToyWorld.dataset)
        let composition = try Composition(
            models: models, dataset: ToyWorld.dataset, scenario: Scenario("calm"), parameters: parameters)
        let plan = try RunPlan(composition: composition, start: ToyWorld.january2026, months: 6)
        let block = try BatchSimulation(
            plan: plan, parameters: parameters, generators: (0..<3).map { SeededGenerator(seed: 1, stream: UInt64($0)) })
        for _ in 0..<6 { try block.step() }
        #expect(checks.made.withLock { $0 } == 5)
        #expect(checks.failed.withLock { $0 } == 0)
        let single = try Simulation(plan: plan, parameters: parameters, seed: 1, stream: 0)
        for _ in 0..<6 { try single.step() }
        #expect(checks.made.withLock { $0 } == 5)
    }
}
