import LodestoneKernel

/// The built-in `trade` module (DESIGN §3.1): demand, direct flows under restriction,
/// re-sourcing from other exporters' spare capacity with a ramp, imports, shortfall, price, and
/// the long-run responses (substitution and capacity expansion) of an elevated price.
///
/// Keys: importer/commodity `JP/DyTb`, exporter/commodity `CN/DyTb`, directed pair/commodity
/// `CN>JP/DyTb`, commodity `DyTb`. Quantities in t REO per month, prices in USD/kg.
public struct TradeModel: Model {
    /// The module's name, `trade`.
    public let name = "trade"
    /// One line for `:modules`.
    public let summary = "Imports, shortfall, re-sourcing and price of each commodity under export restrictions"
    /// True: the interface and wiring depend on which events the scenario has and what they
    /// name, not on their amounts or months.
    public var readsScenarioShapeOnly: Bool { true }

    /// Creates the module.
    public init() {}

    /// The parameters; see ``TradeParameters``.
    public func parameters(for dataset: Dataset) -> [ParameterDeclaration] {
        TradeParameters.declarations(commodities: dataset.commodityCodes)
    }

    /// Inputs: scenario and diplomacy restrictions, scenario demand and capacity factors, last
    /// month's stockpile purchases, and the market's open inputs (`market.extra_supply`,
    /// `market.extra_exports`, `market.demand_adjustment`, t/month, summed over their producers).
    /// Outputs and metrics: see Docs/Models.md.
    public func interface(in context: ModelContext) throws -> ModelInterface {
        let world = TradeWorld(context.dataset, scenario: context.scenario)
        return ModelInterface(
            inputs: [
                InputDeclaration(
                    "scenario.restriction", keys: world.pairKeys, unit: .dimensionless,
                    doc: "Share of exports blocked by scenario events"),
                InputDeclaration(
                    "diplomacy.restriction", keys: world.pairKeys, unit: .dimensionless, fallback: 0,
                    doc: "Share of exports blocked by the restrictor after a diplomatic incident"),
                InputDeclaration(
                    "stockpile.purchases", keys: world.importerKeys, unit: .tonnesPerMonth, timing: .delayed,
                    fallback: 0, doc: "Last month's stockpile rebuilding purchases, added to demand"),
                InputDeclaration(
                    "scenario.demand_factor", keys: world.importerKeys, unit: .dimensionless,
                    doc: "Multiplier of baseline demand"),
                InputDeclaration(
                    "scenario.capacity_factor", keys: world.exporterKeys, unit: .dimensionless,
                    doc: "Multiplier of export capacity"),
                InputDeclaration(
                    "scenario.quota", keys: world.exporterKeys, unit: .tonnesPerMonth, fallback: -1,
                    doc: "Export quota of an exporter for a commodity; −1: none"),
                InputDeclaration(
                    "scenario.quota_total", keys: world.exporters, unit: .tonnesPerMonth, fallback: -1,
                    doc: "Export quota of an exporter for all commodities together; −1: none"),
                InputDeclaration(
                    "scenario.offtake", keys: world.pairKeys, unit: .tonnesPerMonth, fallback: 0,
                    doc: "Contracted volume served before the spot market"),
                InputDeclaration(
                    "scenario.new_capacity", keys: world.exporterKeys, unit: .tonnesPerMonth, fallback: 0,
                    doc: "Export capacity come on line since the run began"),
                InputDeclaration(
                    "stockpile.release", keys: world.importerKeys, unit: .tonnesPerMonth, timing: .delayed,
                    fallback: 0, doc: "Last month's stockpile releases: supply the price sees"),
                InputDeclaration(
                    "stockpile.level", keys: world.importerKeys, unit: .tonnes, timing: .delayed, fallback: 0,
                    doc: "Last month's stocks: with the precautionary stock, the world's stock cover the price sees"),
                // Open inputs: any number of modules may produce them; the kernel sums them.
                InputDeclaration(
                    "market.extra_supply", keys: world.importerKeys, unit: .tonnesPerMonth, summed: true,
                    doc: "Supply the importer has outside trade (recycling, a domestic mine): met before imports"),
                InputDeclaration(
                    "market.extra_exports", keys: world.exporterKeys, unit: .tonnesPerMonth, summed: true,
                    doc: "Supply an exporter offers beyond its capacity (a new mine): spare capacity for re-sourcing"),
                InputDeclaration(
                    "market.demand_adjustment", keys: world.importerKeys, unit: .tonnesPerMonth, timing: .delayed,
                    summed: true,
                    doc:
                        "Last month's change of the importer's demand (negative: thrifting, substitution by a module)"),
            ],
            outputs: [
                OutputDeclaration(
                    "demand", keys: world.importerKeys, unit: .tonnesPerMonth,
                    doc: "Demand D after price response and substitution, plus stockpile purchases", title: "Demand"),
                OutputDeclaration(
                    "imports", keys: world.importerKeys, unit: .tonnesPerMonth,
                    doc: "Imports M: direct flows plus re-sourced supply", title: "Imports"),
                OutputDeclaration(
                    "shortfall", keys: world.importerKeys, unit: .tonnesPerMonth, doc: "Shortfall max(0, D − M)",
                    headline: true, title: "Shortfall"),
                OutputDeclaration(
                    "alt_supply", keys: world.importerKeys, unit: .tonnesPerMonth,
                    doc: "Re-sourced supply from exporters that do not restrict the importer", title: "Re-sourced supply"),
                OutputDeclaration(
                    "share", keys: world.pairKeys, unit: .dimensionless,
                    doc: "Share of the importer's imports supplied by the exporter (re-sourcing included)",
                    title: "Share of imports by exporter"),
                OutputDeclaration(
                    "price", keys: world.commodities, unit: .usdPerKilogram,
                    doc: "Price outside the restricting country", headline: true, title: "Price"),
                OutputDeclaration(
                    "export_loss", keys: world.exporterKeys, unit: .usd,
                    doc: "Exports blocked this month, valued at the baseline price (t · 1000 · p0)",
                    title: "Blocked exports (value)"),
                OutputDeclaration(
                    "substitution", keys: world.importerKeys, unit: .dimensionless,
                    doc: "Share of demand substituted away (σ)", title: "Share of demand substituted"),
                OutputDeclaration(
                    "capacity", keys: world.exporterKeys, unit: .tonnesPerMonth,
                    doc: "Export capacity K after expansion and scenario factors", title: "Export capacity"),
                OutputDeclaration(
                    "surplus", keys: world.importerKeys, unit: .tonnesPerMonth,
                    doc: "Imports beyond demand (deferred volume delivered late), stocked by industry",
                    title: "Imports beyond demand"),
                OutputDeclaration(
                    "thrifting", keys: world.importerKeys, unit: .dimensionless,
                    doc: "Lasting demand reduction θ (thrifting, redesign): grows while the price is elevated, never falls",
                    title: "Lasting demand reduction"),
                OutputDeclaration(
                    "hoard", keys: world.commodities, unit: .tonnes,
                    doc: "Precautionary and speculative stock buyers hold beyond their working stock",
                    title: "Precautionary stock"),
                OutputDeclaration(
                    "threat", keys: world.commodities, unit: .dimensionless,
                    doc: "Buyers' expectation of the share of supply they will lose (smoothed)",
                    title: "Expected supply loss"),
                OutputDeclaration(
                    "deferred", keys: world.importerKeys, unit: .tonnes,
                    doc: "Blocked volume awaiting delivery once the restriction is lifted", title: "Deferred deliveries"),
            ],
            metrics: [
                MetricDeclaration(
                    "shortfall_total", keys: world.importerKeys, kind: .quantity(.tonnes),
                    doc: "Sum of the monthly shortfall over the run"),
                MetricDeclaration(
                    "peak_price", keys: world.commodities, kind: .quantity(.usdPerKilogram),
                    doc: "Highest monthly price"),
                MetricDeclaration(
                    "peak_price_at", keys: world.commodities, kind: .month, doc: "Month of the highest price (none if it never rose above p0)"),
                MetricDeclaration(
                    "export_loss_total", keys: world.exporterKeys, kind: .quantity(.usd),
                    doc: "Sum of blocked exports over the run, valued at p0"),
                MetricDeclaration(
                    "months_at_price_cap", keys: world.commodities, kind: .quantity(.months),
                    doc: "Months in which the market price would exceed max_price_multiple · p0: the price shown is the cap",
                    bound: "price at its cap (max_price_multiple)|the result is the cap, not the market"),
                MetricDeclaration(
                    "months_without_alternative", keys: world.importerKeys, kind: .quantity(.months),
                    doc: "Months in which the importer lost supply and no other exporter had spare capacity or a contract to replace it",
                    bound: "supply lost that no other supplier could replace|the shortfall rests on the data having no alternative"),
                MetricDeclaration(
                    "months_at_max_response", keys: world.importerKeys, kind: .quantity(.months),
                    doc: "Months with substitution σ at max_substitution or thrifting θ at max_thrifting",
                    bound: "demand reduction at its ceiling (max_substitution or max_thrifting)|the response is the ceiling, not the market"),
            ])
    }

