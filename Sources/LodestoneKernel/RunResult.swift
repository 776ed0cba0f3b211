/// A value a run metric takes.
public enum MetricValue: Sendable, Equatable, CustomStringConvertible {
    /// A quantity.
    case number(Double)
    /// A calendar month.
    case month(Month)
    /// The event never happened (`exhausted_at` when the stock never ran out).
    case none

    /// The value as printed: a number, `YYYY-MM`, or `none`.
    public var description: String {
        switch self {
        case .number(let x): ParameterSet.format(x)
        case .month(let m): m.description
        case .none: "none"
        }
    }
}

/// A problem looking up a signal or metric in a result, with a suggestion.
public struct LookupError: Error, Sendable, Equatable, CustomStringConvertible {
    /// The message.
    public let message: String
    /// Creates an error.
    public init(_ message: String) { self.message = message }
    /// The message, with a suggestion where one exists.
    public var description: String { message }
}

/// The outcome of one run: a series per signal (one value per month) and the run's metrics,
/// with everything needed to explain it (scenario, parameters, dataset citations).
public struct RunResult: Sendable {
    /// What every run of one plan shares — its scenario, dataset, modules, signals and metrics —
    /// in one object: a result holds one reference to it instead of about twenty (each retained
    /// when a run's result is made and released when it is freed).
    final class Context: Sendable {
        let scenario: Scenario
        let datasetName: String
        let sources: [Citation]
        let modules: [String]
        let signals: [SignalInfo]
        let metrics: [MetricInfo]
        let dataset: Dataset?

        init(
            scenario: Scenario, datasetName: String, sources: [Citation], modules: [String], signals: [SignalInfo],
            metrics: [MetricInfo], dataset: Dataset?
        ) {
            self.scenario = scenario
            self.datasetName = datasetName
            self.sources = sources
            self.modules = modules
            self.signals = signals
            self.metrics = metrics
            self.dataset = dataset
        }

        /// The result context of `composition`'s runs.
        convenience init(_ composition: Composition) {
            self.init(
                scenario: composition.scenario, datasetName: composition.dataset.name,
                sources: composition.dataset.sources, modules: composition.models.map(\.name), signals: composition.signals,
                metrics: composition.metrics, dataset: composition.dataset)
        }

        /// The same context with another dataset.
        func with(dataset: Dataset?) -> Context {
            Context(
                scenario: scenario, datasetName: datasetName, sources: sources, modules: modules, signals: signals,
                metrics: metrics, dataset: dataset)
        }
    }

    private var context: Context

    /// The scenario run.
    public var scenario: Scenario { context.scenario }
    /// The dataset's name.
    public var datasetName: String { context.datasetName }
    /// The dataset's citations.
    public var sources: [Citation] { context.sources }
    /// The parameter values at the start of the run.
    public let parameters: ParameterSet
    /// The first month.
    public let start: Month
    /// Number of months.
    public let months: Int
    /// The seed.
    public let seed: UInt64
    /// The module names in step order.
    public var modules: [String] { context.modules }
    /// Every signal, in column order of ``values``.
    public var signals: [SignalInfo] { context.signals }
    /// Every metric, in order of ``metricValues``.
    public var metrics: [MetricInfo] { context.metrics }
    /// Series values, row per month: `values[t * signals.count + j]`.
    public let values: [Double]
    /// Metric values (NaN for none; months as indices from ``start``).
    public let metricValues: [Double]
    /// The dataset the run used (set by ``Runner``; nil for results built by hand), so that
    /// exports can record its content hash.
    public var dataset: Dataset? {
        get { context.dataset }
        set { context = context.with(dataset: newValue) }
    }

    /// Creates a result (used by ``Runner``; exporters' tests build their own).
    public init(
        scenario: Scenario, datasetName: String, sources: [Citation], parameters: ParameterSet, start: Month,
        months: Int, seed: UInt64, modules: [String], signals: [SignalInfo], metrics: [MetricInfo], values: [Double],
        metricValues: [Double]
    ) {
        self.init(
            context: Context(
                scenario: scenario, datasetName: datasetName, sources: sources, modules: modules, signals: signals,
                metrics: metrics, dataset: nil),
            parameters: parameters, start: start, months: months, seed: seed, values: values,
            metricValues: metricValues)
    }

    /// A result sharing `context` (a plan's, for each of its runs).
    init(
        context: Context, parameters: ParameterSet, start: Month, months: Int, seed: UInt64, values: [Double],
        metricValues: [Double]
    ) {
        self.context = context
        self.parameters = parameters
        self.start = start
        self.months = months
        self.seed = seed
        self.values = values
        self.metricValues = metricValues
    }

    /// The column of a signal id (quotes and spaces inside brackets ignored).
    public func column(of id: String) throws(LookupError) -> Int {
        let wanted = SignalLookup.normalize(id)
        if let j = signals.firstIndex(where: { $0.id == wanted }) { return j }
        throw LookupError(
            "unknown signal `\(id)`" + Suggestions.hint(for: wanted, among: signals.map(\.id))
                + Self.familyHint(wanted, signals.map(\.name)))
    }

    /// The series of a signal: one value per month, entry 0 being the start month.
    public func series(_ id: String) throws(LookupError) -> [Double] {
        let j = try column(of: id)
        let n = signals.count
        return (0..<months).map { values[$0 * n + j] }
    }

    /// The value of a metric.
    public func metric(_ id: String) throws(LookupError) -> MetricValue {
        let wanted = SignalLookup.normalize(id)
        guard let metric = metrics.first(where: { $0.id == wanted }) else {
            throw LookupError(
                "unknown metric `\(id)`" + Suggestions.hint(for: wanted, among: metrics.map(\.id))
                    + Self.familyHint(wanted, metrics.map(\.name)))
        }
        return Self.metricValue(metricValues[metric.index], kind: metric.kind, start: start)
    }

