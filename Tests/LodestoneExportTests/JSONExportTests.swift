import Foundation
import LodestoneKernel
import Testing

@testable import LodestoneExport

@Suite("JSON export")
struct JSONExportTests {
    func decode(_ text: String) throws -> [String: Any] {
        try #require(try JSONSerialization.jsonObject(with: Data(text.utf8)) as? [String: Any])
    }

    @Test("a run decodes with its scenario, parameters, events, series, metrics and sources")
    func runDecodes() throws {
        let result = try Fixture.run()
        try withTemporaryFolder { folder throws in
            let path = folder + "/run.json"
            try JSONExporter().write(.run(result), to: path, options: ExportOptions())
            let json = try decode(try String(contentsOfFile: path, encoding: .utf8))
            #expect(json["scenario"] as? String == Fixture.scenarioName)
            #expect(json["start"] as? String == "2026-01")
            #expect(json["months"] as? Int == 12)
            #expect(json["seed"] as? Int == 7)
            let parameters = try #require(json["parameters"] as? [String: Double])
            #expect(parameters["ramp.slope[JP/DyTb]"] == 3)
            #expect(parameters["ramp.slope[JP/NdPr]"] == 2)
            #expect(parameters["ramp.offset"] == 10)
            let events = try #require(json["events"] as? [[String: String]])
            #expect(events.map { $0["kind"] } == ["incident", "restrict"])
            #expect(events.map { $0["start"] } == ["2026-02", "2026-03"])
            #expect(events[1]["summary"] == "restrict CN>JP DyTb 100% from 2026-03 for 6 months")
            let series = try #require(json["series"] as? [String: [Double]])
            #expect(series.count == result.signals.count)
            #expect(series["ramp.level[JP/NdPr]"] == (0..<12).map { 10 + 2 * Double($0) })
            #expect(series["scenario.restriction[CN>JP/DyTb]"] == [0, 0, 1, 1, 1, 1, 1, 1, 0, 0, 0, 0])
            let units = try #require(json["units"] as? [String: String])
            #expect(units["ramp.level[JP/NdPr]"] == "t")
            let metrics = try #require(json["metrics"] as? [String: Any])
            #expect(metrics["ramp.final[JP/DyTb]"] as? Double == 43)
            #expect(metrics["ramp.reaches_20[JP/NdPr]"] as? String == "2026-06")
            #expect(metrics["ramp.reaches_20[JP/DyTb]"] as? String == "2026-05")
            #expect(metrics["ramp.reaches_100[JP/NdPr]"] is NSNull)
            let sources = try #require(json["sources"] as? [[String: Any]])
            #expect(sources.map { $0["id"] as? String } == ["usgs", "assumption"])
            #expect(sources.map { $0["assumption"] as? Bool } == [false, true])
            #expect((sources[0]["citation"] as? String)?.contains("\"Mineral Commodity Summaries 2025\"") == true)
        }
    }

    @Test("non-finite numbers are null")
    func nonFinite() throws {
        let result = try Fixture.run()
        var values = result.values
        let j = try result.column(of: "ramp.level[JP/NdPr]")
        values[j] = .nan
        values[result.signals.count + j] = .infinity
        let text = try JSONExporter().render(.run(Fixture.replacingValues(result, values)))
        let json = try decode(text)
        let series = try #require(json["series"] as? [String: [Any]])
        let level = try #require(series["ramp.level[JP/NdPr]"])
        #expect(level[0] is NSNull)
        #expect(level[1] is NSNull)
        #expect(level[2] as? Double == 14)
    }

    @Test("several runs are an array with labels; tables have columns and rows")
    func runsAndTables() throws {
        let text = try JSONExporter().render(
            .runs([("a", try Fixture.run(seed: 1)), ("b", try Fixture.run(seed: 2))]),
            options: ExportOptions(signals: ["ramp.level[JP/NdPr]"]))
        let runs = try #require(try decode(text)["runs"] as? [[String: Any]])
        #expect(runs.map { $0["label"] as? String } == ["a", "b"])
        #expect(runs.map { $0["seed"] as? Int } == [1, 2])
        #expect((runs[0]["series"] as? [String: Any])?.keys.sorted() == ["ramp.level[JP/NdPr]"])

        let table = ResultTable(columns: ["x", "when"], rows: [[.number(1.5), .text("2026-03")], [.number(.infinity), .none]])
        let json = try decode(try JSONExporter().render(.table(table)))
        #expect(json["columns"] as? [String] == ["x", "when"])
        let rows = try #require(json["rows"] as? [[Any]])
        #expect(rows[0][0] as? Double == 1.5)
        #expect(rows[0][1] as? String == "2026-03")
        #expect(rows[1][0] is NSNull && rows[1][1] is NSNull)
    }

    @Test("quantile bands serialise as p5…p95 arrays for ensembles")
    func bands() throws {
        let band = QuantileBand(
            label: "stockpile.level[JP/DyTb]", unit: "t",
            quantiles: [0.05, 0.25, 0.5, 0.75, 0.95].map { p in QuantileBand.Quantile(probability: p, values: [p, .nan]) })
        let text = JSONValue.object([("bands", JSONExporter.object(band))]).rendered()
        let json = try #require(try decode(text)["bands"] as? [String: [Any]])
        #expect(json.keys.sorted() == ["p25", "p5", "p50", "p75", "p95"])
        #expect(json["p5"]?.first as? Double == 0.05)
        #expect(json["p95"]?.last is NSNull)
    }

    @Test("strings are escaped")
    func escaping() {
        #expect(TextEscaping.jsonString("a\"b\\c\n\u{01}") == "\"a\\\"b\\\\c\\n\\u0001\"")
    }
}
