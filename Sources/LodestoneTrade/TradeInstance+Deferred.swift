import LodestoneKernel

// Deferred deliveries (market model v2, Docs/Models.md): blocked cargo that arrives once a pair
// reopens.
extension TradeInstance {
    /// Deferred deliveries (v2): once a pair is open again, the share `1 − e^(−1/catch_up_months)`
    /// of its backlog arrives each month. The cargo was licensed before it was held: no quota
    /// applies to it.
    @inline(__always)
    func deliverLate(_ frame: StepFrame) {
        guard hasBacklog else { return }
        let catchUpRate = rate(.catchUp)
        let state = self.state
        var importer = state[byImporter], pair = state[byPair]
        let flowPair = state.values(of: self.flowPair, bound: pair.length)
        let flowImporter = state.values(of: self.flowImporter, count: flowPair.count, bound: importer.length)
        // Only the pairs that may have volume waiting, in flow-pair order as before; a pair found
        // with none leaves the set (volume is only added where the bit is set again).
        var waiting = false, pairs = backlogPairs
        var candidates = backlogWaiting(flowCount: flowPair.count)
        while let n = candidates.next() {
            let k = flowPair[n]
            let backlog = pair[.backlog, k]
            guard backlog > 0 else {
                pairs &= ~(1 << n)
                continue
            }
            waiting = true
            guard pair[.restriction, k] == 0 else { continue }
            let ic = flowImporter[n]
            let late = catchUpRate == 1 ? backlog : backlog * catchUpRate
            pair[.backlog, k] -= late
            pair[.direct, k] += late
            importer[.directTotal, ic] += late
            importer[.catchUp, ic] += late
        }
        hasBacklog = waiting
        backlogPairs = pairs
    }
}
