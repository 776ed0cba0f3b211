import LodestoneData
import LodestoneKernel
import Testing

@testable import LodestoneScript

/// The market model v2 is the default; `preset: "v2"` names the defaults and `preset: "v1"` sets
/// every new mechanism back to Lodestone 1's neutral value (Docs/Models.md, "Market model v2").
@Suite("Presets and the defaults")
struct PresetDefaultsTests {
    static let models = ["trade", "stockpile", "diplomacy"].compactMap { try? Harness.registry.model(named: $0) }

    static func parameters(preset: String?) throws -> ParameterSet {
        let dataset = try Baseline2024Dataset.source.load()
        var parameters = ParameterSet(models: models, dataset: dataset)
        if let preset { try parameters.apply(preset: preset, of: models, dataset: dataset) }
        return parameters
    }

    @Test("the defaults are the v2 preset's values")
    func defaultsAreV2() throws {
        #expect(Self.models.count == 3)
        let defaults = try Self.parameters(preset: nil)
        let v2 = try Self.parameters(preset: "v2")
        #expect(v2.changes.isEmpty, "v2 sets \(v2.changes.map(\.path)) away from the defaults")
        #expect(defaults == v2)
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

    @Test("help(\"presets\") says which preset the defaults are")
    func helpSaysV2IsTheDefault() {
        let outcome = Harness.run("help(\"presets\")\n")
        #expect(outcome.exitCode == 0, "\(outcome.stderr)")
        #expect(outcome.stdout.contains("The defaults are the market model v2 (`v2` names them); `v1` restores Lodestone 1's equations."))
        #expect(outcome.stdout.contains("trade: The market model v2 (the defaults): "))
    }
}
