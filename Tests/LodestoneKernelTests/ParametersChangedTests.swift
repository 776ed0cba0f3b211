import Testing

@testable import LodestoneKernel

/// `parametersChanged` (issue 21): a module may keep what it derived from parameter values while
/// the flag is false, so the kernel must raise it in reset and in every month a `set` event
/// changes a parameter — in single runs (``StepFrame``, and a batch form run as one,
/// ``BatchInstanceAsPerRun``) as in blocks (``BatchFrame``).
@Suite("parameters changed")
struct ParametersChangedTests {
    static let start = ToyWorld.january2026

    /// The walk and a probe that writes 1 when its frame says parameters changed, else 0; a `set`
    /// of `walk.step` in months 3 and 7.
    static func plan(batchProbe: Bool) throws -> (RunPlan, ParameterSet) {
        let models: [any Model] = [WalkModel(batch: true), ChangeProbe(batch: batchProbe)]
        let parameters = ParameterSet(models: models, dataset: ToyWorld.dataset)
        let scenario = Scenario(
            "sets",
            events: [.set(path: "walk.step", value: 0.5, at: start + 3), .set(path: "walk.step", value: 0.7, at: start + 7)])
        let composition = try Composition(models: models, dataset: ToyWorld.dataset, scenario: scenario, parameters: parameters)
        return (try RunPlan(composition: composition, start: start, months: 10), parameters)
    }

    @Test("a single run raises the flag only in the months a set event applies", arguments: [false, true])
    func singleRun(batchProbe: Bool) throws {
        let (plan, parameters) = try Self.plan(batchProbe: batchProbe)
        let run = try Runner.run(plan, parameters: parameters, seed: 3)
        #expect(try run.series("probe.changed[JP]") == [0, 0, 0, 1, 0, 0, 0, 1, 0, 0])
        #expect(ChangeProbe.resetSawChange(in: run))
    }

    @Test("an ensemble's blocks raise the flag in the same months")
    func ensemble() throws {
        let (plan, parameters) = try Self.plan(batchProbe: true)
        var request = MonteCarloRequest(runs: 5, seed: 1, vary: [], bandSignals: ["probe.changed[JP]"], threads: 1)
        request.blockSize = 4
        let result = try MonteCarlo.run(plan, parameters: parameters, request: request)
        #expect(try result.meanSeries("probe.changed[JP]") == [0, 0, 0, 1, 0, 0, 0, 1, 0, 0])
        #expect(try result.metricSamples("probe.reset_changed[JP]") == [1, 1, 1, 1, 1])
    }
}

/// Writes `changed` = 1 when the frame says parameters may have changed, else 0, and the metric
/// `reset_changed` = 1 when reset's frame said so; per run or in the batch form.
struct ChangeProbe: Model {
    var batch: Bool
    var name: String { "probe" }
    var summary: String { "records parametersChanged, for the kernel tests" }
    func parameters(for dataset: Dataset) -> [ParameterDeclaration] { [] }
    func interface(in context: ModelContext) throws -> ModelInterface {
        ModelInterface(
            inputs: [], outputs: [OutputDeclaration("changed", keys: ["JP"], unit: .dimensionless, doc: "1 when parameters changed")],
            metrics: [MetricDeclaration("reset_changed", keys: ["JP"], kind: .quantity(.dimensionless), doc: "1 when reset saw a change")])
    }
    func instantiate(in context: ModelContext, wiring: Wiring) throws -> any ModelInstance {
        let refs = try Refs(wiring)
        return batch ? BatchInstanceAsPerRun(Batch(refs: refs, width: 1)) : Instance(refs: refs)
    }
    func prepareBatch(in context: ModelContext, wiring: Wiring) throws -> (any BatchModelFactory)? {
        batch ? Factory(refs: try Refs(wiring)) : nil
    }

    static func resetSawChange(in run: RunResult) -> Bool { (try? run.metric("probe.reset_changed[JP]")) == .number(1) }

    struct Refs: Sendable {
        let changed: OutputRef, resetChanged: MetricRef
        init(_ wiring: Wiring) throws {
            changed = try wiring.output("changed")
            resetChanged = try wiring.metric("reset_changed")
        }
    }

    final class Instance: ModelInstance {
        let refs: Refs
        var resetChanged = 0.0
        init(refs: Refs) { self.refs = refs }
        func reset(_ frame: StepFrame) throws { resetChanged = frame.parametersChanged ? 1 : 0 }
        func step(_ frame: StepFrame) throws { frame.write(refs.changed, 0, frame.parametersChanged ? 1 : 0) }
        func finish(_ metrics: MetricFrame) { metrics.write(refs.resetChanged, 0, resetChanged) }
    }

    struct Factory: BatchModelFactory {
        let refs: Refs
        func makeBatch(width: Int) throws -> any BatchModelInstance { Batch(refs: refs, width: width) }
    }

    final class Batch: BatchModelInstance {
        let refs: Refs
        var resetChanged = 0.0
        init(refs: Refs, width: Int) { self.refs = refs }
        func reset(_ frame: BatchFrame) throws { resetChanged = frame.parametersChanged ? 1 : 0 }
        func step(_ frame: BatchFrame) throws {
            var changed = frame.output(refs.changed, 0)
            for r in 0..<frame.width { changed[r] = frame.parametersChanged ? 1 : 0 }
        }
        func finish(_ metrics: BatchMetricFrame) {
            var out = metrics.metric(refs.resetChanged, 0)
            for r in 0..<metrics.width { out[r] = resetChanged }
        }
    }
}
