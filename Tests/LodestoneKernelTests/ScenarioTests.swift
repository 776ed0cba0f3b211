import LodestoneKernel
import Testing

@Suite("Scenario events")
struct ScenarioTests {
    let feb = Month(2026, 2), mar = Month(2026, 3), apr = Month(2026, 4), may = Month(2026, 5)

    func run(_ events: [ScenarioEvent], months: Int = 8) throws -> RunResult {
        try toyRun([stub("idle")], scenario: Scenario("test", events: events), months: months)
    }

    @Test("restrict acts for exactly `months` months from its start")
    func restrictWindow() throws {
        let result = try run([.restrict(from: "CN", to: "JP", commodity: "DyTb", share: 1, start: mar, months: 4)])
        #expect(try result.series("scenario.restriction[CN>JP/DyTb]") == [0, 0, 1, 1, 1, 1, 0, 0])
        // Only the named pair and commodity.
        #expect(try result.series("scenario.restriction[CN>JP/NdPr]") == Array(repeating: 0, count: 8))
        #expect(try result.series("scenario.restriction[CN>US/DyTb]") == Array(repeating: 0, count: 8))
        #expect(try result.series("scenario.restriction[AU>JP/DyTb]") == Array(repeating: 0, count: 8))
    }

    @Test("restrict without months lasts to the end of the run; 0 months never acts")
    func restrictOpenEnded() throws {
        let result = try run([
            .restrict(from: "CN", to: "JP", commodity: "NdPr", share: 0.5, start: may, months: nil),
            .restrict(from: "CN", to: "JP", commodity: "DyTb", share: 1, start: feb, months: 0),
        ])
        #expect(try result.series("scenario.restriction[CN>JP/NdPr]") == [0, 0, 0, 0, 0.5, 0.5, 0.5, 0.5])
        #expect(try result.series("scenario.restriction[CN>JP/DyTb]") == Array(repeating: 0, count: 8))
    }

    @Test("a restriction that started before the run acts from month 0 for its remaining months")
    func restrictBeforeStart() throws {
        let result = try run([
            .restrict(from: "CN", to: "US", commodity: "NdPr", share: 0.3, start: Month(2025, 11), months: 4)
        ])
        // 2025-11, 2025-12, 2026-01, 2026-02.
        #expect(isClose(try result.series("scenario.restriction[CN>US/NdPr]"), [0.3, 0.3, 0, 0, 0, 0, 0, 0]))
    }

    @Test("no importer or commodity means all of them")
    func restrictAll() throws {
        let result = try run([.restrict(from: "CN", to: nil, commodity: nil, share: 0.25, start: feb, months: 1)])
        for key in ["CN>JP/NdPr", "CN>JP/DyTb", "CN>US/NdPr", "CN>US/DyTb"] {
            #expect(try result.series("scenario.restriction[\(key)]") == [0, 0.25, 0, 0, 0, 0, 0, 0])
        }
        #expect(try result.series("scenario.restriction[AU>JP/NdPr]") == Array(repeating: 0, count: 8))
    }

