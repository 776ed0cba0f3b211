import Foundation
import LodestoneKernel
import Testing

@testable import LodestoneExport

/// Charts a reader can read without the source: words and units in titles, one colour per run in
/// every panel, a sequential scale beyond eight lines, events as spans, labels clear of lines.
@Suite("SVG charts: words, colours, events, labels")
struct ChartReadingTests {
    /// The points of a path's `d` (M and L commands).
    func points(_ d: String) -> [LabelPlacement.Point] {
        d.split(whereSeparator: { $0 == "M" || $0 == "L" || $0 == "Z" }).compactMap { part in
            let numbers = part.split(separator: " ").compactMap { Double($0) }
            return numbers.count == 2 ? LabelPlacement.Point(x: numbers[0], y: numbers[1]) : nil
        }
    }

    func number(_ element: XMLElement, _ name: String) -> Double { Double(element.attributes[name] ?? "") ?? .nan }

    @Test("panels are titled with the signals' declared titles and the unit; axes name the unit in words")
    func wordsAndUnits() throws {
        let result = try Fixture.run()
        let chart = try RunChart.make(result, signals: ["ramp.level[JP/DyTb]", "scenario.restriction[CN>JP/DyTb]"])
        let svg = try parseXML(SVGChart.render(chart))
        let titles = svg.elements("text", class: "panel-title").map(\.text)
        #expect(titles == ["Level of the ramp (t)", "Share of exports blocked by events"])
        #expect(svg.elements("text", class: "axis-title").map(\.text) == [
            "tonnes (t)", "month", "share or index (dimensionless)", "month",
        ])
        // No raw signal path in a title.
        #expect(!titles.contains { $0.contains("ramp.level") || $0.contains("scenario.") })

        // A series that declares no title is named from its signal: module and name in words.
        let plain = LineChart(
            title: "", start: Month(2026, 1), months: 3,
            series: [ChartSeries(label: "x", unit: "t/month", values: [1, 2, 3], signal: "trade.alt_supply[JP]")])
        let drawn = try parseXML(SVGChart.render(plain))
        #expect(drawn.elements("text", class: "panel-title").first?.text == "Trade alt supply (t/month)")
        #expect(drawn.elements("text", class: "axis-title").first?.text == "tonnes per month (t/month)")
        #expect(SignalInfo.words(forName: "stockpile.days_of_cover") == "Stockpile days of cover")
    }

    @Test("one run keeps one colour in every panel; its signals differ by dash")
    func coloursAcrossPanels() throws {
        let runs: [(label: String?, result: RunResult)] = [
            ("a", try Fixture.run(seed: 1)), ("b", try Fixture.run(seed: 2, dyTbSlope: 5)), ("c", try Fixture.run(seed: 3, dyTbSlope: 1)),
        ]
        let chart = try RunChart.make(
            runs: runs, signals: ["ramp.level[JP/DyTb]", "ramp.level[JP/NdPr]", "scenario.restriction[CN>JP/DyTb]"])
        let svg = try parseXML(SVGChart.render(chart, standalone: false))
        let panels = svg.elements("g", class: "panel")
        #expect(panels.count == 2)
        var colour: [String: [String]] = [:]
        for panel in panels {
            for path in panel.elements("path", class: "series") {
                let run = String((path.attributes["data-label"] ?? "").prefix { $0 != ":" })
                colour[run, default: []].append(path.attributes["stroke"] ?? "")
            }
        }
        #expect(colour.keys.sorted() == ["a", "b", "c"])
        for (run, strokes) in colour {
            #expect(strokes.count == 3, "run \(run): two levels in the first panel, the restriction in the second")
            #expect(Set(strokes).count == 1, "run \(run) is drawn in one colour: \(strokes)")
        }
        #expect(Set(colour.values.map { $0[0] }).count == 3, "three runs, three colours")
        // Within a run, the two level signals are told apart by their dash patterns.
        let first = panels[0].elements("path", class: "series").filter { $0.attributes["data-label"]?.hasPrefix("a:") == true }
        #expect(first.count == 2)
        #expect(first[0].attributes["stroke-dasharray"] != first[1].attributes["stroke-dasharray"])
        #expect(svg.elements("g", class: "colour-bar").isEmpty)
    }

    /// A sweep of the ramp's slope over `count` values.
    func sweep(points count: Int) throws -> SweepResult {
        let (plan, parameters) = try EnsembleFixture.plan()
        return try Sweep.run(
            plan, parameters: parameters, grid: [(EnsembleFixture.varied, (1...count).map(Double.init))], seed: 3, threads: 1)
    }

    @Test("beyond eight lines the colours follow a sequential scale with a colour bar; eight stay categorical")
    func sequentialBeyondEight() throws {
        let many = try parseXML(try SVGChartExporter().render(.sweep(try sweep(points: 12))))
        let lines = many.elements("path", class: "series")
        #expect(lines.count == 12)
        let strokes = lines.map { $0.attributes["stroke"] ?? "" }
        #expect(strokes == (0..<12).map { ChartPalette.sequential(Double($0) / 11) })
        #expect(Set(strokes).count == 12, "every line has its own colour")
        #expect(strokes.first == "#440154" && strokes.last == "#fde725", "viridis from dark to light")
        #expect(lines.allSatisfy { $0.attributes["stroke-dasharray"] == nil })
        let bar = try #require(many.elements("g", class: "colour-bar").first)
        #expect(bar.elements("rect", class: "colour-bar-step").map { $0.attributes["fill"] ?? "" } == strokes)
        #expect(bar.elements("text", class: "colour-bar-label").map(\.text) == [
            "ramp.slope[JP/DyTb]=1", "ramp.slope[JP/DyTb]=12",
        ])

        let eight = try parseXML(try SVGChartExporter().render(.sweep(try sweep(points: 8))))
        let categorical = eight.elements("path", class: "series").map { $0.attributes["stroke"] ?? "" }
        #expect(categorical == ChartPalette.categorical)
        #expect(eight.elements("g", class: "colour-bar").isEmpty)
    }

    @Test("an event that lasts is a shaded span from its first month to the month it ends, both labelled")
    func eventSpans() throws {
        let result = try Fixture.run()  // restrict from 2026-03 for 6 months; incident in 2026-02
        let svg = try parseXML(try SVGChartExporter().render(.run(result), options: ExportOptions(signals: ["ramp.level[JP/DyTb]"])))
        let x = points(svg.elements("path", class: "series").first?.attributes["d"] ?? "").map(\.x)
        #expect(x.count == 12)
        let spans = svg.elements("rect", class: "event-span")
        #expect(spans.count == 1, "the incident is a single month: a line, not a span")
        let span = try #require(spans.first)
        #expect(span.attributes["data-start"] == "2026-03" && span.attributes["data-end"] == "2026-09")
        #expect(abs(number(span, "x") - x[2]) < 0.011, "the span starts at 2026-03's x")
        #expect(abs(number(span, "x") + number(span, "width") - x[8]) < 0.011, "and ends at 2026-09's x")
        #expect(svg.elements("text", class: "event-label").map(\.text) == ["incident CN>JP (0.8)", "restrict CN>JP DyTb 100%"])
        #expect(svg.elements("text", class: "event-end-label").map(\.text) == ["end: restrict CN>JP DyTb 100%"])
        let end = try #require(svg.elements("g", class: "event-end").first?.elements("line").first)
        #expect(abs(number(end, "x1") - x[8]) < 0.011)

        // An event without an end runs to the plot's right edge, with no end marker.
        let onward = LineChart(
            title: "", start: Month(2026, 1), months: 6, series: [ChartSeries(label: "x", unit: "t", values: [1, 2, 3, 4, 5, 6])],
            events: [ChartEvent(month: Month(2026, 3), label: "curb", extent: .onward)])
        let drawn = try parseXML(SVGChart.render(onward, width: 500))
        let rect = try #require(drawn.elements("rect", class: "event-span").first)
        #expect(abs(number(rect, "x") + number(rect, "width") - (500 - SVGChart.Metrics.right)) < 0.011)
        #expect(drawn.elements("g", class: "event-end").isEmpty)
    }

    @Test("label placement: a box crossed at the top moves to where no segment crosses it")
    func placement() {
        typealias P = LabelPlacement.Point
        let plot = LabelPlacement.Box(left: 0, top: 0, right: 200, bottom: 100)
        // A line along the top right of the anchor, and one falling steeply to its left.
        let segments: [(P, P)] = [(P(x: 50, y: 8), P(x: 200, y: 8)), (P(x: 0, y: 0), P(x: 45, y: 60))]
        let placement = LabelPlacement(plot: plot, segments: segments)
        let request = LabelPlacement.Request(anchor: 50, width: 60, height: 12)
        let naive = LabelPlacement.Box(left: 53, top: 2, right: 113, bottom: 14)
        #expect(naive.intersects(segments[0].0, segments[0].1), "the first row is crossed: the test can fail")
        let box = placement.place([request])[0]
        #expect(!segments.contains { box.intersects($0.0, $0.1) })
        #expect(box.left >= plot.left && box.right <= plot.right && box.top >= plot.top && box.bottom <= plot.bottom)
        #expect(box.top > 8, "below the horizontal line")

        // A second label at the same anchor does not overlap the first.
        let two = placement.place([request, request])
        #expect(!two[0].overlaps(two[1]))

        // Segment tests: through, beside, and ending inside.
        let unit = LabelPlacement.Box(left: 0, top: 0, right: 10, bottom: 10)
        #expect(unit.intersects(P(x: -5, y: 5), P(x: 15, y: 5)))
        #expect(!unit.intersects(P(x: -5, y: -1), P(x: 15, y: -1)))
        #expect(unit.intersects(P(x: 5, y: 5), P(x: 30, y: 30)))
        #expect(!unit.intersects(P(x: 11, y: 0), P(x: 20, y: 10)))
    }

    @Test("in a drawn chart, no event label's box is crossed by a line")
    func labelsClearOfLines() throws {
        // A line high at the event months (where labels go first) and a steep one through them.
        let months = 24
        let high = (0..<months).map { 100 - Double(abs($0 - 6)) }
        let steep = (0..<months).map { Double($0) * 4 }
        let chart = LineChart(
            title: "", start: Month(2026, 1), months: months,
            series: [ChartSeries(label: "high", unit: "t", values: high), ChartSeries(label: "steep", unit: "t", values: steep)],
            events: [
                ChartEvent(month: Month(2026, 6), label: "restrict CN>JP DyTb 100%", extent: .until(Month(2026, 12))),
                ChartEvent(month: Month(2026, 8), label: "incident CN>JP (0.8)"),
            ])
        let svg = try parseXML(SVGChart.render(chart))
        let segments = svg.elements("path", class: "series").flatMap { path in
            let p = points(path.attributes["d"] ?? "")
            return Array(zip(p, p.dropFirst()))
        }
        #expect(segments.count == 2 * (months - 1))
        let labels = svg.elements("text", class: "event-label") + svg.elements("text", class: "event-end-label")
        #expect(labels.count == 3)
        var boxes: [LabelPlacement.Box] = []
        for label in labels {
            #expect(label.attributes["text-anchor"] == "start")
            let left = number(label, "x")
            let top = number(label, "y") - SVGEvents.ascent
            let box = LabelPlacement.Box(
                left: left, top: top, right: left + SVGChart.textWidth(label.text, size: SVGEvents.labelSize),
                bottom: top + SVGEvents.boxHeight)
            #expect(!segments.contains { box.intersects($0.0, $0.1) }, "\(label.text) is crossed by a line")
            #expect(!boxes.contains { $0.overlaps(box) }, "\(label.text) overlaps another label")
            boxes.append(box)
        }
    }
}
