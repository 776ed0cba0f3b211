import LodestoneKernel

/// Renders a ``Figure`` as a self-contained SVG document with the line charts' rules
/// (``SVGChart``): a title in words and a subtitle, axes with nice ticks and titles in words with
/// their units, grid lines, categorical colours from ``ChartPalette`` with a dash or marker
/// shape each (readable in black and white), and a legend.
///
/// Bars: one group per item, one horizontal bar per measure with its value written at its end
/// and a whisker for its ± interval. A curve: the points joined in order, each marked, the
/// figure's marked points drawn over them with their labels.
///
/// Elements carry classes for tools and tests: `figure-title`, `figure-subtitle`, `axis-title`,
/// `tick-label`, `item-label`, `bar` (with `data-item`, `data-measure`, `data-value`),
/// `whisker` (`data-low`, `data-high`), `bar-value`, `curve`, `point` (`data-x`, `data-y`),
/// `mark` and `mark-label`, `legend-label`.
public enum SVGFigure {
    typealias M = SVGChart.Metrics

    /// The SVG text of `figure`, `width` units wide.
    public static func render(_ figure: Figure, width: Double = 760) -> String {
        let width = max(360, width)
        var body = SVGChart.text(figure.title, x: width / 2, y: 20, size: 15, anchor: "middle", weight: "bold", className: "figure-title")
        var y = M.titleHeight
        if let subtitle = figure.subtitle {
            body += SVGChart.text(subtitle, x: width / 2, y: y + 4, size: 12, anchor: "middle", className: "figure-subtitle", fill: "#555555")
            y += 16
        }
        let drawn: (text: String, height: Double)
        switch figure.content {
        case .bars(let bars): drawn = barsDrawing(bars, top: y, width: width)
        case .curve(let curve): drawn = curveDrawing(curve, top: y, width: width)
        }
        body += drawn.text
        return SVGChart.document(
            title: figure.title, width: width, height: (y + drawn.height + 8).rounded(), body: body, standalone: true)
    }

    /// Writes `figure` to `path` (an `.svg` file) atomically; an existing file is an error unless
    /// `overwrite`.
    public static func write(_ figure: Figure, to path: String, overwrite: Bool) throws {
        guard path.lowercased().hasSuffix(".svg") else {
            throw ExportError.writeFailed(path: path, reason: "this chart is drawn as SVG: name the file NAME.svg")
        }
        try AtomicFile.write(render(figure), to: path, overwrite: overwrite)
    }

