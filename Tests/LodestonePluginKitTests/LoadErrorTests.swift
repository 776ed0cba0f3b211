import Foundation
import LodestoneKernel
import LodestonePluginKit
import LodestoneTesting
import LodestoneTrade
import Testing

/// Each way a plugin can be bad answers with a clear message naming the file; none crashes.
@Suite struct LoadErrorTests {
    func loadError(_ spec: String, searchPath: [String] = []) -> PluginError? {
        #expect(throws: PluginError.self) { try PluginLoader(searchPath: searchPath).load(spec) }
    }

    @Test func missingFile() throws {
        let error = try #require(loadError("/nonexistent/libnothing.so"))
        #expect(error == .notFound(spec: "/nonexistent/libnothing.so", searched: ["/nonexistent/libnothing.so"]))
        #expect(error.description == "plugin `/nonexistent/libnothing.so`: no such file")
    }

    @Test func unknownNameListsTheSearchPath() throws {
        let directory = try temporaryDirectory("empty")
        defer { try? FileManager.default.removeItem(at: directory) }
        let error = try #require(loadError("tariff", searchPath: ["/opt/none", directory.path]))
        #expect(
            error.description == "no plugin `tariff`: looked for libtariff.so in /opt/none, \(directory.path)"
                + " (set LODESTONE_PLUGIN_PATH to a colon-separated list of directories, or give the file's path)")
        let invalid = try #require(loadError("bad name!"))
        #expect(invalid == .invalidName("bad name!"))
        #expect(invalid.description.contains("expected a name such as `industry`"))
    }

    @Test func notALibrary() throws {
        let directory = try temporaryDirectory("junk")
        defer { try? FileManager.default.removeItem(at: directory) }
        let path = directory.appendingPathComponent("libjunk.so").path
        try "this is not an ELF file\n".write(toFile: path, atomically: true, encoding: .utf8)
        let error = try #require(loadError(path))
        guard case .notLoadable(let at, let reason) = error else {
            Issue.record("expected notLoadable, got \(error)")
            return
        }
        #expect(at == path)
        #expect(reason.contains("libjunk.so"))
        #expect(error.description.hasPrefix("plugin \(path) cannot be loaded: "))
    }

    @Test func libraryWithoutTheEntryPoint() throws {
        let directory = try temporaryDirectory("noentry")
        defer { try? FileManager.default.removeItem(at: directory) }
        let path = try compileCPlugin(named: "noentry", defines: ["NO_ENTRY"], in: directory)
        let error = try #require(loadError(path))
        #expect(error == .notAPlugin(path: path))
        #expect(error.description.contains("has no `lodestone_plugin_entry` symbol"))
    }

    @Test func wrongABIVersion() throws {
        let directory = try temporaryDirectory("abi")
        defer { try? FileManager.default.removeItem(at: directory) }
        let path = try compileCPlugin(named: "abi99", defines: ["ABI=99"], in: directory)
        let error = try #require(loadError(path))
        #expect(error == .abiMismatch(path: path, found: 99, expected: 1))
        #expect(
            error.description
                == "plugin \(path) was built for plugin ABI version 99, but this Lodestone supports version 1: rebuild it against this version of LodestonePluginKit"
        )
    }

    @Test(arguments: [
        ("NULL_TABLE", "lodestone_plugin_entry returned NULL instead of a table"),
        ("TABLE_SIZE=8", "the table is 8 bytes, expected at least"),
        ("BAD_JSON", "manifest: not valid JSON"),
        ("BAD_MANIFEST_FIELD", "manifest: models[0].name: expected a string"),
        ("NO_MODELS", "models: expected at least one model, got an empty list"),
    ])
    func malformedTableOrManifest(define: String, expected: String) throws {
        let directory = try temporaryDirectory("manifest")
        defer { try? FileManager.default.removeItem(at: directory) }
        let path = try compileCPlugin(named: "bad", defines: [define], in: directory)
        let error = try #require(loadError(path))
        guard case .malformedManifest(let at, let reason) = error else {
            Issue.record("expected malformedManifest, got \(error)")
            return
        }
        #expect(at == path)
        #expect(reason.contains(expected), "\(reason)")
        #expect(error.description.hasPrefix("plugin \(path) has a malformed manifest: "))
    }

    @Test func malformedDescriptionIsReportedWhenComposing() throws {
        let directory = try temporaryDirectory("description")
        defer { try? FileManager.default.removeItem(at: directory) }
        let path = try compileCPlugin(named: "baddesc", defines: ["BAD_DESCRIPTION"], in: directory)
        let model = try #require(try PluginLoader(searchPath: []).load(path).first)
        #expect(model.parameters(for: Fixtures.miniature).isEmpty)
        let error = #expect(throws: PluginError.self) {
            try simulate([model], on: Fixtures.miniature, months: 2)
        }
        #expect(
            error
                == .malformedDescription(
                    path: path, module: "cstep", reason: "parameters[0] (gain): default = 5 is outside its range 0…3"))
    }

    @Test func duplicateModuleNames() throws {
        let directory = try temporaryDirectory("duplicate")
        defer { try? FileManager.default.removeItem(at: directory) }
        let path = try compileCPlugin(named: "tradealike", defines: ["NAMED_TRADE"], in: directory)
        var registry = Registry()
        try registry.register(model: TradeModel())
        PluginLoader(searchPath: []).install(in: &registry)
        let error = #expect(throws: RegistryError.self) { try registry.loadPlugin(path) }
        #expect(error?.message == "plugin `\(path)`: a module named `trade` is already registered")
        #expect(registry.models.map(\.name) == ["trade"])
        // The same plugin twice: the second load finds its module already there.
        let good = try compileCPlugin(named: "cstep", in: directory)
        #expect(try registry.loadPlugin(good) == ["cstep"])
        let again = #expect(throws: RegistryError.self) { try registry.loadPlugin(good) }
        #expect(again?.message == "plugin `\(good)`: a module named `cstep` is already registered")
        #expect(registry.models.map(\.name) == ["trade", "cstep"])
    }

    @Test func aStepReportingFailureStopsTheRunWithItsMessage() throws {
        let directory = try temporaryDirectory("stepfail")
        defer { try? FileManager.default.removeItem(at: directory) }
        let path = try compileCPlugin(named: "failing", defines: ["FAIL_AT=3"], in: directory)
        let model = try #require(try PluginLoader(searchPath: []).load(path).first)
        let error = #expect(throws: StepError.self) {
            try simulate([model], on: Fixtures.miniature, months: 6)
        }
        #expect(error?.module == "cstep")
        #expect(error?.month == Month(2026, 4))
        #expect(error?.message == "stock went negative in month 3 (reported by plugin \(path))")
        #expect(
            error?.description
                == "module `cstep` failed in 2026-04: stock went negative in month 3 (reported by plugin \(path))")
    }

    @Test func registryWithoutALoaderSaysSo() {
        var registry = Registry()
        let error = #expect(throws: RegistryError.self) { try registry.loadPlugin("industry") }
        #expect(error?.message == "this host cannot load plugins (`industry`): no plugin loader is installed")
    }
}

/// The C plugin works end to end: a plugin needs nothing but `lodestone_plugin.h`.
@Suite struct CPluginTests {
    @Test func aPluginWrittenInCRunsLikeABuiltIn() throws {
        let directory = try temporaryDirectory("cplugin")
        defer { try? FileManager.default.removeItem(at: directory) }
        _ = try compileCPlugin(named: "cstep", in: directory)
        // Found by name through LODESTONE_PLUGIN_PATH, after the executable's directory.
        let loader = PluginLoader.standard(environment: ["LODESTONE_PLUGIN_PATH": "/nonexistent:" + directory.path])
        #expect(loader.searchPath == [buildDirectory.path, "/nonexistent", directory.path])
        let model = try #require(try loader.load("cstep").first)
        let result = try simulate([model], on: Fixtures.miniature, settings: [("cstep.gain", 1.5)], months: 5)
        #expect(try result.series("cstep.value") == [0, 1.5, 3, 4.5, 6])
        #expect(try result.metric("cstep.sum") == .number(15))
        // Range checks use the plugin's declared range.
        #expect(throws: ParameterError.self) {
            try simulate([model], on: Fixtures.miniature, settings: [("cstep.gain", 4)])
        }
    }
}
