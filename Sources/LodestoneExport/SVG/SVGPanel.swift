import Foundation
import LodestoneKernel

/// One panel of an SVG chart: the series and bands that share a unit, titled in words with the
/// unit, with the scenario's events.
struct SVGPanel {
    typealias M = SVGChart.Metrics
    let chart: LineChart
    let unit: String
    let series: [ChartSeries]
    let bands: [QuantileBand]
    let top: Double
    let width: Double
    let palette: ChartPalette
    /// Whether to add the data attributes the HTML report's script reads (inline charts only;
    /// an SVG file stays as small as before).
    let interactive: Bool

    var plotLeft: Double { M.left }
    var plotRight: Double { width - M.right }
    var plotTop: Double { top + M.panelTitle }
    var plotBottom: Double { plotTop + M.plotHeight }

    /// Legend entries: (label, style, is a band).
    private var legend: [(label: String, style: LineStyle, isBand: Bool)] {
        var entries: [(String, LineStyle, Bool)] = []
        for line in series { entries.append((line.label, palette.style(line), false)) }
        for band in bands {
            let coverage = band.pairs.map { NumberText.readable(($0.upper.probability - $0.lower.probability) * 100) + "%" }
            let detail = (band.median == nil ? [] : ["median"]) + coverage.map { "\($0) band" }
            let label = band.label + (detail.isEmpty ? "" : " (" + detail.joined(separator: ", ") + ")")
            entries.append((label, palette.style(band), true))
        }
        return entries
    }

    /// Legend rows: entries flowed left to right, wrapped at the panel's width.
    private var legendRows: [[(label: String, style: LineStyle, isBand: Bool, x: Double)]] {
        var rows: [[(String, LineStyle, Bool, Double)]] = [[]]
        var x = plotLeft
        for entry in legend {
            let entryWidth = 34 + SVGChart.textWidth(entry.label) + 18
            if x + entryWidth > plotRight, !rows[rows.count - 1].isEmpty {
                rows.append([])
                x = plotLeft
            }
            rows[rows.count - 1].append((entry.label, entry.style, entry.isBand, x))
            x += entryWidth
        }
        return rows
    }

    var height: Double { M.panelTitle + M.plotHeight + M.axisBelow + Double(legendRows.count) * M.legendRow }

    /// The panel's title: its signals in words (their declared titles), then the unit
    /// (`Stockpile level (t)`), shortened with an ellipsis to the panel's width.
    var title: String {
        var names: [String] = []
        let words = series.map(\.words) + bands.map { $0.title ?? Self.words($0.label) }
        for name in words where !names.contains(name) { names.append(name) }
        let suffix = ChartWords.unitSuffix(unit)
        let title = names.joined(separator: ", ")
        let limit = Int((width - M.left) / M.characterWidth) - 4 - suffix.count
        return (title.count > limit ? String(title.prefix(max(8, limit - 1))) + "…" : title) + suffix
    }

    /// A signal id (`ramp.level[JP/DyTb]`, or a run's `a: ramp.level[JP/DyTb]`) as words
    /// (`Ramp level`); any other label as it is.
    static func words(_ label: String) -> String {
        let id = label.range(of: ": ", options: .backwards).map { String(label[$0.upperBound...]) } ?? label
        let name = String(id.prefix { $0 != "[" })
        let isID = name.contains(".") && name.allSatisfy { $0.isLetter || $0.isNumber || $0 == "_" || $0 == "." }
        return isID ? SignalInfo.words(forName: name) : label
    }

