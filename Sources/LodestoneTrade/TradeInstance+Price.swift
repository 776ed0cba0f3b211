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
    private func coverFactor(_ frame: StepFrame, _ c: Int, worldDemand: Double) -> Double {
        let e = frame.parameter(refs.stockPriceElasticity, c)
        readStocks(frame)
        let state = self.state
        let stocks = state.values(of: self.stocks)
        var cover = 0.0
        var k = c  // every importer's key i*C+c, in importer order
        while k < stocks.count {
            cover += stocks[k]
            k &+= C
        }
        var stockCover0 = state[self.stockCover0]
        if frame.monthIndex == 0 {
            let days = frame.parameter(refs.stockReferenceDays, 0)
            stockCover0[c] = cover
            if days >= 0 { stockCover0[c] = min(cover, days * worldDemand / SimulationCalendar.daysPerMonth) }
        }
        let cover0 = stockCover0[c]
        guard e > 0, cover0 > 0 else { return 1 }
        // Only scarcity moves the price: stocks above their start (a small base, since the
        // dataset's stocks are a few importers') do not push it below p0.
        return power(.cover, c, min(1, max(cover, 0.05 * cover0) / cover0), -e)
    }

    /// What both key loops of ``settle(_:)`` do once a key's imports and shortfall are known: its
    /// surplus (only late deliveries can exceed demand, rounding aside: those alone count), its
    /// substitution output, the shortfall sum, 1/M (`infinite` set when it is +∞) and the month
    /// counted when substitution or thrifting is at its ceiling. Inlined into each loop.
    @inline(__always)
    private func settleKeyTail(
        _ k: Int, demand: Double, imports: Double, short: Double, ceilings: (substitution: Double, thrift: Double),
        _ importer: inout ColumnSpan<Importer, Double>, _ surplusOut: inout OutputSpan, _ substitutionOut: inout OutputSpan,
        _ infinite: inout Bool
    ) {
        let catchUp = importer[.catchUp, k]
        surplusOut[k] = catchUp > 0 ? min(catchUp, max(0, imports - demand)) : 0
        let substitution = importer[.substitution, k]
        substitutionOut[k] = substitution
        importer[.shortfallSum, k] += short
        let inverse = imports > 0 ? 1 / imports : 0
        importer[.perImport, k] = inverse
        infinite = infinite || inverse == .infinity
        let thrift = importer[.thrift, k]
        if substitution > 0 && substitution >= ceilings.substitution || thrift > 0 && thrift >= ceilings.thrift {
            importer[.maxResponseMonths, k] += 1
        }
    }

    /// Steps 5–6 and outputs: imports, shortfall, shares, price; `released` holds last month's
    /// stockpile releases (t/month), [i*C+c].
    func settle(_ frame: StepFrame) {
        let state = self.state
        var importer = state[byImporter], exporter = state[byExporter], commodity = state[byCommodity]
        let pair = state.values(of: byPair)
        let (C, IC) = (commodity.length, importer.length)
        let released =
            refs.hasReleases && releasesInPlace
            ? frame.values(refs.releases, count: IC) : state.values(of: self.released, count: IC)
        let month = Double(frame.monthIndex)
        let elasticity = frame.parameters(refs.priceElasticity, count: C)
        let cap = frame.parameters(refs.maxPriceMultiple, count: C)
        let priceSmoothing = rate(.price)
        var demandOut = frame.outputs(refs.outDemand, count: IC), importsOut = frame.outputs(refs.outImports, count: IC)
        var shortOut = frame.outputs(refs.outShortfall, count: IC), altOut = frame.outputs(refs.outAlt, count: IC)
        var substitutionOut = frame.outputs(refs.outSubstitution, count: IC)
        let releaseWeight = frame.parameter(refs.releaseInPrice, 0)
        let threatRate = rate(.threat)
        let trendRate = rate(.trend)
        var surplusOut = frame.outputs(refs.outSurplus, count: IC)
        let horizon = frame.parameter(refs.scarcityHorizonMonths, 0)
        var infinite = false  // some 1/M is +∞ (``perImportFinite``)
        // Per-commodity parameters and outputs by commodity, looked up once.
        let maxSubstitution = frame.parameters(refs.maxSubstitution, count: C)
        let maxThrifting = frame.parameters(refs.maxThrifting, count: C)
        var priceOut = frame.outputs(refs.outPrice, count: C), hoardOut = frame.outputs(refs.outHoard, count: C)
        var threatOut = frame.outputs(refs.outThreat, count: C)
        let hasAllocation = self.hasAllocation
        // Nothing lost (``mayHaveBlocked`` false after the month's flows and quotas), nothing
        // re-sourced, no contracts.
        let lossFree = !mayHaveBlocked && !hasAllocation && !refs.hasOfftake
        for c in 0..<C {
            var shortSum = 0.0
            var demandSum = 0.0
            var lostSum = 0.0
            var importSum = 0.0
            var releaseSum = 0.0
            let substitutionCeiling = maxSubstitution[c], thriftCeiling = maxThrifting[c]
            // Every importer's key k = i*C+c, in importer order.
            var k = c
            // A month that loses and allocates nothing, without contracts: each key's lost is +0,
            // so is what it gets re-sourced (min(alt, +0), alt finite and ≥ +0: ``altDecayMonths``),
            // and its contracted total; its imports are its direct flows (a sum from +0, never −0,
            // to which adding +0 changes nothing). The loop below with those terms left out.
            if lossFree {
                while k < IC {
                    defer { k &+= C }
                    let demand = importer[.demand, k]
                    let imports = importer[.directTotal, k]
                    var short = max(0, demand - imports)
                    if short < 1e-9 * demand { short = 0 }
                    shortSum += short
                    demandSum += demand
                    importSum += imports
                    releaseSum += released[k]
                    demandOut[k] = demand
                    importsOut[k] = imports
                    shortOut[k] = short
                    altOut[k] = 0
                    settleKeyTail(
                        k, demand: demand, imports: imports, short: short, ceilings: (substitutionCeiling, thriftCeiling),
                        &importer, &surplusOut, &substitutionOut, &infinite)
                }
            }
            while k < IC {
                defer { k &+= C }
                let demand = importer[.demand, k], lost = importer[.lost, k]
                let delivered = min(importer[.alt, k], lost)
                let imports = importer[.directTotal, k] + delivered + importer[.contractTotal, k]
                var short = max(0, demand - imports)
                if short < 1e-9 * demand { short = 0 }
                shortSum += short
                demandSum += demand
                lostSum += lost
                importSum += imports
                releaseSum += released[k]
                demandOut[k] = demand
                importsOut[k] = imports
                shortOut[k] = short
                altOut[k] = delivered
                if hasAllocation { importer[.perAllocation, k] = delivered }  // read by the shares only then
                if lost > 0, importer[.allocated, k] == 0, importer[.contractTotal, k] == 0 {
                    importer[.noAlternativeMonths, k] += 1
                }
                settleKeyTail(
                    k, demand: demand, imports: imports, short: short, ceilings: (substitutionCeiling, thriftCeiling),
                    &importer, &surplusOut, &substitutionOut, &infinite)
            }
            let p0 = commodity[.basePrice, c]
            // v2: last month's releases count as supply (weight 0 in v1: exactly shortSum).
            let unsupplied = releaseWeight == 0 ? shortSum : max(0, shortSum - releaseWeight * releaseSum)
            let x = demandSum > 0 ? min(0.95, unsupplied / demandSum) : 0
            var target = p0
            // v2: the world's stock cover moves the price too (a factor of exactly 1 in v1), unless
            // the expected-scarcity premium (horizon > 0, a candidate) takes its place.
            // (The cover factor is computed either way: it fixes its reference in the first month.)
            // A horizon above 0 never reads it after month 0 (nothing else does: `power` only
            // keeps its last value, computed again from its arguments when they differ).
            let coverTerm =
                refs.hasStocks && (frame.monthIndex == 0 || !(horizon > 0)) ? coverFactor(frame, c, worldDemand: commodity[.worldDemand, c]) : 1
            let stockFactor = horizon > 0 ? 1 : coverTerm
            let premium =
                horizon > 0
                ? scarcityPrice(
                    frame, c, horizon: horizon, deficit: shortSum, demand: demandSum, elasticity: elasticity[c],
                    basePrice: p0) : 0
            if x != 0 || stockFactor != 1 || premium > p0 {
                var market = p0 * (x == 0 ? 1 : power(.scarcity, c, 1 - x, -1 / elasticity[c])) * stockFactor
                if premium > market { market = premium }
                target = min(market, cap[c] * p0)
                if market > cap[c] * p0 { commodity[.capMonths, c] += 1 }
            }
            var price = commodity[.price, c]
            price += (target - price) * priceSmoothing
            commodity[.price, c] = price
            // v2: the reference buyers measure a rise against follows the price with a lag.
            commodity[.referencePrice, c] += (price - commodity[.referencePrice, c]) * trendRate
            priceOut[c] = price
            if price > commodity[.peak, c] {
                commodity[.peak, c] = price
                commodity[.peakAt, c] = month
            }
            // v2: the precautionary stock gets what was bought (as filled as anyone's demand) or
            // loses what was sold; buyers update their expectation of lost supply.
            let bought = commodity[.hoardBuy, c]
            if bought > 0 {
                commodity[.hoard, c] += demandSum > 0 ? bought * min(1, importSum / demandSum) : 0
            } else if bought < 0 {
                commodity[.hoard, c] = max(0, commodity[.hoard, c] + bought)
            }
            if threatRate > 0 {
                let lostShare = demandSum > 0 ? min(1, lostSum / demandSum) : 0
                commodity[.threat, c] += (lostShare - commodity[.threat, c]) * threatRate
            }
            hoardOut[c] = commodity[.hoard, c]
            threatOut[c] = commodity[.threat, c]
        }
        perImportFinite = !infinite
        do {
            var shareOut = frame.outputs(refs.outShare, count: pair.length)
            writeShares(&shareOut, frame, &importer, pair)
        }
        var thriftOut = frame.outputs(refs.outThrifting, count: IC), deferredOut = frame.outputs(refs.outDeferred, count: IC)
        // θ as in the two months before: this month's buffer already holds it.
        let thriftKept = !thriftMoved && thriftStillMonths >= 2 && frame.outputsAlternate
        thriftStillMonths = thriftMoved ? 0 : min(2, thriftStillMonths + 1)
        if thriftKept {
            for k in 0..<IC { deferredOut[k] = 0 }
        } else {
            for k in 0..<IC {
                thriftOut[k] = importer[.thrift, k]
                deferredOut[k] = 0
            }
        }
        // No pair has deferred volume waiting unless `hasBacklog`.
        if hasBacklog {
            let flowPair = state.values(of: self.flowPair, bound: pair.length)
            let flowImporter = state.values(of: self.flowImporter, count: flowPair.count, bound: IC)
            var candidates = backlogWaiting(flowCount: flowPair.count)
            while let n = candidates.next() {
                let backlog = pair[.backlog, flowPair[n]]
                if backlog > 0 { deferredOut[flowImporter[n]] += backlog }
            }
        }
        let SC = exporter.length
        var lossOut = frame.outputs(refs.outExportLoss, count: SC), capacityOut = frame.outputs(refs.outCapacity, count: SC)
        guard mayHaveBlocked || !unblockedLossIsZero else {
            // Nothing blocked: every loss is +0, and +0 added to the sums (from +0, never −0)
            // leaves them as they are. The same capacity as last month after a month that blocked
            // nothing either, twice in a row: this month's buffer already holds these outputs.
            let same = capacitySameAsLastMonth && unblockedLastMonth
            exporterOutputsStillMonths = same ? min(2, exporterOutputsStillMonths + 1) : 0
            unblockedLastMonth = true
            if exporterOutputsStillMonths >= 2, frame.outputsAlternate { return }
            for k in 0..<SC {
                lossOut[k] = 0
                capacityOut[k] = exporter[.effectiveCapacity, k]
            }
            return
        }
        exporterOutputsStillMonths = 0
        unblockedLastMonth = false
        for k in 0..<SC {
            let loss = exporter[.blocked, k] * 1000 * exporter[.basePrice, k]
            lossOut[k] = loss
            capacityOut[k] = exporter[.effectiveCapacity, k]
            exporter[.lossSum, k] += loss
        }
    }

    /// `share[s>i/c]`: direct flow plus s's part of the re-sourced volume delivered, over imports.
    /// Expects `perImport[i*C+c] = 1/M` and `perAllocation[i*C+c] = delivered` from ``settle``.
    @inline(__always)
    private func writeShares(
        _ shareOut: inout OutputSpan, _ frame: StepFrame, _ importer: inout ColumnSpan<Importer, Double>,
        _ pair: ColumnValues<Pair, Double>
    ) {
        let state = self.state
        let (IC, SIC) = (importer.length, pair.length)
        guard hasAllocation else {
            // Nothing re-sourced this month: shares are the direct flows (and contracts) alone.
            if refs.hasOfftake {
                unflowedSharesZeroMonths = 0
                let supplyPair = state.values(of: self.supplyPair, bound: SIC)
                let supplyImporter = state.values(of: self.supplyImporter, count: supplyPair.count, bound: IC)
                for n in 0..<supplyPair.count {
                    let k = supplyPair[n]
                    shareOut[k] = (pair[.direct, k] + pair[.contracted, k]) * importer[.perImport, supplyImporter[n]]
                }
                return
            }
            // The flow pairs; then the supply pairs without a flow, whose direct flow is +0: their
            // share is +0 while every such importer's 1/M is finite (+0 · x), and after two such
            // months this month's buffer already holds those zeros.
            let flowPair = state.values(of: self.flowPair, bound: SIC)
            let flowImporter = state.values(of: self.flowImporter, count: flowPair.count, bound: IC)
            for n in 0..<flowPair.count {
                let k = flowPair[n]
                shareOut[k] = pair[.direct, k] * importer[.perImport, flowImporter[n]]
            }
            let kept = perImportFinite && unflowedSharesZeroMonths >= 2 && frame.outputsAlternate
            unflowedSharesZeroMonths = perImportFinite ? min(2, unflowedSharesZeroMonths + 1) : 0
            if kept { return }
            let unflowedPair = state.values(of: self.unflowedPair, bound: SIC)
            let unflowedImporter = state.values(of: self.unflowedImporter, count: unflowedPair.count, bound: IC)
            for n in 0..<unflowedPair.count {
                let k = unflowedPair[n]
                shareOut[k] = pair[.direct, k] * importer[.perImport, unflowedImporter[n]]
            }
            return
        }
        unflowedSharesZeroMonths = 0
        let supplyPair = state.values(of: self.supplyPair, bound: SIC)
        let supplyImporter = state.values(of: self.supplyImporter, count: supplyPair.count, bound: IC)
        for k in 0..<IC { importer[.allocationTotal, k] = 0 }
        for n in 0..<supplyPair.count {
            importer[.allocationTotal, supplyImporter[n]] += pair[.allocation, supplyPair[n]]
        }
        for k in 0..<IC {
            let total = importer[.allocationTotal, k]
            importer[.perAllocation, k] = total > 0 ? importer[.perAllocation, k] / total : 0
        }
        // Pairs that cannot carry supply are never written: they keep the 0 every run starts with.
        for n in 0..<supplyPair.count {
            let k = supplyPair[n], ic = supplyImporter[n]
            shareOut[k] =
                (pair[.direct, k] + pair[.allocation, k] * importer[.perAllocation, ic] + pair[.contracted, k])
                * importer[.perImport, ic]
        }
    }
}