    /// Grouped bars: items down the left, values across, one row per measure.
    static func barsDrawing(_ bars: Figure.Bars, top: Double, width: Double) -> (text: String, height: Double) {
        let n = SVGChart.n
        let barHeight = 14.0
        let groupGap = 10.0
        let labelWidth = min(width * 0.4, max(60, (bars.items.map { SVGChart.textWidth($0) }.max() ?? 0) + 12))
        let left = 20 + labelWidth
        let right = width - 70
        let plotTop = top + 10
        let groupHeight = Double(bars.measures.count) * barHeight + groupGap
        let plotBottom = plotTop + max(1, Double(bars.items.count)) * groupHeight
        // The scale covers the bars and their whiskers, and 0.
        var extremes = [0.0]
        for (i, row) in bars.values.enumerated() {
            for (j, v) in row.enumerated() where v.isFinite {
                let e = bars.intervals[i][j] ?? 0
                extremes += [v - e, v + e]
            }
        }
        let scale = NiceScale(minimum: extremes.min() ?? 0, maximum: extremes.max() ?? 1, maxTicks: 10)
        let x = LinearScale(domain: (scale.lower, scale.upper), range: (left, right))
        var out = "<g class=\"bars\">\n"
        for tick in scale.ticks {
            let tx = n(x(tick))
            out += "<line x1=\"\(tx)\" y1=\"\(n(plotTop))\" x2=\"\(tx)\" y2=\"\(n(plotBottom))\" stroke=\"#dddddd\" stroke-width=\"1\"/>\n"
            out += SVGChart.text(scale.label(tick), x: x(tick), y: plotBottom + 15, size: 11, anchor: "middle", className: "tick-label")
        }
        out += SVGChart.text(
            bars.axisTitle, x: (left + right) / 2, y: plotBottom + 32, size: 12, anchor: "middle", className: "axis-title")
        let zero = x(0)
        for (i, item) in bars.items.enumerated() {
            let groupTop = plotTop + Double(i) * groupHeight + groupGap / 2
            out += SVGChart.text(
                item, x: left - 8, y: groupTop + Double(bars.measures.count) * barHeight / 2 + 4, size: 12, anchor: "end",
                className: "item-label")
            for (j, measure) in bars.measures.enumerated() {
                let value = bars.values[i][j]
                let colour = ChartPalette.categorical[j % ChartPalette.categorical.count]
                let barTop = groupTop + Double(j) * barHeight
                let v = value.isFinite ? value : 0
                let x0 = min(zero, x(v))
                out += "<rect class=\"bar\" data-item=\"\(TextEscaping.xml(item))\" data-measure=\"\(TextEscaping.xml(measure))\""
                out += " data-value=\"\(NumberText.readable(value))\" x=\"\(n(x0))\" y=\"\(n(barTop + 1))\" width=\"\(n(abs(x(v) - zero)))\""
                out += " height=\"\(n(barHeight - 2))\" fill=\"\(colour)\" fill-opacity=\"\(j == 0 ? "0.85" : "0.5")\" stroke=\"\(colour)\"/>\n"
                var end = x(v)
                if let e = bars.intervals[i][j], e.isFinite, e > 0 {
                    let (lo, hi) = (x(v - e), x(v + e))
                    let mid = n(barTop + barHeight / 2)
                    out += "<g class=\"whisker\" data-low=\"\(NumberText.readable(v - e))\" data-high=\"\(NumberText.readable(v + e))\" stroke=\"#222222\" stroke-width=\"1.2\">"
                    out += "<line x1=\"\(n(lo))\" y1=\"\(mid)\" x2=\"\(n(hi))\" y2=\"\(mid)\"/>"
                    out += "<line x1=\"\(n(lo))\" y1=\"\(n(barTop + 3))\" x2=\"\(n(lo))\" y2=\"\(n(barTop + barHeight - 3))\"/>"
                    out += "<line x1=\"\(n(hi))\" y1=\"\(n(barTop + 3))\" x2=\"\(n(hi))\" y2=\"\(n(barTop + barHeight - 3))\"/></g>\n"
                    end = max(end, hi)
                }
                out += SVGChart.text(
                    NumberText.readable(value), x: max(end, zero) + 4, y: barTop + barHeight - 3, size: 10, className: "bar-value")
            }
        }
        out += "<line x1=\"\(n(zero))\" y1=\"\(n(plotTop))\" x2=\"\(n(zero))\" y2=\"\(n(plotBottom))\" stroke=\"#444444\" stroke-width=\"1\"/>\n"
        // Legend: a swatch and the measure in words, flowed from the left edge, wrapped at the width.
        var lx = 20.0
        var ly = plotBottom + 50
        func advance(_ label: String) {
            let entry = 24 + SVGChart.textWidth(label, size: 12) + 16
            if lx + entry > width - 10, lx > 20 {
                lx = 20
                ly += M.legendRow
            }
        }
        for (j, measure) in bars.measures.enumerated() {
            advance(measure)
            let colour = ChartPalette.categorical[j % ChartPalette.categorical.count]
            out += "<rect x=\"\(n(lx))\" y=\"\(n(ly - 9))\" width=\"18\" height=\"10\" fill=\"\(colour)\" fill-opacity=\"\(j == 0 ? "0.85" : "0.5")\" stroke=\"\(colour)\"/>\n"
            out += SVGChart.text(measure, x: lx + 24, y: ly, size: 11, className: "legend-label")
            lx += 24 + SVGChart.textWidth(measure, size: 12) + 16
        }
        if bars.intervals.contains(where: { $0.contains { $0 != nil } }) {
            advance("interval (whisker)")
            out += "<line x1=\"\(n(lx))\" y1=\"\(n(ly - 4))\" x2=\"\(n(lx + 18))\" y2=\"\(n(ly - 4))\" stroke=\"#222222\" stroke-width=\"1.2\"/>\n"
            out += SVGChart.text("interval (whisker)", x: lx + 24, y: ly, size: 11, className: "legend-label")
        }
        return (out + "</g>\n", ly - top + 8)
    }

