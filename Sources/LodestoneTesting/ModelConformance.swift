import LodestoneKernel
import Testing

/// The conformance suite every model module should pass, built-in or plugin.
///
/// Call it from a test in your own test target:
///
/// ```swift
/// @Test func conformance() throws {
///     try ModelConformance(model: TariffModel(), companions: [TradeModel()]).run()
/// }
/// ```
///
/// It checks that
/// - every parameter has a doc string and a unit, unique keys, and defaults inside its range;
/// - every output and metric has a doc string, and the model composes on the dataset and scenario
///   (so it reads only signals it declared: ``Wiring`` refuses anything else);
/// - a run is deterministic for a seed (two runs give bit-identical series and metrics);
/// - no signal or metric is NaN or infinite over `randomTrials` runs with parameters drawn at
///   random from their valid ranges (a metric may be NaN only when it is a month that never
///   happened);
/// - every declared ``Balance`` holds within its tolerance in every month of those runs.
///
/// Failures are recorded with `#expect` and name the parameter, signal or balance at fault.
public struct ModelConformance: Sendable {
    /// A relation between signals that must hold every month, e.g. `imports + shortfall = demand`.
    public struct Balance: Sendable {
        /// A name for messages.
        public var name: String
        /// The residuals for a run (each should be ~0).
        public var residuals: @Sendable (RunResult) throws -> [Double]
        /// The largest residual tolerated.
        public var tolerance: Double
        /// Creates a balance.
        public init(_ name: String, tolerance: Double = 1e-6, residuals: @escaping @Sendable (RunResult) throws -> [Double]) {
            self.name = name
            self.residuals = residuals
            self.tolerance = tolerance
        }
    }

    /// The model under test.
    public var model: any Model
    /// Other modules it runs with (e.g. `trade` for a module reading `trade.shortfall`).
    public var companions: [any Model]
    /// The dataset (default: ``Fixtures/miniature``).
    public var dataset: Dataset
    /// The scenario (default: ``Fixtures/curbScenario``).
    public var scenario: Scenario
    /// Months per run.
    public var months: Int
    /// Runs with random valid parameters.
    public var randomTrials: Int
    /// Balances that must hold.
    public var balances: [Balance]

    /// Creates the suite for `model`.
    public init(
        model: any Model, companions: [any Model] = [], dataset: Dataset = Fixtures.miniature,
        scenario: Scenario = Fixtures.curbScenario, months: Int = 36, randomTrials: Int = 20, balances: [Balance] = []
    ) {
        self.model = model
        self.companions = companions
        self.dataset = dataset
        self.scenario = scenario
        self.months = months
        self.randomTrials = randomTrials
        self.balances = balances
    }

    /// Runs every check.
    public func run() throws {
        checkDeclarations()
        let models = companions + [model]
        let defaults = ParameterSet(models: models, dataset: dataset)
        let composition = try Composition(models: models, dataset: dataset, scenario: scenario, parameters: defaults)
        let plan = try RunPlan(composition: composition, start: scenario.events.map(\.start).min() ?? Month(2026, 1), months: months)
        let first = try Runner.run(plan, parameters: defaults, seed: 42)
        let second = try Runner.run(plan, parameters: defaults, seed: 42)
        #expect(
            first.values.map(\.bitPattern) == second.values.map(\.bitPattern),
            "`\(model.name)`: two runs with seed 42 differ")
        #expect(
            first.metricValues.map(\.bitPattern) == second.metricValues.map(\.bitPattern),
            "`\(model.name)`: two runs with seed 42 give different metrics")
        try checkFinite(first, label: "defaults")
        var generator = SeededGenerator(seed: 2024)
        for trial in 0..<randomTrials {
            var parameters = defaults
            for entry in defaults.entries where entry.module == model.name {
                let range = entry.declaration.range
                for k in 0..<entry.declaration.count {
                    let upper = range.upperBound.isInfinite ? range.lowerBound + 10 * (abs(entry.declaration.defaults[k]) + 1) : range.upperBound
                    let value = range.lowerBound + (upper - range.lowerBound) * generator.uniform()
                    let key = entry.declaration.keys.isEmpty ? "" : "[\(entry.declaration.keys[k])]"
                    try parameters.set(entry.path + key, to: min(max(value, range.lowerBound), range.upperBound))
                }
            }
            let result = try Runner.run(plan, parameters: parameters, seed: UInt64(trial))
            try checkFinite(result, label: "random parameters #\(trial)")
        }
    }

    private func checkDeclarations() {
        for declaration in model.parameters(for: dataset) {
            let path = "\(model.name).\(declaration.name)"
            #expect(!declaration.doc.isEmpty, "`\(path)` has no doc string")
            #expect(!declaration.unit.symbol.isEmpty, "`\(path)` has no unit")
            #expect(Set(declaration.keys).count == declaration.keys.count, "`\(path)` has duplicate keys")
            for (k, value) in declaration.defaults.enumerated() {
                #expect(declaration.range.contains(value), "`\(path)` default #\(k) = \(value) is outside its range \(declaration.range)")
            }
        }
        if let interface = try? model.interface(in: ModelContext(dataset: dataset, scenario: scenario)) {
            for output in interface.outputs { #expect(!output.doc.isEmpty, "output `\(output.name)` has no doc string") }
            for metric in interface.metrics { #expect(!metric.doc.isEmpty, "metric `\(metric.name)` has no doc string") }
        } else {
            Issue.record("`\(model.name)` cannot declare its interface on \(dataset.name)")
        }
    }

    private func checkFinite(_ result: RunResult, label: String) throws {
        let width = result.signals.count
        if let bad = result.values.firstIndex(where: { !$0.isFinite }) {
            Issue.record(
                "`\(model.name)` (\(label)): \(result.signals[bad % width].id) is \(result.values[bad]) in \(result.start + bad / width)")
        }
        for metric in result.metrics where metric.name.hasPrefix(model.name + ".") {
            let value = result.metricValues[metric.index]
            if case .month = metric.kind, value.isNaN { continue }
            #expect(value.isFinite, "`\(model.name)` (\(label)): metric \(metric.id) is \(value)")
        }
        for balance in balances {
            let worst = try balance.residuals(result).map(abs).max() ?? 0
            #expect(worst <= balance.tolerance, "`\(model.name)` (\(label)): balance \(balance.name) off by \(worst)")
        }
    }
}
