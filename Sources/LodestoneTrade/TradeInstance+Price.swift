import LodestoneKernel

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

// Steps 5–6 of the trade equations (Docs/Models.md): imports, shortfall, the price (with the v2
// stock-cover factor), shares and the monthly outputs.
extension TradeInstance {
    /// `min(1, cover / cover₀)^(−stock_price_elasticity)`: the world's stocks (every importer's
    /// stockpile, last month) against a reference cover₀ (t), floored at 5 % of it; 1 when the
    /// elasticity is 0, the reference is 0, or stocks are above it. cover₀ is the stocks at the
    /// start, capped at `stock_reference_days` of the world's baseline demand when that is ≥ 0
    /// (default 30; −1: no cap).
    private func coverFactor(_ frame: StepFrame, _ c: Int) -> Double {
        let e = frame.parameter(refs.stockPriceElasticity, c)
        readStocks(frame)
        var cover = 0.0
        for i in 0..<I { cover += stocks[i * C + c] }
        if frame.monthIndex == 0 {
            let days = frame.parameter(refs.stockReferenceDays, 0)
            stockCover0[c] = cover
            if days >= 0 { stockCover0[c] = min(cover, days * worldDemand[c] / SimulationCalendar.daysPerMonth) }
        }
        guard e > 0, stockCover0[c] > 0 else { return 1 }
        // Only scarcity moves the price: stocks above their start (a small base, since the
        // dataset's stocks are a few importers') do not push it below p0.
        return power(.cover, c, min(1, max(cover, 0.05 * stockCover0[c]) / stockCover0[c]), -e)
    }

