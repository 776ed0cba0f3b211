import LodestoneKernel
import Testing

@Suite("Parameters")
struct ParameterTests {
    let dataset = ToyWorld.dataset
    var parameters: ParameterSet { ParameterSet(models: [rampModule, parameterEcho], dataset: dataset) }

    /// The message of the ParameterError `body` throws on a fresh set, or nil when it succeeds.
    func message(_ body: (inout ParameterSet) throws -> Void) -> String? {
        var set = parameters
        do {
            try body(&set)
            return nil
        } catch let error as ParameterError {
            return error.message
        } catch {
            return "unexpected error type: \(error)"
        }
    }

    @Test("defaults are laid out flat, module then declaration order")
    func layout() throws {
        let set = parameters
        #expect(set.entries.map(\.path) == [
            "trade.ramp_months", "stockpile.cover_days", "stockpile.rebuild_days", "stockpile.max_release_days",
        ])
        #expect(set.entries.map(\.base) == [0, 1, 5, 6])
        #expect(set.values == [6, 60, 60, 30, 30, 2, .infinity])
        #expect(set.entry("stockpile.cover_days")?.declaration.unit == .days)
        #expect(set.entry("stockpile.cover") == nil)
        #expect(set.changes.isEmpty)
        #expect(set.all.map(\.path) == [
            "trade.ramp_months", "stockpile.cover_days[JP/NdPr]", "stockpile.cover_days[JP/DyTb]",
            "stockpile.cover_days[US/NdPr]", "stockpile.cover_days[US/DyTb]", "stockpile.rebuild_days",
            "stockpile.max_release_days",
        ])
    }

    @Test("a scalar is set by its path; reading it gives one value with an empty key")
    func scalar() throws {
        var set = parameters
        try set.set("trade.ramp_months", to: 3)
        let values = try set.values("trade.ramp_months")
        #expect(values.map(\.key) == [""])
        #expect(values.map(\.value) == [3])
        #expect(set.changes.map(\.path) == ["trade.ramp_months"])
        #expect(set.changes.map(\.value) == [3])
    }

    @Test("a partial key sets every key containing it; a full key sets one")
    func selectors() throws {
        var set = parameters
        try set.set("stockpile.cover_days[\"JP\"]", to: 90)
        #expect(try set.values("stockpile.cover_days").map(\.value) == [90, 90, 30, 30])
        try set.set("stockpile.cover_days[JP/DyTb]", to: 120)
        #expect(try set.values("stockpile.cover_days").map(\.value) == [90, 120, 30, 30])
        try set.set("stockpile.cover_days[NdPr]", to: 10)
        #expect(try set.values("stockpile.cover_days").map(\.value) == [10, 120, 10, 30])
        // The order of the parts does not matter.
        try set.set("stockpile.cover_days[DyTb/US]", to: 5)
        #expect(try set.values("stockpile.cover_days").map(\.value) == [10, 120, 10, 5])
        // No selector: every key.
        try set.set("stockpile.cover_days", to: 1)
        #expect(try set.values("stockpile.cover_days").map(\.value) == [1, 1, 1, 1])
        let jp = try set.values("stockpile.cover_days[JP]")
        #expect(jp.map(\.key) == ["JP/NdPr", "JP/DyTb"])
        #expect(try set.positions("stockpile.cover_days[US]") == [3, 4])
    }

    @Test("changes list each key that differs from its default")
    func changes() throws {
        var set = parameters
        try set.set("stockpile.cover_days[JP/DyTb]", to: 120)
        try set.set("stockpile.max_release_days", to: 10)
        #expect(set.changes.map(\.path) == ["stockpile.cover_days[JP/DyTb]", "stockpile.max_release_days"])
        #expect(set.changes.map(\.value) == [120, 10])
        #expect(set != parameters)
        try set.set("stockpile.cover_days[JP/DyTb]", to: 60)
        try set.set("stockpile.max_release_days", to: .infinity)
        #expect(set.changes.isEmpty)
        #expect(set == parameters)
    }

    @Test("an unknown module is named, with a suggestion and the known modules")
    func unknownModule() {
        #expect(
            message { try $0.set("stokpile.cover_days", to: 1) }
                == "unknown module `stokpile` in `stokpile.cover_days`; did you mean `stockpile`? (modules: stockpile, trade)")
        #expect(
            message { try $0.set("industry.share", to: 1) }
                == "unknown module `industry` in `industry.share` (modules: stockpile, trade)")
    }

    @Test("an unknown parameter is named with its module and a did-you-mean, or else the module's parameters")
    func unknownParameter() {
        #expect(
            message { try $0.set("stockpile.cover_dys[JP]", to: 1) }
                == "unknown parameter `cover_dys` of module `stockpile`; did you mean `cover_days`?")
        #expect(
            message { try $0.set("stockpile.cover", to: 1) }
                == "unknown parameter `cover` of module `stockpile`; did you mean `cover_days`?")
        #expect(
            message { try $0.set("trade.elasticity", to: 1) }
                == "unknown parameter `elasticity` of module `trade` (parameters: ramp_months)")
    }

    @Test("a value out of range names the path, the value, the range and the unit, and changes nothing")
    func outOfRange() {
        #expect(
            message { try $0.set("stockpile.cover_days[JP]", to: 400) }
                == "`stockpile.cover_days[JP]` = 400 is out of range: expected 0…365 days")
        #expect(
            message { try $0.set("stockpile.rebuild_days", to: -0.5) }
                == "`stockpile.rebuild_days` = -0.5 is out of range: expected 0…30 days")
        #expect(
            message { try $0.set("trade.ramp_months", to: .infinity) }
                == "`trade.ramp_months` = ∞ is out of range: expected 0…120 months")
        #expect(
            message { try $0.set("stockpile.max_release_days", to: -1) }
                == "`stockpile.max_release_days` = -1 is out of range: expected 0…∞ days")
        #expect(
            message { try $0.set("trade.ramp_months", to: .nan) }
                == "`trade.ramp_months` = nan is out of range: expected 0…120 months")
        var set = parameters
        #expect(throws: ParameterError.self) { try set.set("stockpile.cover_days[JP]", to: 400) }
        #expect(set == parameters)
        // The bounds themselves are valid.
        #expect(message { try $0.set("stockpile.cover_days", to: 365) } == nil)
        #expect(message { try $0.set("stockpile.max_release_days", to: .infinity) } == nil)
    }

    @Test("a key that matches nothing lists the keys and suggests a near one")
    func unknownKey() {
        #expect(
            message { try $0.set("stockpile.cover_days[CN]", to: 1) }
                == "`stockpile.cover_days[CN]`: no key matches `CN` (keys: JP/NdPr, JP/DyTb, US/NdPr, US/DyTb)")
        #expect(
            message { try $0.set("stockpile.cover_days[JP/DyTB]", to: 1) }
                == "`stockpile.cover_days[JP/DyTB]`: no key matches `JP/DyTB`; did you mean `JP/DyTb`?"
                + " (keys: JP/NdPr, JP/DyTb, US/NdPr, US/DyTb)")
    }

    @Test("malformed paths say what form is expected")
    func malformedPaths() {
        #expect(
            message { try $0.set("trade.ramp_months[JP]", to: 1) }
                == "`trade.ramp_months` is a single value and takes no key (got `[JP]`)")
        #expect(
            message { try $0.set("stockpile.cover_days[JP", to: 1) }
                == "`stockpile.cover_days[JP`: expected `module.name[key]` with a closing `]`")
        #expect(
            message { try $0.set("cover_days", to: 1) }
                == "`cover_days`: expected a parameter path `module.name` or `module.name[key]`")
        #expect(
            message { try $0.set("a.b.c", to: 1) } == "`a.b.c`: expected a parameter path `module.name` or `module.name[key]`")
    }

    @Test("ParameterSet.split separates the path and the selector, quotes removed")
    func split() throws {
        let plain = try ParameterSet.split("trade.ramp_months")
        #expect(plain.path == "trade.ramp_months")
        #expect(plain.selector == nil)
        let keyed = try ParameterSet.split("stockpile.cover_days[\"JP/DyTb\"]")
        #expect(keyed.path == "stockpile.cover_days")
        #expect(keyed.selector == "JP/DyTb")
    }

    @Test("numbers and ranges print as users write them")
    func formatting() {
        #expect(ParameterSet.format(5) == "5")
        #expect(ParameterSet.format(0.1) == "0.1")
        #expect(ParameterSet.format(-2.5) == "-2.5")
        #expect(ParameterSet.format(.infinity) == "∞")
        #expect(ParameterSet.format(-.infinity) == "-∞")
        #expect(ParameterSet.format(1e20) == "1e+20")
        #expect(ParameterSet.format(0...365) == "0…365")
        #expect(ParameterSet.format(0.5...Double.infinity) == "0.5…∞")
    }

    @Test("clamped setting keeps drawn values inside the range; NaN falls back to the default")
    func clamped() throws {
        var set = parameters
        let cover = try #require(set.entry("stockpile.cover_days")).base
        set.setClamped(position: cover + 1, to: 1_000)
        set.setClamped(position: cover + 2, to: -5)
        set.setClamped(position: cover + 3, to: .nan)
        set.setClamped(position: 0, to: 7.5)
        #expect(try set.values("stockpile.cover_days").map(\.value) == [60, 365, 0, 30])
        #expect(try set.values("trade.ramp_months").map(\.value) == [7.5])
    }

    @Test("a parameter set has the layout of another built from the same modules only")
    func layoutMatch() throws {
        var changed = parameters
        try changed.set("trade.ramp_months", to: 1)
        #expect(changed.hasLayout(of: parameters))
        #expect(!ParameterSet(models: [parameterEcho], dataset: dataset).hasLayout(of: parameters))
        #expect(!ParameterSet(models: [parameterEcho, rampModule], dataset: dataset).hasLayout(of: parameters))
        let models: [any Model] = [parameterEcho]
        let composition = try Composition(
            models: models, dataset: dataset, scenario: Scenario("calm"),
            parameters: ParameterSet(models: models, dataset: dataset))
        let plan = try RunPlan(composition: composition, start: ToyWorld.january2026, months: 2)
        let error = #expect(throws: CompositionError.self) {
            try Runner.run(plan, parameters: parameters, seed: 1)
        }
        #expect(
            error?.message == "the parameter set does not belong to this model (its modules or dataset differ); make it with"
                + " `ParameterSet(models:dataset:)` from the same modules and dataset")
    }

    @Test("a keyed parameter with no keys (an empty dataset) keeps the following values aligned")
    func keyedWithoutKeys() throws {
        let empty = ToyModel(
            name: "sparse",
            declaredParameters: [
                ParameterDeclaration("per_key", unit: .days, keys: [], defaults: [], range: 0...10, doc: "no keys"),
                ParameterDeclaration("after", unit: .days, default: 4, range: 0...10, doc: "scalar after it"),
            ])
        var set = ParameterSet(models: [empty], dataset: dataset)
        #expect(set.values == [0, 4])
        #expect(try set.values("sparse.per_key").map(\.value) == [0])
        #expect(try set.values("sparse.after").map(\.value) == [4])
        try set.set("sparse.after", to: 9)
        #expect(try set.values("sparse.after").map(\.value) == [9])
        #expect(set.changes.map(\.path) == ["sparse.after"])
    }
}
