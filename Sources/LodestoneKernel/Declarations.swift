/// A signal a module writes every month, with one value per key.
public struct OutputDeclaration: Sendable, Equatable {
    /// The signal's name: local (`shortfall`, published as `MODULE.shortfall`) or qualified
    /// (`diplomacy.restriction`) to stand in for another module's signal.
    public var name: String
    /// The keys (`JP/DyTb`, `CN>JP/DyTb`); empty for a scalar signal (one value, key "").
    public var keys: [String]
    /// The unit.
    public var unit: UnitSymbol
    /// What the signal means.
    public var doc: String
    /// Whether the signal tells the module's story at a glance (a price, a shortfall, days of
    /// cover): charts and ensembles without a signal list show headline signals first.
    public var isHeadline: Bool
    /// A short name in words for chart titles and axes (`Days of cover`, `Price`); empty: charts
    /// derive one from the name (``SignalInfo/words``).
    public var title: String

    /// Creates an output declaration; `headline: true` marks one of the module's key signals,
    /// `title` names it in words on charts.
    public init(_ name: String, keys: [String], unit: UnitSymbol, doc: String, headline: Bool = false, title: String = "") {
        self.name = name
        self.keys = keys
        self.unit = unit
        self.doc = doc
        self.isHeadline = headline
        self.title = title
    }
}

/// When an input is read relative to its producer's step.
public enum InputTiming: Sendable, Equatable {
    /// This month's value: the producer must step first.
    case current
    /// Last month's value (0, or the producer's initial value, in the first month): breaks cycles.
    case delayed
}

/// A signal a module reads, wired by name to the output of the same name.
public struct InputDeclaration: Sendable, Equatable {
    /// The qualified signal name (`stockpile.purchases`, `scenario.restriction`).
    public var signal: String
    /// The keys read, in the order the module indexes them.
    public var keys: [String]
    /// The unit expected; it must equal the producer's.
    public var unit: UnitSymbol
    /// Current or delayed.
    public var timing: InputTiming
    /// `nil` for a required input; otherwise the value read for keys that nothing produces.
    public var fallback: Double?
    /// What the module uses it for.
    public var doc: String
    /// Whether any number of modules may produce the signal: the kernel sums their values key by
    /// key (a key nobody produces reads the fallback). An open input of the market
    /// (`market.extra_supply`) is summed; see Docs/Architecture.md, "Summed inputs".
    public var isSummed: Bool

    /// Creates an input declaration; pass `fallback` to make it optional. `summed: true` lets
    /// several modules produce the signal and reads their sum (fallback 0 unless given).
    public init(
        _ signal: String, keys: [String], unit: UnitSymbol, timing: InputTiming = .current,
        fallback: Double? = nil, summed: Bool = false, doc: String = ""
    ) {
        self.signal = signal
        self.keys = keys
        self.unit = unit
        self.timing = timing
        self.fallback = summed ? (fallback ?? 0) : fallback
        self.isSummed = summed
        self.doc = doc
    }
}

/// The kind of value a run metric holds.
public enum MetricKind: Sendable, Equatable {
    /// A quantity in a unit.
    case quantity(UnitSymbol)
    /// A month of the run (stored as a month index from the run's start), or none.
    case month
}

/// A scalar a module reports once per run (`exhausted_at`, `unmet_total`), one per key.
public struct MetricDeclaration: Sendable, Equatable {
    /// The local name (published as `MODULE.name[key]`).
    public var name: String
    /// The keys; empty for one unkeyed value.
    public var keys: [String]
    /// Quantity or month.
    public var kind: MetricKind
    /// What it means.
    public var doc: String
    /// For a count of months at a bound or cap (`months_at_price_cap`): what sits at the bound,
    /// in words, and after a `|` what that means (`price at its cap (max_price_multiple)|the
    /// result is the cap, not the market`). Run summaries, `describe(r)` and
    /// reports warn when such a metric is above 0: a result at a cap is not a result. nil for
    /// ordinary metrics.
    public var bound: String?
    /// Creates a metric declaration; pass `bound` for a count of months at a bound or cap.
    public init(_ name: String, keys: [String], kind: MetricKind, doc: String, bound: String? = nil) {
        self.name = name
        self.keys = keys
        self.kind = kind
        self.doc = doc
        self.bound = bound
    }
}

/// A tunable parameter of a module: name, unit, valid range, default(s) and documentation.
///
/// A parameter is a scalar (no keys) or keyed like signals (`JP/DyTb`, `DyTb`). Setting a keyed
/// parameter with a partial key (`cover_days["JP"]`) sets every key that contains all of its
/// `/`-separated parts.
public struct ParameterDeclaration: Sendable, Equatable {
    /// The name (`ramp_months`).
    public var name: String
    /// The unit.
    public var unit: UnitSymbol
    /// The valid range; bounds may be infinite.
    public var range: ClosedRange<Double>
    /// The keys, empty for a scalar.
    public var keys: [String]
    /// The default value for each key (one value for a scalar).
    public var defaults: [Double]
    /// What the parameter does, in a sentence or two.
    public var doc: String

    /// A scalar parameter.
    public init(_ name: String, unit: UnitSymbol, default value: Double, range: ClosedRange<Double>, doc: String) {
        self.name = name
        self.unit = unit
        self.range = range
        self.keys = []
        self.defaults = [value]
        self.doc = doc
    }

    /// A keyed parameter with a default per key. With no keys (a dataset without any) it holds
    /// one value, 0 clamped into `range`, like a scalar, so that every declaration stores ``count``
    /// values.
    public init(
        _ name: String, unit: UnitSymbol, keys: [String], defaults: [Double], range: ClosedRange<Double>,
        doc: String
    ) {
        precondition(keys.count == defaults.count, "one default per key")
        self.name = name
        self.unit = unit
        self.range = range
        self.keys = keys
        self.defaults = keys.isEmpty ? [min(max(0, range.lowerBound), range.upperBound)] : defaults
        self.doc = doc
    }

    /// Number of values stored (keys, or 1 for a scalar).
    public var count: Int { max(1, keys.count) }
}

/// Everything a module reads and writes for one dataset and scenario.
public struct ModelInterface: Sendable, Equatable {
    /// Signals read.
    public var inputs: [InputDeclaration]
    /// Signals written every month.
    public var outputs: [OutputDeclaration]
    /// Scalars reported at the end of a run.
    public var metrics: [MetricDeclaration]
    /// Creates an interface.
    public init(
        inputs: [InputDeclaration] = [], outputs: [OutputDeclaration] = [], metrics: [MetricDeclaration] = []
    ) {
        self.inputs = inputs
        self.outputs = outputs
        self.metrics = metrics
    }
}
