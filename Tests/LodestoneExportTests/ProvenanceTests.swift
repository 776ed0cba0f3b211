import Foundation
import LodestoneKernel
import Testing

@testable import LodestoneExport

@Suite("Provenance in every export")
struct ProvenanceTests {
    static let script = ScriptSource(name: "study.lode", text: "let r = run(m, s)\nexport(r, \"r.csv\") # <b> -- done\n")

    @Test("every format records the version, dataset hash, script, seed and changed parameters, and reads back")
    func everyFormatReadsBack() throws {
        let result = try Fixture.run(seed: UInt64.max)
        let options = ExportOptions(script: Self.script)
        try withTemporaryFolder { folder throws in
            let files: [(any Exporter, String)] = [
                (CSVExporter(), "r.csv"), (JSONExporter(), "r.json"), (JSONRecordsExporter(), "r.records.json"),
                (MarkdownExporter(), "r.md"), (SVGChartExporter(), "r.svg"), (HTMLReportExporter(), "r.html"),
            ]
            for (exporter, name) in files {
                try exporter.write(.run(result), to: folder + "/" + name, options: options)
                let records = try ProvenanceReader.read(folder + "/" + name)
                #expect(records.count == 1, "\(name)")
                let provenance = try #require(records.first?.provenance)
                #expect(provenance.lodestoneVersion == LodestoneVersion.current, "\(name)")
                #expect(provenance.kind == "run")
                #expect(provenance.datasets == [.init(name: "toy", hash: Fixture.dataset.contentHash)], "\(name)")
                #expect(provenance.seeds == ["18446744073709551615"], "\(name)")
                #expect(provenance.script?.name == "study.lode")
                #expect(provenance.script?.hash == Self.script.hash, "\(name)")
                // The text goes where there is room for it: not into Markdown and SVG.
                let hasText = !["r.md", "r.svg"].contains(name)
                #expect((provenance.script?.text == Self.script.text) == hasText, "\(name)")
                #expect(
                    provenance.parameters == [
                        .init(run: nil, path: "ramp.slope[JP/DyTb]", value: 3, defaultValue: 2, unit: "t/month")
                    ], "\(name)")
                #expect(provenance.created.hasSuffix("Z") && provenance.created.count == 20, "\(provenance.created)")
            }
            // The metrics file of a CSV export leads to the same metadata.
            #expect(try ProvenanceReader.read(folder + "/r.metrics.csv").first?.provenance.seeds == ["18446744073709551615"])
        }
        #expect(Self.script.hash == "sha256:" + SHA256.hex(Array(Self.script.text.utf8)))
    }

    @Test("SOURCE_DATE_EPOCH fixes the time written, for reproducible files")
    func reproducibleTime() {
        #expect(ExportProvenance.now().hasSuffix("Z"))
        let fixed = ExportProvenance(.run(try! Fixture.run()), script: nil, created: "2026-01-01T00:00:00Z")
        #expect(fixed.text.hasSuffix("created     2026-01-01T00:00:00Z\n"))
        #expect(fixed.text.contains("script      unknown\n"))
    }

    @Test("what lodestone provenance prints")
    func text() throws {
        let provenance = ExportProvenance(
            .runs([("slope 3", try Fixture.run(seed: 1)), ("slope 5", try Fixture.run(seed: 2, dyTbSlope: 5))]),
            script: Self.script, created: "2026-12-04T10:00:00Z")
        #expect(
            provenance.text == """
                lodestone   \(LodestoneVersion.current)
                kind        runs
                dataset     toy (\(Fixture.dataset.contentHash))
                seed        1, 2
                parameters  slope 3: ramp.slope[JP/DyTb] = 3 (default 2 t/month)
                            slope 5: ramp.slope[JP/DyTb] = 5 (default 2 t/month)
                script      study.lode (\(Self.script.hash), 2 lines)
                created     2026-12-04T10:00:00Z

                """)
    }

    @Test("files without provenance, and files that are missing, are clear errors")
    func errors() throws {
        try withTemporaryFolder { folder throws in
            #expect(throws: ProvenanceError("\(folder)/none.json does not exist")) {
                try ProvenanceReader.read(folder + "/none.json")
            }
            try "a,b\n1,2\n".write(toFile: folder + "/plain.csv", atomically: true, encoding: .utf8)
            #expect {
                try ProvenanceReader.read(folder + "/plain.csv")
            } throws: { error in
                "\(error)".contains("no metadata file beside it (\(folder)/plain.csv-metadata.json)")
            }
            try "{\"a\": 1}".write(toFile: folder + "/other.json", atomically: true, encoding: .utf8)
            #expect {
                try ProvenanceReader.read(folder + "/other.json")
            } throws: { error in
                "\(error)".contains("has no `provenance` member")
            }
            try "hello".write(toFile: folder + "/notes.txt", atomically: true, encoding: .utf8)
            #expect {
                try ProvenanceReader.read(folder + "/notes.txt")
            } throws: { error in
                "\(error)".contains("holds no Lodestone provenance")
            }
            #expect(throws: ProvenanceError("\(folder) is a folder; give an exported file")) {
                try ProvenanceReader.read(folder)
            }
        }
    }

    @Test("a JSON document starts with its kind and provenance, and labels its months")
    func jsonDocument() throws {
        let result = try Fixture.run()
        let text = try JSONExporter().render(.run(result), options: ExportOptions(signals: ["ramp.level[JP/DyTb]"]))
        #expect(text.hasPrefix("{\n  \"kind\": \"run\",\n  \"provenance\": {\n    \"lodestone\": "))
        let object = try #require(try JSONSerialization.jsonObject(with: Data(text.utf8)) as? [String: Any])
        #expect(object["month_labels"] as? [String] == (0..<12).map { (Fixture.start + $0).description })
        #expect((object["metric_units"] as? [String: String])?["ramp.reaches_20[JP/DyTb]"] == "month")
        #expect((object["metric_units"] as? [String: String])?["ramp.final[JP/DyTb]"] == "t")
        let table = try JSONExporter().render(.table(ResultTable(columns: ["a"], rows: [[.number(1)]])))
        #expect(table.hasPrefix("{\n  \"kind\": \"table\",\n  \"provenance\": {"))
        let ensemble = try JSONExporter().render(.ensemble(try EnsembleFixture.ensemble(runs: 4)))
        #expect(ensemble.hasPrefix("{\n  \"kind\": \"ensemble\",\n  \"provenance\": {"))
        #expect(ensemble.components(separatedBy: "\"kind\": \"ensemble\"").count == 3)  // the document's and the provenance's
    }

    @Test("the records form holds the CSV rows with a Table Schema, numbers as numbers")
    func records() throws {
        let result = try Fixture.run()
        let text = try JSONRecordsExporter().render(.run(result), options: ExportOptions(signals: ["ramp.level[JP/DyTb]"]))
        let object = try #require(try JSONSerialization.jsonObject(with: Data(text.utf8)) as? [String: Any])
        #expect(object["kind"] as? String == "records")
        let fields = try #require((object["schema"] as? [String: Any])?["fields"] as? [[String: String]])
        #expect(fields.map { $0["name"] ?? "" } == ["run", "month", "module", "signal", "key", "value", "unit"])
        #expect(fields.map { $0["type"] ?? "" } == ["string", "string", "string", "string", "string", "number", "string"])
        let data = try #require(object["data"] as? [[String: Any]])
        #expect(data.count == 12)
        #expect(data[3]["month"] as? String == "2026-04" && (data[3]["value"] as? NSNumber)?.doubleValue == 19)
        let metrics = try #require(object["metrics"] as? [[String: Any]])
        #expect(metrics.count == result.metrics.count)
        let never = try #require(metrics.first { $0["metric"] as? String == "reaches_100" })
        #expect(never["value"] is NSNull && never["month"] as? String == "")
    }
}
