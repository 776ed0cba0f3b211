import LodestoneKernel

/// Renders a ``LineChart`` as a self-contained SVG document: one panel per unit, each with a
/// titled y axis (the unit), month ticks (`YYYY-MM`), horizontal grid lines, the series as
/// dashed/coloured lines, quantile bands as nested shaded areas with the median as a line,
/// scenario events as labelled vertical lines, and a legend.
///
/// Everything is drawn with presentation attributes (no external CSS, fonts or images), so the
/// file looks the same in browsers, editors and when inlined in HTML. Elements carry classes
/// for tools and tests: `series`, `band`, `band-median`, `event`, `legend-label`.
public enum SVGChart {
    /// Drawing sizes, in SVG user units (px).
    enum Metrics {
        static let left = 78.0
        static let right = 24.0
        static let titleHeight = 30.0
        static let panelTitle = 22.0
        static let plotHeight = 210.0
        static let axisBelow = 40.0
        static let legendRow = 18.0
        static let gap = 14.0
        static let characterWidth = 6.6
        static let font = "Helvetica, Arial, sans-serif"
    }

    /// The SVG text for `chart`, `width` units wide (the height follows from the panels).
    /// `standalone` adds the XML declaration for a file of its own; leave it off to inline the
    /// SVG in HTML.
    public static func render(_ chart: LineChart, width: Double = 760, standalone: Bool = true) -> String {
        let width = max(320, width)
        let units = chart.units
        var styleIndex = 0
        var body = ""
        var y = chart.title.isEmpty ? 8.0 : Metrics.titleHeight
        if !chart.title.isEmpty {
            body += text(chart.title, x: width / 2, y: 20, size: 15, anchor: "middle", weight: "bold")
        }
        if units.isEmpty {
            body += text("no data to chart", x: width / 2, y: y + 40, size: 12, anchor: "middle")
            y += 60
        }
        for unit in units {
            let series = chart.series.filter { $0.unit == unit }
            let bands = chart.bands.filter { $0.unit == unit }
            let panel = Panel(
                chart: chart, unit: unit, series: series, bands: bands, top: y, width: width,
                firstStyle: styleIndex, interactive: !standalone)
            body += panel.render()
            styleIndex += series.count + bands.count
            y += panel.height + Metrics.gap
        }
        let height = (y + 4).rounded()
        var out = standalone ? "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n" : ""
        out += "<svg xmlns=\"http://www.w3.org/2000/svg\" version=\"1.1\" width=\"\(n(width))\" height=\"\(n(height))\""
        out += " viewBox=\"0 0 \(n(width)) \(n(height))\" role=\"img\" aria-label=\"\(TextEscaping.xml(chart.title))\""
        out += " font-family=\"\(Metrics.font)\">\n"
        out += "<title>\(TextEscaping.xml(chart.title))</title>\n"
        out += "<rect x=\"0\" y=\"0\" width=\"\(n(width))\" height=\"\(n(height))\" fill=\"#ffffff\"/>\n"
        out += body
        out += "</svg>\n"
        return out
    }

    /// A number for SVG attributes: at most two decimals.
    static func n(_ value: Double) -> String {
        let rounded = (value * 100).rounded() / 100
        return rounded == rounded.rounded() ? String(Int(rounded)) : String(rounded)
    }

    /// A `<text>` element.
    static func text(
        _ content: String, x: Double, y: Double, size: Double, anchor: String = "start", weight: String? = nil,
        className: String? = nil, fill: String = "#222222", rotate: Bool = false, halo: Bool = false
    ) -> String {
        var out = "<text x=\"\(n(x))\" y=\"\(n(y))\" font-size=\"\(n(size))\" text-anchor=\"\(anchor)\" fill=\"\(fill)\""
        if let weight { out += " font-weight=\"\(weight)\"" }
        // A white outline under the glyphs keeps labels readable over lines.
        if halo { out += " stroke=\"#ffffff\" stroke-width=\"3\" stroke-linejoin=\"round\" paint-order=\"stroke\"" }
        if let className { out += " class=\"\(className)\"" }
        if rotate { out += " transform=\"rotate(-90 \(n(x)) \(n(y)))\"" }
        return out + ">\(TextEscaping.xml(content))</text>\n"
    }

    /// Estimated width of `text` at 12 px (no font metrics available).
    static func textWidth(_ text: String, size: Double = 12) -> Double {
        Double(text.count) * Metrics.characterWidth * size / 12
    }

    /// How a unit symbol is shown as an axis title.
    static func unitTitle(_ unit: String) -> String {
        unit == "1" ? "share / index (dimensionless)" : unit
    }
}

