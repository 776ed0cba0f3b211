import Foundation
import LodestoneKernel
import Testing

@testable import LodestoneExport

@Suite("JSON export of ensembles and sweeps")
struct EnsembleJSONTests {
    func decode(_ text: String) throws -> [String: Any] {
        try #require(try JSONSerialization.jsonObject(with: Data(text.utf8)) as? [String: Any])
    }

    @Test("an ensemble decodes with its facts, varied parameters, bands and metric summaries")
    func ensemble() throws {
        let ensemble = try EnsembleFixture.ensemble()
        let slopes = EnsembleFixture.draws(ensemble)
        let json = try withTemporaryFolder { folder throws in
            let path = folder + "/ensemble.json"
            try JSONExporter().write(.ensemble(ensemble), to: path, options: ExportOptions())
            return try decode(try String(contentsOfFile: path, encoding: .utf8))
        }
        #expect(json["kind"] as? String == "ensemble")
        #expect(json["scenario"] as? String == Fixture.scenarioName)
        #expect(json["start"] as? String == "2026-01")
        #expect(json["months"] as? Int == 12)
        #expect(json["seed"] as? Int == 11)
        #expect(json["runs"] as? Int == 40)
        #expect(json["completed_runs"] as? Int == 40)
        #expect(json["cancelled"] as? Bool == false)
        #expect(json["modules"] as? [String] == ["ramp"])
        let parameters = try #require(json["parameters"] as? [String: Double])
        #expect(parameters["ramp.slope[JP/NdPr]"] == 3)
        #expect(parameters["ramp.offset"] == 10)
        let vary = try #require(json["vary"] as? [String: [String: Any]])
        let slope = try #require(vary["ramp.slope[JP/DyTb]"])
        #expect(slope["distribution"] as? String == "choice([0.5, 1, 2, 4])")
        #expect(slope["p50"] as? Double == EnsembleFixture.quantile(slopes, 0.5))
        #expect(slope["mean"] as? Double == slopes.reduce(0, +) / 40)
        #expect((json["events"] as? [[String: String]])?.map { $0["kind"] } == ["incident", "restrict"])

        let bands = try #require(json["bands"] as? [String: [String: [Double]]])
        #expect(bands.keys.sorted() == ["ramp.level[JP/DyTb]", "ramp.level[JP/NdPr]"])
        let dyTb = try #require(bands["ramp.level[JP/DyTb]"])
        #expect(dyTb.keys.sorted() == ["mean", "p25", "p5", "p50", "p75", "p95"])
        for (name, q) in [("p5", 0.05), ("p25", 0.25), ("p50", 0.5), ("p75", 0.75), ("p95", 0.95)] {
            let values = try #require(dyTb[name])
            #expect(values == (try ensemble.band("ramp.level[JP/DyTb]", level: q)))
            #expect(EnsembleFixture.close(values[11], 10 + 11 * EnsembleFixture.quantile(slopes, q)), "\(name)")
        }
        #expect(bands["ramp.level[JP/NdPr]"]?["p95"] == (0..<12).map { 10 + 3 * Double($0) })
        #expect((json["units"] as? [String: String])?["ramp.level[JP/DyTb]"] == "t")

        let metrics = try #require(json["metrics"] as? [String: [String: Any]])
        #expect(metrics.count == ensemble.metrics.count)
        let final = try #require(metrics["ramp.final[JP/DyTb]"])
        #expect(EnsembleFixture.close(try #require(final["p50"] as? Double), 10 + 11 * EnsembleFixture.quantile(slopes, 0.5)))
        #expect(EnsembleFixture.close(try #require(final["mean"] as? Double), 10 + 11 * slopes.reduce(0, +) / 40))
        #expect(final["probability"] as? Double == 1)
        #expect(final["unit"] as? String == "t")
        // reaches_20[JP/DyTb] happens unless the slope is 0.5.
        let reaches = try #require(metrics["ramp.reaches_20[JP/DyTb]"])
        let happened = slopes.filter { $0 != 0.5 }.count
        #expect(reaches["probability"] as? Double == Double(happened) / 40)
        let quantiles = try ensemble.metricQuantiles("ramp.reaches_20[JP/DyTb]", [0.05, 0.5, 0.95])
        for (name, value) in zip(["p5", "p50", "p95"], quantiles) {
            if case .month(let month) = value {
                #expect(reaches[name] as? String == month.description, "\(name)")
            } else {
                #expect(reaches[name] is NSNull, "\(name)")
            }
        }
        #expect(reaches["p5"] as? String == "2026-04")  // slope 4: 10 + 4·3 ≥ 20 in month index 3
        let meanIndex = slopes.filter { $0 != 0.5 }.map { (10 / $0).rounded(.up) }.reduce(0, +) / Double(happened)
        #expect(reaches["mean"] as? String == (Fixture.start + Int(meanIndex.rounded())).description)
        let never = try #require(metrics["ramp.reaches_100[JP/DyTb]"])
        #expect(never["probability"] as? Double == 0)
        #expect(never["p50"] is NSNull && never["mean"] is NSNull)
        #expect(metrics["ramp.reaches_20[JP/NdPr]"]?["p50"] as? String == "2026-05")  // 10 + 3·4 ≥ 20
        #expect((json["sources"] as? [[String: Any]])?.map { $0["id"] as? String } == ["usgs", "assumption"])
    }

