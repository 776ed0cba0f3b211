import Foundation
import LodestoneKernel
import Testing

@testable import LodestoneExport

@Suite("CSV export")
struct CSVExportTests {
    @Test("a run reads back in long form with every month and signal")
    func runReadsBack() throws {
        let result = try Fixture.run()
        try withTemporaryFolder { folder throws in
            let path = folder + "/run.csv"
            try CSVExporter().write(.run(result), to: path, options: ExportOptions())
            let rows = parseCSV(try String(contentsOfFile: path, encoding: .utf8))
            #expect(rows.first == ["month", "signal", "value"])
            #expect(rows.count == 1 + result.months * result.signals.count)
            for row in rows.dropFirst() {
                let month = try #require(Month(row[0]))
                let t = month - result.start
                let expected = try result.series(row[1])[t]
                #expect(Double(row[2]) == expected, "\(row)")
            }
            let dyTb = rows.filter { $0[0] == "2026-04" && $0[1] == "ramp.level[JP/DyTb]" }
            #expect(dyTb.map { $0[2] } == ["19"])  // 10 + 3·3
            let incident = rows.filter { $0[0] == "2026-02" && $0[1] == "scenario.incident[CN>JP]" }
            #expect(incident.map { $0[2] } == ["0.8"])
        }
    }

    @Test("options.signals keeps only the named signals (ids or a family)")
    func signalFilter() throws {
        let result = try Fixture.run()
        let text = try CSVExporter().render(.run(result), options: ExportOptions(signals: ["ramp.level"]))
        let rows = parseCSV(text).dropFirst()
        #expect(rows.count == 2 * result.months)
        #expect(Set(rows.map { $0[1] }) == ["ramp.level[JP/NdPr]", "ramp.level[JP/DyTb]"])
        #expect(throws: LookupError.self) {
            try CSVExporter().render(.run(result), options: ExportOptions(signals: ["ramp.levle[JP/NdPr]"]))
        }
    }

    @Test("several runs add a quoted run label column")
    func runsHaveLabels() throws {
        let a = try Fixture.run(seed: 1)
        let b = try Fixture.run(seed: 2, dyTbSlope: 5)
        let text = try CSVExporter().render(
            .runs([("slope 3, \"base\"", a), ("slope 5", b)]), options: ExportOptions(signals: ["ramp.level[JP/DyTb]"]))
        #expect(text.contains("\"slope 3, \"\"base\"\"\",2026-01,ramp.level[JP/DyTb],10\n"))
        let rows = parseCSV(text)
        #expect(rows[0] == ["run", "month", "signal", "value"])
        #expect(rows.count == 1 + 2 * 12)
        let last = rows.filter { $0[0] == "slope 5" && $0[1] == "2026-12" }
        #expect(last.map { $0[3] } == ["65"])  // 10 + 5·11
        #expect(rows[1][0] == "slope 3, \"base\"")
    }

    @Test("tables are plain CSV with quoting and empty cells for none")
    func table() throws {
        let table = ResultTable(
            columns: ["cover_days", "exhausted, at"],
            rows: [[.number(30), .text("2026-05")], [.number(0.5), .none], [.number(.nan), .text("say \"hi\"\nthere")]])
        let text = try CSVExporter().render(.table(table))
        #expect(parseCSV(text) == [["cover_days", "exhausted, at"], ["30", "2026-05"], ["0.5", ""], ["", "say \"hi\"\nthere"]])
    }

    @Test("numbers are written so they read back exactly")
    func numbers() {
        for value in [0.1, 1e-5, 123456.789, -2.5, 1e20, 1.0 / 3.0] {
            #expect(Double(NumberText.plain(value)) == value)
        }
        #expect(NumberText.plain(5) == "5")
        #expect(NumberText.plain(.infinity) == "inf")
        #expect(NumberText.plain(.nan) == "")
    }
}
