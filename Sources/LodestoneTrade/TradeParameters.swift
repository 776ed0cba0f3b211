import LodestoneKernel

/// The `trade` module's parameters (DESIGN §3.1), with units, defaults and ranges.
///
/// Per-commodity parameters are keyed by commodity code (`trade.leakage["DyTb"]`); setting one
/// without a key sets every commodity.
public enum TradeParameters {
    /// The `v1` preset: every mechanism of the market model v2 at its neutral value, so that the
    /// equations are Lodestone 1's bit for bit (`Tests/LodestoneScriptTests/V1PresetTests.swift`),
    /// for reproducing results from before v2 became the default.
    public static let v1 = Preset(
        "v1", doc: "Lodestone 1's market: no thrifting, leakage, deferral, hoarding or releases in the price, cap 30 × p0",
        values: [
            ("substitution_per_year", 0.10), ("thrifting_per_year", 0), ("deferred_share", 0), ("catch_up_months", 2),
            ("hoard_months", 0), ("speculation_months", 0), ("scarcity_horizon_months", 0), ("release_in_price", 0), ("quota_carryover", 0), ("stock_price_elasticity", 0),
            ("leakage", 0), ("max_price_multiple", 30),
        ])

    /// The `v2` preset: the market model v2's mechanisms switched on with their documented values
    /// (Docs/Models.md, "Market model v2"), without the expected-scarcity premium: the defaults
    /// from session 5 to session 8, kept for reproducing their results. Half of the 10 %/year
    /// demand response becomes lasting thrifting; 30 % of restricted or quota-cut volume still
    /// arrives (the customs gap of 2006–2008); the cap rises to 100 × p0 so that the market, not
    /// the cap, sets the price; the price's stock-cover term prices the world's stocks.
    public static let v2 = Preset(
        "v2", doc: "The market model v2 (the defaults until v3): leaky quotas with carry-over, deferred deliveries, precautionary hoarding, stock cover and releases in the price, lasting thrifting",
        values: [
            ("substitution_per_year", 0.05), ("thrifting_per_year", 0.05), ("deferred_share", 1), ("catch_up_months", 1),
            ("hoard_months", 3), ("release_in_price", 1), ("quota_carryover", 1), ("stock_price_elasticity", 1),
            ("leakage", 0.3), ("max_price_multiple", 100), ("stock_reference_days", 30), ("scarcity_horizon_months", 0),
        ])

