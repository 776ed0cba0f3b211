import LodestoneKernel

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

// The expected-scarcity premium (a candidate of the market model v2, Docs/Models.md, "Expected
// scarcity: a premium from the months of cover left"): competitive storage's arbitrage between
// selling a tonne of stock now and holding it until the stocks are gone. One function serves the
// per-run and the batch form, so both compute the same number.
enum ScarcityPremium {
    /// The price p_e (USD/kg) below which no holder sells: the coming shortage's price
    /// `p0 · (1 − min(0.95, d/D))^(−1/ε_p)` discounted by `e^(−M/H)`, where `d` is this month's world
    /// deficit (t/month, the demand imports do not meet), `D` world demand (t/month), `M = S/d` the
    /// months the world's stocks `S` (t, last month's stockpile levels) last at that draw and `H`
    /// the horizon (months, > 0). 0 when nothing is drawn. With no stocks `M = 0` and p_e is the
    /// market's own price for the deficit, so a spent stock and no stock give the same price.
    static func price(
        basePrice p0: Double, cover: Double, deficit: Double, demand: Double, elasticity: Double, horizon: Double
    ) -> Double {
        guard deficit > 0, demand > 0 else { return 0 }
        let shortage = p0 * pow(1 - min(0.95, deficit / demand), -1 / elasticity)
        return shortage * exp(-cover / (deficit * horizon))
    }
}

extension TradeInstance {
    /// ``ScarcityPremium/price(basePrice:cover:deficit:demand:elasticity:horizon:)`` for commodity
    /// `c`, with the world's stocks summed as the stock term sums them.
    func scarcityPrice(
        _ frame: StepFrame, _ c: Int, horizon: Double, deficit: Double, demand: Double, elasticity: Double,
        basePrice: Double
    ) -> Double {
        // Without a deficit or demand the premium is 0 whatever the stocks: no sum.
        guard deficit > 0, demand > 0 else { return 0 }
        var cover = 0.0
        if refs.hasStocks {
            readStocks(frame)
            let state = self.state
            let stocks = state.values(of: self.stocks)
            var k = c  // every importer's key i*C+c, in importer order
            while k < stocks.count {
                cover += stocks[k]
                k &+= C
            }
        }
        return ScarcityPremium.price(
            basePrice: basePrice, cover: cover, deficit: deficit, demand: demand, elasticity: elasticity, horizon: horizon)
    }
}
