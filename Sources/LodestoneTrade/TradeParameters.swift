import LodestoneKernel

/// The `trade` module's parameters (DESIGN §3.1), with units, defaults and ranges.
///
/// Per-commodity parameters are keyed by commodity code (`trade.leakage["DyTb"]`); setting one
/// without a key sets every commodity.
public enum TradeParameters {
    /// The declarations for a dataset's commodities.
    public static func declarations(commodities: [String]) -> [ParameterDeclaration] {
        func perCommodity(
            _ name: String, _ unit: UnitSymbol, _ value: Double, _ range: ClosedRange<Double>, _ doc: String
        ) -> ParameterDeclaration {
            ParameterDeclaration(
                name, unit: unit, keys: commodities, defaults: commodities.map { _ in value }, range: range, doc: doc)
        }
        return [
            ParameterDeclaration(
                "ramp_months", unit: .months, default: 6, range: 0...Double.infinity,
                doc: "Time constant τ of re-sourcing from other exporters; 0 = at once, ∞ = never"),
            perCommodity(
                "leakage", .dimensionless, 0, 0...1,
                "Share λ of blocked volume that still arrives through third countries"),
            perCommodity(
                "demand_elasticity", .dimensionless, 0.1, 0...5,
                "Price elasticity ε_d of demand: D ∝ (p/p0)^(−ε_d)"),
            perCommodity(
                "price_elasticity", .dimensionless, 0.15, 0.01...10,
                "Elasticity ε_p of the price response to the market's shortfall: p* = p0 (1 − x)^(−1/ε_p)"),
            ParameterDeclaration(
                "price_lag_months", unit: .months, default: 1, range: 0...Double.infinity,
                doc: "Time constant of the price's move toward p*; 0 = at once"),
            perCommodity(
                "max_price_multiple", .dimensionless, 30, 1...1000,
                "Cap on p* as a multiple of p0 (2010–2011 oxide prices rose by multiples of that order)"),
            perCommodity(
                "substitution_per_year", .perYear, 0.10, 0...1,
                "Yearly change of the substituted share σ while the price is elevated (> 1.5 p0), reversed otherwise"),
            perCommodity(
                "max_substitution", .dimensionless, 0.3, 0...0.95, "Upper bound of the substituted share σ"),
            perCommodity(
                "expansion_per_year", .perYear, 0.04, 0...1,
                "Capacity added per year outside restricting exporters after a long elevated price, as a share of world baseline demand"),
            ParameterDeclaration(
                "expansion_lag_months", unit: .months, default: 12, range: 0...1200,
                doc: "Consecutive elevated-price months before new capacity starts to come on line"),
        ]
    }
}
