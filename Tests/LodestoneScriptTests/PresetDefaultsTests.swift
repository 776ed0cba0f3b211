import LodestoneData
import LodestoneKernel
import Testing

@testable import LodestoneScript

/// The market model v3 is the default; `preset: "v3"` names the defaults, `preset: "v2"` is the
/// defaults without the expected-scarcity premium (`scarcity_horizon_months` 0, the defaults until
/// v3) and `preset: "v1"` sets every new mechanism back to Lodestone 1's neutral value
/// (Docs/Models.md, "Market model v2" and "Market model v3").
@Suite("Presets and the defaults")
struct PresetDefaultsTests {
    static let models = ["trade", "stockpile", "diplomacy"].compactMap { try? Harness.registry.model(named: $0) }

    static func parameters(preset: String?) throws -> ParameterSet {
        let dataset = try Baseline2024Dataset.source.load()
        var parameters = ParameterSet(models: models, dataset: dataset)
        if let preset { try parameters.apply(preset: preset, of: models, dataset: dataset) }
        return parameters
    }

    @Test("the defaults are the v3 preset's values")
    func defaultsAreV3() throws {
        #expect(Self.models.count == 3)
        let defaults = try Self.parameters(preset: nil)
        let v3 = try Self.parameters(preset: "v3")
        #expect(v3.changes.isEmpty, "v3 sets \(v3.changes.map(\.path)) away from the defaults")
        #expect(defaults == v3)
    }

    @Test("v2 is the defaults with scarcity_horizon_months 0, and nothing else")
    func v2IsTheDefaultsWithoutThePremium() throws {
        let v2 = try Self.parameters(preset: "v2")
        #expect(v2.changes.map(\.path) == ["trade.scarcity_horizon_months"])
        #expect(v2.changes.map(\.value) == [0])
        var defaults = try Self.parameters(preset: nil)
        #expect(try defaults.values("trade.scarcity_horizon_months").map(\.value) == [6])
        try defaults.set("trade.scarcity_horizon_months", to: 0)
        #expect(defaults == v2)
    }

    /// The series and metrics of the run `name` that `script` leaves in its session, bit for bit
    /// (`Double` bit patterns, so that NaN metrics compare equal).
    static func results(_ script: String, _ names: [String]) throws -> [[UInt64]] {
        let sink = OutputSink()
        let session = Harness.session(sink: sink)
        let failure = Harness.onLargeStack { () -> String? in
            do { _ = try session.run(script, file: "presets.lode") } catch let error as ScriptError {
                return error.render(colour: false)
            } catch { return "\(error)" }
            return nil
        }
        try #require(failure == nil, "\(failure ?? "")")
        return names.map { name in
            guard case .run(let r)? = session.value(of: name) else {
                Issue.record("`\(name)` is not a run")
                return []
            }
            return (r.values + r.metricValues).map(\.bitPattern)
        }
    }

    /// A small case where the premium matters: a year's total curb of DyTb on Japan, which draws
    /// Japan's stock, on baseline-2024 (three importers, three commodities).
    static let curb = """
        let d = data("baseline-2024")
        let s = scenario("curb")
        s.restrict(from: "CN", to: "JP", commodity: "DyTb", share: 100%, start: 2026-02, months: 12)
        """

    @Test("a run with preset v3 is the run with the defaults, bit for bit")
    func v3RunIsTheDefaultRun() throws {
        let runs = try Self.results(
            Self.curb + """

                let a = run(model(trade, stockpile, diplomacy, data: "baseline-2024"), s, start: 2026-01, months: 36, seed: 1)
                let b = run(model(trade, stockpile, diplomacy, data: "baseline-2024", preset: "v3"), s, start: 2026-01, months: 36, seed: 1)
                let c = run(model(trade, stockpile, diplomacy, data: "baseline-2024", preset: "v2"), s, start: 2026-01, months: 36, seed: 1)
                """, ["a", "b", "c"])
        #expect(runs[0].count > 1000)
        #expect(runs[0] == runs[1])
        // The case is one where the premium changes the result: v2 differs from the defaults.
        #expect(runs[0] != runs[2])
    }

    @Test("a run with preset v2 is the default run with scarcity_horizon_months set to 0, bit for bit")
    func v2RunIsTheDefaultRunWithoutThePremium() throws {
        let runs = try Self.results(
            Self.curb + """

                let m = model(trade, stockpile, diplomacy, data: "baseline-2024")
                m.trade.scarcity_horizon_months = 0
                let a = run(m, s, start: 2026-01, months: 36, seed: 1)
                let b = run(model(trade, stockpile, diplomacy, data: "baseline-2024", preset: "v2"), s, start: 2026-01, months: 36, seed: 1)
                """, ["a", "b"])
        #expect(runs[0].count > 1000)
        #expect(runs[0] == runs[1])
    }

    @Test("v1 sets each mechanism of the market model v2 to its neutral value")
    func v1IsNeutral() throws {
        let v1 = try Self.parameters(preset: "v1")
        let expected: [(String, Double)] = [
            ("trade.thrifting_per_year", 0), ("trade.deferred_share", 0), ("trade.hoard_months", 0),
            ("trade.release_in_price", 0), ("trade.quota_carryover", 0), ("trade.stock_price_elasticity", 0),
            ("trade.leakage", 0), ("trade.max_price_multiple", 30), ("trade.substitution_per_year", 0.1),
            ("stockpile.destock_days", 0),
        ]
        for (path, value) in expected {
            for (key, actual) in try v1.values(path) { #expect(actual == value, "\(path)[\(key)]") }
        }
        // And the defaults differ from v1 in each of them.
        let defaults = try Self.parameters(preset: nil)
        for (path, value) in expected {
            #expect(try defaults.values(path).allSatisfy { $0.value != value }, "\(path) is a v2 value by default")
        }
    }

    @Test("help(\"presets\") says which preset the defaults are and lists v1, v2 and v3 for each module")
    func helpSaysV3IsTheDefault() {
        let outcome = Harness.run("help(\"presets\")\n")
        #expect(outcome.exitCode == 0, "\(outcome.stderr)")
        #expect(outcome.stdout.contains("The defaults are the market model v3 (`v3` names them); `v2` is v3 without the expected-scarcity"))
        #expect(outcome.stdout.contains("trade: The market model v3 (the defaults): "))
        #expect(outcome.stdout.contains("trade: The market model v2 (the defaults until v3): "))
        for name in ["v1", "v2", "v3"] {
            #expect(outcome.stdout.contains("\n\(name):\n  trade: "), "\(name)")
        }
        for module in ["stockpile", "diplomacy"] {
            #expect(outcome.stdout.contains("  \(module): The market model v3"), "\(module)")
        }
    }
}
