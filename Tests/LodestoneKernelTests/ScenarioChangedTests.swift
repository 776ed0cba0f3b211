import Synchronization
import Testing

@testable import LodestoneKernel

/// ``StepFrame/scenarioChanged``: a single run says in which months a scenario signal may differ
/// from last month's, so that a per-run module (trade's) may keep what it derived from scenario
/// inputs in the other months. A month wrongly reported unchanged would make such a module
/// compute with a stale curb, so the exact months are checked.
@Suite("Single runs: scenarioChanged")
struct ScenarioChangedTests {
    /// Per month: the frame's flag and the scenario value the run read.
    final class Seen: Sendable {
        let rows = Mutex<[(changed: Bool, value: Double)]>([])
    }

    static func reader(_ seen: Seen) -> ToyModel {
        ToyModel(
            name: "reader",
            declaredInterface: ModelInterface(inputs: [
                InputDeclaration("scenario.restriction", keys: ["CN>JP/DyTb"], unit: .dimensionless, fallback: 0)
            ]),
            onStep: { instance, frame in
                let value = frame.read(instance.inputs[0], 0)
                seen.rows.withLock { $0.append((frame.scenarioChanged, value)) }
            })
    }

    @Test("true in month 0 and in the months a curb starts and ends, false in the months between and after")
    func months() throws {
        let seen = Seen()
        let models: [any Model] = [Self.reader(seen)]
        let parameters = ParameterSet(models: models, dataset: ToyWorld.dataset)
        // A curb of half the flow from 2026-03 for 2 months: months 2 and 3 of a run from 2026-01.
        let scenario = Scenario(
            "curb", events: [.restrict(from: "CN", to: "JP", commodity: "DyTb", share: 0.5, start: Month(2026, 3), months: 2)])
        let composition = try Composition(models: models, dataset: ToyWorld.dataset, scenario: scenario, parameters: parameters)
        let plan = try RunPlan(composition: composition, start: ToyWorld.january2026, months: 7)
        let run = try Simulation(plan: plan, parameters: parameters, seed: 1, stream: 0)
        for _ in 0..<7 { try run.step() }
        let rows = seen.rows.withLock { $0 }
        #expect(rows.map(\.value) == [0, 0, 0.5, 0.5, 0, 0, 0])
        #expect(rows.map(\.changed) == [true, false, true, false, true, false, false])
    }

    @Test("a scenario without events changes only in month 0")
    func still() throws {
        let seen = Seen()
        let models: [any Model] = [Self.reader(seen)]
        let parameters = ParameterSet(models: models, dataset: ToyWorld.dataset)
        let composition = try Composition(
            models: models, dataset: ToyWorld.dataset, scenario: Scenario("none", events: []), parameters: parameters)
        let plan = try RunPlan(composition: composition, start: ToyWorld.january2026, months: 4)
        let run = try Simulation(plan: plan, parameters: parameters, seed: 1, stream: 0)
        for _ in 0..<4 { try run.step() }
        #expect(seen.rows.withLock { $0.map(\.changed) } == [true, false, false, false])
    }
}
