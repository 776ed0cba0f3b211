import Foundation
import LodestoneKernel
import Testing

@testable import LodestoneExport

@Suite("SVG figures: bars with whiskers, a trade-off curve")
struct SVGFigureTests {
    static let bars = Figure(
        title: "Which parameters move the metric", subtitle: "sobol, N = 64",
        content: .bars(Figure.Bars(
            measures: ["first-order index S1", "total index ST"], items: ["a.x", "b.y"],
            values: [[0.25, 0.5], [0.1, 0.2]], intervals: [[0.05, 0.1], [nil, 0.02]], axisTitle: "share of the variance (dimensionless)")))

    @Test("bars: one per item and measure, lengths proportional to the values, whiskers at value ± interval")
    func barsRead() throws {
        let svg = try parseXML(SVGFigure.render(Self.bars))
        #expect(svg.elements("title").first?.text == "Which parameters move the metric")
        #expect(svg.elements("text", class: "figure-title").map(\.text) == ["Which parameters move the metric"])
        #expect(svg.elements("text", class: "figure-subtitle").map(\.text) == ["sobol, N = 64"])
        #expect(svg.elements("text", class: "item-label").map(\.text) == ["a.x", "b.y"])
        #expect(svg.elements("text", class: "axis-title").map(\.text) == ["share of the variance (dimensionless)"])
        #expect(svg.elements("text", class: "legend-label").map(\.text) == ["first-order index S1", "total index ST", "interval (whisker)"])
        let rects = svg.elements("rect", class: "bar")
        #expect(rects.map { $0.attributes["data-item"] ?? "" } == ["a.x", "a.x", "b.y", "b.y"])
        #expect(rects.map { $0.attributes["data-value"] ?? "" } == ["0.25", "0.5", "0.1", "0.2"])
        let widths = rects.compactMap { Double($0.attributes["width"] ?? "") }
        #expect(widths.count == 4)
        // Lengths are proportional to the values (to the 0.01 px the SVG keeps).
        for (w, v) in zip(widths, [0.25, 0.5, 0.1, 0.2]) { #expect(abs(w / widths[1] - v / 0.5) < 0.001) }
        // All bars start at the zero line.
        #expect(Set(rects.map { $0.attributes["x"] ?? "" }).count == 1)
        // The two measures have different colours (the palette's first two).
        #expect(rects[0].attributes["fill"] == ChartPalette.categorical[0] && rects[1].attributes["fill"] == ChartPalette.categorical[1])
        let whiskers = svg.elements("g", class: "whisker")
        #expect(whiskers.map { $0.attributes["data-low"] ?? "" } == ["0.2", "0.4", "0.18"])
        #expect(whiskers.map { $0.attributes["data-high"] ?? "" } == ["0.3", "0.6", "0.22"])
        #expect(svg.elements("text", class: "bar-value").map(\.text) == ["0.25", "0.5", "0.1", "0.2"])
        // The ticks cover the longest whisker: 0 … 0.6 in nice steps.
        #expect(svg.elements("text", class: "tick-label").map(\.text) == ["0.0", "0.1", "0.2", "0.3", "0.4", "0.5", "0.6"])
    }

    @Test("a curve: every point, the marks at their values, percentage axes")
    func curveRead() throws {
        let figure = Figure(
            title: "Trade-off", content: .curve(Figure.Curve(
                xs: [1, 0.9, 0.7], ys: [0.5, 0.7, 0.95], pointsLabel: "peeling boxes", xTitle: "coverage (%)",
                yTitle: "density (%)", marks: [.init(label: "chosen", x: 0.9, y: 0.7, diamond: true), .init(label: "pasted", x: 0.92, y: 0.72, diamond: false)],
                percent: true)))
        let svg = try parseXML(SVGFigure.render(figure))
        let points = svg.elements("circle", class: "point")
        #expect(points.map { $0.attributes["data-x"] ?? "" } == ["1", "0.9", "0.7"])
        #expect(points.map { $0.attributes["data-y"] ?? "" } == ["0.5", "0.7", "0.95"])
        let marks = svg.all.filter { $0.attributes["class"] == "mark" }
        #expect(marks.map(\.name) == ["path", "rect"])
        #expect(marks.map { $0.attributes["data-x"] ?? "" } == ["0.9", "0.92"])
        #expect(svg.elements("text", class: "mark-label").map(\.text) == ["chosen", "pasted"])
        #expect(svg.elements("text", class: "axis-title").map(\.text) == ["density (%)", "coverage (%)"])
        let ticks = svg.elements("text", class: "tick-label").map(\.text)
        // y from just below the lowest density (48 %) to 100 %; x from 0 to 100 %.
        #expect(ticks == ["40 %", "60 %", "80 %", "100 %", "0 %", "20 %", "40 %", "60 %", "80 %", "100 %"], "\(ticks)")
        // Higher density is drawn higher up: the last point (95 %) above the first (50 %).
        let ys = points.compactMap { Double($0.attributes["cy"] ?? "") }
        #expect(ys[2] < ys[1] && ys[1] < ys[0])
    }

    @Test("the figure writer writes SVG files only, atomically, and refuses to overwrite")
    func writer() throws {
        var registry = Registry()
        try LodestoneExport.registerAll(in: &registry)
        let writer = try #require(registry.figureWriter)
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("svg-figure-\(UUID().uuidString)").path
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: folder) }
        let path = folder + "/a.svg"
        try SVGFigure.write(Self.bars, to: path, overwrite: false)
        let written = try String(contentsOfFile: path, encoding: .utf8)
        #expect(written == SVGFigure.render(Self.bars))
        #expect(throws: ExportError.exists(path)) { try SVGFigure.write(Self.bars, to: path, overwrite: false) }
        #expect(throws: ExportError.self) { try SVGFigure.write(Self.bars, to: folder + "/a.png", overwrite: false) }
        try writer(Self.bars, folder + "/b.svg", false)
        #expect(FileManager.default.fileExists(atPath: folder + "/b.svg"))
    }
}
