import LodestoneKernel

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

// The expected-scarcity premium (a candidate of the market model v2, Docs/Models.md, "Expected
// scarcity: a premium from the months of cover left"): competitive storage's arbitrage between
// selling a tonne of stock now and holding it until the stocks are gone.
extension TradeInstance {
    /// The price p_e (USD/kg) below which no holder sells: the coming shortage's price
    /// `p0 · (1 − min(0.95, d/D))^(−1/ε_p)` discounted by `e^(−M/H)`, where `d` is this month's world
    /// deficit (t/month, the demand imports do not meet), `D` world demand (t/month), `M = S/d` the
    /// months the world's stocks `S` (last month's stockpile levels, t) last at that draw and `H`
    /// the horizon (months, > 0). 0 when nothing is drawn. With no stocks `M = 0` and p_e is the
    /// market's own price for the deficit, so a spent stock and no stock give the same price.
    func scarcityPrice(_ c: Int, horizon: Double, deficit: Double, demand: Double, elasticity: Double) -> Double {
        guard deficit > 0, demand > 0 else { return 0 }
        var cover = 0.0
        if hasStocks {
            for i in 0..<I { cover += max(0, stocks[i * C + c]) }
        }
        let shortage = basePrice[c] * pow(1 - min(0.95, deficit / demand), -1 / elasticity)
        return shortage * exp(-cover / (deficit * horizon))
    }
}
