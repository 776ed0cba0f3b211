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
    @inline(__always)
    func updateHoard(_ frame: StepFrame) {
        let state = self.state
        var commodity = state[byCommodity]
        let C = commodity.length
        let months = frame.parameters(refs.hoardMonths, count: C)
        let speculation = frame.parameters(refs.speculationMonths, count: C)
        let adjust = rate(.hoardAdjust)
        var hoarding = false
        for c in 0..<C {
            let worldDemand = commodity[.worldDemand, c]
            var wanted = months[c] * commodity[.threat, c] * worldDemand
            if speculation[c] > 0 {
                let reference = commodity[.referencePrice, c]
                let rise = max(0, (commodity[.price, c] - reference) / reference)
                wanted += speculation[c] * rise / (1 + rise) * worldDemand
            }
            let hoard = commodity[.hoard, c]
            let bought = (wanted - hoard) * adjust
            commodity[.hoardBuy, c] = bought
            if bought != 0 || hoard != 0 { hoarding = true }
        }
        hasHoard = hoarding
    }

    /// Adds this month's precautionary purchase (or sale) to demand, shared by baseline demand;
    /// a sale lowers demand at most to 0. `hoardBuy` becomes what was added.
    func addHoardPurchases(_ importer: inout ColumnSpan<Importer, Double>, _ commodity: inout ColumnSpan<Commodity, Double>) {
        let C = commodity.length
        for c in 0..<C {
            let bought = commodity[.hoardBuy, c]
            guard bought != 0 else { continue }
            let worldDemand = commodity[.worldDemand, c]
            guard worldDemand > 0 else {
                commodity[.hoardBuy, c] = 0
                continue
            }
            var added = 0.0
            var k = c  // every importer's key i*C+c, in importer order
            while k < importer.length {
                defer { k &+= C }
                let before = importer[.demand, k]
                let after = max(0, before + bought * importer[.baselineDemand, k] / worldDemand)
                importer[.demand, k] = after
                added += after - before
            }
            commodity[.hoardBuy, c] = added
        }
    }
}