/// One panel of an SVG chart: the series and bands that share a unit.
private struct Panel {
    typealias M = SVGChart.Metrics
    let chart: LineChart
    let unit: String
    let series: [ChartSeries]
    let bands: [QuantileBand]
    let top: Double
    let width: Double
    let firstStyle: Int
    /// Whether to add the data attributes the HTML report's script reads (inline charts only;
    /// an SVG file stays as small as before).
    let interactive: Bool

    private var plotLeft: Double { M.left }
    private var plotRight: Double { width - M.right }
    private var plotTop: Double { top + M.panelTitle }
    private var plotBottom: Double { plotTop + M.plotHeight }

    /// Legend entries: (label, style, is a band).
    private var legend: [(label: String, style: LineStyle, isBand: Bool)] {
        var entries: [(String, LineStyle, Bool)] = []
        for (i, line) in series.enumerated() { entries.append((line.label, LineStyle.at(firstStyle + i), false)) }
        for (i, band) in bands.enumerated() {
            let coverage = band.pairs.map { NumberText.readable(($0.upper.probability - $0.lower.probability) * 100) + "%" }
            let detail = (band.median == nil ? [] : ["median"]) + coverage.map { "\($0) band" }
            let label = band.label + (detail.isEmpty ? "" : " (" + detail.joined(separator: ", ") + ")")
            entries.append((label, LineStyle.at(firstStyle + series.count + i), true))
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

    private var panelTitle: String {
        var names: [String] = []
        for label in series.map({ $0.signal ?? $0.label }) + bands.map(\.label) {
            let name = String(label.prefix { $0 != "[" })
            if !names.contains(name) { names.append(name) }
        }
        let title = names.joined(separator: ", ")
        let limit = Int((width - M.left) / SVGChart.Metrics.characterWidth) - 4
        return title.count > limit ? String(title.prefix(max(8, limit - 1))) + "…" : title
    }

    func render() -> String {
        let values = series.flatMap(\.values) + bands.flatMap { $0.quantiles.flatMap(\.values) }
        let scale = NiceScale(data: values, maxTicks: 6)
        let yScale = LinearScale(domain: (scale.lower, scale.upper), range: (plotBottom, plotTop))
        let xScale = LinearScale(domain: (0, Double(max(1, chart.months - 1))), range: (plotLeft, plotRight))
        func x(_ t: Int) -> Double { chart.months <= 1 ? (plotLeft + plotRight) / 2 : xScale(Double(t)) }

        // The data attributes let the HTML report's script show values on hover; a static SVG ignores them.
        var out = "<g class=\"panel\" data-unit=\"\(TextEscaping.xml(unit))\""
        if interactive {
            out += " data-start=\"\(chart.start)\" data-months=\"\(chart.months)\" data-x0=\"\(SVGChart.n(plotLeft))\""
            out += " data-x1=\"\(SVGChart.n(plotRight))\" data-y0=\"\(SVGChart.n(plotTop))\" data-y1=\"\(SVGChart.n(plotBottom))\""
        }
        out += ">\n"
        out += SVGChart.text(panelTitle, x: plotLeft, y: top + 15, size: 13, weight: "bold")

        // Grid and y axis.
        for tick in scale.ticks {
            let y = SVGChart.n(yScale(tick))
            out += "<line x1=\"\(SVGChart.n(plotLeft))\" y1=\"\(y)\" x2=\"\(SVGChart.n(plotRight))\" y2=\"\(y)\" stroke=\"#dddddd\" stroke-width=\"1\"/>\n"
            out += SVGChart.text(scale.label(tick), x: plotLeft - 6, y: yScale(tick) + 4, size: 11, anchor: "end")
        }
        out += "<line x1=\"\(SVGChart.n(plotLeft))\" y1=\"\(SVGChart.n(plotTop))\" x2=\"\(SVGChart.n(plotLeft))\" y2=\"\(SVGChart.n(plotBottom))\" stroke=\"#444444\" stroke-width=\"1\"/>\n"
        out += SVGChart.text(
            SVGChart.unitTitle(unit), x: 16, y: (plotTop + plotBottom) / 2, size: 12, anchor: "middle",
            className: "axis-title", rotate: true)

        // x axis with month ticks.
        out += "<line x1=\"\(SVGChart.n(plotLeft))\" y1=\"\(SVGChart.n(plotBottom))\" x2=\"\(SVGChart.n(plotRight))\" y2=\"\(SVGChart.n(plotBottom))\" stroke=\"#444444\" stroke-width=\"1\"/>\n"
        let maxTicks = Int((plotRight - plotLeft) / 64)
        for t in MonthTicks.ticks(start: chart.start, months: chart.months, maxTicks: maxTicks) {
            let tx = SVGChart.n(x(t))
            out += "<line x1=\"\(tx)\" y1=\"\(SVGChart.n(plotBottom))\" x2=\"\(tx)\" y2=\"\(SVGChart.n(plotBottom + 5))\" stroke=\"#444444\" stroke-width=\"1\"/>\n"
            out += SVGChart.text((chart.start + t).description, x: x(t), y: plotBottom + 17, size: 11, anchor: "middle")
        }
        out += SVGChart.text(
            "month", x: (plotLeft + plotRight) / 2, y: plotBottom + 33, size: 12, anchor: "middle",
            className: "axis-title")

        // Bands, then lines on top.
        for (i, band) in bands.enumerated() {
            let style = LineStyle.at(firstStyle + series.count + i)
            let key = series.count + i
            let pairs = band.pairs
            for (depth, pair) in pairs.enumerated() {
                let opacity = 0.14 + 0.16 * Double(depth)
                out += "<path class=\"band\"\(interactive ? " data-key=\"\(key)\"" : "") d=\"\(area(pair.lower.values, pair.upper.values, x: x, y: yScale))\""
                out += " fill=\"\(style.color)\" fill-opacity=\"\(SVGChart.n(opacity))\" stroke=\"none\"/>\n"
            }
            if let median = band.median {
                out += line(
                    median.values, style: style, className: "band-median", x: x, y: yScale,
                    data: (key, band.label + " (median)"))
            }
        }
        for (i, line) in series.enumerated() {
            out += self.line(
                line.values, style: LineStyle.at(firstStyle + i), className: "series", x: x, y: yScale, data: (i, line.label))
        }

        // Events.
        var byMonth: [(t: Int, events: [ChartEvent])] = []
        for event in chart.events {
            let t = event.month - chart.start
            guard t >= 0, t < chart.months else { continue }
            if let k = byMonth.firstIndex(where: { $0.t == t }) { byMonth[k].events.append(event) } else {
                byMonth.append((t, [event]))
            }
        }
        for (k, group) in byMonth.sorted(by: { $0.t < $1.t }).enumerated() {
            let ex = x(group.t)
            let label = group.events.map(\.label).joined(separator: "; ")
            let detail = group.events.map { $0.detail.isEmpty ? $0.label : $0.detail }.joined(separator: "\n")
            out += "<g class=\"event\">\n<title>\(TextEscaping.xml(detail))</title>\n"
            out += "<line x1=\"\(SVGChart.n(ex))\" y1=\"\(SVGChart.n(plotTop))\" x2=\"\(SVGChart.n(ex))\" y2=\"\(SVGChart.n(plotBottom))\" stroke=\"#555555\" stroke-width=\"1\" stroke-dasharray=\"3 3\"/>\n"
            let ly = plotTop + 11 + Double(k % 4) * 12
            let fits = ex + 3 + SVGChart.textWidth(label, size: 10) <= plotRight
            out += SVGChart.text(
                label, x: fits ? ex + 3 : ex - 3, y: ly, size: 10, anchor: fits ? "start" : "end",
                className: "event-label", fill: "#333333", halo: true)
            out += "</g>\n"
        }

        // Legend.
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
        return out + "</g>\n"
    }

    private func dashAttribute(_ style: LineStyle) -> String {
        style.dash.isEmpty ? "" : " stroke-dasharray=\"\(style.dash)\""
    }

    /// A line as one path; NaN and infinite values leave gaps. `data` (the legend key and label)
    /// adds the values as data attributes for the HTML report's hover.
    private func line(
        _ values: [Double], style: LineStyle, className: String, x: (Int) -> Double, y: LinearScale,
        data: (key: Int, label: String)? = nil
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
            d += (pen ? "L" : (d.isEmpty ? "M" : " M")) + SVGChart.n(x(t)) + " " + SVGChart.n(y(value))
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
    private func area(_ lower: [Double], _ upper: [Double], x: (Int) -> Double, y: LinearScale) -> String {
        let months = min(chart.months, lower.count, upper.count)
        let ts = (0..<months).filter { lower[$0].isFinite && upper[$0].isFinite }
        guard !ts.isEmpty else { return "M0 0" }
        var d = ""
        for (i, t) in ts.enumerated() { d += (i == 0 ? "M" : "L") + SVGChart.n(x(t)) + " " + SVGChart.n(y(upper[t])) }
        for t in ts.reversed() { d += "L" + SVGChart.n(x(t)) + " " + SVGChart.n(y(lower[t])) }
        return d + "Z"
    }
}
