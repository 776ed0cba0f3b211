import Foundation
import LodestoneKernel
import LodestonePluginKit
import LodestoneStockpile
import LodestoneTesting
import LodestoneTrade
import Testing

/// Docs/Authoring-Modules.md, step by step, on a temporary copy of the package: scaffold a module,
/// run its generated test, build its plugin, load the plugin into a registry as `plugin("tariff")`
/// does, and run it. One build of the copy (about a minute and a half on two cores).
@Suite(.serialized) struct AuthoringWalkthroughTests {
    /// The commands of the guide, as a user types them (the test adds `--scratch-path`).
    static let scaffold = ["package", "--allow-writing-to-package-directory", "new-module", "Tariff"]
    static let buildPlugin = ["build", "--product", "tariff"]
    static let runTests = ["test", "--filter", "LodestoneTariffTests"]
    /// A module that takes part in the market ("Taking part in the market"); `Recycling` is taken
    /// by the reference plugin in this package, so the test scaffolds another supplier.
    static let scaffoldSupplier = ["package", "--allow-writing-to-package-directory", "new-module", "UrbanMining", "--supplies"]

    @Test func theGuideShowsTheStepsThisTestRuns() throws {
        let guide = try String(
            contentsOf: packageRoot.appendingPathComponent("Docs/Authoring-Modules.md"), encoding: .utf8)
        for command in [Self.scaffold, Self.buildPlugin, Self.runTests, Self.scaffoldSupplier] {
            let line = "swift " + command.joined(separator: " ")
            #expect(guide.contains(line), "Docs/Authoring-Modules.md should show `\(line)`")
        }
        for step in ["plugin(\"tariff\")", ":modules", "LODESTONE_PLUGIN_PATH", "--plugin", "ModelConformance"] {
            #expect(guide.contains(step), "Docs/Authoring-Modules.md should mention \(step)")
        }
    }

    @Test(.timeLimit(.minutes(20))) func fromNewModuleToALoadedPlugin() throws {
        // A copy of the package, so that the scaffold cannot touch the real one.
        let copy = try temporaryDirectory("scaffold")
        defer {
            try? FileManager.default.removeItem(at: copy)
            // SwiftPM leaves lock files named after the scratch path in the temporary directory.
            let temporary = FileManager.default.temporaryDirectory
            for name in (try? FileManager.default.contentsOfDirectory(atPath: temporary.path)) ?? []
            where name.contains(copy.lastPathComponent) {
                try? FileManager.default.removeItem(at: temporary.appendingPathComponent(name))
            }
        }
        for entry in ["Package.swift", "Package.resolved", "Sources", "Tests", "Plugins", "Examples"]
        where FileManager.default.fileExists(atPath: packageRoot.appendingPathComponent(entry).path) {
            try FileManager.default.copyItem(
                at: packageRoot.appendingPathComponent(entry), to: copy.appendingPathComponent(entry))
        }
        let scratch = copy.appendingPathComponent(".build").path
        func swift(_ arguments: [String]) throws -> (status: Int32, output: String) {
            try execute("swift", [arguments[0], "--scratch-path", scratch] + arguments.dropFirst(), in: copy)
        }

        // 1. Scaffold.
        let scaffold = try swift(Self.scaffold + ["--summary", "Revenue from a tariff on rare-earth imports"])
        try #require(scaffold.status == 0, "new-module failed: \(scaffold.output)")
        for file in [
            "Sources/LodestoneTariff/TariffModel.swift", "Sources/LodestoneTariff/TariffInstance.swift",
            "Sources/TariffPlugin/Entry.swift", "Tests/LodestoneTariffTests/TariffTests.swift",
            "Docs/Modules/Tariff.md",
        ] {
            #expect(scaffold.output.contains("created \(file)"))
            #expect(FileManager.default.fileExists(atPath: copy.appendingPathComponent(file).path), "\(file)")
        }
        let manifest = try String(contentsOf: copy.appendingPathComponent("Package.swift"), encoding: .utf8)
        #expect(
            manifest.contains(
                "package.products.append(.library(name: \"tariff\", type: .dynamic, targets: [\"TariffPlugin\"]))"))
        let model = try String(
            contentsOf: copy.appendingPathComponent("Sources/LodestoneTariff/TariffModel.swift"), encoding: .utf8)
        #expect(model.contains("public let summary = \"Revenue from a tariff on rare-earth imports\""))

