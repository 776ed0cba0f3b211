import Foundation
import LodestoneKernel
import Testing

@testable import LodestoneExport

@Suite("SVG chart")
struct SVGChartTests {
    /// The points of a path's `d` (M and L commands).
    func points(_ d: String) -> [(Double, Double)] {
        d.split(whereSeparator: { $0 == "M" || $0 == "L" || $0 == "Z" }).compactMap { part in
            let numbers = part.split(separator: " ").compactMap { Double($0) }
            return numbers.count == 2 ? (numbers[0], numbers[1]) : nil
        }
    }

    @Test("a run's chart is valid XML with one line per signal, a legend, axes and events")
    func runChart() throws {
        let result = try Fixture.run()
        let text = try withTemporaryFolder { folder throws in
            let path = folder + "/chart.svg"
            try SVGChartExporter().write(.run(result), to: path, options: ExportOptions(signals: ["ramp.level"]))
            return try String(contentsOfFile: path, encoding: .utf8)
        }
        #expect(text.hasPrefix("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<svg xmlns=\"http://www.w3.org/2000/svg\""))
        let svg = try parseXML(text)
        #expect(svg.name == "svg")
        #expect(svg.elements("title").first?.text == Fixture.scenarioName)
        let series = svg.elements("path", class: "series")
        #expect(series.count == 2)
        #expect(svg.elements("text", class: "legend-label").map(\.text) == ["ramp.level[JP/NdPr]", "ramp.level[JP/DyTb]"])
        #expect(svg.elements("text", class: "axis-title").map(\.text) == ["tonnes (t)", "month"])
        // Distinct styles, so the lines stay apart in black and white.
        #expect(series[0].attributes["stroke-dasharray"] == nil)
        #expect(series[1].attributes["stroke-dasharray"] == "8 4")
        #expect(series[0].attributes["stroke"] != series[1].attributes["stroke"])
        // A straight ramp: 12 points, evenly spaced in x and in y.
        for path in series {
            let p = points(path.attributes["d"] ?? "")
            #expect(p.count == 12)
            let dx = zip(p.dropFirst(), p).map { $0.0 - $1.0 }
            let dy = zip(p.dropFirst(), p).map { $0.1 - $1.1 }
            #expect(dx.allSatisfy { abs($0 - dx[0]) < 0.02 })
            #expect(dy.allSatisfy { abs($0 - dy[0]) < 0.02 && $0 < 0 })
        }
        // y ticks are nice numbers covering 10…43 (zero included: data reach below half the max).
        let labels = svg.elements("text").map(\.text)
        for tick in ["0", "10", "20", "30", "40", "50"] { #expect(labels.contains(tick), "tick \(tick)") }
        for month in ["2026-01", "2026-03", "2026-05", "2026-11"] { #expect(labels.contains(month), "month \(month)") }
        let events = svg.elements("g", class: "event")
        #expect(events.count == 2)
        #expect(svg.elements("text", class: "event-label").map(\.text) == ["incident CN>JP (0.8)", "restrict CN>JP DyTb 100%"])
        #expect(events[1].elements("title").first?.text == "restrict CN>JP DyTb 100% from 2026-03 for 6 months")
    }

    @Test("the default chart picks module signals that change, one panel per unit")
    func defaults() throws {
        let result = try Fixture.run()
        #expect(RunChart.defaultSignals(result) == ["ramp.level[JP/NdPr]", "ramp.level[JP/DyTb]"])
        let mixed = try RunChart.make(result, signals: ["ramp.level[JP/NdPr]", "scenario.restriction[CN>JP/DyTb]"])
        let svg = try parseXML(SVGChart.render(mixed))
        #expect(svg.elements("g", class: "panel").map { $0.attributes["data-unit"] } == ["t", "1"])
        #expect(svg.elements("path", class: "series").count == 2)
    }

    @Test("quantile bands draw nested areas and a median line")
    func bands() throws {
        let months = 24
        func curve(_ offset: Double) -> [Double] { (0..<months).map { 100 - 3 * Double($0) + offset } }
        let band = QuantileBand(
            label: "stockpile.level[JP/DyTb]", unit: "t",
            quantiles: [
                .init(probability: 0.95, values: curve(20)), .init(probability: 0.05, values: curve(-20)),
                .init(probability: 0.5, values: curve(0)), .init(probability: 0.25, values: curve(-8)),
                .init(probability: 0.75, values: curve(8)),
            ])
        let chart = LineChart(
            title: "Ensemble", start: Month(2026, 1), months: months,
            series: [ChartSeries(label: "stockpile.level[JP/NdPr]", unit: "t", values: curve(5))], bands: [band],
            events: [ChartEvent(month: Month(2026, 6), label: "curb"), ChartEvent(month: Month(2030, 1), label: "outside")])
        let svg = try parseXML(SVGChart.render(chart))
        let areas = svg.elements("path", class: "band")
        #expect(areas.count == 2)
        // Outer band first (lighter), each a closed area with 2 × 24 points.
        #expect(areas.map { $0.attributes["fill-opacity"] } == ["0.14", "0.3"])
        for area in areas {
            #expect(area.attributes["d"]?.hasSuffix("Z") == true)
            #expect(points(area.attributes["d"] ?? "").count == 2 * months)
        }
        let outer = points(areas[0].attributes["d"] ?? "")
        let inner = points(areas[1].attributes["d"] ?? "")
        // The 95 % edge lies above (smaller y) the 75 % edge, which lies above the median.
        let median = points(svg.elements("path", class: "band-median").first?.attributes["d"] ?? "")
        #expect(median.count == months)
        for t in 0..<months {
            #expect(outer[t].1 < inner[t].1 && inner[t].1 < median[t].1)
            #expect(outer[2 * months - 1 - t].1 > inner[2 * months - 1 - t].1)
        }
        #expect(svg.elements("text", class: "legend-label").map(\.text) == [
            "stockpile.level[JP/NdPr]", "stockpile.level[JP/DyTb] (median, 90% band, 50% band)",
        ])
        #expect(svg.elements("g", class: "event").count == 1)
    }

    @Test("gaps for NaN, several runs overlaid, tables unsupported")
    func gapsAndRuns() throws {
        let chart = LineChart(
            title: "", start: Month(2026, 1), months: 5,
            series: [ChartSeries(label: "x", unit: "t", values: [1, 2, .nan, 4, 5])])
        let d = try parseXML(SVGChart.render(chart)).elements("path", class: "series").first?.attributes["d"] ?? ""
        #expect(d.filter { $0 == "M" }.count == 2)

        let svg = try parseXML(
            try SVGChartExporter().render(
                .runs([("a", try Fixture.run(seed: 1)), ("b", try Fixture.run(seed: 2, dyTbSlope: 5))]),
                options: ExportOptions(signals: ["ramp.level[JP/DyTb]"])))
        #expect(svg.elements("text", class: "legend-label").map(\.text) == ["a: ramp.level[JP/DyTb]", "b: ramp.level[JP/DyTb]"])
        // Panels are titled with the signal's title in words and its unit, not the runs' labels.
        #expect(svg.elements("g", class: "panel").first?.elements("text").first?.text == "Level of the ramp (t)")
        #expect(throws: ExportError.unsupported(format: "svg", payload: "a table")) {
            try SVGChartExporter().render(.table(ResultTable(columns: [], rows: [])))
        }
    }
}