    @Test("overlapping restrictions combine as 1 − Π(1 − r)")
    func restrictCombined() throws {
        let result = try run([
            .restrict(from: "CN", to: "JP", commodity: "NdPr", share: 0.5, start: feb, months: 3),
            .restrict(from: "CN", to: nil, commodity: nil, share: 0.4, start: mar, months: 3),
            .restrict(from: "CN", to: "JP", commodity: nil, share: 0.2, start: apr, months: 1),
        ])
        #expect(
            isClose(
                try result.series("scenario.restriction[CN>JP/NdPr]"),
                [0, 0.5, 1 - 0.5 * 0.6, 1 - 0.5 * 0.6 * 0.8, 0.4, 0, 0, 0]))
        #expect(try result.series("scenario.restriction[CN>US/DyTb]") == [0, 0, 0.4, 0.4, 0.4, 0, 0, 0])
    }

    @Test("demand and capacity factors multiply while active and are 1 otherwise")
    func factors() throws {
        let result = try run([
            .demand(region: "JP", commodity: "NdPr", factor: 1.2, start: feb, months: 2),
            .demand(region: "JP", commodity: nil, factor: 0.5, start: mar, months: nil),
            .capacity(region: "CN", commodity: "DyTb", factor: 0.25, start: apr, months: 2),
        ])
        #expect(isClose(try result.series("scenario.demand_factor[JP/NdPr]"), [1, 1.2, 0.6, 0.5, 0.5, 0.5, 0.5, 0.5]))
        #expect(try result.series("scenario.demand_factor[JP/DyTb]") == [1, 1, 0.5, 0.5, 0.5, 0.5, 0.5, 0.5])
        #expect(try result.series("scenario.demand_factor[US/NdPr]") == Array(repeating: 1, count: 8))
        #expect(try result.series("scenario.capacity_factor[CN/DyTb]") == [1, 1, 1, 0.25, 0.25, 1, 1, 1])
        #expect(try result.series("scenario.capacity_factor[CN/NdPr]") == Array(repeating: 1, count: 8))
        #expect(try result.series("scenario.capacity_factor[AU/DyTb]") == Array(repeating: 1, count: 8))
    }

    @Test("incidents and talks act only in their month, per directed pair")
    func incidentsAndTalks() throws {
        let result = try run([
            .incident(from: "CN", to: "JP", severity: 0.8, at: feb),
            .incident(from: "CN", to: "JP", severity: 0.5, at: apr),
            .incident(from: "CN", to: "JP", severity: 0.5, at: apr),
            .talks(from: "CN", to: "JP", boost: 0.1, at: may),
            .talks(from: "CN", to: "JP", boost: 0.05, at: may),
            .talks(from: "JP", to: "CN", boost: 0.2, at: mar),
            .incident(from: "CN", to: "JP", severity: 1, at: Month(2025, 12)),
        ])
        #expect(try result.series("scenario.incident[CN>JP]") == [0, 0.8, 0, 0.75, 0, 0, 0, 0])
        #expect(isClose(try result.series("scenario.talks[CN>JP]"), [0, 0, 0, 0, 0.15, 0, 0, 0]))
        #expect(try result.series("scenario.talks[JP>CN]") == [0, 0, 0.2, 0, 0, 0, 0, 0])
        #expect(try result.series("scenario.incident[JP>CN]") == Array(repeating: 0, count: 8))
        #expect(result.signals.first { $0.id == "scenario.talks[CN>JP]" }?.unit == .perMonth)
    }

    @Test("a scenario without incidents or talks has no incident or talks signals")
    func noPairs() throws {
        let result = try run([])
        #expect(!result.signals.contains { $0.name == "scenario.incident" || $0.name == "scenario.talks" })
        #expect(result.signals.count == 16)
    }

    @Test("diplomatic pairs are listed in first-seen order without repeats")
    func pairs() {
        let scenario = Scenario(
            "pairs",
            events: [
                .talks(from: "JP", to: "CN", boost: 0.1, at: feb),
                .restrict(from: "CN", to: "JP", commodity: nil, share: 1, start: feb, months: nil),
                .incident(from: "CN", to: "JP", severity: 0.5, at: feb),
                .incident(from: "JP", to: "CN", severity: 0.5, at: mar),
            ])
        #expect(scenario.diplomaticPairs == ["JP>CN", "CN>JP"])
    }

    @Test("set changes a parameter from its month on; keyed selectors touch only their keys")
    func setEvents() throws {
        let scenario = Scenario(
            "policy",
            events: [
                .set(path: "stockpile.rebuild_days", value: 5, at: apr),
                .set(path: "stockpile.cover_days[JP]", value: 90, at: mar),
                .set(path: "stockpile.rebuild_days", value: 7, at: Month(2026, 6)),
                .set(path: "stockpile.cover_days[JP/DyTb]", value: 120, at: Month(2030, 1)),
            ])
        let result = try toyRun([parameterEcho], scenario: scenario, months: 7)
        #expect(try result.series("stockpile.rebuild") == [2, 2, 2, 5, 5, 7, 7])
        #expect(try result.series("stockpile.cover[JP/NdPr]") == [60, 60, 90, 90, 90, 90, 90])
        #expect(try result.series("stockpile.cover[JP/DyTb]") == [60, 60, 90, 90, 90, 90, 90])
        #expect(try result.series("stockpile.cover[US/NdPr]") == Array(repeating: 30, count: 7))
        // The result records the parameters in force at the start.
        #expect(try result.parameters.values("stockpile.rebuild_days").map(\.value) == [2])
    }

    @Test("a set event dated before the start applies from month 0")
    func setBeforeStart() throws {
        let scenario = Scenario("early", events: [.set(path: "stockpile.rebuild_days", value: 3, at: Month(2025, 6))])
        let result = try toyRun([parameterEcho], scenario: scenario, months: 3)
        #expect(try result.series("stockpile.rebuild") == [3, 3, 3])
    }

    @Test("set events are validated like any parameter assignment")
    func setValidation() throws {
        let unknown = Scenario("typo", events: [.set(path: "stockpile.rebild_days", value: 3, at: feb)])
        let error = #expect(throws: CompositionError.self) { try toyRun([parameterEcho], scenario: unknown) }
        #expect(
            error?.message == "scenario `typo`: set: unknown parameter `rebild_days` of module `stockpile`;"
                + " did you mean `rebuild_days`?")
        let tooBig = Scenario("big", events: [.set(path: "stockpile.cover_days[JP]", value: 500, at: feb)])
        let rangeError = #expect(throws: CompositionError.self) { try toyRun([parameterEcho], scenario: tooBig) }
        #expect(
            rangeError?.message
                == "scenario `big`: set: `stockpile.cover_days[JP]` = 500 is out of range: expected 0…365 days")
        // Even when the event falls after the run's last month.
        let late = Scenario("late", events: [.set(path: "trade.ramp", value: 1, at: Month(2040, 1))])
        let lateError = #expect(throws: CompositionError.self) {
            try toyRun([parameterEcho, rampModule], scenario: late, months: 3)
        }
        #expect(
            lateError?.message == "scenario `late`: set: unknown parameter `ramp` of module `trade`;"
                + " did you mean `ramp_months`?")
    }

    @Test("events naming unknown regions or commodities, or bad amounts, are compose-time errors")
    func validation() {
        func message(_ event: ScenarioEvent) -> String? {
            compositionMessage([stub("idle")], scenario: Scenario("bad", events: [event]))
        }
        #expect(
            message(.restrict(from: "CX", to: "JP", commodity: nil, share: 1, start: feb, months: nil))
                == "scenario `bad`: restrict names unknown region `CX`; did you mean `CN`? (regions: CN, AU, JP, US)")
        #expect(
            message(.restrict(from: "CN", to: "JP", commodity: "DyTB", share: 1, start: feb, months: nil))
                == "scenario `bad`: restrict names unknown commodity `DyTB`; did you mean `DyTb`? (commodities: NdPr, DyTb)")
        #expect(
            message(.restrict(from: "CN", to: "JP", commodity: nil, share: 1.5, start: feb, months: nil))
                == "scenario `bad`: restrict share 1.5 is out of range: expected 0…1")
        #expect(
            message(.restrict(from: "CN", to: "JP", commodity: nil, share: 1, start: feb, months: -2))
                == "scenario `bad`: restrict months must be ≥ 0")
        #expect(
            message(.incident(from: "CN", to: "XX", severity: 0.5, at: feb))
                == "scenario `bad`: incident names unknown region `XX` (regions: CN, AU, JP, US)")
        #expect(
            message(.incident(from: "CN", to: "JP", severity: -0.1, at: feb))
                == "scenario `bad`: incident severity -0.1 is out of range: expected 0…1")
        #expect(
            message(.talks(from: "CN", to: "JP", boost: 2, at: feb))
                == "scenario `bad`: talks boost 2 is out of range: expected 0…1")
        #expect(
            message(.demand(region: "JP", commodity: nil, factor: -1, start: feb, months: nil))
                == "scenario `bad`: demand factor -1 is out of range: expected 0…∞")
        #expect(
            message(.capacity(region: "CN", commodity: "Ce", factor: 0.5, start: feb, months: nil))
                == "scenario `bad`: capacity names unknown commodity `Ce` (commodities: NdPr, DyTb)")
        #expect(message(.demand(region: "JP", commodity: nil, factor: 3, start: feb, months: nil)) == nil)
    }

    @Test("events describe themselves in one line")
    func summaries() {
        #expect(
            ScenarioEvent.restrict(from: "CN", to: "JP", commodity: "DyTb", share: 1, start: feb, months: 12).summary
                == "restrict CN>JP DyTb 100% from 2026-02 for 12 months")
        #expect(
            ScenarioEvent.restrict(from: "CN", to: nil, commodity: nil, share: 0.125, start: feb, months: nil).summary
                == "restrict CN>all all 12.5% from 2026-02 onward")
        #expect(
            ScenarioEvent.incident(from: "CN", to: "JP", severity: 0.8, at: feb).summary
                == "incident CN>JP severity 0.8 at 2026-02")
        #expect(ScenarioEvent.talks(from: "CN", to: "JP", boost: 0.1, at: mar).summary == "talks CN>JP boost 0.1 at 2026-03")
        #expect(
            ScenarioEvent.set(path: "trade.ramp_months", value: 3, at: apr).summary
                == "set trade.ramp_months = 3 at 2026-04")
        #expect(
            ScenarioEvent.demand(region: "JP", commodity: nil, factor: 1.5, start: feb, months: 6).summary
                == "demand JP all ×1.5 from 2026-02 for 6 months")
        #expect(
            ScenarioEvent.capacity(region: "AU", commodity: "NdPr", factor: 2, start: feb, months: nil).summary
                == "capacity AU NdPr ×2 from 2026-02 onward")
        #expect(ScenarioEvent.talks(from: "CN", to: "JP", boost: 0.1, at: mar).kind == "talks")
        #expect(ScenarioEvent.set(path: "a.b", value: 1, at: apr).start == apr)
        #expect(
            ScenarioEvent.demand(region: "JP", commodity: nil, factor: 1, start: may, months: 1).start == may)
    }

    @Test("a run length outside 1…12000 months is an error")
    func runLength() throws {
        let models: [any Model] = [stub("idle")]
        let composition = try Composition(
            models: models, dataset: ToyWorld.dataset, scenario: Scenario("calm"),
            parameters: ParameterSet(models: models, dataset: ToyWorld.dataset))
        let zero = #expect(throws: CompositionError.self) {
            try RunPlan(composition: composition, start: feb, months: 0)
        }
        #expect(zero?.message == "months: expected 1…12000, got 0")
        #expect(throws: CompositionError.self) { try RunPlan(composition: composition, start: feb, months: 12_001) }
        let plan = try RunPlan(composition: composition, start: feb, months: 12_000)
        #expect(plan.months == 12_000)
    }
}