    /// Steps 5–6 and outputs: imports, shortfall, shares, price; `released` holds last month's
    /// stockpile releases (t/month), [i*C+c].
    func settle(_ frame: StepFrame, released: UnsafeBufferPointer<Double>) {
        let month = Double(frame.monthIndex)
        let elasticity = frame.parameters(refs.priceElasticity)
        let cap = frame.parameters(refs.maxPriceMultiple)
        let priceSmoothing = smoothing(.price, frame.parameter(refs.priceLag, 0))
        let demandOut = frame.outputs(refs.outDemand), importsOut = frame.outputs(refs.outImports)
        let shortOut = frame.outputs(refs.outShortfall), altOut = frame.outputs(refs.outAlt)
        let substitutionOut = frame.outputs(refs.outSubstitution), shareOut = frame.outputs(refs.outShare)
        let releaseWeight = frame.parameter(refs.releaseInPrice, 0)
        let threatRate = smoothing(.threat, frame.parameter(refs.threatMonths, 0))
        let trendRate = smoothing(.trend, frame.parameter(refs.trendMonths, 0))
        let surplusOut = frame.outputs(refs.outSurplus)
        let horizon = frame.parameter(refs.scarcityHorizonMonths, 0)
        var infinite = false  // some 1/M is +∞ (``perImportFinite``)
        // Per-commodity parameters and outputs by commodity, looked up once.
        let maxSubstitution = frame.parameters(refs.maxSubstitution), maxThrifting = frame.parameters(refs.maxThrifting)
        let priceOut = frame.outputs(refs.outPrice), hoardOut = frame.outputs(refs.outHoard)
        let threatOut = frame.outputs(refs.outThreat)
        for c in 0..<C {
            var shortSum = 0.0
            var demandSum = 0.0
            var lostSum = 0.0
            var importSum = 0.0
            var releaseSum = 0.0
            let substitutionCeiling = maxSubstitution[c], thriftCeiling = maxThrifting[c]
            for i in 0..<I {
                let k = i * C + c
                let delivered = min(alt[k], lost[k])
                let imports = directTotal[k] + delivered + contractTotal[k]
                var short = max(0, demand[k] - imports)
                if short < 1e-9 * demand[k] { short = 0 }
                shortSum += short
                demandSum += demand[k]
                lostSum += lost[k]
                importSum += imports
                releaseSum += released[k]
                demandOut[k] = demand[k]
                importsOut[k] = imports
                shortOut[k] = short
                altOut[k] = delivered
                // Only late deliveries can exceed demand (rounding aside): count those alone.
                surplusOut[k] = catchUp[k] > 0 ? min(catchUp[k], max(0, imports - demand[k])) : 0
                substitutionOut[k] = substitution[k]
                shortfallSum[k] += short
                let inverse = imports > 0 ? 1 / imports : 0
                perImport[k] = inverse
                infinite = infinite || inverse == .infinity
                if hasAllocation { perAllocation[k] = delivered }  // read by writeShares only then
                if lost[k] > 0, allocated[k] == 0, contractTotal[k] == 0 { noAlternativeMonths[k] += 1 }
                if substitution[k] > 0 && substitution[k] >= substitutionCeiling
                    || thrift[k] > 0 && thrift[k] >= thriftCeiling
                {
                    maxResponseMonths[k] += 1
                }
            }
            let p0 = basePrice[c]
            // v2: last month's releases count as supply (weight 0 in v1: exactly shortSum).
            let unsupplied = releaseWeight == 0 ? shortSum : max(0, shortSum - releaseWeight * releaseSum)
            let x = demandSum > 0 ? min(0.95, unsupplied / demandSum) : 0
            var target = p0
            // v2: the world's stock cover moves the price too (a factor of exactly 1 in v1), unless
            // the expected-scarcity premium (horizon > 0, a candidate) takes its place.
            // (The cover factor is computed either way: it fixes its reference in the first month.)
            // A horizon above 0 never reads it after month 0 (nothing else does: `power` only
            // keeps its last value, computed again from its arguments when they differ).
            let coverTerm = refs.hasStocks && (frame.monthIndex == 0 || !(horizon > 0)) ? coverFactor(frame, c) : 1
            let stockFactor = horizon > 0 ? 1 : coverTerm
            let premium =
                horizon > 0
                ? scarcityPrice(frame, c, horizon: horizon, deficit: shortSum, demand: demandSum, elasticity: elasticity[c]) : 0
            if x != 0 || stockFactor != 1 || premium > p0 {
                var market = p0 * (x == 0 ? 1 : power(.scarcity, c, 1 - x, -1 / elasticity[c])) * stockFactor
                if premium > market { market = premium }
                target = min(market, cap[c] * p0)
                if market > cap[c] * p0 { capMonths[c] += 1 }
            }
            price[c] += (target - price[c]) * priceSmoothing
            // v2: the reference buyers measure a rise against follows the price with a lag.
            referencePrice[c] += (price[c] - referencePrice[c]) * trendRate
            priceOut[c] = price[c]
            if price[c] > peak[c] {
                peak[c] = price[c]
                peakAt[c] = month
            }
            // v2: the precautionary stock gets what was bought (as filled as anyone's demand) or
            // loses what was sold; buyers update their expectation of lost supply.
            let bought = hoardBuy[c]
            if bought > 0 {
                hoard[c] += demandSum > 0 ? bought * min(1, importSum / demandSum) : 0
            } else if bought < 0 {
                hoard[c] = max(0, hoard[c] + bought)
            }
            if threatRate > 0 {
                let lostShare = demandSum > 0 ? min(1, lostSum / demandSum) : 0
                threat[c] += (lostShare - threat[c]) * threatRate
            }
            hoardOut[c] = hoard[c]
            threatOut[c] = threat[c]
        }
        perImportFinite = !infinite
        writeShares(shareOut, frame)
        let thriftOut = frame.outputs(refs.outThrifting), deferredOut = frame.outputs(refs.outDeferred)
        // θ as in the two months before: this month's buffer already holds it.
        let thriftKept = !thriftMoved && thriftStillMonths >= 2 && frame.outputsAlternate
        thriftStillMonths = thriftMoved ? 0 : min(2, thriftStillMonths + 1)
        if thriftKept {
            for k in 0..<(I * C) { deferredOut[k] = 0 }
        } else {
            for k in 0..<(I * C) {
                thriftOut[k] = thrift[k]
                deferredOut[k] = 0
            }
        }
        // No pair has deferred volume waiting unless `hasBacklog`.
        if hasBacklog {
            forEachBacklogPair { n in
                if backlog[flowPairs[n]] > 0 { deferredOut[flowImporter[n]] += backlog[flowPairs[n]] }
            }
        }
        let lossOut = frame.outputs(refs.outExportLoss), capacityOut = frame.outputs(refs.outCapacity)
        guard mayHaveBlocked || !unblockedLossIsZero else {
            // Nothing blocked: every loss is +0, and +0 added to the sums (from +0, never −0)
            // leaves them as they are. The same capacity as last month after a month that blocked
            // nothing either, twice in a row: this month's buffer already holds these outputs.
            let same = capacitySameAsLastMonth && unblockedLastMonth
            exporterOutputsStillMonths = same ? min(2, exporterOutputsStillMonths + 1) : 0
            unblockedLastMonth = true
            if exporterOutputsStillMonths >= 2, frame.outputsAlternate { return }
            for k in 0..<(S * C) {
                lossOut[k] = 0
                capacityOut[k] = effectiveCapacity[k]
            }
            return
        }
        exporterOutputsStillMonths = 0
        unblockedLastMonth = false
        for k in 0..<(S * C) {
            let loss = blocked[k] * 1000 * exporterBasePrice[k]
            lossOut[k] = loss
            capacityOut[k] = effectiveCapacity[k]
            lossSum[k] += loss
        }
    }

