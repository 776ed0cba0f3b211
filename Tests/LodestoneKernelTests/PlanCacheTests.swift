import LodestoneKernel
import Testing

/// Echoes `scenario.restriction[CN>JP/DyTb]` as `seen` and adds a uniform draw, so that runs show
/// both the scenario's values and the random stream.
private func restrictionEcho(shapeOnly: Bool) -> ToyModel {
    ToyModel(
        name: "echo",
        declaredInterface: ModelInterface(
            inputs: [InputDeclaration("scenario.restriction", keys: ["CN>JP/DyTb"], unit: .dimensionless)],
            outputs: [OutputDeclaration("seen", keys: [], unit: .dimensionless, doc: "restriction + draw / 1000")]),
        onStep: { instance, frame in
            frame.write(instance.outputs[0], 0, frame.read(instance.inputs[0], 0) + frame.uniform() / 1000)
        },
        readsScenarioShapeOnly: shapeOnly)
}

private func curb(_ share: Double, start: Month = Month(2026, 2), name: String = "curb") -> Scenario {
    Scenario(name, events: [.restrict(from: "CN", to: "JP", commodity: "DyTb", share: share, start: start, months: 3)])
}

/// A run composed from scratch, to compare the cached path with.
private func freshRun(_ models: [any Model], _ scenario: Scenario, seed: UInt64) throws -> RunResult {
    try Runner.run(
        models: models, dataset: ToyWorld.dataset, scenario: scenario, start: ToyWorld.january2026, months: 6, seed: seed)
}

@Suite("Plan cache")
struct PlanCacheTests {
    @Test("the same scenario reuses one plan; runs equal runs composed anew")
    func sameScenario() throws {
        let models: [any Model] = [restrictionEcho(shapeOnly: false)]
        let parameters = ParameterSet(models: models, dataset: ToyWorld.dataset)
        let cache = PlanCache(models: models, dataset: ToyWorld.dataset)
        for seed in 1...3 as ClosedRange<UInt64> {
            let plan = try cache.plan(scenario: curb(1), start: ToyWorld.january2026, months: 6, parameters: parameters)
            let cached = try Runner.run(plan, parameters: parameters, seed: seed)
            let fresh = try freshRun(models, curb(1), seed: seed)
            #expect(cached.values == fresh.values)
            #expect(try cached.series("echo.seen")[1] >= 1)
        }
        #expect(cache.requests == 3)
        #expect(cache.compositionsMade == 1)
    }

    @Test("a scenario differing only in values reuses the composition when every model reads only its shape")
    func valuesOnly() throws {
        let models: [any Model] = [restrictionEcho(shapeOnly: true)]
        let parameters = ParameterSet(models: models, dataset: ToyWorld.dataset)
        let cache = PlanCache(models: models, dataset: ToyWorld.dataset)
        for (share, start) in [(1.0, Month(2026, 2)), (0.25, Month(2026, 3)), (0.5, Month(2026, 1))] {
            let scenario = curb(share, start: start, name: "curb \(share)")
            let plan = try cache.plan(scenario: scenario, start: ToyWorld.january2026, months: 6, parameters: parameters)
            #expect(plan.composition.scenario == scenario)
            let cached = try Runner.run(plan, parameters: parameters, seed: 9)
            let fresh = try freshRun(models, scenario, seed: 9)
            #expect(cached.values == fresh.values)
            #expect(cached.scenario.name == "curb \(share)")
            let series = try cached.series("echo.seen")
            #expect(series[start - ToyWorld.january2026] >= share && series[start - ToyWorld.january2026] < share + 0.001)
        }
        #expect(cache.compositionsMade == 1)
        // A new pair is a new shape: composed again.
        var wider = curb(1)
        wider.add(.restrict(from: "CN", to: "US", commodity: "NdPr", share: 1, start: Month(2026, 2), months: 3))
        _ = try cache.plan(scenario: wider, start: ToyWorld.january2026, months: 6, parameters: parameters)
        #expect(cache.compositionsMade == 2)
        // A value out of range is refused on the reused path as on the first.
        #expect(throws: CompositionError.self) {
            try cache.plan(scenario: curb(1.5), start: ToyWorld.january2026, months: 6, parameters: parameters)
        }
    }

    @Test("a model that may read the scenario's values is composed anew when they change")
    func valuesMatter() throws {
        let models: [any Model] = [restrictionEcho(shapeOnly: false)]
        let parameters = ParameterSet(models: models, dataset: ToyWorld.dataset)
        let cache = PlanCache(models: models, dataset: ToyWorld.dataset)
        _ = try cache.plan(scenario: curb(1), start: ToyWorld.january2026, months: 6, parameters: parameters)
        _ = try cache.plan(scenario: curb(0.5), start: ToyWorld.january2026, months: 6, parameters: parameters)
        _ = try cache.plan(scenario: curb(1), start: ToyWorld.january2026, months: 6, parameters: parameters)
        #expect(cache.compositionsMade == 2)
        #expect(cache.requests == 3)
    }

    @Test("the shape names kinds and keys, not amounts or months")
    func shape() {
        #expect(curb(1).shape == ["restrict CN>JP/DyTb"])
        #expect(curb(1).shape == curb(0.3, start: Month(2030, 1)).shape)
        let open = Scenario("s", events: [.restrict(from: "CN", to: nil, commodity: nil, share: 1, start: Month(2026, 1), months: nil)])
        #expect(open.shape == ["restrict CN>*/*"])
    }
}
