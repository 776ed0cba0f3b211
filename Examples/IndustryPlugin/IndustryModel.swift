import LodestoneKernel

/// The `industry` module (DESIGN §3.4), shipped as the reference runtime plugin: turns unmet
/// rare-earth demand into output at risk by downstream sector, with substitution that grows the
/// longer a shortage lasts.
///
/// Per importer i, sector g and month t (README.md has the derivation and sources):
/// - `u[c,i]` = `stockpile.unmet[i/c]` (or `trade.shortfall[i/c]` without stockpile), t/month;
/// - `a[c,g]` = `sector_share[c/g]` / max(1, Σ_g sector_share[c/g]);
/// - gross `G[i,g]` = max_c a[c,g] · u[c,i] · `value_per_tonne[c/g]` (the scarcest input binds);
/// - `σ[i,g]` = min(`max_substitution[g]`, `substitution_per_year[g]` / 12 · n), n = earlier
///   months with G > 0;
/// - `output_at_risk[i/g]` = (1 − σ) · G, USD/month; metric `output_at_risk_total[i]` = Σ_t Σ_g.
///
/// Two-way: substitution is lasting (a motor redesigned without dysprosium stays redesigned), so
/// it also lowers the importer's demand on the world market, through trade's open input
/// (Docs/Models.md, "Open inputs"):
/// - `σ'[i,g]` = min(`max_substitution[g]`, `substitution_per_year[g]` / 12 · n'), n' = months up
///   to this one with G > 0 (the σ the sector works with next month);
/// - `market.demand_adjustment[i/c]` = −`market_feedback` · D0[i,c] · Σ_g a[c,g] · σ'[i,g],
///   t/month, which trade reads in the next month (it reads the input delayed).
public struct IndustryModel: BatchModel {
    /// The module's name, `industry`.
    public let name = "industry"
    /// One line for `:modules`.
    public let summary = "Output at risk by sector from unmet rare-earth demand, with substitution over time"

    /// Creates the module.
    public init() {}

    /// `commodity/sector` keys, commodity-major.
    static func commoditySectorKeys(_ dataset: Dataset) -> [String] {
        dataset.commodityCodes.flatMap { c in IndustrySectors.codes.map { "\(c)/\($0)" } }
    }

    /// `importer/commodity` keys, importer-major (the keys of `stockpile.unmet`).
    static func demandKeys(_ dataset: Dataset) -> [String] {
        dataset.importers.flatMap { i in dataset.commodityCodes.map { "\(i)/\($0)" } }
    }

    /// `importer/sector` keys, importer-major.
    static func sectorKeys(_ dataset: Dataset) -> [String] {
        dataset.importers.flatMap { i in IndustrySectors.codes.map { "\(i)/\($0)" } }
    }

    /// Sector shares and values per tonne keyed `commodity/sector`; substitution keyed by sector.
    public func parameters(for dataset: Dataset) -> [ParameterDeclaration] {
        let commodities = dataset.commodityCodes
        let zeros = [Double](repeating: 0, count: IndustrySectors.codes.count)
        return [
            ParameterDeclaration(
                "sector_share", unit: .dimensionless, keys: Self.commoditySectorKeys(dataset),
                defaults: commodities.flatMap { IndustrySectors.shares[$0] ?? zeros }, range: 0...1,
                doc:
                    "Share of the commodity's use that goes to the sector (scaled down if a commodity's shares sum above 1)"
            ),
            ParameterDeclaration(
                "value_per_tonne", unit: "USD/t", keys: Self.commoditySectorKeys(dataset),
                defaults: commodities.flatMap { IndustrySectors.valuePerTonne[$0] ?? zeros },
                range: 0...Double.infinity,
                doc: "Value of the sector's output that needs one tonne of the commodity"),
            ParameterDeclaration(
                "substitution_per_year", unit: .perYear, keys: IndustrySectors.codes,
                defaults: IndustrySectors.substitutionPerYear, range: 0...12,
                doc: "Share of the sector's output at risk saved by substitution per year of shortage"),
            ParameterDeclaration(
                "max_substitution", unit: .dimensionless, keys: IndustrySectors.codes,
                defaults: IndustrySectors.maxSubstitution, range: 0...1,
                doc: "Most of the sector's output at risk that substitution can save"),
            ParameterDeclaration(
                "market_feedback", unit: .dimensionless, default: 1, range: 0...1,
                doc:
                    "Share of the rare-earth use that substitution replaces which leaves the world market (0: industry only reports; assumption: all of it)"
            ),
        ]
    }

    /// Reads unmet demand (stockpile) or the shortfall (trade); writes output at risk by sector.
    public func interface(in context: ModelContext) throws -> ModelInterface {
        let demand = Self.demandKeys(context.dataset)
        let sectors = Self.sectorKeys(context.dataset)
        return ModelInterface(
            inputs: [
                InputDeclaration(
                    "stockpile.unmet", keys: demand, unit: .tonnesPerMonth, fallback: 0,
                    doc: "Demand left unmet after stock releases (preferred when stockpile is in the model)"),
                InputDeclaration(
                    "trade.shortfall", keys: demand, unit: .tonnesPerMonth, fallback: 0,
                    doc: "Trade shortfall, used when stockpile is not in the model"),
            ],
            outputs: [
                OutputDeclaration(
                    "output_at_risk", keys: sectors, unit: "USD/month",
                    doc:
                        "Value of the sector's monthly output that cannot be made for lack of rare earths, after substitution",
                    headline: true),
                OutputDeclaration(
                    "substitution", keys: sectors, unit: .dimensionless,
                    doc: "Share of the sector's gross output at risk saved by substitution this month"),
                OutputDeclaration(
                    "market.demand_adjustment", keys: demand, unit: .tonnesPerMonth,
                    doc: "Rare-earth demand the sectors' lasting substitution takes off the market (≤ 0)"),
            ],
            metrics: [
                MetricDeclaration(
                    "output_at_risk_total", keys: context.dataset.importers, kind: .quantity(.usd),
                    doc: "Output at risk summed over sectors and months")
            ])
    }

    /// Flattens the dataset and resolves every name once per composition; the factory makes the
    /// instances (blocks of runs in ensembles, a block of one for a single run).
    public func batchFactory(in context: ModelContext, wiring: Wiring) throws -> any BatchModelFactory {
        let dataset = context.dataset
        let demand = dataset.importers.flatMap { i in
            dataset.commodityCodes.map { dataset.baselineDemand(importer: i, commodity: $0) }
        }
        let importers = dataset.importers.count, commodities = dataset.commodityCodes.count
        return IndustryFactory(
            refs: try IndustryRefs(wiring, needsUnmetDemand: importers * commodities > 0), importers: importers,
            commodities: commodities, baselineDemand: demand)
    }
}