    /// Turns a stored metric value into a ``MetricValue``.
    public static func metricValue(_ raw: Double, kind: MetricKind, start: Month) -> MetricValue {
        if raw.isNaN { return .none }
        switch kind {
        // An infinite or absurdly large month index (a model bug) reads as none rather than
        // trapping in `Int(_:)`.
        case .month: return abs(raw) < 1e9 ? .month(start + Int(raw)) : .none
        case .quantity: return .number(raw)
        }
    }

    /// The last month of the run.
    public var end: Month { start + (months - 1) }

    /// The same run with only the signals at `columns` (in that order) and every metric: what a
    /// sweep keeps of each point's run, so that its memory does not grow with every signal.
    public func keeping(columns: [Int]) -> RunResult {
        let n = signals.count
        var kept = [Double]()
        kept.reserveCapacity(months * columns.count)
        for t in 0..<months {
            for j in columns { kept.append(values[t * n + j]) }
        }
        return RunResult(
            scenario: scenario, datasetName: datasetName, sources: sources, parameters: parameters, start: start,
            months: months, seed: seed, modules: modules, signals: columns.map { signals[$0] }, metrics: metrics,
            values: kept, metricValues: metricValues)
    }

    /// One warning per bound metric above 0 (``MetricDeclaration/bound``), such as `DyTb: price
    /// at its cap (max_price_multiple) for 14 months: the result is the cap, not the market
    /// (trade.months_at_price_cap[DyTb])`. Empty when no output sat at a bound.
    public var boundWarnings: [String] { Self.boundWarnings(metrics: metrics) { metricValues[$0] } }

    /// The warnings for bound metrics whose value (read by index) is above 0.
    public static func boundWarnings(metrics: [MetricInfo], value: (Int) -> Double) -> [String] {
        metrics.compactMap { metric in
            guard let bound = metric.bound else { return nil }
            let months = value(metric.index)
            guard months > 0 else { return nil }
            let n = Int(months.rounded())
            return metric.boundWarning(bound, span: "for \(n) month\(n == 1 ? "" : "s")")
        }
    }

    static func familyHint(_ wanted: String, _ names: [String]) -> String {
        let family = String(wanted.prefix { $0 != "[" })
        // Only when no key was written: a wrong key is answered by the suggestion.
        guard family == wanted, names.contains(family) else { return "" }
        return " (`\(family)` needs a key, e.g. `\(family)[…]`)"
    }
}

/// Runs compositions: one run with full series, or the building blocks ensembles use.
public enum Runner {
    /// Runs `plan` once with `parameters` and `seed`, recording every signal every month.
    public static func run(
        _ plan: RunPlan, parameters: ParameterSet, seed: UInt64, stream: UInt64 = 0,
        isCancelled: CancellationCheck? = nil
    ) throws -> RunResult {
        let simulation = try Simulation(plan: plan, parameters: parameters, seed: seed, stream: stream)
        let width = plan.composition.signals.count
        // Every month's row is written whole by `copySignals`, so the series are not zeroed first
        // (a run's series are months × signals values: zeroing them cost as much as a module).
        let values = try [Double](unsafeUninitializedCapacity: plan.months * width) { buffer, initialized in
            for t in 0..<plan.months {
                if let isCancelled, isCancelled() { throw CancellationError() }
                try simulation.step()
                simulation.copySignals(into: UnsafeMutableBufferPointer(rebasing: buffer[(t * width)..<((t + 1) * width)]))
                initialized = (t + 1) * width
            }
        }
        let metricValues = simulation.finishMetrics()
        try Self.checkFinite(metricValues, plan.composition.metrics)
        // What every run of the plan shares is the plan's, made once (``RunResult/Context``).
        return RunResult(
            context: plan.resultContext, parameters: parameters, start: plan.start, months: plan.months, seed: seed,
            values: values, metricValues: metricValues)
    }

    /// Throws ``NonFiniteError`` for a metric that is ±∞ (NaN means "none" for a metric).
    static func checkFinite(_ values: UnsafeBufferPointer<Double>, _ metrics: [MetricInfo]) throws {
        // A pass without a branch per value first (it vectorises); the values are looked at one by
        // one only when one is ±∞.
        var infinite = 0
        for value in values { infinite &+= value.magnitude == .infinity ? 1 : 0 }
        guard infinite != 0 else { return }
        for (j, value) in values.enumerated() where value.isInfinite {
            throw NonFiniteError(signal: j < metrics.count ? metrics[j].id : "metric \(j)", month: nil, value: value)
        }
    }

    /// Throws ``NonFiniteError`` for a metric that is ±∞ (NaN means "none" for a metric).
    static func checkFinite(_ values: [Double], _ metrics: [MetricInfo]) throws {
        try values.withUnsafeBufferPointer { try checkFinite($0, metrics) }
    }

    /// Composes `models` on `dataset` and `scenario` and runs them once: the one-call path.
    public static func run(
        models: [any Model], dataset: Dataset, scenario: Scenario, parameters: ParameterSet? = nil,
        start: Month, months: Int, seed: UInt64
    ) throws -> RunResult {
        let parameters = parameters ?? ParameterSet(models: models, dataset: dataset)
        let composition = try Composition(models: models, dataset: dataset, scenario: scenario, parameters: parameters)
        return try run(RunPlan(composition: composition, start: start, months: months), parameters: parameters, seed: seed)
    }
}