    /// A curve with its points marked and the figure's marks over it.
    static func curveDrawing(_ curve: Figure.Curve, top: Double, width: Double) -> (text: String, height: Double) {
        let n = SVGChart.n
        let left = M.left
        let right = width - M.right - 10
        let plotTop = top + 12
        let plotBottom = plotTop + 300
        let xScale = curve.percent ? NiceScale(minimum: 0, maximum: 1, maxTicks: 6) : NiceScale(data: curve.xs)
        let lowY = curve.ys.filter(\.isFinite).min() ?? 0
        let yScale = curve.percent ? NiceScale(minimum: max(0, lowY - 0.02), maximum: 1, maxTicks: 6) : NiceScale(data: curve.ys)
        let x = LinearScale(domain: (xScale.lower, xScale.upper), range: (left, right))
        let y = LinearScale(domain: (yScale.lower, yScale.upper), range: (plotBottom, plotTop))
        func label(_ scale: NiceScale, _ v: Double) -> String {
            curve.percent ? NumberText.readable((v * 100 * 1e6).rounded() / 1e6) + " %" : scale.label(v)
        }
        var out = "<g class=\"curve-figure\">\n"
        for tick in yScale.ticks {
            let ty = n(y(tick))
            out += "<line x1=\"\(n(left))\" y1=\"\(ty)\" x2=\"\(n(right))\" y2=\"\(ty)\" stroke=\"#dddddd\" stroke-width=\"1\"/>\n"
            out += SVGChart.text(label(yScale, tick), x: left - 6, y: y(tick) + 4, size: 11, anchor: "end", className: "tick-label")
        }
        for tick in xScale.ticks {
            let tx = n(x(tick))
            out += "<line x1=\"\(tx)\" y1=\"\(n(plotTop))\" x2=\"\(tx)\" y2=\"\(n(plotBottom))\" stroke=\"#eeeeee\" stroke-width=\"1\"/>\n"
            out += SVGChart.text(label(xScale, tick), x: x(tick), y: plotBottom + 17, size: 11, anchor: "middle", className: "tick-label")
        }
        out += "<line x1=\"\(n(left))\" y1=\"\(n(plotTop))\" x2=\"\(n(left))\" y2=\"\(n(plotBottom))\" stroke=\"#444444\" stroke-width=\"1\"/>\n"
        out += "<line x1=\"\(n(left))\" y1=\"\(n(plotBottom))\" x2=\"\(n(right))\" y2=\"\(n(plotBottom))\" stroke=\"#444444\" stroke-width=\"1\"/>\n"
        out += SVGChart.text(curve.yTitle, x: 16, y: (plotTop + plotBottom) / 2, size: 12, anchor: "middle", className: "axis-title", rotate: true)
        out += SVGChart.text(curve.xTitle, x: (left + right) / 2, y: plotBottom + 33, size: 12, anchor: "middle", className: "axis-title")
        let colour = ChartPalette.categorical[0]
        let points = zip(curve.xs, curve.ys).filter { $0.0.isFinite && $0.1.isFinite }
        out += "<polyline class=\"curve\" fill=\"none\" stroke=\"\(colour)\" stroke-width=\"1.5\" points=\""
            + points.map { "\(n(x($0.0))),\(n(y($0.1)))" }.joined(separator: " ") + "\"/>\n"
        for (px, py) in points {
            out += "<circle class=\"point\" data-x=\"\(NumberText.readable(px))\" data-y=\"\(NumberText.readable(py))\" cx=\"\(n(x(px)))\" cy=\"\(n(y(py)))\" r=\"2.5\" fill=\"\(colour)\"/>\n"
        }
        for (k, mark) in curve.marks.enumerated() {
            let markColour = ChartPalette.categorical[1 + k % (ChartPalette.categorical.count - 1)]
            let (cx, cy) = (x(mark.x), y(mark.y))
            let data = "data-x=\"\(NumberText.readable(mark.x))\" data-y=\"\(NumberText.readable(mark.y))\""
            if mark.diamond {
                out += "<path class=\"mark\" \(data) d=\"M\(n(cx)),\(n(cy - 7)) L\(n(cx + 7)),\(n(cy)) L\(n(cx)),\(n(cy + 7)) L\(n(cx - 7)),\(n(cy)) Z\" fill=\"\(markColour)\" stroke=\"#222222\"/>\n"
            } else {
                out += "<rect class=\"mark\" \(data) x=\"\(n(cx - 5))\" y=\"\(n(cy - 5))\" width=\"10\" height=\"10\" fill=\"\(markColour)\" stroke=\"#222222\"/>\n"
            }
            // Labels go to the left of the point (the curve ends at the right), one line apart.
            let labelY = cy + 4 + Double(k) * 16
            out += SVGChart.text(
                mark.label, x: cx - 12, y: min(plotBottom - 4, max(plotTop + 10, labelY)), size: 11, anchor: "end",
                className: "mark-label", halo: true)
        }
        // Legend.
        let ly = plotBottom + 52
        out += "<circle cx=\"\(n(left + 9))\" cy=\"\(n(ly - 4))\" r=\"2.5\" fill=\"\(colour)\"/>"
        out += "<line x1=\"\(n(left))\" y1=\"\(n(ly - 4))\" x2=\"\(n(left + 18))\" y2=\"\(n(ly - 4))\" stroke=\"\(colour)\" stroke-width=\"1.5\"/>\n"
        out += SVGChart.text(curve.pointsLabel, x: left + 24, y: ly, size: 11, className: "legend-label")
        return (out + "</g>\n", plotBottom - top + 60)
    }
}