    /// `share[s>i/c]`: direct flow plus s's part of the re-sourced volume delivered, over imports.
    /// Expects `perImport[i*C+c] = 1/M` and `perAllocation[i*C+c] = delivered` from ``settle``.
    private func writeShares(_ shareOut: UnsafeMutableBufferPointer<Double>, _ frame: StepFrame) {
        guard hasAllocation else {
            // Nothing re-sourced this month: shares are the direct flows (and contracts) alone.
            if refs.hasOfftake {
                unflowedSharesZeroMonths = 0
                for n in 0..<supplyPairs.count {
                    let k = supplyPairs[n]
                    shareOut[k] = (direct[k] + contracted[k]) * perImport[supplyImporter[n]]
                }
                return
            }
            // The flow pairs; then the supply pairs without a flow, whose direct flow is +0: their
            // share is +0 while every such importer's 1/M is finite (+0 · x), and after two such
            // months this month's buffer already holds those zeros.
            for n in 0..<flowPairs.count {
                let k = flowPairs[n]
                shareOut[k] = direct[k] * perImport[flowImporter[n]]
            }
            let kept = perImportFinite && unflowedSharesZeroMonths >= 2 && frame.outputsAlternate
            unflowedSharesZeroMonths = perImportFinite ? min(2, unflowedSharesZeroMonths + 1) : 0
            if kept { return }
            for n in 0..<unflowedPairs.count {
                let k = unflowedPairs[n]
                shareOut[k] = direct[k] * perImport[unflowedImporter[n]]
            }
            return
        }
        unflowedSharesZeroMonths = 0
        for k in 0..<(I * C) { allocationTotal[k] = 0 }
        for n in 0..<supplyPairs.count { allocationTotal[supplyImporter[n]] += allocation[supplyPairs[n]] }
        for k in 0..<(I * C) {
            perAllocation[k] = allocationTotal[k] > 0 ? perAllocation[k] / allocationTotal[k] : 0
        }
        // Pairs that cannot carry supply are never written: they keep the 0 every run starts with.
        for n in 0..<supplyPairs.count {
            let k = supplyPairs[n], ic = supplyImporter[n]
            shareOut[k] = (direct[k] + allocation[k] * perAllocation[ic] + contracted[k]) * perImport[ic]
        }
    }
}
