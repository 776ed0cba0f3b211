import LodestoneKernel

// Deferred deliveries (market model v2, Docs/Models.md): blocked cargo that arrives once a pair
// reopens.
extension TradeInstance {
    /// Deferred deliveries (v2): once a pair is open again, the share `1 − e^(−1/catch_up_months)`
    /// of its backlog arrives each month. The cargo was licensed before it was held: no quota
    /// applies to it.
    func deliverLate(_ frame: StepFrame) {
        guard hasBacklog else { return }
        let catchUpRate = smoothing(.catchUp, frame.parameter(refs.catchUpMonths, 0))
        // Only the pairs that may have volume waiting, in flow-pair order as before; a pair found
        // with none leaves the set (volume is only added where the bit is set again).
        var waiting = false, pairs = backlogPairs
        forEachBacklogPair { n in
            let k = flowPairs[n]
            guard backlog[k] > 0 else {
                pairs &= ~(1 << n)
                return
            }
            waiting = true
            guard restriction[k] == 0 else { return }
            let ic = flowImporter[n]
            let late = catchUpRate == 1 ? backlog[k] : backlog[k] * catchUpRate
            backlog[k] -= late
            direct[k] += late
            directTotal[ic] += late
            catchUp[ic] += late
        }
        hasBacklog = waiting
        backlogPairs = pairs
    }
}
