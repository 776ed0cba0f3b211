import Synchronization

@testable import LodestoneKernel

/// A batch-only model with one output `probe.mark` for the kernel's block tests: its instances
/// call `check` with each frame (reset and step; reset's frame has month index −1), which returns
/// the number of values that differ from what the test expects, or nil when it checked nothing;
/// ``BatchProbe/Checks`` counts the checks made and the values that failed.
struct BatchProbe: BatchModel {
    /// What a ``BatchProbe`` looks at in one call: the frame and the output's reference.
    typealias Check = @Sendable (BatchFrame, OutputRef) -> Int?

    /// The checks made and the values that failed them, over every instance and call.
    final class Checks: Sendable {
        let made = Mutex(0), failed = Mutex(0)
    }

    let keys: [String]
    let checks: Checks
    let check: Check
    var name: String { "probe" }
    var summary: String { "calls a test's check with each block frame" }

    func parameters(for dataset: Dataset) -> [ParameterDeclaration] { [] }
    func interface(in context: ModelContext) throws -> ModelInterface {
        ModelInterface(outputs: [OutputDeclaration("mark", keys: keys, unit: .dimensionless, doc: "what the test writes")])
    }
    func batchFactory(in context: ModelContext, wiring: Wiring) throws -> any BatchModelFactory {
        Factory(mark: try wiring.output("mark"), checks: checks, check: check)
    }

    /// A block of `runs` runs of the probe on the toy world (seed 1), stepped `months` months.
    func stepBlock(runs: Int, months: Int) throws -> RunPlan {
        let plan = try self.plan(months: months)
        let block = try BatchSimulation(
            plan: plan, parameters: ParameterSet(models: [self], dataset: ToyWorld.dataset),
            generators: (0..<runs).map { SeededGenerator(seed: 1, stream: UInt64($0)) })
        for _ in 0..<months { try block.step() }
        return plan
    }

    /// The probe alone on the toy world, calm scenario, from January 2026.
    func plan(months: Int) throws -> RunPlan {
        let models: [any Model] = [self]
        let parameters = ParameterSet(models: models, dataset: ToyWorld.dataset)
        let composition = try Composition(
            models: models, dataset: ToyWorld.dataset, scenario: Scenario("calm"), parameters: parameters)
        return try RunPlan(composition: composition, start: ToyWorld.january2026, months: months)
    }

    struct Factory: BatchModelFactory {
        let mark: OutputRef, checks: Checks, check: Check
        func makeBatch(width: Int) throws -> any BatchModelInstance { Instance(mark: mark, checks: checks, check: check) }
    }

    final class Instance: BatchModelInstance {
        let mark: OutputRef, checks: Checks, check: Check
        init(mark: OutputRef, checks: Checks, check: @escaping Check) {
            self.mark = mark
            self.checks = checks
            self.check = check
        }
        func reset(_ frame: BatchFrame) throws { record(frame) }
        func step(_ frame: BatchFrame) throws { record(frame) }
        private func record(_ frame: BatchFrame) {
            guard let wrong = check(frame, mark) else { return }
            checks.made.withLock { $0 += 1 }
            checks.failed.withLock { $0 += wrong }
        }
    }
}
