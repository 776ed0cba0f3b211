import LodestoneKernel

/// The scenario's events on one panel: a dashed vertical line at each event's first month, a
/// shaded span over the months an event lasts with a second line where it ends, and labels for
/// both placed by ``LabelPlacement`` where no line crosses them.
struct SVGEvents {
    /// Label font size and the box drawn around a label's text for placement.
    static let labelSize = 10.0
    /// From a label box's top to the text's baseline.
    static let ascent = 9.0
    /// A label box's height.
    static let boxHeight = 12.0

    let panel: SVGPanel
    let frame: SVGPanel.Frame

    private var chart: LineChart { panel.chart }

    /// A marker: where, what it says, and the events it stands for.
    private struct Marker {
        let x: Double
        let label: String
        let detail: String
        let isEnd: Bool
    }

    /// The month index of `month` on the chart.
    private func index(_ month: Month) -> Int { month - chart.start }

    /// The x range of each event that lasts, clipped to the chart (nil when it is outside).
    private func span(_ event: ChartEvent) -> (left: Double, right: Double, end: Int?)? {
        let t0 = index(event.month)
        let t1: Int?
        switch event.extent {
        case .instant: return nil
        case .onward: t1 = nil
        case .until(let end): t1 = index(end)
        }
        if let t1, t1 <= max(0, t0) { return nil }
        guard t0 < chart.months else { return nil }
        let left = frame.x(max(0, t0))
        let right = t1.map { $0 < chart.months ? frame.x($0) : panel.plotRight } ?? panel.plotRight
        return (left, right, t1.flatMap { $0 < chart.months ? $0 : nil })
    }

    /// The label at the end of a span: `end: restrict CN>JP DyTb 100%`, or for several events
    /// ending in the same month `end: restrict CN>JP DyTb 100% and 1 more`.
    static func endLabel(_ events: [ChartEvent]) -> String {
        let more = events.count - 1
        return "end: " + (events.first?.label ?? "") + (more > 0 ? " and \(more) more" : "")
    }

    /// The shaded spans, drawn under the data.
    func spans() -> String {
        var out = ""
        for event in chart.events {
            guard let span = span(event) else { continue }
            var attributes = "class=\"event-span\" data-start=\"\(event.month)\""
            if case .until(let end) = event.extent { attributes += " data-end=\"\(end)\"" }
            out += "<rect \(attributes) x=\"\(SVGChart.n(span.left))\" y=\"\(SVGChart.n(panel.plotTop))\""
            out += " width=\"\(SVGChart.n(span.right - span.left))\" height=\"\(SVGChart.n(panel.plotBottom - panel.plotTop))\""
            out += " fill=\"#8c8c8c\" fill-opacity=\"0.13\"><title>\(TextEscaping.xml(event.detail.isEmpty ? event.label : event.detail))</title></rect>\n"
        }
        return out
    }

    /// The start and end markers with their labels, placed clear of `segments` (the panel's lines).
    func markers(avoiding segments: [(LabelPlacement.Point, LabelPlacement.Point)]) -> String {
        var starts: [(t: Int, events: [ChartEvent])] = []
        var ends: [(t: Int, events: [ChartEvent])] = []
        for event in chart.events {
            let t = index(event.month)
            if t >= 0, t < chart.months {
                if let k = starts.firstIndex(where: { $0.t == t }) { starts[k].events.append(event) } else { starts.append((t, [event])) }
            }
            if let end = span(event)?.end {
                if let k = ends.firstIndex(where: { $0.t == end }) { ends[k].events.append(event) } else { ends.append((end, [event])) }
            }
        }
        func detail(_ events: [ChartEvent]) -> String {
            events.map { $0.detail.isEmpty ? $0.label : $0.detail }.joined(separator: "\n")
        }
        let markers =
            starts.sorted { $0.t < $1.t }.map { group in
                Marker(x: frame.x(group.t), label: group.events.map(\.label).joined(separator: "; "), detail: detail(group.events), isEnd: false)
            }
            + ends.sorted { $0.t < $1.t }.map { group in
                Marker(
                    x: frame.x(group.t), label: Self.endLabel(group.events), detail: detail(group.events), isEnd: true)
            }

        // Every marker line is an obstacle too, so that no label sits across another event's line.
        let plot = LabelPlacement.Box(left: panel.plotLeft, top: panel.plotTop, right: panel.plotRight, bottom: panel.plotBottom)
        let lines = markers.map { (LabelPlacement.Point(x: $0.x, y: panel.plotTop), LabelPlacement.Point(x: $0.x, y: panel.plotBottom)) }
        let placement = LabelPlacement(plot: plot, segments: segments, markers: lines)
        let boxes = placement.place(
            markers.map { .init(anchor: $0.x, width: SVGChart.textWidth($0.label, size: Self.labelSize), height: Self.boxHeight) })

        var out = ""
        for (marker, box) in zip(markers, boxes) {
            out += "<g class=\"\(marker.isEnd ? "event-end" : "event")\">\n<title>\(TextEscaping.xml(marker.detail))</title>\n"
            out += "<line x1=\"\(SVGChart.n(marker.x))\" y1=\"\(SVGChart.n(panel.plotTop))\" x2=\"\(SVGChart.n(marker.x))\" y2=\"\(SVGChart.n(panel.plotBottom))\""
            out += " stroke=\"#555555\" stroke-width=\"1\" stroke-dasharray=\"\(marker.isEnd ? "1 3" : "3 3")\"/>\n"
            out += SVGChart.text(
                marker.label, x: box.left, y: box.top + Self.ascent, size: Self.labelSize, anchor: "start",
                className: marker.isEnd ? "event-end-label" : "event-label", fill: "#333333", halo: true)
            out += "</g>\n"
        }
        return out
    }
}
