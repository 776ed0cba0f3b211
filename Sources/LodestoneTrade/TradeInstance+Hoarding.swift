import LodestoneKernel

// Precautionary and speculative hoarding (market model v2, Docs/Models.md): buying toward a stock
// sized by the supply buyers expect to lose and by the price's rise, and selling it again.
extension TradeInstance {
    /// Precautionary and speculative buying (v2): buyers want `hoard_months` of the supply they
    /// expect to lose plus, while the price rises, `speculation_months` × r/(1 + r) of world
    /// demand, r = max(0, (p − p̄)/p̄) the rise over the trend reference p̄:
    /// H* = (hoard_months · E + speculation_months · r/(1 + r)) · Σ_i D0. They move toward it with
    /// time constant `hoard_adjust_months`. E, p and p̄ are last month's, so this month's purchase
    /// b is known before demand.
    func updateHoard(_ frame: StepFrame) {
        let months = frame.parameters(refs.hoardMonths)
        let speculation = frame.parameters(refs.speculationMonths)
        let adjust = smoothing(.hoardAdjust, frame.parameter(refs.hoardAdjustMonths, 0))
        hasHoard = false
        for c in 0..<C {
            let worldDemand = self.worldDemand[c]
            var wanted = months[c] * threat[c] * worldDemand
            if speculation[c] > 0 {
                let rise = max(0, (price[c] - referencePrice[c]) / referencePrice[c])
                wanted += speculation[c] * rise / (1 + rise) * worldDemand
            }
            hoardBuy[c] = (wanted - hoard[c]) * adjust
            if hoardBuy[c] != 0 || hoard[c] != 0 { hasHoard = true }
        }
    }

    /// Adds this month's precautionary purchase (or sale) to demand, shared by baseline demand;
    /// a sale lowers demand at most to 0. `hoardBuy` becomes what was added.
    func addHoardPurchases() {
        for c in 0..<C {
            guard hoardBuy[c] != 0 else { continue }
            let worldDemand = self.worldDemand[c]
            guard worldDemand > 0 else {
                hoardBuy[c] = 0
                continue
            }
            var added = 0.0
            for i in 0..<I {
                let k = i * C + c
                let before = demand[k]
                demand[k] = max(0, before + hoardBuy[c] * baselineDemand[k] / worldDemand)
                added += demand[k] - before
            }
            hoardBuy[c] = added
        }
    }
}
