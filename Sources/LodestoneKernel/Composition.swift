/// A problem found while composing models: a missing producer, two producers, a unit mismatch,
/// a cycle without a delay, or a scenario naming an unknown region or commodity.
public struct CompositionError: Error, Sendable, Equatable, CustomStringConvertible {
    /// What is wrong, naming the signals and modules involved.
    public let message: String
    /// Creates an error.
    public init(_ message: String) { self.message = message }
    /// The message.
    public var description: String { message }
}

/// One signal of a composition: a module's output (or a `scenario.*` signal) for one key.
public struct SignalInfo: Sendable, Equatable {
    /// `module.signal[key]`, or `module.signal` for an unkeyed signal.
    public let id: String
    /// `module.signal`.
    public let name: String
    /// The key (`JP/DyTb`), "" when unkeyed.
    public let key: String
    /// The unit.
    public let unit: UnitSymbol
    /// What it means.
    public let doc: String
    /// The module that writes it (`scenario` for event-derived signals).
    public let producer: String
    /// Its slot in the signal buffers (and column in a run's series).
    public let slot: Int
    /// Whether its module marks it as a headline signal (see ``OutputDeclaration/isHeadline``).
    public var isHeadline: Bool = false
    /// The declared short name in words (``OutputDeclaration/title``), "" if none.
    public var title: String = ""

    /// The signal named in words for charts: the declared ``title``, or else the module and the
    /// local name with spaces (`stockpile.days_of_cover` → `Stockpile days of cover`).
    public var words: String { title.isEmpty ? Self.words(forName: name) : title }

    /// `module.local_name` in words: `Module local name`.
    public static func words(forName name: String) -> String {
        let plain = String(name.map { $0 == "_" || $0 == "." ? " " : $0 })
        return plain.prefix(1).uppercased() + plain.dropFirst()
    }
}

/// One metric of a composition for one key.
public struct MetricInfo: Sendable, Equatable {
    /// `module.metric[key]`, or `module.metric`.
    public let id: String
    /// `module.metric`.
    public let name: String
    /// The key, "" when unkeyed.
    public let key: String
    /// Quantity or month.
    public let kind: MetricKind
    /// What it means.
    public let doc: String
    /// Its index in a run's metric values.
    public let index: Int
    /// For a count of months at a bound: what sits at it (see ``MetricDeclaration/bound``).
    public var bound: String? = nil
}

extension MetricInfo {
    /// `KEY: WHAT SPAN: MEANING (ID)` for a bound metric whose ``MetricDeclaration/bound`` is
    /// `WHAT|MEANING`: the one wording of run and ensemble warnings.
    func boundWarning(_ bound: String, span: String) -> String {
        let parts = bound.split(separator: "|", maxSplits: 1).map(String.init)
        let what = parts.first ?? bound, meaning = parts.count > 1 ? ": " + parts[1] : ""
        return "\(key.isEmpty ? name : key): \(what) \(span)\(meaning) (\(id))"
    }
}

/// Models composed on a dataset and scenario: wired by name, ordered, with every name resolved to
/// a dense index. Immutable and shared by all runs of an ensemble.
public struct Composition: Sendable {
    /// The models in step order.
    public let models: [any Model]
    /// The dataset.
    public let dataset: Dataset
    /// The scenario.
    public private(set) var scenario: Scenario
    /// Every produced signal, in slot order (scenario signals first).
    public let signals: [SignalInfo]
    /// Every metric, in index order.
    public let metrics: [MetricInfo]
    /// Total slots per buffer (signals plus constant fallback slots).
    let slotCount: Int
    /// Constant slots holding optional inputs' fallbacks.
    let constants: [(slot: Int, value: Double)]
    /// The sums of signals with several producers, run between the models' steps.
    let summing: SummingPlan
    /// Number of scenario signals (slots 0..<scenarioCount).
    let scenarioCount: Int
    /// The scenario signals' (name, key) in slot order.
    let scenarioKeys: [(name: String, key: String)]
    let wirings: [Wiring]
    /// The parameter layout the wirings index (runs must use a set with the same entries).
    public let parameterLayout: ParameterSet
    /// Per-run instance factories, in step order.
    let factories: [any ModelFactory]
    /// Batch instance factories, in step order (nil: the model has only the per-run form).
    let batchFactories: [(any BatchModelFactory)?]
    let signalIndex: [String: Int]
    let metricIndex: [String: Int]