    /// The drawing of the panel.
    func render() -> String {
        let values = series.flatMap(\.values) + bands.flatMap { $0.quantiles.flatMap(\.values) }
        let scale = NiceScale(data: values, maxTicks: 6)
        let yScale = LinearScale(domain: (scale.lower, scale.upper), range: (plotBottom, plotTop))
        let frame = Frame(panel: self, y: yScale)

        // The data attributes let the HTML report's script show values on hover; a static SVG ignores them.
        var out = "<g class=\"panel\" data-unit=\"\(TextEscaping.xml(unit))\""
        if interactive {
            out += " data-start=\"\(chart.start)\" data-months=\"\(chart.months)\" data-x0=\"\(SVGChart.n(plotLeft))\""
            out += " data-x1=\"\(SVGChart.n(plotRight))\" data-y0=\"\(SVGChart.n(plotTop))\" data-y1=\"\(SVGChart.n(plotBottom))\""
        }
        out += ">\n"
        out += SVGChart.text(title, x: plotLeft, y: top + 15, size: 13, weight: "bold", className: "panel-title")
        out += axes(scale, frame)
        // Event spans under everything else.
        let events = SVGEvents(panel: self, frame: frame)
        out += events.spans()

        // Bands, then lines on top.
        var polylines: [[LabelPlacement.Point?]] = []
        for (i, band) in bands.enumerated() {
            let style = palette.style(band)
            let key = series.count + i
            for (depth, pair) in band.pairs.enumerated() {
                let opacity = 0.14 + 0.16 * Double(depth)
                out += "<path class=\"band\"\(interactive ? " data-key=\"\(key)\"" : "") d=\"\(area(pair.lower.values, pair.upper.values, frame))\""
                out += " fill=\"\(style.color)\" fill-opacity=\"\(SVGChart.n(opacity))\" stroke=\"none\"/>\n"
            }
            if let median = band.median {
                out += line(median.values, style: style, className: "band-median", frame, data: (key, band.label + " (median)"))
                polylines.append(frame.points(median.values))
            }
        }
        for (i, line) in series.enumerated() {
            out += self.line(line.values, style: palette.style(line), className: "series", frame, data: (i, line.label))
            polylines.append(frame.points(line.values))
        }
        out += events.markers(avoiding: polylines.flatMap(LabelPlacement.segments))
        out += legendDrawing()
        return out + "</g>\n"
    }

    /// Grid, y axis with nice ticks and the unit in words, x axis with month ticks.
    private func axes(_ scale: NiceScale, _ frame: Frame) -> String {
        var out = ""
        for tick in scale.ticks {
            let y = SVGChart.n(frame.y(tick))
            out += "<line x1=\"\(SVGChart.n(plotLeft))\" y1=\"\(y)\" x2=\"\(SVGChart.n(plotRight))\" y2=\"\(y)\" stroke=\"#dddddd\" stroke-width=\"1\"/>\n"
            out += SVGChart.text(scale.label(tick), x: plotLeft - 6, y: frame.y(tick) + 4, size: 11, anchor: "end")
        }
        out += "<line x1=\"\(SVGChart.n(plotLeft))\" y1=\"\(SVGChart.n(plotTop))\" x2=\"\(SVGChart.n(plotLeft))\" y2=\"\(SVGChart.n(plotBottom))\" stroke=\"#444444\" stroke-width=\"1\"/>\n"
        out += SVGChart.text(
            UnitWords.axisTitle(unit), x: 16, y: (plotTop + plotBottom) / 2, size: 12, anchor: "middle",
            className: "axis-title", rotate: true)
        out += "<line x1=\"\(SVGChart.n(plotLeft))\" y1=\"\(SVGChart.n(plotBottom))\" x2=\"\(SVGChart.n(plotRight))\" y2=\"\(SVGChart.n(plotBottom))\" stroke=\"#444444\" stroke-width=\"1\"/>\n"
        let maxTicks = Int((plotRight - plotLeft) / 64)
        for t in MonthTicks.ticks(start: chart.start, months: chart.months, maxTicks: maxTicks) {
            let tx = SVGChart.n(frame.x(t))
            out += "<line x1=\"\(tx)\" y1=\"\(SVGChart.n(plotBottom))\" x2=\"\(tx)\" y2=\"\(SVGChart.n(plotBottom + 5))\" stroke=\"#444444\" stroke-width=\"1\"/>\n"
            out += SVGChart.text((chart.start + t).description, x: frame.x(t), y: plotBottom + 17, size: 11, anchor: "middle")
        }
        out += SVGChart.text(
            "month", x: (plotLeft + plotRight) / 2, y: plotBottom + 33, size: 12, anchor: "middle", className: "axis-title")
        return out
    }

    private func legendDrawing() -> String {
        var out = ""
        var ly = plotBottom + M.axisBelow + 12
        var key = 0
        for row in legendRows {
            for entry in row {
                out += interactive ? "<g class=\"legend-entry\" data-key=\"\(key)\">\n" : ""
                key += 1
                if entry.isBand {
                    out += "<rect x=\"\(SVGChart.n(entry.x))\" y=\"\(SVGChart.n(ly - 6))\" width=\"28\" height=\"8\" fill=\"\(entry.style.color)\" fill-opacity=\"0.3\"/>\n"
                }
                out += "<line x1=\"\(SVGChart.n(entry.x))\" y1=\"\(SVGChart.n(ly - 2))\" x2=\"\(SVGChart.n(entry.x + 28))\" y2=\"\(SVGChart.n(ly - 2))\""
                out += " stroke=\"\(entry.style.color)\" stroke-width=\"2\"" + dashAttribute(entry.style) + "/>\n"
                out += SVGChart.text(entry.label, x: entry.x + 34, y: ly + 2, size: 12, className: "legend-label")
                out += interactive ? "</g>\n" : ""
            }
            ly += M.legendRow
        }
        return out
    }

    private func dashAttribute(_ style: LineStyle) -> String {
        style.dash.isEmpty ? "" : " stroke-dasharray=\"\(style.dash)\""
    }

    /// A line as one path; NaN and infinite values leave gaps. `data` (the legend key and label)
    /// adds the values as data attributes for the HTML report's hover.
    private func line(
        _ values: [Double], style: LineStyle, className: String, _ frame: Frame, data: (key: Int, label: String)? = nil
    ) -> String {
        var d = ""
        var pen = false
        var segmentLength = 0
        for (t, value) in values.prefix(chart.months).enumerated() {
            guard value.isFinite else {
                if pen, segmentLength == 1 { d += "h0.01" }
                pen = false
                continue
            }
            d += (pen ? "L" : (d.isEmpty ? "M" : " M")) + SVGChart.n(frame.x(t)) + " " + SVGChart.n(frame.y(value))
            segmentLength = pen ? segmentLength + 1 : 1
            pen = true
        }
        if pen, segmentLength == 1 { d += "h0.01" }
        if d.isEmpty { d = "M0 0" }
        var attributes = ""
        if let data, interactive {
            let text = values.prefix(chart.months).map { $0.isFinite ? NumberText.plain($0) : "" }.joined(separator: ",")
            attributes = " data-key=\"\(data.key)\" data-label=\"\(TextEscaping.xml(data.label))\" data-values=\"\(text)\""
        }
        return "<path class=\"\(className)\"\(attributes) d=\"\(d)\" fill=\"none\" stroke=\"\(style.color)\" stroke-width=\"2\""
            + " stroke-linejoin=\"round\" stroke-linecap=\"round\"" + dashAttribute(style) + "/>\n"
    }

    /// The closed area between two series (months where either is not finite are skipped).
    private func area(_ lower: [Double], _ upper: [Double], _ frame: Frame) -> String {
        let months = min(chart.months, lower.count, upper.count)
        let ts = (0..<months).filter { lower[$0].isFinite && upper[$0].isFinite }
        guard !ts.isEmpty else { return "M0 0" }
        var d = ""
        for (i, t) in ts.enumerated() { d += (i == 0 ? "M" : "L") + SVGChart.n(frame.x(t)) + " " + SVGChart.n(frame.y(upper[t])) }
        for t in ts.reversed() { d += "L" + SVGChart.n(frame.x(t)) + " " + SVGChart.n(frame.y(lower[t])) }
        return d + "Z"
    }

    /// The panel's coordinates: month index to x, value to y.
    struct Frame {
        let months: Int
        let left: Double
        let right: Double
        let y: LinearScale

        init(panel: SVGPanel, y: LinearScale) {
            months = panel.chart.months
            left = panel.plotLeft
            right = panel.plotRight
            self.y = y
        }

        /// The x of month index `t` (the middle for a one-month chart).
        func x(_ t: Int) -> Double {
            months <= 1 ? (left + right) / 2 : LinearScale(domain: (0, Double(months - 1)), range: (left, right))(Double(t))
        }

        /// The drawn points of a series, as rounded in the SVG (nil for a gap).
        func points(_ values: [Double]) -> [LabelPlacement.Point?] {
            values.prefix(months).enumerated().map { t, value in
                value.isFinite ? LabelPlacement.Point(x: Self.rounded(x(t)), y: Self.rounded(y(value))) : nil
            }
        }

        private static func rounded(_ v: Double) -> Double { (v * 100).rounded() / 100 }
    }
}
