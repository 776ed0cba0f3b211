import LodestoneKernel

/// A line chart for the terminal: one or more series of monthly values in one unit.
///
/// `plot` builds one chart per unit and passes it to ``Session/Options/chartRenderer`` (the
/// executable installs LodestoneExport's `TerminalChart`), or draws plain sparklines without one.
public struct Chart {
    /// The title (the scenario's name, or the plotted expression).
    public var title: String
    /// The month of the first value.
    public var start: Month
    /// The lines: a label and one value per month (NaN for a gap).
    public var series: [(label: String, values: [Double])]
    /// The unit of every series (`t/month`), or nil.
    public var unit: String?
    /// The signals drawn, in words (their declared titles, `Days of cover`), distinct and in
    /// order; empty when the lines are not signals (a list of numbers).
    public var names: [String]

    /// Creates a chart.
    public init(
        title: String, start: Month, series: [(label: String, values: [Double])], unit: String?, names: [String] = []
    ) {
        self.title = title
        self.start = start
        self.series = series
        self.unit = unit
        self.names = names
    }

    /// The panel's title, as on the SVG charts: the signals in words with the unit
    /// (`Days of cover (days)`); "" when ``names`` is empty.
    public var heading: String { names.isEmpty ? "" : ChartWords.panelTitle(names, unit: unit ?? "") }

    /// The chart's title and panel title, one line each (either left out when empty): what a
    /// renderer prints above the drawing.
    public var titleLines: String {
        [title, heading].filter { !$0.isEmpty }.map { $0 + "\n" }.joined()
    }

    /// One chart per unit, in the order the units first appear, each with its series in order:
    /// the way `plot` splits lines that cannot share an axis. `words` is a line's signal in words.
    static func byUnit(
        _ lines: [(unit: String, label: String, words: String, values: [Double])], title: String, start: Month
    ) -> [Chart] {
        var units: [String] = []
        for line in lines where !units.contains(line.unit) { units.append(line.unit) }
        return units.map { unit in
            let shown = lines.filter { $0.unit == unit }
            var names: [String] = []
            for line in shown where !names.contains(line.words) { names.append(line.words) }
            return Chart(title: title, start: start, series: shown.map { ($0.label, $0.values) }, unit: unit, names: names)
        }
    }

    /// A plain rendering: per series a sparkline with its first, lowest, highest and last value.
    public func plainText() -> String {
        var out = names.isEmpty ? (title.isEmpty ? "" : title + (unit.map { " (\($0))" } ?? "") + "\n") : titleLines
        for (label, values) in series {
            let finite = values.filter(\.isFinite)
            guard let low = finite.min(), let high = finite.max() else {
                out += "\(label): (no data)\n"
                continue
            }
            let line = Sparkline.render(values)
            let f = ValueFormatter.rounded
            out += "\(label)\n  \(line)\n  \(start)…\(start + max(0, values.count - 1))  first \(f(finite.first ?? 0)), min \(f(low)), max \(f(high)), last \(f(finite.last ?? 0))\n"
        }
        return out
    }

    /// The largest magnitude drawn: larger finite values are drawn at ±1e300, so that the span of
    /// a chart's axis (`max − min`) stays a finite number for every renderer.
    static let drawableMagnitude = 1e300

    /// The chart with values beyond ±``drawableMagnitude`` drawn at that bound (gaps stay gaps).
    func drawable() -> Chart {
        var chart = self
        chart.series = series.map { series in
            (series.label, series.values.map { $0.isFinite ? min(max($0, -Self.drawableMagnitude), Self.drawableMagnitude) : $0 })
        }
        return chart
    }
}
