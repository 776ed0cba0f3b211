import LodestoneKernel

// Still commodities: a commodity every one of whose demand, flow, importer and share equations
// reads, in every run of the block, exactly what it read last month, so that they would compute
// last month's values again (Docs/Models.md, "Cost").
extension TradeBatch {
    /// The commodities that are *still* this month, bit `c` (``stillCommodities``), found before
    /// demand is computed: in every run the price p(t−1) is last month's (``priceStill``), σ is
    /// +0 and stays +0 and θ never moved for every importer, no flow pair of the commodity is
    /// restricted this month or was last month (so nothing is lost, nothing re-sourced to it),
    /// the stockpile's purchases of every importer are +0 this month and were last month, and the
    /// scenario's demand factors are last month's. Nothing else may touch its demand or flows: no
    /// parameter change, no precautionary stock, backlog, deferral, contracts, quotas or open
    /// inputs in the block (otherwise no commodity is still). Then its price response, demand,
    /// direct flows, their totals per importer, imports, shortfall and shares are last month's,
    /// in every run.
    ///
    /// Purchases are looked at only for the commodities otherwise still, and a commodity is still
    /// only if its purchases were looked at last month too (``purchasesIdle``): so it was a
    /// candidate then as well, and no flow pair of it was restricted last month either (nothing
    /// was lost last month, so nothing is re-sourced to it this month).
    @inline(never)
    func findStillCommodities(_ frame: BatchFrame) {
        let computedBefore = flowsComputed
        flowsComputed = true
        let refs = layout.refs
        stillPossible =
            !hasHoard && !hasBacklog && !deferralSet && !refs.hasOfftake && !refs.hasQuota && !refs.hasAdjustment
            && !refs.hasExtraSupply && I * C <= 64
        guard stillPossible, computedBefore, !frame.parametersChanged, !frame.scenarioChanged else {
            purchasesIdle = 0
            stillCommodities = 0
            stillKeys = 0
            everyCommodityStill = false
            return
        }
        var candidates = priceStill & demandFactorSteady
        // No price still (most months of a disturbed block): nothing more to look at.
        guard candidates != 0 else {
            purchasesIdle = 0
            stillCommodities = 0
            stillKeys = 0
            everyCommodityStill = false
            return
        }
        for n in 0..<tables.flowPairs.count where pairRestricted[tables.flowPairs[n]] {
            candidates &= ~commodityBit(tables.flowPairs[n] % C)
        }
        for c in 0..<C where candidates & (1 << c) != 0 {
            for i in 0..<I {
                let k = i * C + c
                if substitutionStill & (1 << k) == 0 || thriftMovedKeys & (1 << k) != 0 {
                    candidates &= ~(1 << c)
                    break
                }
            }
        }
        var idle: UInt64 = 0
        for c in 0..<C where candidates & (1 << c) != 0 {
            var bought = false
            for i in 0..<I where frame.input(layout.refs.purchases, i * C + c).mayBeNonZero { bought = true }
            if !bought { idle |= 1 << c }
        }
        stillCommodities = candidates & idle & purchasesIdle
        purchasesIdle = idle
        var keys: UInt64 = 0
        for c in 0..<C where stillCommodities & (1 << c) != 0 {
            for i in 0..<I { keys |= 1 << (i * C + c) }
        }
        stillKeys = keys
        everyCommodityStill = C > 0 && stillCommodities == (C == 64 ? ~0 : (1 << UInt64(C)) - 1)
    }



    /// Bit `c` of a commodity mask (0 for commodities from the 64th on, which are never still).
    @inline(__always)
    func commodityBit(_ c: Int) -> UInt64 { c < 64 ? 1 << c : 0 }
}

/// Whether commodity `c`'s bit is set in a mask of still commodities
/// (``TradeBatch/stillCommodities``; commodities from the 64th on are never still).
@inline(__always)
func isStill(_ still: UInt64, _ c: Int) -> Bool { c < 64 && still & (1 << c) != 0 }