    @Test("a cancelled ensemble with no runs is still valid JSON, with nulls")
    func cancelled() throws {
        let ensemble = try EnsembleFixture.ensemble(runs: 10, isCancelled: { true })
        #expect(ensemble.completedRuns == 0)
        let json = try decode(try JSONExporter().render(.ensemble(ensemble)))
        #expect(json["completed_runs"] as? Int == 0)
        #expect(json["cancelled"] as? Bool == true)
        let metrics = try #require(json["metrics"] as? [String: [String: Any]])
        #expect(metrics["ramp.final[JP/DyTb]"]?["p50"] is NSNull)
        #expect(metrics["ramp.final[JP/DyTb]"]?["probability"] is NSNull)
        let bands = try #require(json["bands"] as? [String: [String: [Any]]])
        #expect(bands["ramp.level[JP/DyTb]"]?["p50"]?.allSatisfy { $0 is NSNull } == true)
    }

    @Test("a sweep decodes with one point per grid value, its metrics and series")
    func sweep() throws {
        let sweep = try EnsembleFixture.sweep()
        let json = try decode(
            try JSONExporter().render(.sweep(sweep), options: ExportOptions(signals: ["ramp.level[JP/DyTb]"])))
        #expect(json["kind"] as? String == "sweep")
        #expect(json["paths"] as? [String] == ["ramp.slope[JP/DyTb]", "ramp.offset"])
        #expect(json["requested_points"] as? Int == 6)
        #expect(json["completed_points"] as? Int == 6)
        #expect(json["seed"] as? Int == 3)
        let parameters = try #require(json["parameters"] as? [String: Double])
        #expect(parameters["ramp.slope[JP/NdPr]"] == 3)
        #expect(parameters["ramp.offset"] == nil && parameters["ramp.slope[JP/DyTb]"] == nil)
        let points = try #require(json["points"] as? [[String: Any]])
        #expect(points.count == 6)
        for point in points {
            let values = try #require(point["values"] as? [String: Double])
            let slope = try #require(values["ramp.slope[JP/DyTb]"])
            let offset = try #require(values["ramp.offset"])
            let metrics = try #require(point["metrics"] as? [String: Any])
            #expect(metrics["ramp.final[JP/DyTb]"] as? Double == offset + 11 * slope)
            let series = try #require(point["series"] as? [String: [Double]])
            #expect(series.keys.sorted() == ["ramp.level[JP/DyTb]"])
            #expect(series["ramp.level[JP/DyTb]"] == (0..<12).map { offset + slope * Double($0) })
        }
        #expect((points[0]["values"] as? [String: Double]) == ["ramp.slope[JP/DyTb]": 1, "ramp.offset": 0])
        #expect((points[0]["metrics"] as? [String: Any])?["ramp.reaches_20[JP/DyTb]"] is NSNull)  // 0 + 11 < 20
        #expect((points[5]["metrics"] as? [String: Any])?["ramp.reaches_20[JP/DyTb]"] as? String == "2026-04")
    }
}
