/// A chart of numbers that are not monthly series — a sensitivity analysis' indices as bars, the
/// coverage/density trade-off of scenario discovery as a curve — for a host's figure writer to
/// draw (``Registry/figureWriter``; `plot(a, "a.svg")`).
public struct Figure: Sendable, Equatable {
    /// Grouped horizontal bars: one group per item (a parameter), one bar per measure, each with an
    /// optional ± interval drawn as a whisker.
    public struct Bars: Sendable, Equatable {
        /// The measures in words, for the legend (`First-order index S1`).
        public var measures: [String]
        /// The items, one group of bars each (parameter paths).
        public var items: [String]
        /// The values, `values[item][measure]`, in the unit of ``axisTitle``.
        public var values: [[Double]]
        /// The half-widths of the intervals, `intervals[item][measure]`; nil: no whisker.
        public var intervals: [[Double?]]
        /// The value axis' title in words with its unit (`Share of the variance (dimensionless)`).
        public var axisTitle: String

        /// Creates bars.
        public init(measures: [String], items: [String], values: [[Double]], intervals: [[Double?]], axisTitle: String) {
            self.measures = measures
            self.items = items
            self.values = values
            self.intervals = intervals
            self.axisTitle = axisTitle
        }
    }

    /// A marked point of a curve (the chosen box).
    public struct Mark: Sendable, Equatable {
        /// The label drawn beside the point.
        public var label: String
        /// The point's x, in the unit of the x axis.
        public var x: Double
        /// The point's y, in the unit of the y axis.
        public var y: Double
        /// Drawn as a filled diamond (true) or a filled square.
        public var diamond: Bool

        /// Creates a mark.
        public init(label: String, x: Double, y: Double, diamond: Bool) {
            self.label = label
            self.x = x
            self.y = y
            self.diamond = diamond
        }
    }

    /// A curve of points joined in order, with marked points.
    public struct Curve: Sendable, Equatable {
        /// The points' x values.
        public var xs: [Double]
        /// The points' y values.
        public var ys: [Double]
        /// What the points are, for the legend (`Peeling boxes`).
        public var pointsLabel: String
        /// The x axis' title in words with its unit.
        public var xTitle: String
        /// The y axis' title in words with its unit.
        public var yTitle: String
        /// The marked points, drawn over the curve with their labels.
        public var marks: [Mark]
        /// Whether both axes are shares (0…1) shown as percentages.
        public var percent: Bool

        /// Creates a curve.
        public init(xs: [Double], ys: [Double], pointsLabel: String, xTitle: String, yTitle: String, marks: [Mark], percent: Bool) {
            self.xs = xs
            self.ys = ys
            self.pointsLabel = pointsLabel
            self.xTitle = xTitle
            self.yTitle = yTitle
            self.marks = marks
            self.percent = percent
        }
    }

    /// What the figure draws.
    public enum Content: Sendable, Equatable {
        /// Grouped bars with whiskers.
        case bars(Bars)
        /// A curve with marked points.
        case curve(Curve)
    }

    /// The title in words.
    public var title: String
    /// A second line under the title (the method, the sample size, the seed), or nil.
    public var subtitle: String?
    /// What is drawn.
    public var content: Content

    /// Creates a figure.
    public init(title: String, subtitle: String? = nil, content: Content) {
        self.title = title
        self.subtitle = subtitle
        self.content = content
    }
}
