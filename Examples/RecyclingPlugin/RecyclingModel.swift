import LodestoneKernel

/// The `recycling` module, shipped as the reference plugin that *takes part in* the market: it
/// recovers rare-earth oxide from end-of-life magnets and offers it to the importer as
/// `market.extra_supply`, which trade meets demand with before imports (Docs/Models.md, "Open
/// inputs").
///
/// Per importer i and magnet commodity c (NdPr, DyTb; or NdPr, Dy, Tb), month t (README.md has the sources):
/// - potential `P[i,c]` = D0[i,c] · (1 + `use_growth_per_year`)^(−`lifetime_years`) ·
///   `collection_rate` · `recovery_rate`, t/month: magnets bought `lifetime_years` ago, when use was
///   smaller, reach their end of life now, and part of their oxide comes back;
/// - the share of the potential that plants can take, κ[c], starts at `initial_share` and grows by
///   `build_per_year` / 12 a month (up to 1, never down) once the price `trade.price[c]` of last
///   month has been above `price_trigger` · p0 for more than `build_lag_months` months in a row;
/// - `market.extra_supply[i/c]` = κ[c] · P[i,c].
public struct RecyclingModel: BatchModel {
    /// The module's name, `recycling`.
    public let name = "recycling"
    /// One line for `:modules`.
    public let summary = "Oxide recovered from end-of-life magnets, offered to importers as extra supply"

    /// The commodities magnets are made of: NdPr and DyTb in the 2024 datasets, NdPr, Dy and Tb in
    /// `baseline-2026` (whichever the dataset has).
    static let magnetCommodities = ["NdPr", "DyTb", "Dy", "Tb"]

    /// Creates the module.
    public init() {}

    /// The magnet commodities the dataset has.
    static func commodities(_ dataset: Dataset) -> [String] {
        magnetCommodities.filter { dataset.commodityCodes.contains($0) }
    }

    /// `importer/commodity` keys of the magnet commodities, importer-major.
    static func supplyKeys(_ dataset: Dataset) -> [String] {
        dataset.importers.flatMap { i in commodities(dataset).map { "\(i)/\($0)" } }
    }

    /// Lifetimes, growth, collection and recovery per commodity; how capacity responds to price.
    public func parameters(for dataset: Dataset) -> [ParameterDeclaration] {
        let commodities = Self.commodities(dataset)
        func perCommodity(_ name: String, unit: UnitSymbol, _ value: Double, _ range: ClosedRange<Double>, _ doc: String)
            -> ParameterDeclaration
        {
            ParameterDeclaration(
                name, unit: unit, keys: commodities, defaults: commodities.map { _ in value }, range: range, doc: doc)
        }
        return [
            perCommodity(
                "lifetime_years", unit: "years", 12, 1...50,
                "Average service life of the magnets in use (assumption: motors and wind turbines longer, electronics shorter)"),
            perCommodity(
                "use_growth_per_year", unit: .perYear, 0.07, 0...1,
                "Yearly growth of magnet use over their lifetime (assumption)"),
            perCommodity(
                "collection_rate", unit: .dimensionless, 0.5, 0...1,
                "Share of end-of-life magnets collected for recycling once plants exist (assumption: a policy target)"),
            perCommodity(
                "recovery_rate", unit: .dimensionless, 0.9, 0...1,
                "Share of the oxide in collected magnets that is recovered (assumption)"),
            perCommodity(
                "initial_share", unit: .dimensionless, 0.01, 0...1,
                "Share of the potential recycled at the start (UNEP 2011: under 1 % of rare earths are recycled)"),
            ParameterDeclaration(
                "price_trigger", unit: .dimensionless, default: 1.5, range: 1...1000,
                doc: "Price multiple of p0 above which recyclers build capacity (trade's `elevated`)"),
            ParameterDeclaration(
                "build_lag_months", unit: .months, default: 6, range: 0...1200,
                doc: "Months of elevated price before new capacity recycles (assumption)"),
            perCommodity(
                "build_per_year", unit: .perYear, 0.5, 0...12,
                "Share of the potential added as capacity per year of elevated price (assumption)"),
        ]
    }

    /// Reads last month's price; writes extra supply (the market's open input) and its own signals.
    public func interface(in context: ModelContext) throws -> ModelInterface {
        let keys = Self.supplyKeys(context.dataset)
        let commodities = Self.commodities(context.dataset)
        return ModelInterface(
            inputs: [
                InputDeclaration(
                    "trade.price", keys: commodities, unit: .usdPerKilogram, timing: .delayed, fallback: 0,
                    doc: "Last month's price: recyclers build capacity while it is high")
            ],
            outputs: [
                OutputDeclaration(
                    "market.extra_supply", keys: keys, unit: .tonnesPerMonth,
                    doc: "Oxide recovered from end-of-life magnets, met before imports"),
                OutputDeclaration(
                    "recycled", keys: keys, unit: .tonnesPerMonth,
                    doc: "Oxide recovered from end-of-life magnets this month", headline: true),
                OutputDeclaration(
                    "potential", keys: keys, unit: .tonnesPerMonth,
                    doc: "What recycling every end-of-life magnet collected would recover"),
                OutputDeclaration(
                    "capacity_share", keys: commodities, unit: .dimensionless,
                    doc: "Share of the potential that plants can recycle (κ)"),
            ],
            metrics: [
                MetricDeclaration(
                    "recycled_total", keys: keys, kind: .quantity(.tonnes), doc: "Oxide recycled over the run")
            ])
    }

    /// Flattens the dataset and resolves every name once per composition; the factory makes the
    /// instances (blocks of runs in ensembles, a block of one for a single run).
    public func batchFactory(in context: ModelContext, wiring: Wiring) throws -> any BatchModelFactory {
        let dataset = context.dataset
        let commodities = Self.commodities(dataset)
        let demand = dataset.importers.flatMap { i in
            commodities.map { dataset.baselineDemand(importer: i, commodity: $0) }
        }
        let prices = commodities.map { c in dataset.commodities.first { $0.code == c }!.priceUSDPerKilogram }
        return RecyclingFactory(refs: try RecyclingRefs(wiring), baselineDemand: demand, basePrice: prices)
    }
}
