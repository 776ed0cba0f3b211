import LodestoneKernel

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

// Steps 1–2 of the trade equations (Docs/Models.md): demand, direct flows, lost volume and the
// deferred share of what a halt blocks (v2).
extension TradeInstance {
    /// Steps 1–2: demand, direct flows and lost volume.
    func computeDemandAndFlows(_ frame: StepFrame) {
        let state = self.state
        var importer = state[byImporter], pair = state[byPair], exporter = state[byExporter]
        var commodity = state[byCommodity]
        // This month's stockpile purchases (t/month), read where they live when their keys are
        // consecutive (``StepFrame/values(_:count:)``), copied otherwise.
        let purchased =
            purchasesInPlace
            ? frame.values(refs.purchases, count: importer.length) : state.values(of: self.purchased, count: importer.length)
        let C = commodity.length
        let elasticity = frame.parameters(refs.demandElasticity, count: C)
        let leak = frame.parameters(refs.leakage, count: C)
        for c in 0..<C {
            let ratio = commodity[.price, c] / commodity[.basePrice, c]
            commodity[.priceResponse, c] =
                ratio == 1 || elasticity[c] == 0 ? 1 : power(.demandResponse, c, ratio, -elasticity[c])
        }
        // Lost and blocked volumes are added to only where a pair is restricted or a quota binds
        // (``mayHaveBlocked``, still last month's here): otherwise they still hold +0.
        let lostMayBeNonZero = mayHaveBlocked
        // Every key k = i*C+c in order: each importer's C keys from its first, i*C.
        var first = 0
        while first < importer.length {
            for c in 0..<C {
                let k = first &+ c
                let purchase = purchased[k]
                var demand =
                    importer[.baselineDemand, k] * importer[.factor, k] * commodity[.priceResponse, c]
                    * (1 - importer[.substitution, k]) * (1 - importer[.thrift, k]) + purchase
                if purchase < 0 { demand = max(0, demand) }  // a stock sold back (v2)
                importer[.demand, k] = demand
                importer[.directTotal, k] = 0
                importer[.catchUp, k] = 0
            }
            first &+= C
        }
        // The rarer terms in loops of their own (each key's demand takes the same steps in the
        // same order): the open inputs (the adjustment changes demand; extra supply meets it
        // before imports), and last month's lost volumes.
        if refs.hasAdjustment || refs.hasExtraSupply {
            for k in 0..<importer.length {
                var demand = importer[.demand, k]
                if refs.hasAdjustment { demand = max(0, demand + importer[.adjustment, k]) }
                if refs.hasExtraSupply { demand = max(0, demand - max(0, importer[.extraSupply, k])) }
                importer[.demand, k] = demand
            }
        }
        if lostMayBeNonZero { for k in 0..<importer.length { importer[.lost, k] = 0 } }
        if hasHoard { addHoardPurchases(&importer, &commodity) }
        if refs.hasOfftake { serveContracts(&importer, &pair, exporter) }
        if lostMayBeNonZero { for k in 0..<exporter.length { exporter[.blocked, k] = 0 } }
        // `direct` needs no clearing: every flow pair is written below, and no other pair ever is.
        let deferral = frame.parameters(refs.deferredShare, count: C)
        var restricted = false
        let flowPair = state.values(of: self.flowPair, bound: pair.length)
        let F = flowPair.count
        let flowImporter = state.values(of: self.flowImporter, count: F, bound: importer.length)
        if !anyRestriction {
            // Every restriction +0: each pair takes the unstopped path below. Without contracts
            // every contracted total is +0, and `x − (+0)` is x.
            if refs.hasOfftake {
                for n in 0..<F {
                    let k = flowPair[n], ic = flowImporter[n]
                    let base = pair[.baselineShare, k] * (importer[.demand, ic] - importer[.contractTotal, ic])
                    pair[.direct, k] = base
                    importer[.directTotal, ic] += base
                }
            } else {
                for n in 0..<F {
                    let k = flowPair[n], ic = flowImporter[n]
                    let base = pair[.baselineShare, k] * importer[.demand, ic]
                    pair[.direct, k] = base
                    importer[.directTotal, ic] += base
                }
            }
            mayHaveBlocked = refs.hasQuota
            return
        }
        let flowExporter = state.values(of: self.flowExporter, count: F, bound: exporter.length)
        let flowCommodity = state.values(of: self.flowCommodity, count: F, bound: C)
        for n in 0..<F {
            let k = flowPair[n]
            let ic = flowImporter[n], c = flowCommodity[n]
            let base = pair[.baselineShare, k] * (importer[.demand, ic] - importer[.contractTotal, ic])
            let restriction = pair[.restriction, k]
            guard restriction != 0 else {
                // Nothing stopped (+0): `base − 0` is `base`, and adding +0 to the lost and
                // blocked volumes changes nothing (sums from +0 are never −0).
                pair[.direct, k] = base
                importer[.directTotal, ic] += base
                continue
            }
            restricted = true
            let stopped = base * restriction * (1 - leak[c])
            pair[.direct, k] = base - stopped
            importer[.directTotal, ic] += base - stopped
            importer[.lost, ic] += stopped
            exporter[.blocked, flowExporter[n]] += stopped
            // Deferred deliveries (v2): part of what is blocked waits, and arrives once the pair
            // is open again.
            if stopped > 0, deferral[c] > 0 {
                pair[.backlog, k] += deferral[c] * stopped
                hasBacklog = true
                backlogPairs |= 1 << n  // 0 from pair 64 on
            }
        }
        // Only a restricted pair or a quota (applied next) blocks anything.
        mayHaveBlocked = restricted || refs.hasQuota
    }
}
