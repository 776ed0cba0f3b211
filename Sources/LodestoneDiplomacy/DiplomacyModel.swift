import LodestoneKernel

/// The built-in `diplomacy` module (DESIGN §3.3): for each directed pair `a>b` named by the
/// scenario's `incident`/`talks` events, a tension θ that decays toward a baseline, jumps with
/// incidents, maps to a restriction of a's exports to b above a threshold, and ends with a
/// settlement whose monthly hazard grows with both sides' pain and with a concession the target
/// offers (`concession[b]`, USD/year: a tariff cut, say).
///
/// Keys: pair `CN>JP`, pair/commodity `CN>JP/DyTb` (the key trade reads).
public struct DiplomacyModel: Model {
    /// The module's name, `diplomacy`.
    public let name = "diplomacy"
    /// One line for `:modules`.
    public let summary = "Tension, export restriction and settlement between a restrictor and its target"
    /// True: the interface and wiring depend on which events the scenario has and what they
    /// name, not on their amounts or months.
    public var readsScenarioShapeOnly: Bool { true }

    /// Creates the module.
    public init() {}

    /// The parameters; see ``DiplomacyParameters``.
    public func parameters(for dataset: Dataset) -> [ParameterDeclaration] {
        DiplomacyParameters.declarations(commodities: dataset.commodityCodes, regions: dataset.regionCodes)
    }

    /// Inputs: this month's incidents and talks; last month's demand, unmet demand and blocked
    /// exports (for pain). With no incident or talks in the scenario it declares no outputs.
    public func interface(in context: ModelContext) throws -> ModelInterface {
        let pairs = DiplomacyPairs(context)
        guard !pairs.keys.isEmpty else { return ModelInterface() }
        return ModelInterface(
            inputs: [
                InputDeclaration(
                    "scenario.incident", keys: pairs.keys, unit: .dimensionless, doc: "Incident severity this month"),
                InputDeclaration(
                    "scenario.talks", keys: pairs.keys, unit: .perMonth, doc: "Hazard boost from talks this month"),
                InputDeclaration(
                    "trade.demand", keys: pairs.targetKeys, unit: .tonnesPerMonth, timing: .delayed, fallback: 0,
                    doc: "Target's demand last month (pain denominator)"),
                InputDeclaration(
                    "stockpile.unmet", keys: pairs.targetKeys, unit: .tonnesPerMonth, timing: .delayed, fallback: 0,
                    doc: "Target's unmet demand last month (pain numerator)"),
                InputDeclaration(
                    "trade.shortfall", keys: pairs.targetKeys, unit: .tonnesPerMonth, timing: .delayed, fallback: 0,
                    doc: "Target's shortfall last month, used as unmet demand when there is no stockpile module"),
                InputDeclaration(
                    "trade.export_loss", keys: pairs.restrictorKeys, unit: .usd, timing: .delayed, fallback: 0,
                    doc: "Restrictor's blocked exports last month, valued at p0"),
            ],
            outputs: [
                OutputDeclaration(
                    "tension", keys: pairs.keys, unit: .dimensionless, doc: "Tension θ after this month's events",
                    headline: true, title: "Diplomatic tension"),
                OutputDeclaration(
                    "restriction", keys: pairs.restrictionKeys, unit: .dimensionless,
                    doc: "Share of the restrictor's exports of the commodity to the target blocked",
                    title: "Share of exports blocked"),
                OutputDeclaration(
                    "hazard", keys: pairs.keys, unit: .perMonth,
                    doc: "This month's settlement probability (0 while nothing is restricted)",
                    title: "Settlement probability"),
            ],
            metrics: [
                MetricDeclaration(
                    "settled_at", keys: pairs.keys, kind: .month, doc: "First month of a settlement (none if never)"),
                MetricDeclaration(
                    "months_hazard_clamped", keys: pairs.keys, kind: .quantity(.months),
                    doc: "Months in which the settlement hazard's terms added up to more than 1 and were clamped to 1",
                    bound: "settlement hazard clamped to 1|settlement that month was certain, whatever the pain terms said"),
            ])
    }

    /// `v1`, `v2` and `v3`: the diplomacy equations did not change with the market models v2 and v3.
    public func presets(for dataset: Dataset) -> [Preset] {
        [Preset("v1", doc: "Lodestone 1 (no change in diplomacy)", values: []),
         Preset("v2", doc: "The market model v2 (no change in diplomacy)", values: []),
         Preset("v3", doc: "The market model v3, the defaults (no change in diplomacy)", values: [])]
    }

    /// A fresh per-run instance.
    public func instantiate(in context: ModelContext, wiring: Wiring) throws -> any ModelInstance {
        let pairs = DiplomacyPairs(context)
        guard !pairs.keys.isEmpty else { return IdleDiplomacy() }
        return DiplomacyInstance(DiplomacyWorld(pairs: pairs, refs: try DiplomacyRefs(wiring)))
    }

    /// Works out the pairs and their baseline export values, and resolves the wiring, once per
    /// composition.
    public func prepare(in context: ModelContext, wiring: Wiring) throws -> any ModelFactory {
        let pairs = DiplomacyPairs(context)
        return DiplomacyFactory(pairs: pairs, refs: pairs.keys.isEmpty ? nil : try DiplomacyRefs(wiring))
    }

    /// The batch form: blocks of runs stepped together. Single runs keep the per-run form
    /// (``DiplomacyInstance``), which is cheaper for one run (about 250 against 650 instructions
    /// per run-month, callgrind, v1): the factory chooses.
    public func prepareBatch(in context: ModelContext, wiring: Wiring) throws -> (any BatchModelFactory)? {
        let pairs = DiplomacyPairs(context)
        return DiplomacyFactory(pairs: pairs, refs: pairs.keys.isEmpty ? nil : try DiplomacyRefs(wiring))
    }
}

/// Makes diplomacy instances sharing one set of pairs: per-run instances for single runs, batch
/// instances for blocks of runs (both compute the same numbers for every run).
struct DiplomacyFactory: ModelFactory, BatchModelFactory {
    let pairs: DiplomacyPairs
    /// Nil when the scenario has no pairs (the module idles).
    let refs: DiplomacyRefs?
    /// The pairs and refs in one shared object for the per-run instances (nil when idle).
    private let world: DiplomacyWorld?

    init(pairs: DiplomacyPairs, refs: DiplomacyRefs?) {
        self.pairs = pairs
        self.refs = refs
        world = refs.map { DiplomacyWorld(pairs: pairs, refs: $0) }
    }

    func makeInstance() throws -> any ModelInstance {
        guard let world else { return IdleDiplomacy() }
        return DiplomacyInstance(world)
    }
    func makeBatch(width: Int) throws -> any BatchModelInstance {
        guard let refs else { return IdleDiplomacyBatch() }
        return DiplomacyBatch(pairs: pairs, refs: refs, width: width)
    }
}

/// Registers the `diplomacy` module, exactly as a plugin would register its own.
public func registerDiplomacy(in registry: inout Registry) throws {
    try registry.register(model: DiplomacyModel())
}

/// The instance when the scenario names no pair: nothing to compute.
final class IdleDiplomacy: ModelInstance {
    func step(_ frame: StepFrame) throws {}
}

/// The batch instance when the scenario names no pair: nothing to compute.
final class IdleDiplomacyBatch: BatchModelInstance {
    func step(_ frame: BatchFrame) throws {}
}