    /// Composes `models` (in any order) on `dataset` and `scenario`, using `parameters` to resolve
    /// parameter positions.
    public init(models: [any Model], dataset: Dataset, scenario: Scenario, parameters: ParameterSet) throws {
        try Self.validate(scenario: scenario, dataset: dataset)
        var seenNames = Set<String>()
        for model in models where !seenNames.insert(model.name).inserted {
            throw CompositionError("module `\(model.name)` appears twice in the model")
        }
        let context = ModelContext(dataset: dataset, scenario: scenario)
        let interfaces = try models.map { try $0.interface(in: context) }

        // Producers of each qualified signal name, with their declared keys and unit.
        struct Producer { let model: Int; let output: OutputDeclaration; let name: String }
        var producers: [String: Producer] = [:]
        // Signals some module reads as summed: any number of modules may produce them.
        let summedNames = Set(interfaces.flatMap { $0.inputs.filter(\.isSummed).map(\.signal) })
        var contributors: [String: [Producer]] = [:]
        let scenarioOutputs = Self.scenarioOutputs(dataset: dataset, scenario: scenario)
        for output in scenarioOutputs {
            producers["scenario." + output.name] = Producer(model: -1, output: output, name: "scenario." + output.name)
        }
        for (m, interface) in interfaces.enumerated() {
            for output in interface.outputs {
                let name = output.name.contains(".") ? output.name : "\(models[m].name).\(output.name)"
                if summedNames.contains(name), producers[name] == nil {
                    contributors[name, default: []].append(Producer(model: m, output: output, name: name))
                    continue
                }
                if let existing = producers[name] {
                    let other = existing.model < 0 ? "the scenario" : "`\(models[existing.model].name)`"
                    throw CompositionError(
                        "two producers for `\(name)`: \(other) and `\(models[m].name)`; keep one of them in the model")
                }
                producers[name] = Producer(model: m, output: output, name: name)
            }
        }

        // Check inputs and collect same-month dependencies.
        var dependsOn = [Set<Int>](repeating: [], count: models.count)
        var edgeSignal: [String: String] = [:]
        for (m, interface) in interfaces.enumerated() {
            for input in interface.inputs {
                if let group = contributors[input.signal] {
                    for producer in group {
                        try Self.checkSummed(
                            input, reader: models[m].name, producer: models[producer.model].name,
                            output: producer.output)
                        if input.timing == .current {
                            dependsOn[m].insert(producer.model)
                            edgeSignal["\(producer.model)>\(m)"] = input.signal
                        }
                    }
                    continue
                }
                guard let producer = producers[input.signal] else {
                    if input.fallback != nil { continue }
                    let module = input.signal.split(separator: ".").first.map(String.init) ?? input.signal
                    throw CompositionError(
                        "`\(models[m].name)` needs `\(input.signal)`, but no module in the model produces it"
                            + " (add `\(module)` to the model)"
                            + Suggestions.hint(for: input.signal, among: producers.keys.sorted()))
                }
                guard producer.output.unit == input.unit else {
                    throw CompositionError(
                        "unit mismatch on `\(input.signal)`: `\(models[m].name)` reads it in \(input.unit)"
                            + " but \(producer.model < 0 ? "the scenario" : "`\(models[producer.model].name)`")"
                            + " writes it in \(producer.output.unit)")
                }
                if input.fallback == nil {
                    let produced = Set(producer.output.keys.isEmpty ? [""] : producer.output.keys)
                    if let missing = (input.keys.isEmpty ? [""] : input.keys).first(where: { !produced.contains($0) }) {
                        throw CompositionError(
                            "`\(models[m].name)` needs `\(input.signal)[\(missing)]`, but `\(producer.name)` has no such key")
                    }
                }
                if input.timing == .current, producer.model >= 0 {
                    dependsOn[m].insert(producer.model)
                    edgeSignal["\(producer.model)>\(m)"] = input.signal
                }
            }
        }

        // Stable topological order; a leftover set is a cycle.
        var order: [Int] = []
        var placed = [Bool](repeating: false, count: models.count)
        while order.count < models.count {
            guard let next = (0..<models.count).first(where: { m in
                !placed[m] && dependsOn[m].allSatisfy { placed[$0] }
            }) else {
                let remaining = (0..<models.count).filter { !placed[$0] }
                let edges = remaining.flatMap { m in
                    dependsOn[m].filter { !placed[$0] }.sorted().map { p in
                        "`\(models[m].name)` reads `\(edgeSignal["\(p)>\(m)"] ?? "?")` from `\(models[p].name)` in the same month"
                    }
                }
                throw CompositionError(
                    "cycle without a delay: " + edges.joined(separator: "; ")
                        + "; declare one of these inputs as delayed (it then reads last month's value)")
            }
            placed[next] = true
            order.append(next)
        }

        // Slots: scenario signals, then outputs in step order, then constants.
        var signals: [SignalInfo] = []
        var outputRefs: [String: (base: Int, keys: [String])] = [:]
        var scenarioKeys: [(String, String)] = []
        func addOutputs(_ output: OutputDeclaration, qualified: String, producer: String) {
            let base = signals.count
            let keys = output.keys.isEmpty ? [""] : output.keys
            for key in keys {
                let id = key.isEmpty ? qualified : "\(qualified)[\(key)]"
                signals.append(
                    SignalInfo(
                        id: id, name: qualified, key: key, unit: output.unit, doc: output.doc, producer: producer,
                        slot: signals.count, isHeadline: output.isHeadline, title: output.title))
            }
            outputRefs[qualified] = (base, keys)
        }
        // A scenario signal without keys (no incident/talks pairs) has no slot: the scenario table
        // has one column per key, and slots 0..<scenarioCount must match it.
        for output in scenarioOutputs where !output.keys.isEmpty {
            for key in output.keys { scenarioKeys.append((output.name, key)) }
            addOutputs(output, qualified: "scenario." + output.name, producer: "scenario")
        }
        let scenarioCount = signals.count
        var localOutputs = [[String: OutputRef]](repeating: [:], count: models.count)
        // A summed signal with several producers: each writes slots of its own (after the
        // signals), and the kernel writes their sum into the signal's slots.
        var shared: [(m: Int, output: OutputDeclaration, name: String)] = []
        for m in order {
            for output in interfaces[m].outputs {
                let name = output.name.contains(".") ? output.name : "\(models[m].name).\(output.name)"
                if let group = contributors[name], group.count > 1 {
                    shared.append((m, output, name))
                    continue
                }
                addOutputs(output, qualified: name, producer: models[m].name)
                localOutputs[m][output.name] = OutputRef(base: outputRefs[name]!.base, count: max(1, output.keys.count))
            }
        }
        var sharedNames: [String] = []
        for entry in shared where !sharedNames.contains(entry.name) { sharedNames.append(entry.name) }
        for name in sharedNames {
            let group = shared.filter { $0.name == name }
            let first = group[0].output
            let total = OutputDeclaration(
                name, keys: Self.unionKeys(group.map(\.output)), unit: first.unit,
                doc: first.doc + " (sum of " + group.map { "`\(models[$0.m].name)`" }.joined(separator: ", ") + ")",
                headline: first.isHeadline, title: first.title)
            addOutputs(total, qualified: name, producer: group.map { models[$0.m].name }.joined(separator: "+"))
        }
        var slotCount = signals.count
        let position = Dictionary(uniqueKeysWithValues: order.enumerated().map { ($1, $0) })
        var sums: [(after: Int, target: Int, sources: [Int])] = []
        for name in sharedNames {
            let group = shared.filter { $0.name == name }
            let total = outputRefs[name]!
            var sources = [[Int]](repeating: [], count: total.keys.count)
            for entry in group {
                let keys = entry.output.keys.isEmpty ? [""] : entry.output.keys
                localOutputs[entry.m][entry.output.name] = OutputRef(base: slotCount, count: keys.count)
                for (k, key) in keys.enumerated() { sources[total.keys.firstIndex(of: key)!].append(slotCount + k) }
                slotCount += keys.count
            }
            let last = group.map { position[$0.m]! }.max()!
            for (k, slots) in sources.enumerated() { sums.append((last, total.base + k, slots)) }
        }
        let summing = SummingPlan(models: models.count, sums: sums)
        var constants: [(slot: Int, value: Double)] = []
        func constantSlot(_ value: Double) -> Int {
            if let existing = constants.first(where: { $0.value.bitPattern == value.bitPattern }) { return existing.slot }
            constants.append((slotCount, value))
            slotCount += 1
            return slotCount - 1
        }

        // Metrics.
        var metrics: [MetricInfo] = []
        var localMetrics = [[String: MetricRef]](repeating: [:], count: models.count)
        for m in order {
            for metric in interfaces[m].metrics {
                let name = "\(models[m].name).\(metric.name)"
                let keys = metric.keys.isEmpty ? [""] : metric.keys
                localMetrics[m][metric.name] = MetricRef(base: metrics.count, count: keys.count)
                for key in keys {
                    metrics.append(
                        MetricInfo(
                            id: key.isEmpty ? name : "\(name)[\(key)]", name: name, key: key, kind: metric.kind,
                            doc: metric.doc, index: metrics.count, bound: metric.bound))
                }
            }
        }

        // Wirings.
        var wirings = [Wiring?](repeating: nil, count: models.count)
        for m in order {
            var inputs: [String: InputRef] = [:]
            for input in interfaces[m].inputs {
                let keys = input.keys.isEmpty ? [""] : input.keys
                var slots: [Int] = []
                var produced: [Bool] = []
                // A scenario slot holds the plan's row in every run; a fallback is a constant.
                var sameInEveryRun: [Bool] = []
                let producer = outputRefs[input.signal]
                for key in keys {
                    if let producer, let k = producer.keys.firstIndex(of: key) {
                        slots.append(producer.base + k)
                        produced.append(true)
                        sameInEveryRun.append(producer.base + k < scenarioCount)
                    } else {
                        slots.append(constantSlot(input.fallback ?? 0))
                        produced.append(false)
                        sameInEveryRun.append(true)
                    }
                }
                inputs[input.signal] = InputRef(
                    slots: slots, isDelayed: input.timing == .delayed, isProduced: produced, isSameInEveryRun: sameInEveryRun)
            }
            var parameterRefs: [String: ParameterRef] = [:]
            for entry in parameters.entries where entry.module == models[m].name {
                parameterRefs[entry.declaration.name] = ParameterRef(base: entry.base, count: entry.declaration.count)
            }
            wirings[m] = Wiring(
                module: models[m].name, inputs: inputs, outputs: localOutputs[m], parameters: parameterRefs,
                metrics: localMetrics[m])
        }

        self.models = order.map { models[$0] }
        self.dataset = dataset
        self.scenario = scenario
        self.signals = signals
        self.metrics = metrics
        self.slotCount = slotCount
        self.constants = constants
        self.summing = summing
        self.scenarioCount = scenarioCount
        self.scenarioKeys = scenarioKeys
        self.wirings = order.map { wirings[$0]! }
        self.parameterLayout = parameters
        var factories: [any ModelFactory] = []
        var batchFactories: [(any BatchModelFactory)?] = []
        for (model, wiring) in zip(self.models, self.wirings) {
            factories.append(try model.prepare(in: context, wiring: wiring))
            batchFactories.append(try model.prepareBatch(in: context, wiring: wiring))
        }
        self.factories = factories
        self.batchFactories = batchFactories
        var signalIndex: [String: Int] = [:]
        for signal in signals { signalIndex[signal.id] = signal.slot }
        self.signalIndex = signalIndex
        var metricIndex: [String: Int] = [:]
        for metric in metrics { metricIndex[metric.id] = metric.index }
        self.metricIndex = metricIndex
    }