    /// A fresh per-run instance.
    public func instantiate(in context: ModelContext, wiring: Wiring) throws -> any ModelInstance {
        TradeInstance(layout: try TradeLayout(world: TradeWorld(context.dataset, scenario: context.scenario), wiring: wiring))
    }

    /// Flattens the dataset once per composition; each run then only allocates its state.
    public func prepare(in context: ModelContext, wiring: Wiring) throws -> any ModelFactory {
        TradeFactory(layout: try TradeLayout(world: TradeWorld(context.dataset, scenario: context.scenario), wiring: wiring))
    }

    /// The batch form (``TradeBatch``): ensembles step blocks of runs through it.
    public func prepareBatch(in context: ModelContext, wiring: Wiring) throws -> (any BatchModelFactory)? {
        TradeFactory(layout: try TradeLayout(world: TradeWorld(context.dataset, scenario: context.scenario), wiring: wiring))
    }
}


extension TradeModel {
    /// `v1` (Lodestone 1's market), `v2` (the defaults until v3) and `v3` (the defaults).
    public func presets(for dataset: Dataset) -> [Preset] { [TradeParameters.v1, TradeParameters.v2, TradeParameters.v3] }
}

/// Registers the `trade` module, exactly as a plugin would register its own.
public func registerTrade(in registry: inout Registry) throws {
    try registry.register(model: TradeModel())
}
