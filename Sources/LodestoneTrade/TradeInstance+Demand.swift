import LodestoneKernel

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

// Steps 1–2 of the trade equations (Docs/Models.md): demand, direct flows, lost volume and the
// deferred share of what a halt blocks (v2).
extension TradeInstance {
    /// Steps 1–2: demand, direct flows and lost volume; `purchased` holds this month's stockpile
    /// purchases (t/month), [i*C+c].
    func computeDemandAndFlows(_ frame: StepFrame, purchased: UnsafeBufferPointer<Double>) {
        let elasticity = frame.parameters(refs.demandElasticity)
        let leak = frame.parameters(refs.leakage)
        for c in 0..<C {
            let ratio = price[c] / basePrice[c]
            priceResponse[c] = ratio == 1 || elasticity[c] == 0 ? 1 : power(.demandResponse, c, ratio, -elasticity[c])
        }
        // Lost and blocked volumes are added to only where a pair is restricted or a quota binds
        // (``mayHaveBlocked``, still last month's here): otherwise they still hold +0.
        let lostMayBeNonZero = mayHaveBlocked
        for i in 0..<I {
            for c in 0..<C {
                let k = i * C + c
                demand[k] = baselineDemand[k] * factorByImporter[k] * priceResponse[c] * (1 - substitution[k])
                    * (1 - thrift[k]) + purchased[k]
                if purchased[k] < 0 { demand[k] = max(0, demand[k]) }  // a stock sold back (v2)
                // Open inputs: the adjustment changes demand; extra supply meets it before imports.
                if refs.hasAdjustment { demand[k] = max(0, demand[k] + adjustment[k]) }
                if refs.hasExtraSupply { demand[k] = max(0, demand[k] - max(0, extraSupply[k])) }
                if lostMayBeNonZero { lost[k] = 0 }
                directTotal[k] = 0
                catchUp[k] = 0
            }
        }
        if hasHoard { addHoardPurchases() }
        if refs.hasOfftake { serveContracts() }
        if lostMayBeNonZero { for k in 0..<(S * C) { blocked[k] = 0 } }
        // `direct` needs no clearing: every flow pair is written below, and no other pair ever is.
        let deferral = frame.parameters(refs.deferredShare)
        var restricted = false
        // The buffers as locals: stores through them do not make the loop load them again.
        let (direct, directTotal, demand, contractTotal) = (self.direct, self.directTotal, self.demand, self.contractTotal)
        let (baselineShare, restriction) = (self.baselineShare, self.restriction)
        if !anyRestriction {
            // Every restriction +0: each pair takes the unstopped path below. Without contracts
            // every contracted total is +0, and `x − (+0)` is x.
            if refs.hasOfftake {
                for n in 0..<flowPairs.count {
                    let k = flowPairs[n], ic = flowImporter[n]
                    let base = baselineShare[k] * (demand[ic] - contractTotal[ic])
                    direct[k] = base
                    directTotal[ic] += base
                }
            } else {
                for n in 0..<flowPairs.count {
                    let k = flowPairs[n], ic = flowImporter[n]
                    let base = baselineShare[k] * demand[ic]
                    direct[k] = base
                    directTotal[ic] += base
                }
            }
            mayHaveBlocked = refs.hasQuota
            return
        }
        for n in 0..<flowPairs.count {
            let k = flowPairs[n]
            let ic = flowImporter[n], c = flowCommodity[n]
            let base = baselineShare[k] * (demand[ic] - contractTotal[ic])
            guard restriction[k] != 0 else {
                // Nothing stopped (+0): `base − 0` is `base`, and adding +0 to the lost and
                // blocked volumes changes nothing (sums from +0 are never −0).
                direct[k] = base
                directTotal[ic] += base
                continue
            }
            restricted = true
            let stopped = base * restriction[k] * (1 - leak[c])
            direct[k] = base - stopped
            directTotal[ic] += base - stopped
            lost[ic] += stopped
            blocked[flowExporter[n]] += stopped
            // Deferred deliveries (v2): part of what is blocked waits, and arrives once the pair
            // is open again.
            if stopped > 0, deferral[c] > 0 {
                backlog[k] += deferral[c] * stopped
                hasBacklog = true
                backlogPairs |= 1 << n  // 0 from pair 64 on
            }
        }
        // Only a restricted pair or a quota (applied next) blocks anything.
        mayHaveBlocked = restricted || refs.hasQuota
    }
}