    /// This composition for `scenario`, without composing again, when nothing but values differ:
    /// `scenario` has the same ``Scenario/shape`` as the composed one and every model declares
    /// ``Model/readsScenarioShapeOnly``. Nil otherwise (compose anew). The new scenario's events
    /// are validated as ``init(models:dataset:scenario:parameters:)`` does.
    public func reused(for scenario: Scenario) throws -> Composition? {
        if scenario == self.scenario { return self }
        guard models.allSatisfy(\.readsScenarioShapeOnly), scenario.shape == self.scenario.shape else { return nil }
        try Self.validate(scenario: scenario, dataset: dataset)
        var copy = self
        copy.scenario = scenario
        return copy
    }

    /// The slot of a signal id (`trade.price[NdPr]`), or nil.
    public func slot(of id: String) -> Int? { signalIndex[SignalLookup.normalize(id)] }

    /// The index of a metric id, or nil.
    public func metricIndex(of id: String) -> Int? { metricIndex[SignalLookup.normalize(id)] }

    /// The kernel's scenario signals for a dataset and scenario (see ``ScenarioSignals``).
    static func scenarioOutputs(dataset: Dataset, scenario: Scenario) -> [OutputDeclaration] {
        let commodities = dataset.commodityCodes
        let exporters = dataset.exporters
        let importers = dataset.importers
        var restrictionKeys: [String] = []
        for s in exporters { for i in importers { for c in commodities { restrictionKeys.append("\(s)>\(i)/\(c)") } } }
        let pairs = scenario.diplomaticPairs
        let supply = scenario.supplyKeys(commodities: commodities)
        var supplySignals: [OutputDeclaration] = []
        if !supply.quota.isEmpty {
            supplySignals.append(OutputDeclaration(
                "quota", keys: supply.quota, unit: .tonnesPerMonth,
                doc: "Export quota of the exporter for the commodity (the tightest in force); −1 when none is",
                title: "Export quota"))
        }
        if !supply.quotaTotal.isEmpty {
            supplySignals.append(OutputDeclaration(
                "quota_total", keys: supply.quotaTotal, unit: .tonnesPerMonth,
                doc: "Export quota of the exporter for all commodities together; −1 when none is in force",
                title: "Export quota, all commodities"))
        }
        if !supply.offtake.isEmpty {
            supplySignals.append(OutputDeclaration(
                "offtake", keys: supply.offtake, unit: .tonnesPerMonth,
                doc: "Volume the importer has contracted from the exporter, served before the spot market",
                title: "Contracted offtake"))
        }
        if !supply.newCapacity.isEmpty {
            supplySignals.append(OutputDeclaration(
                "new_capacity", keys: supply.newCapacity, unit: .tonnesPerMonth,
                doc: "Export capacity come on line since the run began", title: "New export capacity"))
        }
        return [
            OutputDeclaration(
                "restriction", keys: restrictionKeys, unit: .dimensionless,
                doc: "Share of the exporter's exports of the commodity to the importer blocked by scenario events",
                title: "Share of exports blocked by events"),
            OutputDeclaration(
                "demand_factor", keys: importers.flatMap { i in commodities.map { "\(i)/\($0)" } },
                unit: .dimensionless, doc: "Multiplier of the importer's baseline demand from scenario events",
                title: "Demand multiplier"),
            OutputDeclaration(
                "capacity_factor", keys: exporters.flatMap { s in commodities.map { "\(s)/\($0)" } },
                unit: .dimensionless, doc: "Multiplier of the exporter's capacity from scenario events",
                title: "Capacity multiplier"),
            OutputDeclaration(
                "incident", keys: pairs, unit: .dimensionless,
                doc: "Severity of a diplomatic incident this month (0 without one)", title: "Incident severity"),
            OutputDeclaration(
                "talks", keys: pairs, unit: .perMonth, doc: "Settlement hazard boost from talks this month",
                title: "Settlement boost from talks"),
        ] + supplySignals
    }

