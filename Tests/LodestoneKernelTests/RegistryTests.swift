import LodestoneKernel
import Testing

private struct NullExporter: Exporter {
    var format: String
    var fileExtensions: [String]
    var summary: String { "writes nothing (\(format))" }
    func write(_ payload: ExportPayload, to path: String, options: ExportOptions) throws {}
}

private struct FixedSource: DataSource {
    var name: String
    func load() throws -> Dataset { ToyWorld.dataset }
}

@Suite("Registry")
struct RegistryTests {
    func registry() throws -> Registry {
        var registry = Registry()
        try registry.register(model: SupplyDemand.supply)
        try registry.register(model: SupplyDemand.demand)
        try registry.register(model: parameterEcho)
        try registry.register(exporter: NullExporter(format: "csv", fileExtensions: ["csv"]))
        try registry.register(exporter: NullExporter(format: "json", fileExtensions: ["json"]))
        try registry.register(exporter: NullExporter(format: "html", fileExtensions: ["html", "htm"]))
        return registry
    }

    @Test("models and exporters are kept in registration order and found by name")
    func lookups() throws {
        let registry = try registry()
        #expect(registry.models.map(\.name) == ["supply", "demand", "stockpile"])
        #expect(try registry.model(named: "demand").name == "demand")
        #expect(registry.exporters.map(\.format) == ["csv", "json", "html"])
    }

    @Test("a module name registered twice is an error")
    func duplicateModule() throws {
        var registry = try registry()
        let error = #expect(throws: RegistryError.self) { try registry.register(model: SupplyDemand.supply) }
        #expect(error?.message == "a module named `supply` is already registered")
        #expect(registry.models.count == 3)
    }

    @Test("module names are letters, digits and _, and `scenario` is reserved")
    func invalidNames() throws {
        var registry = Registry()
        for bad in ["", "my-module", "trade.v2", "two words"] {
            let error = #expect(throws: RegistryError.self) { try registry.register(model: stub(bad)) }
            #expect(error?.message == "`\(bad)` is not a valid module name (letters, digits and _ only)")
        }
        let reserved = #expect(throws: RegistryError.self) { try registry.register(model: stub("scenario")) }
        #expect(reserved?.message == "`scenario` is reserved for the kernel's scenario signals; choose another module name")
        try registry.register(model: stub("industry_2"))
        #expect(registry.models.map(\.name) == ["industry_2"])
    }

    @Test("an unknown module suggests the closest and lists the known ones")
    func unknownModule() throws {
        let registry = try registry()
        let error = #expect(throws: RegistryError.self) { try registry.model(named: "suply") }
        #expect(error?.message == "unknown module `suply`; did you mean `supply`? (modules: supply, demand, stockpile)")
        let far = #expect(throws: RegistryError.self) { try registry.model(named: "diplomacy") }
        #expect(far?.message == "unknown module `diplomacy` (modules: supply, demand, stockpile)")
    }

    @Test("exporters are chosen by format name (any case) or by the file's extension")
    func exporterChoice() throws {
        let registry = try registry()
        #expect(try registry.exporter(format: "JSON", path: "out.csv").format == "json")
        #expect(try registry.exporter(format: nil, path: "runs/curbs.CSV").format == "csv")
        #expect(try registry.exporter(format: nil, path: "report.htm").format == "html")
        #expect(try registry.exporter(format: nil, path: "out.d/report.v2.html").format == "html")
    }

    @Test("an unknown format or extension is an error listing the formats")
    func unknownFormat() throws {
        let registry = try registry()
        let byName = #expect(throws: ExportError.self) { try registry.exporter(format: "jsn", path: "x") }
        #expect(byName == .unknownFormat("jsn", known: ["csv", "json", "html"]))
        #expect(byName?.description == "unknown export format `jsn`; did you mean `json`? (formats: csv, json, html)")
        let byExtension = #expect(throws: ExportError.self) { try registry.exporter(format: nil, path: "chart.svg") }
        #expect(byExtension?.description == "unknown export format `svg` (formats: csv, json, html)")
        // A dot in a directory name is not an extension.
        let noExtension = #expect(throws: ExportError.self) {
            try registry.exporter(format: nil, path: "out.json/report")
        }
        #expect(noExtension == .unknownFormat("out.json/report", known: ["csv", "json", "html"]))
    }

    @Test("an exporter format registered twice is an error")
    func duplicateExporter() throws {
        var registry = try registry()
        let error = #expect(throws: RegistryError.self) {
            try registry.register(exporter: NullExporter(format: "csv", fileExtensions: ["txt"]))
        }
        #expect(error?.message == "an exporter for `csv` is already registered")
    }

    @Test("export errors read as sentences")
    func exportErrors() {
        #expect(ExportError.unsupported(format: "svg", payload: "a table").description == "the svg exporter cannot write a table")
        #expect(ExportError.exists("out.csv").description == "out.csv exists; pass `overwrite: true` to replace it")
        #expect(
            ExportError.writeFailed(path: "/ro/out.csv", reason: "read-only file system").description
                == "cannot write /ro/out.csv: read-only file system")
    }

    @Test("data sources: a registered name first, then the host's resolver, else an error with a suggestion")
    func dataSources() throws {
        var registry = Registry()
        registry.register(dataSource: FixedSource(name: "default"), as: "default")
        #expect(try registry.dataSource("default").name == "default")
        #expect(try registry.dataSource("default").load().name == "toy")
        let error = #expect(throws: RegistryError.self) { try registry.dataSource("defualt") }
        #expect(error?.message == "unknown dataset `defualt`; did you mean `default`? (named datasets: default)")
        registry.dataSourceResolver = { spec in FixedSource(name: "resolved:" + spec) }
        #expect(try registry.dataSource("data/2010/").name == "resolved:data/2010/")
        #expect(try registry.dataSource("default").name == "default")
    }
}
