import Foundation
import LodestoneKernel
import Testing

@testable import LodestoneExport

@Suite("SVG charts of ensembles and sweeps")
struct EnsembleSVGTests {
    /// The points of a path's `d` (M and L commands).
    func points(_ d: String) -> [(x: Double, y: Double)] {
        d.split(whereSeparator: { $0 == "M" || $0 == "L" || $0 == "Z" }).compactMap { part in
            let numbers = part.split(separator: " ").compactMap { Double($0) }
            return numbers.count == 2 ? (numbers[0], numbers[1]) : nil
        }
    }

    @Test("an ensemble draws 90 % and 50 % bands and the median of each band signal")
    func ensemble() throws {
        let ensemble = try EnsembleFixture.ensemble()
        let slopes = EnsembleFixture.draws(ensemble)
        let text = try withTemporaryFolder { folder throws in
            let path = folder + "/bands.svg"
            try SVGChartExporter().write(.ensemble(ensemble), to: path, options: ExportOptions(signals: ["ramp.level[JP/DyTb]"]))
            return try String(contentsOfFile: path, encoding: .utf8)
        }
        let svg = try parseXML(text)
        #expect(svg.elements("title").first?.text == "\(Fixture.scenarioName) (40 runs)")
        let areas = svg.elements("path", class: "band")
        #expect(areas.count == 2)
        #expect(areas.map { $0.attributes["fill-opacity"] } == ["0.14", "0.3"])
        let outer = points(areas[0].attributes["d"] ?? "")
        let inner = points(areas[1].attributes["d"] ?? "")
        #expect(outer.count == 24 && inner.count == 24)
        let medians = svg.elements("path", class: "band-median")
        #expect(medians.count == 1)
        let median = points(medians[0].attributes["d"] ?? "")
        #expect(median.count == 12)
        // Edges nest: 95 % above 75 % above the median above 25 % above 5 % (SVG y grows down).
        for t in 1..<12 {
            #expect(outer[t].y <= inner[t].y && inner[t].y <= median[t].y)
            #expect(median[t].y <= inner[23 - t].y && inner[23 - t].y <= outer[23 - t].y)
        }
        // The median is 10 + t·median(slope): a straight line, evenly spaced in y.
        let dy = zip(median.dropFirst(), median).map { $0.y - $1.y }
        #expect(dy.allSatisfy { abs($0 - dy[0]) < 0.02 })
        if EnsembleFixture.quantile(slopes, 0.95) > EnsembleFixture.quantile(slopes, 0.05) {
            #expect(outer[11].y < outer[12].y)  // the band has width at the end
        }
        #expect(svg.elements("text", class: "legend-label").map(\.text) == ["ramp.level[JP/DyTb] (median, 90% band, 50% band)"])
        #expect(svg.elements("g", class: "event").count == 2)
        #expect(svg.elements("text", class: "axis-title").map(\.text) == ["tonnes (t)", "month"])

        let both = try parseXML(try SVGChartExporter().render(.ensemble(ensemble)))
        #expect(both.elements("path", class: "band").count == 4)
        #expect(both.elements("path", class: "band-median").count == 2)
    }

    @Test("a sweep draws one line per point, labelled by its swept values")
    func sweep() throws {
        let sweep = try EnsembleFixture.sweep()
        let svg = try parseXML(try SVGChartExporter().render(.sweep(sweep)))
        #expect(
            svg.elements("title").first?.text
                == "Sweep of Ramp slope, JP/DyTb (t/month) × Ramp offset (t): Level of the ramp, JP/DyTb")
        let lines = svg.elements("path", class: "series")
        #expect(lines.count == 6)
        #expect(svg.elements("g", class: "panel").first?.elements("text").first?.text == "Level of the ramp (t)")
        #expect(svg.elements("text", class: "legend-label").map(\.text) == [
            "ramp.slope[JP/DyTb]=1, ramp.offset=0", "ramp.slope[JP/DyTb]=1, ramp.offset=10",
            "ramp.slope[JP/DyTb]=2, ramp.offset=0", "ramp.slope[JP/DyTb]=2, ramp.offset=10",
            "ramp.slope[JP/DyTb]=4, ramp.offset=0", "ramp.slope[JP/DyTb]=4, ramp.offset=10",
        ])
        // Steeper slopes end higher (smaller y); a larger offset starts higher.
        let ends = lines.map { points($0.attributes["d"] ?? "").last?.y ?? 0 }
        #expect(ends[4] < ends[2] && ends[2] < ends[0])
        let starts = lines.map { points($0.attributes["d"] ?? "").first?.y ?? 0 }
        #expect(starts[1] < starts[0])

        let two = try parseXML(try SVGChartExporter().render(.sweep(sweep), options: ExportOptions(signals: ["ramp.level"])))
        #expect(two.elements("path", class: "series").count == 12)
        #expect(two.elements("text", class: "legend-label").first?.text == "ramp.slope[JP/DyTb]=1, ramp.offset=0: ramp.level[JP/NdPr]")
    }

    @Test("an ensemble without bands and an unknown signal are errors; tables stay unsupported")
    func errors() throws {
        #expect {
            try SVGChartExporter().render(.ensemble(try EnsembleFixture.ensemble(runs: 3, bandSignals: [])))
        } throws: { error in
            (error as? LookupError)?.message.contains("nothing to write as an SVG chart") == true
        }
        #expect(throws: LookupError.self) {
            try SVGChartExporter().render(.sweep(try EnsembleFixture.sweep()), options: ExportOptions(signals: ["ramp.nope"]))
        }
        #expect(throws: ExportError.unsupported(format: "svg", payload: "a table")) {
            try SVGChartExporter().render(.table(ResultTable(columns: [], rows: [])))
        }
    }
}