    /// The `v3` preset (the defaults): v2 with the expected-scarcity premium in place of the
    /// stock-cover term, at its a-priori horizon of 6 months (China's half-yearly export licences
    /// before 2010; Docs/Models.md, "Market model v3"). It removes the stock term's floor, which
    /// could multiply a deficit's price by up to 20 once a stock was spent.
    public static let v3 = Preset(
        "v3", doc: "The market model v3 (the defaults): v2 with the expected-scarcity premium (horizon 6 months) in place of the stock-cover term",
        values: [
            ("substitution_per_year", 0.05), ("thrifting_per_year", 0.05), ("deferred_share", 1), ("catch_up_months", 1),
            ("hoard_months", 3), ("release_in_price", 1), ("quota_carryover", 1), ("stock_price_elasticity", 1),
            ("leakage", 0.3), ("max_price_multiple", 100), ("stock_reference_days", 30), ("scarcity_horizon_months", 6),
        ])

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
                "leakage", .dimensionless, 0.3, 0...1,
                "Share λ of blocked volume that still arrives through third countries (v1: 0)"),
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
                "max_price_multiple", .dimensionless, 100, 1...1000,
                "Cap on p* as a multiple of p0, high enough that the market, not the cap, sets the price (v1: 30)"),
            perCommodity(
                "substitution_per_year", .perYear, 0.05, 0...1,
                "Yearly change of the substituted share σ while the price is elevated (> 1.5 p0), reversed otherwise (v1: 0.10)"),
            perCommodity(
                "max_substitution", .dimensionless, 0.3, 0...0.95, "Upper bound of the substituted share σ"),
            perCommodity(
                "expansion_per_year", .perYear, 0.04, 0...1,
                "Capacity added per year outside restricting exporters after a long elevated price, as a share of world baseline demand"),
            ParameterDeclaration(
                "expansion_lag_months", unit: .months, default: 12, range: 0...1200,
                doc: "Consecutive elevated-price months before new capacity starts to come on line"),
            // Market model v2 (Docs/Models.md, "Market model v2"); the `v1` preset sets each to its neutral value.
            perCommodity(
                "thrifting_per_year", .perYear, 0.05, 0...1,
                "Yearly growth of the lasting demand reduction θ (thrifting, redesign) while the price is elevated; θ never falls back (v1: 0)"),
            perCommodity(
                "max_thrifting", .dimensionless, 0.3, 0...0.95, "Upper bound of the lasting demand reduction θ"),
            perCommodity(
                "deferred_share", .dimensionless, 1, 0...1,
                "Share of the volume a restriction blocks that is only delayed: delivered once the restriction on the pair is lifted (v1: 0)"),
            ParameterDeclaration(
                "catch_up_months", unit: .months, default: 1, range: 0...1200,
                doc: "Time constant of delivering deferred volume once a restriction is lifted; 0 = all at once (v1: 2, unused)"),
            perCommodity(
                "hoard_months", .months, 3, 0...60,
                "Precautionary stock buyers want, in months of the supply they expect to lose (v1: 0)"),
            ParameterDeclaration(
                "threat_months", unit: .months, default: 6, range: 0...1200,
                doc: "Time constant of buyers' expectation of lost supply: how slowly they come to expect, and stop expecting, a loss"),
            ParameterDeclaration(
                "hoard_adjust_months", unit: .months, default: 3, range: 0...1200,
                doc: "Time constant of building or selling the precautionary stock"),
            perCommodity(
                "speculation_months", .months, 0, 0...60,
                "Speculative stock buyers want on a rising price, in months of world baseline demand at full conviction: r/(1 + r) of it, r the price's rise over its trend reference (a candidate mechanism, off by default; Docs/Validation.md runs it with 3)"),
            ParameterDeclaration(
                "trend_months", unit: .months, default: 6, range: 0...1200,
                doc: "Time constant of the reference price p̄ buyers measure a rise against (Sterman's TREND): the rise is (p − p̄)/p̄"),
            ParameterDeclaration(
                "quota_carryover", unit: .dimensionless, default: 1, range: 0...1,
                doc: "Share of last calendar year's unused export quota usable this year, spread over its months (v1: 0)"),
            perCommodity(
                "stock_price_elasticity", .dimensionless, 1, 0...10,
                "Elasticity of the price to the world's stock cover: p* is multiplied by (cover / cover at the start)^(−value) (v1: 0)"),
            ParameterDeclaration(
                "stock_reference_days", unit: .days, default: 30, range: -1...3650,
                doc: "Reference cover of the price's stock term, in days of world baseline demand: cover₀ = min(stocks at the start, this), so stocks above it do not count as scarcity when spent (default 30: the world drew about a month of its demand from stocks in 2009 at no scarcity premium); −1 = stocks at the start (under which a larger stock that is run down raises the peak price: Docs/Models.md)"),
            ParameterDeclaration(
                "scarcity_horizon_months", unit: .months, default: 6, range: 0...1200,
                doc: "Horizon H of the expected-scarcity premium: the price is at least the coming shortage's price p0 (1 − d/D)^(−1/ε_p) discounted by e^(−M/H), M the months the world's stocks last at this month's deficit d; it replaces the stock-cover term while > 0 (default 6: China issued its export licences per half-year before 2010; 0 = off, the stock-cover term instead, as in v2 and v1)"),
            ParameterDeclaration(
                "release_in_price", unit: .dimensionless, default: 1, range: 0...1,
                doc: "Weight of last month's stockpile releases as supply in the price (1: releases lower the price; 0: they do not, as in v1)"),
        ]
    }
}
