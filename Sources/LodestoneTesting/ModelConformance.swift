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
/// - every output and metric has a doc string, and the model composes on the dataset and scenario;
/// - the model reads and writes only names it declared: a lookup of anything else through
///   ``Wiring`` (at instantiation or later) is reported as an *undeclared access*, naming the name;
/// - a run is deterministic for a seed (two runs give bit-identical series and metrics);
/// - no signal or metric is NaN or infinite over `randomTrials` runs with parameters drawn at
///   random from their valid ranges (a metric may be NaN only when it is a month that never
///   happened);
/// - every declared ``Balance`` holds within its tolerance in every month of those runs;
/// - runs stepped in blocks (through the model's batch form, ``Model/prepareBatch(in:wiring:)``,
///   when it has one) compute bit for bit what each run computes alone, with different
///   parameters per run.
///
/// ``run()`` records each failure as a test issue; ``findings()`` returns them instead, for tests
/// of the kit itself or custom reporting. Messages name the parameter, signal or balance at fault.
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
        public init(
            _ name: String, tolerance: Double = 1e-6, residuals: @escaping @Sendable (RunResult) throws -> [Double]
        ) {
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
    /// Open inputs that offer supply and so may not be negative, by qualified name (the market's
    /// `market.extra_supply` and `market.extra_exports` unless changed).
    public var nonNegativeOpenInputs: Set<String> = ["market.extra_supply", "market.extra_exports"]

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

    /// Runs every check and records each failure as a test issue (one per finding), at the
    /// caller's line: a failure points at the author's test, not at the kit.
    public func run(sourceLocation: Testing.SourceLocation = #_sourceLocation) throws {
        for finding in findings() {
            Issue.record(Comment(rawValue: "`\(model.name)` fails conformance: \(finding)"), sourceLocation: sourceLocation)
        }
    }

    /// Runs every check and returns the failures, in the order found (empty when it conforms).
    /// Checks that depend on a run stop at the first failure that prevents running.
    public func findings() -> [ConformanceFinding] {
        var findings = declarationFindings()
        let open = openInputsProduced()
        let balances = balancesToCheck(open: open)
        let models = companions + [model]
        let defaults = ParameterSet(models: models, dataset: dataset)
        let plan: RunPlan
        do {
            let composition = try Composition(
                models: models, dataset: dataset, scenario: scenario, parameters: defaults)
            plan = try RunPlan(
                composition: composition, start: scenario.events.map(\.start).min() ?? Month(2026, 1), months: months)
            // Instances resolve their names when made: a refused lookup shows up here.
            _ = try Simulation(plan: plan, parameters: defaults, seed: 42)
        } catch {
            findings.append(classify(error, during: "composing and instantiating with \(describeCompanions())"))
            return findings
        }
        let first: RunResult
        do {
            first = try Runner.run(plan, parameters: defaults, seed: 42)
            let second = try Runner.run(plan, parameters: defaults, seed: 42)
            if let t = first.values.indices.first(where: { first.values[$0].bitPattern != second.values[$0].bitPattern }
            ) {
                let width = max(1, first.signals.count)
                findings.append(
                    .init(
                        .determinism,
                        "two runs with seed 42 differ: \(first.signals[t % width].id) is \(first.values[t]) then \(second.values[t]) in \(first.start + t / width)"
                    ))
            }
            if first.metricValues.map(\.bitPattern) != second.metricValues.map(\.bitPattern) {
                findings.append(.init(.determinism, "two runs with seed 42 give different metrics"))
            }
        } catch let error as NonFiniteError {
            findings.append(nonFiniteFinding(error, label: "defaults"))
            return findings
        } catch {
            findings.append(classify(error, during: "a run with default parameters"))
            return findings
        }
        findings += finiteFindings(first, label: "defaults", balances: balances)
        findings += openInputFindings(first, open: open, label: "defaults")
        var generator = SeededGenerator(seed: 2024)
        var blockSets = [defaults]
        for trial in 0..<randomTrials {
            var parameters = defaults
            var drawn: [String] = []
            for entry in defaults.entries where entry.module == model.name {
                let range = entry.declaration.range
                for k in 0..<entry.declaration.count {
                    let upper =
                        range.upperBound.isInfinite
                        ? range.lowerBound + 10 * (abs(entry.declaration.defaults[k]) + 1) : range.upperBound
                    let value = min(
                        max(range.lowerBound + (upper - range.lowerBound) * generator.uniform(), range.lowerBound),
                        range.upperBound)
                    let key = entry.declaration.keys.isEmpty ? "" : "[\(entry.declaration.keys[k])]"
                    do { try parameters.set(entry.path + key, to: value) } catch {
                        findings.append(
                            .init(.declarations, "`\(entry.path + key)` cannot be set within its range: \(error)"))
                        return findings
                    }
                    drawn.append("\(entry.path + key) = \(ParameterSet.format(value))")
                }
            }
            let label = "random parameters #\(trial)"
            do {
                let result = try Runner.run(plan, parameters: parameters, seed: UInt64(trial))
                let found =
                    finiteFindings(result, label: label, balances: balances)
                    + openInputFindings(result, open: open, label: label)
                if !found.isEmpty {
                    findings += found.map {
                        .init(
                            $0.check,
                            $0.message + " (with " + drawn.prefix(6).joined(separator: ", ")
                                + (drawn.count > 6 ? ", …)" : ")"))
                    }
                    return findings
                }
                if blockSets.count < 5 { blockSets.append(parameters) }
            } catch let error as NonFiniteError {
                let finding = nonFiniteFinding(error, label: label)
                findings.append(
                    .init(
                        finding.check,
                        finding.message + " (with " + drawn.prefix(6).joined(separator: ", ") + (drawn.count > 6 ? ", …)" : ")")))
                return findings
            } catch {
                findings.append(
                    classify(error, during: "a run with \(label) (" + drawn.prefix(6).joined(separator: ", ") + ")"))
                return findings
            }
        }
        findings += blockFindings(plan, sets: blockSets)
        return findings
    }

    private func describeCompanions() -> String {
        companions.isEmpty ? "no companions" : "companions " + companions.map { "`\($0.name)`" }.joined(separator: ", ")
    }

    /// A thrown error as a finding: a ``Wiring`` refusal is an undeclared access.
    private func classify(_ error: any Error, during activity: String) -> ConformanceFinding {
        let text = "\(error)"
        if text.contains("which it did not declare") {
            return .init(
                .undeclaredAccess,
                "`\(model.name)` uses a name it did not declare (\(activity)): \(text)\(text.hasSuffix("?") ? "" : ".") A module may only read the inputs, write the outputs and metrics, and read the parameters that parameters(for:) and interface(in:) declare; declare it there, or fix the name"
            )
        }
        if error is StepError { return .init(.run, "\(activity) failed: \(text)") }
        return .init(.composition, "`\(model.name)` does not compose (\(activity)): \(text)")
    }

    private func declarationFindings() -> [ConformanceFinding] {
        var findings: [ConformanceFinding] = []
        var names = Set<String>()
        for declaration in model.parameters(for: dataset) {
            let path = "\(model.name).\(declaration.name)"
            if !names.insert(declaration.name).inserted {
                findings.append(.init(.declarations, "`\(path)` is declared twice"))
            }
            if declaration.doc.isEmpty { findings.append(.init(.declarations, "`\(path)` has no doc string")) }
            if declaration.unit.symbol.isEmpty {
                findings.append(.init(.declarations, "`\(path)` has no unit (use `1` for a share)"))
            }
            if Set(declaration.keys).count != declaration.keys.count {
                findings.append(.init(.declarations, "`\(path)` has duplicate keys"))
            }
            for (k, value) in declaration.defaults.enumerated() where value.isNaN || !declaration.range.contains(value)
            {
                let key = declaration.keys.isEmpty ? "" : "[\(declaration.keys[k])]"
                findings.append(
                    .init(
                        .declarations,
                        "`\(path)\(key)` default \(ParameterSet.format(value)) is outside its range \(ParameterSet.format(declaration.range))"
                    ))
            }
        }
        do {
            let interface = try model.interface(in: ModelContext(dataset: dataset, scenario: scenario))
            for output in interface.outputs where output.doc.isEmpty {
                findings.append(.init(.declarations, "output `\(model.name).\(output.name)` has no doc string"))
            }
            for metric in interface.metrics where metric.doc.isEmpty {
                findings.append(.init(.declarations, "metric `\(model.name).\(metric.name)` has no doc string"))
            }
        } catch {
            findings.append(
                .init(.declarations, "`\(model.name)` cannot declare its interface on \(dataset.name): \(error)"))
        }
        return findings
    }

    /// The kernel stops a run at the first non-finite signal (``NonFiniteError``): the same
    /// finding as one seen in the run's values.
    private func nonFiniteFinding(_ error: NonFiniteError, label: String) -> ConformanceFinding {
        let when = error.month.map { " in \($0)" } ?? ""
        let what = error.month == nil ? "metric \(error.signal)" : error.signal
        return .init(.finiteness, "`\(model.name)` (\(label)): \(what) is \(error.value)\(when)")
    }

    private func finiteFindings(_ result: RunResult, label: String, balances: [Balance]) -> [ConformanceFinding] {
        var findings: [ConformanceFinding] = []
        let width = max(1, result.signals.count)
        if let bad = result.values.firstIndex(where: { !$0.isFinite }) {
            findings.append(
                .init(
                    .finiteness,
                    "`\(model.name)` (\(label)): \(result.signals[bad % width].id) is \(result.values[bad]) in \(result.start + bad / width)"
                ))
        }
        for metric in result.metrics where metric.name.hasPrefix(model.name + ".") {
            let value = result.metricValues[metric.index]
            if case .month = metric.kind, value.isNaN { continue }
            if !value.isFinite {
                findings.append(.init(.finiteness, "`\(model.name)` (\(label)): metric \(metric.id) is \(value)"))
            }
        }
        for balance in balances {
            do {
                let worst = try balance.residuals(result).map(abs).max() ?? 0
                if !(worst <= balance.tolerance) {
                    findings.append(
                        .init(
                            .balance,
                            "`\(model.name)` (\(label)): balance \(balance.name) off by \(worst) (tolerance \(balance.tolerance))"
                        ))
                }
            } catch {
                findings.append(
                    .init(.balance, "`\(model.name)` (\(label)): balance \(balance.name) cannot be computed: \(error)"))
            }
        }
        return findings
    }
}
