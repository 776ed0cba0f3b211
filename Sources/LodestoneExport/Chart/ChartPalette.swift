/// The colours and dash patterns of a chart's lines, chosen once for the whole chart so that
/// every panel agrees.
///
/// The rule:
/// 1. A line's colour stands for its *group*: the run or sweep point it belongs to
///    (``ChartSeries/group``), or the line itself when it has none (one run's signals, or an
///    ensemble's band signals). Groups are numbered in order of first appearance over the whole
///    chart, so run `b` is drawn in the same colour in every panel.
/// 2. Up to ``categoricalLimit`` (eight) groups get categorical colours (Okabe–Ito, readable by
///    colour-blind readers) with a dash pattern each, so they stay apart in black and white.
/// 3. Beyond eight, colours can no longer be told apart: group `k` of `n` takes the colour at
///    `k / (n − 1)` on a sequential scale (viridis, dark to light), lines are solid, and the chart
///    draws a colour bar from the first group to the last.
/// 4. When a group has several lines (one run, several signals), the dash pattern tells its
///    signals apart instead: signal `s` (numbered over the whole chart) gets dash pattern `s`.
struct ChartPalette {
    /// The most groups drawn with categorical colours.
    static let categoricalLimit = 8

    /// Okabe & Ito (2008) colours, black replaced by a dark grey for the eighth.
    static let categorical = ["#0072B2", "#D55E00", "#009E73", "#CC79A7", "#E69F00", "#56B4E9", "#000000", "#888888"]
    /// Dash patterns, one per categorical colour ("" is solid).
    static let dashes = ["", "8 4", "2 3", "10 3 2 3", "4 4", "12 3 2 3 2 3", "1 5", "6 2 1 2 1 2"]
    /// Viridis at nine evenly spaced points from 0 to 1 (van der Walt & Smith, matplotlib).
    static let viridis: [(r: Double, g: Double, b: Double)] = [
        (68, 1, 84), (71, 44, 122), (59, 81, 139), (44, 113, 142), (33, 144, 141),
        (39, 173, 129), (92, 200, 99), (170, 220, 50), (253, 231, 37),
    ]

    /// The groups in order of first appearance (series, then bands).
    let groups: [String]
    /// The distinct signals in order of first appearance.
    let signals: [String]
    /// Whether some group has more than one line (dashes then mark the signal).
    let dashBySignal: Bool

    /// The palette of `chart`.
    init(_ chart: LineChart) {
        var groups: [String] = []
        var signals: [String] = []
        var lines: [String: Int] = [:]
        for key in chart.series.map(Self.group) + chart.bands.map(\.label) {
            if !groups.contains(key) { groups.append(key) }
            lines[key, default: 0] += 1
        }
        for signal in chart.series.map({ $0.signal ?? $0.label }) + chart.bands.map(\.label) where !signals.contains(signal) {
            signals.append(signal)
        }
        self.groups = groups
        self.signals = signals
        dashBySignal = lines.values.contains { $0 > 1 }
    }

    /// The colour key of a series: its group, or its label.
    static func group(_ series: ChartSeries) -> String { series.group ?? series.label }

    /// Whether the chart has more groups than categorical colours (a sequential scale and a
    /// colour bar).
    var isSequential: Bool { groups.count > Self.categoricalLimit }

    /// The style of a series.
    func style(_ series: ChartSeries) -> LineStyle {
        style(group: Self.group(series), signal: series.signal ?? series.label)
    }

    /// The style of a band set (its median line and shading).
    func style(_ band: QuantileBand) -> LineStyle { style(group: band.label, signal: band.label) }

    private func style(group: String, signal: String) -> LineStyle {
        let g = groups.firstIndex(of: group) ?? 0
        let s = signals.firstIndex(of: signal) ?? 0
        let colour = isSequential ? Self.sequential(Double(g) / Double(max(1, groups.count - 1))) : Self.categorical[g]
        let dash: String
        if dashBySignal {
            dash = Self.dashes[s % Self.dashes.count]
        } else {
            dash = isSequential ? "" : Self.dashes[g]
        }
        return LineStyle(color: colour, dash: dash, ansi: LineStyle.at(g).ansi)
    }

    /// The colour at `fraction` (0…1) of the sequential scale, interpolated between viridis's
    /// points, as `#rrggbb`.
    static func sequential(_ fraction: Double) -> String {
        let f = min(1, max(0, fraction.isFinite ? fraction : 0)) * Double(viridis.count - 1)
        let i = min(viridis.count - 2, Int(f))
        let w = f - Double(i)
        let a = viridis[i], b = viridis[i + 1]
        func hex(_ x: Double, _ y: Double) -> String {
            let v = Int((x + (y - x) * w).rounded())
            let digits = Array("0123456789abcdef")
            return String([digits[v / 16], digits[v % 16]])
        }
        return "#" + hex(a.r, b.r) + hex(a.g, b.g) + hex(a.b, b.b)
    }
}
