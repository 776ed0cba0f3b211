import LodestoneKernel

/// Renders a ``LineChart`` as a self-contained SVG document: one panel per unit, each titled
/// with its signals in words and the unit (`Days of cover (days)`), a y axis titled with the unit
/// in words, month ticks (`YYYY-MM`), horizontal grid lines, the series as dashed/coloured lines,
/// quantile bands as nested shaded areas with the median as a line, scenario events as labelled
/// vertical lines (or shaded spans with their start and end marked and labelled, for events
/// that last), and a legend. Colours follow ``ChartPalette`` (one run, one colour, in every
/// panel; a sequential scale with a colour bar beyond eight lines); labels inside the plot are
/// placed where no line crosses them (``LabelPlacement``).
///
/// Everything is drawn with presentation attributes (no external CSS, fonts or images), so the
/// file looks the same in browsers, editors and when inlined in HTML. Elements carry classes
/// for tools and tests: `panel-title`, `series`, `band`, `band-median`, `event`, `event-span`,
/// `event-label`, `event-end-label`, `legend-label`, `axis-title`, `colour-bar`.
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
        static let colourBar = 44.0
        static let characterWidth = 6.6
        static let font = "Helvetica, Arial, sans-serif"
    }

    /// The SVG text for `chart`, `width` units wide (the height follows from the panels).
    /// `standalone` adds the XML declaration for a file of its own; leave it off to inline the
    /// SVG in HTML.
    public static func render(_ chart: LineChart, width: Double = 760, standalone: Bool = true) -> String {
        let width = max(320, width)
        let units = chart.units
        let palette = ChartPalette(chart)
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
            let panel = SVGPanel(
                chart: chart, unit: unit, series: series, bands: bands, top: y, width: width, palette: palette,
                interactive: !standalone)
            body += panel.render()
            y += panel.height + Metrics.gap
        }
        if palette.isSequential {
            body += colourBar(palette, top: y, width: width)
            y += Metrics.colourBar
        }
        return document(title: chart.title, width: width, height: (y + 4).rounded(), body: body, standalone: standalone)
    }

    /// An SVG document `width` × `height` with a title (also its accessible label), a white
    /// background and `body`; `standalone` adds the XML declaration.
    static func document(title: String, width: Double, height: Double, body: String, standalone: Bool) -> String {
        var out = standalone ? "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n" : ""
        out += "<svg xmlns=\"http://www.w3.org/2000/svg\" version=\"1.1\" width=\"\(n(width))\" height=\"\(n(height))\""
        out += " viewBox=\"0 0 \(n(width)) \(n(height))\" role=\"img\" aria-label=\"\(TextEscaping.xml(title))\""
        out += " font-family=\"\(Metrics.font)\">\n"
        out += "<title>\(TextEscaping.xml(title))</title>\n"
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

    /// How a unit symbol is shown on a terminal chart's axis.
    static func unitTitle(_ unit: String) -> String {
        unit == "1" ? "share / index (dimensionless)" : unit
    }

    /// The colour bar of a chart with more lines than categorical colours: one swatch per group
    /// (run, sweep point or line) in legend order, from the first group's label to the last's.
    static func colourBar(_ palette: ChartPalette, top: Double, width: Double) -> String {
        let left = Metrics.left
        let right = width - Metrics.right
        let count = palette.groups.count
        let step = (right - left) / Double(max(1, count))
        var out = "<g class=\"colour-bar\" data-groups=\"\(count)\">\n"
        out += text(
            "Line colour: \(count) lines in legend order, first to last", x: left, y: top + 10, size: 11,
            className: "colour-bar-title")
        for k in 0..<count {
            let colour = ChartPalette.sequential(Double(k) / Double(max(1, count - 1)))
            out += "<rect class=\"colour-bar-step\" x=\"\(n(left + Double(k) * step))\" y=\"\(n(top + 15))\" width=\"\(n(step + 0.5))\""
            out += " height=\"10\" fill=\"\(colour)\"><title>\(TextEscaping.xml(palette.groups[k]))</title></rect>\n"
        }
        out += text(palette.groups.first ?? "", x: left, y: top + 38, size: 11, className: "colour-bar-label")
        out += text(palette.groups.last ?? "", x: right, y: top + 38, size: 11, anchor: "end", className: "colour-bar-label")
        return out + "</g>\n"
    }
}
