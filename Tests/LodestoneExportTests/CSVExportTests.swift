import Foundation
import LodestoneKernel
import Testing

@testable import LodestoneExport

@Suite("CSV export")
struct CSVExportTests {
    @Test("a run reads back in tidy form: run,month,module,signal,key,value,unit")
    func runReadsBack() throws {
        let result = try Fixture.run()
        try withTemporaryFolder { folder throws in
            let path = folder + "/run.csv"
            try CSVExporter().write(.run(result), to: path, options: ExportOptions())
            #expect(try contents(of: folder) == ["run.csv", "run.csv-metadata.json", "run.metrics.csv"])
            let rows = parseCSV(try String(contentsOfFile: path, encoding: .utf8))
            #expect(rows.first == ["run", "month", "module", "signal", "key", "value", "unit"])
            #expect(rows.count == 1 + result.months * result.signals.count)
            for row in rows.dropFirst() {
                #expect(row.count == 7)
                #expect(row[0] == Fixture.scenarioName)
                let month = try #require(Month(row[1]))
                let id = row[2] + "." + row[3] + (row[4].isEmpty ? "" : "[\(row[4])]")
                let column = try result.column(of: id)
                #expect(Double(row[5]) == result.values[(month - result.start) * result.signals.count + column], "\(row)")
                #expect(row[6] == result.signals[column].unit.symbol)
            }
            #expect(rows.contains([Fixture.scenarioName, "2026-04", "ramp", "level", "JP/DyTb", "19", "t"]))  // 10 + 3·3
            #expect(rows.contains([Fixture.scenarioName, "2026-02", "scenario", "incident", "CN>JP", "0.8", "1"]))

            let metrics = parseCSV(try String(contentsOfFile: folder + "/run.metrics.csv", encoding: .utf8))
            #expect(metrics.first == ["run", "module", "metric", "key", "kind", "value", "month", "unit"])
            #expect(metrics.count == 1 + result.metrics.count)
            #expect(metrics.contains([Fixture.scenarioName, "ramp", "final", "JP/DyTb", "quantity", "43", "", "t"]))
            #expect(metrics.contains([Fixture.scenarioName, "ramp", "reaches_20", "JP/DyTb", "month", "4", "2026-05", "month"]))
            #expect(metrics.contains([Fixture.scenarioName, "ramp", "reaches_100", "JP/DyTb", "month", "", "", "month"]))

            // The metadata describes both files' columns and records the provenance.
            let metadata = try #require(
                try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: folder + "/run.csv-metadata.json")))
                    as? [String: Any])
            #expect(metadata["@context"] as? String == "http://www.w3.org/ns/csvw")
            let tables = try #require(metadata["tables"] as? [[String: Any]])
            #expect(tables.map { $0["url"] as? String } == ["run.csv", "run.metrics.csv"])
            let columns = try #require((tables[0]["tableSchema"] as? [String: Any])?["columns"] as? [[String: Any]])
            #expect(columns.map { $0["name"] as? String } == rows[0])
            #expect(columns.map { $0["datatype"] as? String } == ["string", "gYearMonth", "string", "string", "string", "number", "string"])
            let provenance = try #require(metadata["provenance"] as? [String: Any])
            #expect(provenance["seeds"] as? [String] == ["7"])
            #expect(provenance["lodestone"] as? String == LodestoneVersion.current)
            #expect((provenance["datasets"] as? [[String: Any]])?.first?["hash"] as? String == Fixture.dataset.contentHash)
        }
    }

    @Test("options.signals keeps only the named signals (ids or a family)")
    func signalFilter() throws {
        let result = try Fixture.run()
        let text = try CSVExporter().render(.run(result), options: ExportOptions(signals: ["ramp.level"]))
        let rows = parseCSV(text).dropFirst()
        #expect(rows.count == 2 * result.months)
        #expect(Set(rows.map { $0[2] + "." + $0[3] + "[" + $0[4] + "]" }) == ["ramp.level[JP/NdPr]", "ramp.level[JP/DyTb]"])
        #expect(throws: LookupError.self) {
            try CSVExporter().render(.run(result), options: ExportOptions(signals: ["ramp.levle[JP/NdPr]"]))
        }
    }

    @Test("several runs are labelled in the run column, quoted when needed")
    func runsHaveLabels() throws {
        let a = try Fixture.run(seed: 1)
        let b = try Fixture.run(seed: 2, dyTbSlope: 5)
        let text = try CSVExporter().render(
            .runs([("slope 3, \"base\"", a), ("slope 5", b)]), options: ExportOptions(signals: ["ramp.level[JP/DyTb]"]))
        #expect(text.contains("\"slope 3, \"\"base\"\"\",2026-01,ramp,level,JP/DyTb,10,t\n"))
        let rows = parseCSV(text)
        #expect(rows[0] == ["run", "month", "module", "signal", "key", "value", "unit"])
        #expect(rows.count == 1 + 2 * 12)
        let last = rows.filter { $0[0] == "slope 5" && $0[1] == "2026-12" }
        #expect(last.map { $0[5] } == ["65"])  // 10 + 5·11
        #expect(rows[1][0] == "slope 3, \"base\"")
    }

    @Test("a failure writing the companions leaves no partial set behind")
    func companionsAreAtomic() throws {
        let result = try Fixture.run()
        try withTemporaryFolder { folder throws in
            // The metadata's name is taken by a folder: nothing is written, not even run.csv.
            try FileManager.default.createDirectory(atPath: folder + "/run.csv-metadata.json", withIntermediateDirectories: false)
            #expect(throws: ExportError.self) {
                try CSVExporter().write(.run(result), to: folder + "/run.csv", options: ExportOptions())
            }
            #expect(try contents(of: folder) == ["run.csv-metadata.json"])
        }
    }

    @Test("tables are plain CSV with quoting and empty cells for none")
    func table() throws {
        let table = ResultTable(
            columns: ["cover_days", "exhausted, at"],
            rows: [[.number(30), .text("2026-05")], [.number(0.5), .none], [.number(.nan), .text("say \"hi\"\nthere")]])
        let text = try CSVExporter().render(.table(table))
        #expect(parseCSV(text) == [["cover_days", "exhausted, at"], ["30", "2026-05"], ["0.5", ""], ["", "say \"hi\"\nthere"]])
    }

    @Test("a table column mixing numbers and months is split, so that each column has one type")
    func mixedColumns() throws {
        let table = ResultTable(
            columns: ["metric", "p50", "note"],
            rows: [
                [.text("stockpile.unmet_total[JP/DyTb]"), .number(187.5), .text("t")],
                [.text("stockpile.exhausted_at[JP/DyTb]"), .text("2026-03"), .number(1)],
            ])
        #expect(
            parseCSV(try CSVExporter().render(.table(table))) == [
                ["metric", "p50", "p50_month", "note", "note_text"],
                ["stockpile.unmet_total[JP/DyTb]", "187.5", "", "", "t"],
                ["stockpile.exhausted_at[JP/DyTb]", "", "2026-03", "1", ""],
            ])
    }

    @Test("numbers are written so they read back exactly")
    func numbers() {
        for value in [0.1, 1e-5, 123456.789, -2.5, 1e20, 1.0 / 3.0] {
            #expect(Double(NumberText.plain(value)) == value)
        }
        #expect(NumberText.plain(5) == "5")
        #expect(CSVExporter.number(.infinity) == "")  // no non-finite values in data files
        #expect(CSVExporter.number(.nan) == "")
    }
}
