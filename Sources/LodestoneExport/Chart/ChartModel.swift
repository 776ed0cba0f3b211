import LodestoneKernel

/// One line on a chart: a label, a unit and one value per month (NaN leaves a gap).
public struct ChartSeries: Sendable, Equatable {
    /// The legend label (usually the signal id).
    public var label: String
    /// The unit symbol; series with different units go to separate panels.
    public var unit: String
    /// One value per month from the chart's start.
    public var values: [Double]
    /// The signal id the line shows (`stockpile.level[JP/DyTb]`), when the label says something
    /// else (a run's or a sweep point's name); panels are titled with signal names.
    public var signal: String?
    /// The signal in words (`Days of cover`, its declared title): panels are titled with it and
    /// the unit. Nil: the panel names ``signal`` (or the label) in words instead.
    public var title: String?
    /// The signal in words for the panel's title: ``title``, or else the signal id (or the label)
    /// in words.
    var words: String { title ?? SVGPanel.words(signal ?? label) }
    /// What the line's colour stands for: the run or sweep point it belongs to (`a`, `slope=2`),
    /// so that one run keeps one colour in every panel (``ChartPalette``). Nil: the line itself.
    public var group: String?
    /// Creates a series.
    public init(
        label: String, unit: String, values: [Double], signal: String? = nil, title: String? = nil, group: String? = nil
    ) {
        self.label = label
        self.unit = unit
        self.values = values
        self.signal = signal
        self.title = title
        self.group = group
    }
}

/// Monthly quantiles of one signal across an ensemble (5/25/50/75/95 % in Lodestone), drawn as
/// nested shaded bands with the median as a line.
public struct QuantileBand: Sendable, Equatable {
    /// One quantile series.
    public struct Quantile: Sendable, Equatable {
        /// The probability in 0...1 (0.05 for the 5th percentile).
        public var probability: Double
        /// One value per month.
        public var values: [Double]
        /// Creates a quantile series.
        public init(probability: Double, values: [Double]) {
            self.probability = probability
            self.values = values
        }
    }
    /// The legend label (usually the signal id).
    public var label: String
    /// The unit symbol.
    public var unit: String
    /// The quantiles, any order; pairs symmetric around the median become bands.
    public var quantiles: [Quantile]
    /// The signal in words (its declared title) for the panel's title; nil: the label in words.
    public var title: String?
    /// Creates a band set.
    public init(label: String, unit: String, quantiles: [Quantile], title: String? = nil) {
        self.label = label
        self.unit = unit
        self.quantiles = quantiles
        self.title = title
    }

    /// The quantiles sorted by probability.
    var sorted: [Quantile] { quantiles.sorted { $0.probability < $1.probability } }

    /// Nested (lower, upper) pairs from the outside in: 5–95, then 25–75.
    var pairs: [(lower: Quantile, upper: Quantile)] {
        let sorted = sorted
        var pairs: [(Quantile, Quantile)] = []
        var i = 0
        var j = sorted.count - 1
        while i < j {
            if sorted[i].probability < 0.5, sorted[j].probability > 0.5 { pairs.append((sorted[i], sorted[j])) }
            i += 1
            j -= 1
        }
        return pairs
    }

    /// The median series, if the 50 % quantile is present.
    var median: Quantile? { quantiles.first { abs($0.probability - 0.5) < 1e-9 } }
}

/// A scenario event on a chart: a vertical marker at a month, or, for an event that lasts, a
/// shaded span from its first month to the month it ends.
public struct ChartEvent: Sendable, Equatable {
    /// How long an event lasts on the chart.
    public enum Extent: Sendable, Equatable {
        /// A single month (an incident, talks, a parameter set): a vertical line.
        case instant
        /// In force until the month before `end`: a span from ``month`` to `end` (the first
        /// month without it), with its end marked and labelled.
        case until(Month)
        /// In force to the end of the run: a span from ``month`` to the chart's right edge.
        case onward
    }
    /// The month of the marker (the event's first month).
    public var month: Month
    /// A short label drawn next to the line.
    public var label: String
    /// The full description (a tooltip in SVG).
    public var detail: String
    /// How long it lasts.
    public var extent: Extent
    /// Creates a marker (or a span, with `extent`).
    public init(month: Month, label: String, detail: String = "", extent: Extent = .instant) {
        self.month = month
        self.label = label
        self.detail = detail
        self.extent = extent
    }
}

/// A monthly line chart: series and quantile bands over months, with event markers. Series
/// and bands are grouped into one panel per unit.
public struct LineChart: Sendable, Equatable {
    /// The chart's title.
    public var title: String
    /// The first month (x = 0).
    public var start: Month
    /// Number of months on the x axis.
    public var months: Int
    /// The lines.
    public var series: [ChartSeries]
    /// The quantile bands (ensembles).
    public var bands: [QuantileBand]
    /// The event markers.
    public var events: [ChartEvent]
    /// Creates a chart.
    public init(
        title: String, start: Month, months: Int, series: [ChartSeries], bands: [QuantileBand] = [],
        events: [ChartEvent] = []
    ) {
        self.title = title
        self.start = start
        self.months = months
        self.series = series
        self.bands = bands
        self.events = events
    }

    /// The units in order of first appearance (one panel each).
    public var units: [String] {
        var units: [String] = []
        for unit in series.map(\.unit) + bands.map(\.unit) where !units.contains(unit) { units.append(unit) }
        return units
    }
}
