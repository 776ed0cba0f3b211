import LodestoneKernel

/// The built-in `stockpile` module (DESIGN §3.2): per importer and commodity, a private pool
/// (industry inventories, released first) and a state pool (the national reserve, released after
/// `state_release_lag_months` of shortfall) that cover trade's shortfall and are rebuilt when
/// supply is normal.
///
/// Design note (see Docs/Models.md): `cover_days` is the *total* cover of both pools and
/// `state_share` splits it, so that `cover_days["JP"] = 90` means 90 days, not 90 per pool.
/// Quantities in t REO per month; cover in days of baseline consumption (D0 / days per month).
public struct StockpileModel: Model {
    /// The module's name, `stockpile`.
    public let name = "stockpile"
    /// One line for `:modules`.
    public let summary = "Private and state reserves released against trade shortfalls, and rebuilt afterwards"
    /// True: the interface and wiring depend on which events the scenario has and what they
    /// name, not on their amounts or months.
    public var readsScenarioShapeOnly: Bool { true }

    /// Creates the module.
    public init() {}

    /// The parameters; defaults of `cover_days` and `state_share` come from `stockpiles.csv`.
    public func parameters(for dataset: Dataset) -> [ParameterDeclaration] {
        StockpileParameters.declarations(for: dataset)
    }

    /// Inputs: this month's trade shortfall and demand. Outputs and metrics per importer/commodity.
    public func interface(in context: ModelContext) throws -> ModelInterface {
        let keys = StockpileParameters.keys(for: context.dataset)
        return ModelInterface(
            inputs: [
                InputDeclaration(
                    "trade.shortfall", keys: keys, unit: .tonnesPerMonth, doc: "Need: this month's trade shortfall"),
                InputDeclaration(
                    "trade.demand", keys: keys, unit: .tonnesPerMonth, doc: "Demand, for the release trigger"),
                InputDeclaration(
                    "trade.surplus", keys: keys, unit: .tonnesPerMonth, fallback: 0,
                    doc: "Imports beyond demand (deferred volume delivered late): added to the private pool"),
            ],
            outputs: [
                OutputDeclaration(
                    "level", keys: keys, unit: .tonnes, doc: "Stock held at the end of the month (both pools)",
                    title: "Stockpile level"),
                OutputDeclaration(
                    "state_level", keys: keys, unit: .tonnes, doc: "State pool at the end of the month",
                    title: "State stockpile level"),
                OutputDeclaration(
                    "days_of_cover", keys: keys, unit: .days, doc: "level / (D0 / days per month)", headline: true,
                    title: "Days of cover"),
                OutputDeclaration(
                    "release", keys: keys, unit: .tonnesPerMonth, doc: "Released against the shortfall",
                    title: "Stockpile release"),
                OutputDeclaration(
                    "unmet", keys: keys, unit: .tonnesPerMonth, doc: "Shortfall left after release", title: "Unmet demand"),
                OutputDeclaration(
                    "purchases", keys: keys, unit: .tonnesPerMonth,
                    doc: "Rebuilding purchases (added to next month's demand)", title: "Stockpile purchases"),
            ],
            metrics: [
                MetricDeclaration(
                    "exhausted_at", keys: keys, kind: .month,
                    doc: "First month the stock reaches its floor while there is need (none if never; only with cover_days > 0)"),
                MetricDeclaration(
                    "unmet_total", keys: keys, kind: .quantity(.tonnes), doc: "Sum of unmet demand over the run"),
                MetricDeclaration(
                    "unmet_peak_share", keys: keys, kind: .quantity(.dimensionless),
                    doc: "Largest monthly unmet / demand"),
                MetricDeclaration(
                    "release_total", keys: keys, kind: .quantity(.tonnes), doc: "Sum of releases over the run"),
            ])
    }

    /// `v1` (no destocking, Lodestone 1), `v2` and `v3` (destocking above the target: the
    /// defaults; the stockpile did not change with v3).
    public func presets(for dataset: Dataset) -> [Preset] {
        [Preset("v1", doc: "Lodestone 1: no destocking", values: [("destock_days", 0)]),
         Preset(
                "v2", doc: "The market model v2: late deliveries go to the private pool, stock above the target is sold back",
                values: [("destock_days", 2)]),
         Preset("v3", doc: "The market model v3 (the defaults): as v2", values: [("destock_days", 2)])]
    }

    /// A fresh per-run instance: the batch form on a block of one run.
    public func instantiate(in context: ModelContext, wiring: Wiring) throws -> any ModelInstance {
        try prepare(in: context, wiring: wiring).makeInstance()
    }

    /// Computes the tonnes per day of cover and resolves the wiring once per composition.
    public func prepare(in context: ModelContext, wiring: Wiring) throws -> any ModelFactory {
        StockpileFactory(tonnesPerDay: StockpileBatch.tonnesPerDay(context.dataset), refs: try StockpileRefs(wiring))
    }

    /// The batch form, the module's only form: blocks of runs stepped together (single runs are
    /// blocks of one).
    public func prepareBatch(in context: ModelContext, wiring: Wiring) throws -> (any BatchModelFactory)? {
        StockpileFactory(tonnesPerDay: StockpileBatch.tonnesPerDay(context.dataset), refs: try StockpileRefs(wiring))
    }
}

/// Makes stockpile instances sharing the per-key conversion factors: blocks of runs, or one run
/// as a block of one.
struct StockpileFactory: ModelFactory, BatchModelFactory {
    let tonnesPerDay: [Double]
    let refs: StockpileRefs
    func makeInstance() throws -> any ModelInstance {
        BatchInstanceAsPerRun(StockpileBatch(tonnesPerDay: tonnesPerDay, refs: refs, width: 1))
    }
    func makeBatch(width: Int) throws -> any BatchModelInstance {
        StockpileBatch(tonnesPerDay: tonnesPerDay, refs: refs, width: width)
    }
}

/// Registers the `stockpile` module, exactly as a plugin would register its own.
public func registerStockpile(in registry: inout Registry) throws {
    try registry.register(model: StockpileModel())
}