    /// Checks that every event names known regions and commodities and valid amounts.
    static func validate(scenario: Scenario, dataset: Dataset) throws(CompositionError) {
        let regions = dataset.regionCodes
        let commodities = dataset.commodityCodes
        func region(_ code: String, _ event: ScenarioEvent) throws(CompositionError) {
            guard regions.contains(code) else {
                throw CompositionError(
                    "scenario `\(scenario.name)`: \(event.kind) names unknown region `\(code)`"
                        + Suggestions.hint(for: code, among: regions) + " (regions: \(regions.joined(separator: ", ")))")
            }
        }
        func commodity(_ code: String?, _ event: ScenarioEvent) throws(CompositionError) {
            guard let code else { return }
            guard commodities.contains(code) else {
                throw CompositionError(
                    "scenario `\(scenario.name)`: \(event.kind) names unknown commodity `\(code)`"
                        + Suggestions.hint(for: code, among: commodities)
                        + " (commodities: \(commodities.joined(separator: ", ")))")
            }
        }
        func unit(_ name: String, _ value: Double, _ event: ScenarioEvent, upper: Double = 1) throws(CompositionError) {
            guard value >= 0, value <= upper else {
                throw CompositionError(
                    "scenario `\(scenario.name)`: \(event.kind) \(name) \(ParameterSet.format(value)) is out of range: expected 0…\(ParameterSet.format(upper))")
            }
        }
        for event in scenario.events {
            switch event {
            case .restrict(let from, let to, let c, let share, _, let months):
                try region(from, event)
                if let to { try region(to, event) }
                try commodity(c, event)
                try unit("share", share, event)
                if let months, months < 0 { throw CompositionError("scenario `\(scenario.name)`: restrict months must be ≥ 0") }
            case .incident(let from, let to, let severity, _):
                try region(from, event)
                try region(to, event)
                try unit("severity", severity, event)
            case .talks(let from, let to, let boost, _):
                try region(from, event)
                try region(to, event)
                try unit("boost", boost, event)
            case .set: continue
            case .demand(let r, let c, let factor, _, _), .capacity(let r, let c, let factor, _, _):
                try region(r, event)
                try commodity(c, event)
                try unit("factor", factor, event, upper: .infinity)
            case .quota(let from, let c, let tonnes, _, let months):
                try region(from, event)
                try commodity(c, event)
                try unit("tonnes", tonnes, event, upper: 1e12)
                if let months, months < 0 { throw CompositionError("scenario `\(scenario.name)`: quota months must be ≥ 0") }
            case .offtake(let from, let to, let c, let tonnes, _, let months):
                try region(from, event)
                try region(to, event)
                try commodity(c, event)
                try unit("tonnes", tonnes, event, upper: 1e12)
                if let months, months < 0 { throw CompositionError("scenario `\(scenario.name)`: offtake months must be ≥ 0") }
            case .newCapacity(let r, let c, let tonnes, _):
                try region(r, event)
                try commodity(c, event)
                try unit("tonnes", tonnes, event, upper: 1e12)
            }
        }
    }
}

/// Normalizes how users write signal and metric ids.
public enum SignalLookup {
    /// Strips spaces and quotes inside brackets: `trade.price["NdPr"]` → `trade.price[NdPr]`.
    public static func normalize(_ id: String) -> String {
        guard id.contains("[") else { return id.trimmingSpaces }
        return String(id.filter { $0 != "\"" && $0 != " " && $0 != "'" })
    }
}

extension String {
    var trimmingSpaces: String {
        var s = Substring(self)
        while s.first == " " { s = s.dropFirst() }
        while s.last == " " { s = s.dropLast() }
        return String(s)
    }
}