        // Scaffolding twice, or with a bad name, writes nothing and says why.
        let again = try swift(Self.scaffold)
        #expect(again.status != 0)
        #expect(again.output.contains("Package.swift already declares `LodestoneTariff`"))
        let bad = try swift(["package", "--allow-writing-to-package-directory", "new-module", "9lives"])
        #expect(bad.status != 0)
        #expect(bad.output.contains("`9lives` is not a valid name: expected letters and digits starting with a letter"))
        let taken = try swift(["package", "--allow-writing-to-package-directory", "new-module", "Trade"])
        #expect(taken.output.contains("`trade` is already a Lodestone module name"))
        let recycling = try swift(["package", "--allow-writing-to-package-directory", "new-module", "Recycling", "--supplies"])
        #expect(recycling.output.contains("`recycling` is already a Lodestone module name"))

        // 1b. A module that takes part in the market: it produces `market.extra_supply`.
        let supplier = try swift(Self.scaffoldSupplier + ["--summary", "Oxide from urban mining"])
        try #require(supplier.status == 0, "new-module --supplies failed: \(supplier.output)")
        let supplierModel = try String(
            contentsOf: copy.appendingPathComponent("Sources/LodestoneUrbanMining/UrbanMiningModel.swift"), encoding: .utf8)
        #expect(supplierModel.contains("\"market.extra_supply\"") && supplierModel.contains("timing: .delayed"))
        #expect(FileManager.default.fileExists(atPath: copy.appendingPathComponent("Docs/Modules/UrbanMining.md").path))

        // 2. The scaffolded tests compile and pass without edits (this builds the package).
        let run = try swift(["test", "--filter", "LodestoneTariffTests|LodestoneUrbanMiningTests"])
        try #require(run.status == 0, "the scaffolded test failed: \(run.output)")
        #expect(run.output.contains("Test run with 4 tests in 2 suites passed"), "\(run.output)")
        let warnings = run.output.split(separator: "\n").filter {
            $0.contains("warning:") && ($0.contains("Tariff") || $0.contains("UrbanMining"))
        }
        #expect(warnings.isEmpty, "the scaffold compiles with warnings: \(warnings)")

        // 3. Build the plugins (already built by the test run: this is incremental).
        let build = try swift(Self.buildPlugin)
        try #require(build.status == 0, "building the plugin failed: \(build.output)")
        let buildSupplier = try swift(["build", "--product", "urban_mining"])
        try #require(buildSupplier.status == 0, "building the supplier plugin failed: \(buildSupplier.output)")

        // 4. Load it as `plugin("tariff")` does: by name, from the build directory.
        let built = URL(fileURLWithPath: scratch).appendingPathComponent("debug").resolvingSymlinksInPath().path
        var registry = Registry()
        try registry.register(model: TradeModel())
        try registry.register(model: StockpileModel())
        PluginLoader.standard(environment: ["LODESTONE_PLUGIN_PATH": built]).install(in: &registry)
        #expect(try registry.loadPlugin("tariff") == ["tariff"])
        #expect(registry.models.map(\.name) == ["trade", "stockpile", "tariff"])
        let tariff = try registry.model(named: "tariff")
        #expect(tariff.summary == "Revenue from a tariff on rare-earth imports")

        // 5. It passes the conformance kit and computes its skeleton equation.
        #expect(ModelConformance(model: tariff, companions: [TradeModel()], randomTrials: 5).findings() == [])
        let result = try simulate(
            [try registry.model(named: "trade"), try registry.model(named: "stockpile"), tariff],
            on: Fixtures.miniature,
            settings: [("tariff.rate[JP]", 0.25)], months: 3)
        for value in try result.series("tariff.value[JP/NdPr]") { #expect(abs(value - 0.25 * 400 * 1000 * 56) < 1e-6) }

        // 6. The supplier loads, passes the kit with the market balance, and changes the market: a
        //    DyTb curb on Japan leaves less unmet demand with it than without.
        #expect(try registry.loadPlugin("urban_mining") == ["urban_mining"])
        let mining = try registry.model(named: "urban_mining")
        #expect(
            ModelConformance(model: mining, companions: [TradeModel(), StockpileModel()], randomTrials: 5).findings()
                == [])
        let market: [any Model] = [TradeModel(), StockpileModel()]
        let without = try simulate(market, on: Fixtures.miniature, scenario: Fixtures.curbScenario, months: 18)
        let with = try simulate(market + [mining], on: Fixtures.miniature, scenario: Fixtures.curbScenario, months: 18)
        let d0 = Fixtures.miniature.baselineDemand(importer: "JP", commodity: "DyTb")
        #expect(try with.series("market.extra_supply[JP/DyTb]").allSatisfy { abs($0 - 0.05 * d0) < 1e-12 })
        let unmet = "stockpile.unmet_total[JP/DyTb]"
        guard case .number(let a) = try with.metric(unmet), case .number(let b) = try without.metric(unmet) else {
            Issue.record("expected quantities")
            return
        }
        #expect(b > 0 && a < b)
    }
}
