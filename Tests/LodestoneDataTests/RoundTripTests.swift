import Foundation
import LodestoneData
import LodestoneKernel
import Testing

@Suite("Writing and reading back")
struct RoundTripTests {
    /// A small dataset with awkward text and numbers.
    private func awkwardDataset() -> Dataset {
        Dataset(
            name: "awkward",
            regions: [
                Region(code: "AA", name: "Comma, \"Quoted\" Land"), Region(code: "B_b-2", name: "Zürich 👍\nsecond line"),
            ],
            commodities: [Commodity(code: "X", name: "Ex", priceUSDPerKilogram: 0.1, source: "s 1")],
            consumption: [RegionQuantity(region: "AA", commodity: "X", tonnesPerYear: 1e-7, source: "s 1")],
            flows: [
                TradeFlow(importer: "AA", exporter: "B_b-2", commodity: "X", tonnesPerYear: 12_345.678_9, source: "s 1"),
                TradeFlow(importer: "AA", exporter: "AA", commodity: "X", tonnesPerYear: 1e20, source: "s 1"),
            ],
            capacities: [RegionQuantity(region: "B_b-2", commodity: "X", tonnesPerYear: 2.0 / 3.0, source: "s 1")],
            stockpiles: [StockpileCover(region: "AA", commodity: "X", holder: .state, days: 42.5, source: "s 1")],
            sources: [Citation(id: "s 1", citation: "Tab\there, \"quotes\", commas", url: "")])
    }

    @Test func defaultThroughJSONIsIdentical() throws {
        let dataset = try defaultDataset()
        try withTemporaryDirectory { directory in
            let path = directory + "/default.json"
            try DatasetWriter.writeJSON(dataset, to: path)
            let report = JSONFileSource(path: path).loadReport()
            #expect(report.errors.isEmpty && report.warnings.isEmpty, "\(report.diagnostics)")
            let loaded = try report.get()
            expectSameTables(loaded, dataset)
            #expect(loaded.name == "default")
            // And back to CSV: the same files as the writer makes from the original.
            #expect(DatasetWriter.csvFiles(loaded).map(\.text) == DatasetWriter.csvFiles(dataset).map(\.text))
        }
    }

    @Test func defaultThroughCSVDirectoryIsIdentical() throws {
        let dataset = try defaultDataset()
        try withTemporaryDirectory { directory in
            let target = directory + "/mine"
            try DatasetWriter.writeCSVDirectory(dataset, to: target, notes: Baseline2024Dataset.notes)
            let names = try FileManager.default.contentsOfDirectory(atPath: target).sorted()
            #expect(names == (DataTable.allCases.map(\.fileName) + ["NOTES.md"]).sorted())
            let report = CSVDirectorySource(path: target + "/").loadReport()
            #expect(report.errors.isEmpty && report.warnings.isEmpty, "\(report.diagnostics)")
            let loaded = try report.get()
            expectSameTables(loaded, dataset)
            #expect(loaded.name == "mine")
            #expect(try String(contentsOfFile: target + "/NOTES.md", encoding: .utf8) == Baseline2024Dataset.notes)
            // The written imports file is the reference file itself (same rows, same numbers).
            let written = try String(contentsOfFile: target + "/imports.csv", encoding: .utf8)
            #expect(written == Baseline2024Dataset.files.first { $0.name == "imports.csv" }?.text)
        }
    }

    @Test func awkwardTextAndNumbersSurviveBothForms() throws {
        let dataset = awkwardDataset()
        #expect(DatasetValidator.validate(dataset).errors.isEmpty, "\(DatasetValidator.validate(dataset).diagnostics)")
        try withTemporaryDirectory { directory in
            try DatasetWriter.writeCSVDirectory(dataset, to: directory + "/csv")
            try DatasetWriter.writeJSON(dataset, to: directory + "/data.json")
            let fromCSV = try CSVDirectorySource(path: directory + "/csv").load()
            let fromJSON = try JSONFileSource(path: directory + "/data.json").load()
            expectSameTables(fromCSV, dataset)
            expectSameTables(fromJSON, dataset)
            #expect(fromJSON.flows[1].tonnesPerYear == 1e20)
            #expect(fromCSV.capacities[0].tonnesPerYear == 2.0 / 3.0)
        }
    }

