import LodestoneDiplomacy
import LodestoneKernel
@testable import LodestonePluginKit
import LodestoneStockpile
import LodestoneTesting
import LodestoneTrade
import Testing

/// Plugin tables one test makes in memory, freed when it is done with them (`defer`), so that the
/// test leaks nothing (a loaded library's table, by contrast, lives as long as the process).
final class InMemoryTables {
    private var tables: [UnsafeRawPointer] = []

    /// `model` turned into a table and back into a module, named `<NAME in memory>`.
    func adapted(_ model: some Model) throws -> PluginModel {
        try #require(try adapt(PluginExport.table(for: model), name: "<\(model.name) in memory>").first)
    }

    /// The modules of `table`, which is freed by ``freeAll()``.
    func adapt(_ table: UnsafeRawPointer, name: String) throws -> [PluginModel] {
        tables.append(table)
        return try PluginLoader.adapt(table: table, name: name)
    }

    /// Frees every table; nothing adapted from them may be used afterwards.
    func freeAll() {
        tables.forEach(PluginExport.freeTable)
        tables = []
    }
}

/// The kit's two halves in one process: a built-in turned into a C table by ``PluginExport`` and
/// back into a module by the loader must compute exactly what the built-in computes.
@Suite struct AdapterTests {
    /// Trade reads stockpile's purchases with a delay and diplomacy's restriction as an optional
    /// input; stockpile reads trade in the same month: every kind of wiring crosses the boundary.
    @Test func adaptedBuiltInsMatchTheOriginalsBitForBit() throws {
        let tables = InMemoryTables()
        defer { tables.freeAll() }
        let native: [any Model] = [TradeModel(), StockpileModel()]
        let crossed: [any Model] = [try tables.adapted(TradeModel()), try tables.adapted(StockpileModel())]
        var scenario = Fixtures.curbScenario
        scenario.add(.set(path: "trade.ramp_months", value: 2, at: Month(2026, 6)))
        let settings = [("stockpile.cover_days[JP]", 45.0), ("trade.leakage", 0.1)]
        let a = try simulate(
            native, on: Fixtures.miniature, scenario: scenario, settings: settings, months: 30, seed: 9)
        let b = try simulate(
            crossed, on: Fixtures.miniature, scenario: scenario, settings: settings, months: 30, seed: 9)
        #expect(a.signals.map(\.id) == b.signals.map(\.id))
        #expect(a.metrics.map(\.id) == b.metrics.map(\.id))
        #expect(a.values.map(\.bitPattern) == b.values.map(\.bitPattern))
        #expect(a.metricValues.map(\.bitPattern) == b.metricValues.map(\.bitPattern))
        #expect(try a.series("stockpile.unmet[JP/DyTb]").contains { $0 > 0 })
    }

    /// An adapted model that draws random numbers is deterministic for a seed, and its draws vary
    /// with the seed.
    @Test func anAdaptedRandomModelIsDeterministicForASeed() throws {
        let tables = InMemoryTables()
        defer { tables.freeAll() }
        let models: [any Model] = [TradeModel(), StockpileModel(), try tables.adapted(DiplomacyModel())]
        let first = try simulate(models, on: Fixtures.miniature, scenario: Fixtures.curbScenario, months: 36, seed: 4)
        let second = try simulate(models, on: Fixtures.miniature, scenario: Fixtures.curbScenario, months: 36, seed: 4)
        #expect(first.values.map(\.bitPattern) == second.values.map(\.bitPattern))
        #expect(first.metricValues.map(\.bitPattern) == second.metricValues.map(\.bitPattern))
        var settled = Set<String>()
        for seed in 0..<30 {
            let run = try simulate(
                models, on: Fixtures.miniature, scenario: Fixtures.curbScenario, months: 36, seed: UInt64(seed))
            settled.insert("\(try run.metric("diplomacy.settled_at[CN>JP]"))")
        }
        #expect(settled.count > 3, "settlement month varies with the seed: \(settled.sorted())")
    }

    /// A plugin's stream is forked from the run's generator without advancing it: adding the
    /// industry plugin leaves diplomacy's draws, and so every built-in signal, unchanged (with its
    /// market feedback off: with it, industry changes trade's demand on purpose).
    @Test func addingAPluginDoesNotChangeWhatOthersDraw() throws {
        let builtIns: [any Model] = [TradeModel(), StockpileModel(), DiplomacyModel()]
        for seed: UInt64 in 0..<8 {
            let without = try simulate(
                builtIns, on: Fixtures.miniature, scenario: Fixtures.curbScenario, months: 36, seed: seed)
            let with = try simulate(
                builtIns + [try industryModel()], on: Fixtures.miniature, scenario: Fixtures.curbScenario,
                settings: [("industry.market_feedback", 0)], months: 36, seed: seed)
            #expect(try with.metric("diplomacy.settled_at[CN>JP]") == without.metric("diplomacy.settled_at[CN>JP]"))
            for signal in without.signals {
                #expect(try with.series(signal.id) == without.series(signal.id), "\(signal.id), seed \(seed)")
            }
        }
    }

    @Test func anAdaptedModelsPlacesInMessagesNameTheTable() throws {
        let tables = InMemoryTables()
        defer { tables.freeAll() }
        let model = try tables.adapted(TradeModel())
        #expect(model.path == "<trade in memory>")
        #expect(model.manifest.plugin == "trade" && model.manifest.version == "1.0.0")
        let names = try tables.adapt(
            PluginExport.table(for: [TradeModel(), StockpileModel()], plugin: "pair", version: "2"), name: "pair")
        #expect(names.map(\.name) == ["trade", "stockpile"])
        #expect(names[1].summary == StockpileModel().summary)
    }
}
