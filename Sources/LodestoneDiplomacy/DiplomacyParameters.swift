import LodestoneKernel

/// The `diplomacy` module's parameters (DESIGN §3.3).
public enum DiplomacyParameters {
    /// Default most restrictive share per commodity code: 1.0 for DyTb, 0.5 for NdPr, 0.3 for
    /// Other, 1.0 for any other code.
    public static func defaultMaxRestriction(_ commodity: String) -> Double {
        switch commodity {
        case "DyTb": 1.0
        case "NdPr": 0.5
        case "Other": 0.3
        default: 1.0
        }
    }

    /// The declarations for a dataset's commodities and regions.
    public static func declarations(commodities: [String], regions: [String]) -> [ParameterDeclaration] {
        [
            ParameterDeclaration(
                "baseline_tension", unit: .dimensionless, default: 0.2, range: 0...1,
                doc: "Tension θ before any incident, and the level it decays toward"),
            ParameterDeclaration(
                "half_life_months", unit: .months, default: 6, range: 0...Double.infinity,
                doc: "Half-life of the decay toward the baseline; 0 = at once, ∞ = never"),
            ParameterDeclaration(
                "threshold", unit: .dimensionless, default: 0.5, range: 0...0.99,
                doc: "Tension above which the restrictor curbs exports"),
            ParameterDeclaration(
                "max_restriction", unit: .dimensionless, keys: commodities,
                defaults: commodities.map(defaultMaxRestriction), range: 0...1,
                doc: "Share of exports blocked at full tension, per commodity"),
            ParameterDeclaration(
                "settle_base", unit: .perMonth, default: 0.03, range: 0...1,
                doc: "Monthly settlement probability without pain or talks"),
            ParameterDeclaration(
                "settle_pain_target", unit: .perMonth, default: 0.5, range: 0...10,
                doc: "Hazard added per unit of the target's pain (unmet demand by value / demand by value)"),
            ParameterDeclaration(
                "settle_pain_restrictor", unit: .perMonth, default: 0.5, range: 0...10,
                doc: "Hazard added per unit of the restrictor's pain (blocked / baseline exports by value)"),
            ParameterDeclaration(
                "settle_relief", unit: .dimensionless, default: -1, range: -1...1,
                doc: "Tension right after a settlement; −1 = baseline_tension"),
            ParameterDeclaration(
                "concession", unit: "USD/year", keys: regions, defaults: regions.map { _ in 0 }, range: 0...1e13,
                doc:
                    "Value of what the region offers as a target to settle (a tariff cut: the duty it forgoes), USD/year; 0 = none"
            ),
            ParameterDeclaration(
                "settle_concession", unit: .perMonth, default: 0.5, range: 0...10,
                doc:
                    "Most hazard a concession adds: hazard += settle_concession · κ/(1+κ), κ = concession / the restrictor's rare-earth exports by value (assumption)"
            ),
        ]
    }
}

/// The directed pairs of a scenario with the keys diplomacy reads and writes.
struct DiplomacyPairs: Sendable {
    /// `a>b` per pair.
    let keys: [String]
    /// `a>b/c`, index `p * C + c`.
    let restrictionKeys: [String]
    /// `b/c` of each pair's target, index `p * C + c`.
    let targetKeys: [String]
    /// `a/c` of each pair's restrictor, index `p * C + c`.
    let restrictorKeys: [String]
    /// Baseline price p0 per commodity, USD/kg.
    let basePrice: [Double]
    /// The target's index among the dataset's regions (the key of `concession`), per pair.
    let targetRegion: [Int]
    /// The restrictor's baseline rare-earth exports by value, all commodities (USD/year), per pair.
    let restrictorExportsPerYear: [Double]
    /// Restrictor's baseline exports of c valued at p0 (USD/month), index `p * C + c`.
    let baselineExportValue: [Double]
    let commodityCount: Int

    init(_ context: ModelContext) {
        let dataset = context.dataset
        let commodities = dataset.commodityCodes
        keys = context.scenario.diplomaticPairs
        commodityCount = commodities.count
        basePrice = dataset.commodities.map(\.priceUSDPerKilogram)
        var restrictionKeys: [String] = []
        var targetKeys: [String] = []
        var restrictorKeys: [String] = []
        var exportValue: [Double] = []
        var targetRegion: [Int] = []
        var restrictorExports: [Double] = []
        for pair in keys {
            let parts = pair.split(separator: ">").map(String.init)
            let (a, b) = (parts[0], parts.count > 1 ? parts[1] : "")
            targetRegion.append(dataset.regionCodes.firstIndex(of: b) ?? -1)
            var yearly = 0.0
            for (c, code) in commodities.enumerated() {
                restrictionKeys.append("\(pair)/\(code)")
                targetKeys.append("\(b)/\(code)")
                restrictorKeys.append("\(a)/\(code)")
                let tonnes = dataset.flows.filter { $0.exporter == a && $0.commodity == code }
                    .reduce(0) { $0 + $1.tonnesPerYear } / 12
                exportValue.append(tonnes * 1000 * basePrice[c])
                yearly += 12 * tonnes * 1000 * basePrice[c]
            }
            restrictorExports.append(yearly)
        }
        self.targetRegion = targetRegion
        restrictorExportsPerYear = restrictorExports
        self.restrictionKeys = restrictionKeys
        self.targetKeys = targetKeys
        self.restrictorKeys = restrictorKeys
        baselineExportValue = exportValue
    }
}