    @Test func jsonTextHasOneRowPerLine() throws {
        let text = DatasetWriter.jsonText(awkwardDataset())
        let lines = text.components(separatedBy: "\n")
        #expect(lines[0] == "{")
        #expect(lines[1] == #"  "regions": ["#)
        #expect(lines[2] == #"    {"code": "AA", "name": "Comma, \"Quoted\" Land"},"#)
        #expect(lines[3] == #"    {"code": "B_b-2", "name": "Zürich 👍\nsecond line"}"#)
        #expect(lines.contains(#"    {"region": "AA", "commodity": "X", "tonnes_per_year": 1e-07, "source": "s 1"}"#))
        #expect(lines.contains(#"    {"id": "s 1", "citation": "Tab\there, \"quotes\", commas", "url": ""}"#))
        let empty = Dataset(
            name: "e", regions: [], commodities: [], consumption: [], flows: [], capacities: [], stockpiles: [],
            sources: [])
        #expect(DatasetWriter.jsonText(empty).contains(#"  "consumption": [],"#))
    }

    @Test func writerRefusesToOverwriteUnlessAsked() throws {
        let dataset = try defaultDataset()
        try withTemporaryDirectory { directory in
            try DatasetWriter.writeCSVDirectory(dataset, to: directory)
            #expect(throws: ExportError.exists(directory + "/regions.csv")) {
                try DatasetWriter.writeCSVDirectory(dataset, to: directory)
            }
            var smaller = dataset
            smaller.flows.removeLast()
            try DatasetWriter.writeCSVDirectory(smaller, to: directory, overwrite: true)
            #expect(try CSVDirectorySource(path: directory).load().flows.count == 27)
            // Only the seven files: no temporary files are left behind.
            #expect(try FileManager.default.contentsOfDirectory(atPath: directory).count == 7)

            let json = directory + "/d.json"
            try DatasetWriter.writeJSON(dataset, to: json)
            #expect(throws: ExportError.exists(json)) { try DatasetWriter.writeJSON(smaller, to: json) }
            try DatasetWriter.writeJSON(smaller, to: json, overwrite: true)
            #expect(try JSONFileSource(path: json).load().flows.count == 27)
            #expect(throws: ExportError.writeFailed(path: directory, reason: "it is a directory")) {
                try DatasetWriter.writeJSON(dataset, to: directory, overwrite: true)
            }
            #expect(throws: ExportError.self) {
                try DatasetWriter.writeJSON(dataset, to: directory + "/no/such/dir/d.json")
            }
        }
    }
}

@Suite("Resolving data specifications")
struct DataSourcesTests {
    @Test func defaultIsTheEmbeddedDataset() throws {
        let source = try DataSources.resolve("default")
        #expect(source.name == "baseline-2026")
        #expect(try source.load().name == "baseline-2026")
        let pinned = try DataSources.resolve("baseline-2024")
        #expect(pinned.name == "baseline-2024")
        #expect(try pinned.load().flows.count == 28)
    }

    @Test func directoriesAndJSONFiles() throws {
        try withTemporaryDirectory { directory in
            let dataset = try defaultDataset()
            try DatasetWriter.writeCSVDirectory(dataset, to: directory + "/csv")
            try DatasetWriter.writeJSON(dataset, to: directory + "/data.json")

            let slash = try DataSources.resolve("csv/", relativeTo: directory)
            #expect((slash as? CSVDirectorySource)?.path == directory + "/csv/")
            let plain = try DataSources.resolve(directory + "/csv", relativeTo: "/elsewhere")
            #expect((plain as? CSVDirectorySource)?.path == directory + "/csv")
            let json = try DataSources.resolve("data.json", relativeTo: directory + "/")
            #expect((json as? JSONFileSource)?.path == directory + "/data.json")
            expectSameTables(try json.load(), dataset)
            expectSameTables(try slash.load(), dataset)
        }
    }

    @Test func missingPathsAreClearErrors() throws {
        try withTemporaryDirectory { directory in
            #expect(throws: DataSpecError(spec: "nope/", message: "no such directory `nope/` (\(directory)/nope/)")) {
                try DataSources.resolve("nope/", relativeTo: directory)
            }
            #expect(throws: DataSpecError(spec: "x.json", message: "no such file `x.json` (\(directory)/x.json)")) {
                try DataSources.resolve("x.json", relativeTo: directory)
            }
            do throws(DataSpecError) {
                _ = try DataSources.resolve("defualt", relativeTo: directory)
                Issue.record("expected an error")
            } catch {
                #expect(
                    error.message == "no such file or directory `defualt` (\(directory)/defualt); did you mean `default`?")
            }
            try "a,b\n".write(toFile: directory + "/t.csv", atomically: true, encoding: .utf8)
            #expect(throws: DataSpecError.self) { try DataSources.resolve(directory + "/t.csv") }
            #expect(
                throws: DataSpecError(
                    spec: "elsewhere", message: "no such file or directory `elsewhere` (\(directory)/elsewhere); expected \(DataSources.forms)")
            ) { try DataSources.resolve("elsewhere", relativeTo: directory) }
            #expect(throws: DataSpecError(spec: " ", message: "empty data specification; expected \(DataSources.forms)")) {
                try DataSources.resolve(" ")
            }
        }
    }
}
