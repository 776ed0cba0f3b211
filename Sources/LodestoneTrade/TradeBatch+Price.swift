import LodestoneKernel

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

// Steps 5–6 of the trade equations (Docs/Models.md) for a block of runs: imports, shortfall, the
// price (with the v2 stock-cover factor), shares and the monthly outputs.
extension TradeBatch {
    /// Steps 5–6 and outputs (``TradeInstance/settle(_:)``).
    func settle(_ frame: BatchFrame) {
        let w = frame.width
        let month = Double(frame.monthIndex)
        let priceRate = frame.values(of: lagRate, Lag.price.rawValue)
        let threatRate = frame.values(of: lagRate, Lag.threat.rawValue), trendRate = frame.values(of: lagRate, Lag.trend.rawValue)
        let releaseWeight = frame.parameter(layout.refs.releaseInPrice, 0)
        let horizon = frame.parameter(layout.refs.scarcityHorizonMonths, 0)
        var stockFactor = frame.state(scratch, 5)
        settleImporters(frame)
        for c in 0..<C {
            let shortSum = frame.values(of: shortSums, c), demandSum = frame.values(of: demandSums, c)
            let lostSum = frame.values(of: lostSums, c), importSum = frame.values(of: importSums, c)
            let releaseSum = frame.values(of: releaseSums, c)
            if layout.refs.hasStocks {
                coverFactor(frame, c, into: &stockFactor)
            } else {
                for r in 0..<w { stockFactor[r] = 1 }
            }
            let p0 = tables.basePrice[c]
            if p0 >= 0, atBasePrice(frame, c, stockFactor.span) {
                settleAtBasePrice(frame, c)
                continue
            }
            priceStill &= ~commodityBit(c)
            let elasticity = frame.parameter(layout.refs.priceElasticity, c), cap = frame.parameter(layout.refs.maxPriceMultiple, c)
            let bought = frame.values(of: hoardBuy, c)
            var price = frame.state(self.price, c), reference = frame.state(referencePrice, c)
            var peak = frame.state(self.peak, c), peakAt = frame.state(self.peakAt, c), capped = frame.state(capMonths, c)
            var hoard = frame.state(self.hoard, c), threat = frame.state(self.threat, c)
            var priceOut = frame.output(layout.refs.outPrice, c)
            var hoardOut = frame.output(layout.refs.outHoard, c), threatOut = frame.output(layout.refs.outThreat, c)
            let cover = frame.values(of: scratch, 6)  // the world's stocks, written by coverFactor
            // The scarcity power of the previous run that needed one (runs whose draws have not
            // parted repeat it: the same function of the same arguments).
            var lastBase = Double.nan, lastElasticity = Double.nan, lastPower = 1.0
            for r in 0..<w {
                // v2: last month's releases count as supply (weight 0 in v1: exactly shortSum).
                let unsupplied =
                    releaseWeight[r] == 0 ? shortSum[r] : max(0, shortSum[r] - releaseWeight[r] * releaseSum[r])
                let x = demandSum[r] > 0 ? min(0.95, unsupplied / demandSum[r]) : 0
                var target = p0
                // v2: the world's stock cover moves the price too (a factor of exactly 1 in v1),
                // unless the expected-scarcity premium (horizon > 0, a candidate) takes its place.
                let factor = horizon[r] > 0 ? 1 : stockFactor[r]
                let premium =
                    horizon[r] > 0
                    ? ScarcityPremium.price(
                        basePrice: p0, cover: layout.refs.hasStocks ? cover[r] : 0, deficit: shortSum[r], demand: demandSum[r],
                        elasticity: elasticity[r], horizon: horizon[r]) : 0
                if x != 0 || factor != 1 || premium > p0 {
                    var scarcity = 1.0
                    if x != 0 {
                        if (1 - x).bitPattern != lastBase.bitPattern || elasticity[r].bitPattern != lastElasticity.bitPattern {
                            (lastBase, lastElasticity) = (1 - x, elasticity[r])
                            lastPower = pow(1 - x, -1 / elasticity[r])
                        }
                        scarcity = lastPower
                    }
                    var market = p0 * scarcity * factor
                    if premium > market { market = premium }
                    target = min(market, cap[r] * p0)
                    if market > cap[r] * p0 { capped[r] += 1 }
                }
                price[r] += (target - price[r]) * priceRate[r]
                // v2: the reference buyers measure a rise against follows the price with a lag.
                reference[r] += (price[r] - reference[r]) * trendRate[r]
                priceOut[r] = price[r]
                if price[r] > peak[r] {
                    peak[r] = price[r]
                    peakAt[r] = month
                }
                // v2: the precautionary stock gets what was bought (as filled as anyone's demand)
                // or loses what was sold; buyers update their expectation of lost supply.
                if bought[r] > 0 {
                    hoard[r] += demandSum[r] > 0 ? bought[r] * min(1, importSum[r] / demandSum[r]) : 0
                } else if bought[r] < 0 {
                    hoard[r] = max(0, hoard[r] + bought[r])
                }
                if threatRate[r] > 0 {
                    let lostShare = demandSum[r] > 0 ? min(1, lostSum[r] / demandSum[r]) : 0
                    threat[r] += (lostShare - threat[r]) * threatRate[r]
                }
                hoardOut[r] = hoard[r]
                threatOut[r] = threat[r]
            }
        }
        writeShares(frame)
        writeStocksAndExporters(frame)
    }

    /// Whether every run's target price of commodity `c` is p0 this month, without a `pow`: no
    /// shortfall (every `shortSums` value +0, so no scarcity premium: the premium is 0 without a
    /// deficit), nothing unsupplied after releases (`+0 − weight · releases` not above 0, so
    /// `max(0, ·)` is ±0 and x = ±0) and a factor of exactly 1 (a horizon above 0, or a
    /// stock-cover factor of 1). Then `x != 0 || factor != 1 || premium > p0` is false in every
    /// run (with p0 ≥ 0), and the target is p0. Reductions of bits over at most two spans,
    /// without branches, which vectorise; only the parts some run needs (``horizonAboveZero``:
    /// no run reads its stock-cover factor; ``releasePriced``, ``horizonSet`` as found in
    /// ``readParameters(_:)``).
    private func atBasePrice(_ frame: BatchFrame, _ c: Int, _ stockFactor: Span<Double>) -> Bool {
        let w = frame.width
        let shortSum = frame.values(of: shortSums, c)
        let one = (1.0).bitPattern
        var bits: UInt64 = 0
        if horizonAboveZero {
            for r in 0..<w { bits |= shortSum[r].bitPattern }
        } else if horizonSet {
            let horizon = frame.parameter(layout.refs.scarcityHorizonMonths, 0)
            for r in 0..<w { bits |= (horizon[r] > 0 ? one : stockFactor[r].bitPattern) ^ one }
            for r in 0..<w { bits |= shortSum[r].bitPattern }
        } else {
            // No horizon above 0 in any run: every run's factor is its stock-cover factor.
            for r in 0..<w { bits |= shortSum[r].bitPattern | (stockFactor[r].bitPattern ^ one) }
        }
        guard bits == 0 else { return false }
        guard releasePriced else { return true }  // weight +0 in every run: nothing unsupplied
        let releaseWeight = frame.parameter(layout.refs.releaseInPrice, 0), releaseSum = frame.values(of: releaseSums, c)
        for r in 0..<w { bits |= 0 - releaseWeight[r] * releaseSum[r] > 0 ? 1 : 0 }
        return bits == 0
    }

    /// The settle loop of commodity `c` for a month whose target price is p0 in every run
    /// (``atBasePrice(_:_:_:)``): the same operations in the same order for each run, as passes
    /// over the runs that each write one or two spans, without branches, so that they vectorise.
    /// While no run holds or buys a precautionary stock (`hasHoard` false: every purchase is ±0)
    /// the stock stays as it is.
    private func settleAtBasePrice(_ frame: BatchFrame, _ c: Int) {
        let w = frame.width
        let p0 = tables.basePrice[c]
        let month = Double(frame.monthIndex)
        // The price did not move last month, toward the same p0 at the same rate (no parameter
        // change): it does not move this month either, and stays at or below its peak (last
        // month's peak is at least it). The price output is last month's; the peak as it is.
        let priceKept = stillPossible && !frame.parametersChanged && priceStill & commodityBit(c) != 0
        if priceKept { frame.repeatLastMonth(layout.refs.outPrice, c) }
        if !priceKept {
            let priceRate = frame.values(of: lagRate, Lag.price.rawValue)
            var price = frame.state(self.price, c), priceOut = frame.output(layout.refs.outPrice, c)
            if stillPossible {
                // Whether any run's price moved (bit for bit), as a reduction without branches.
                var moves: UInt64 = 0
                for r in 0..<w {
                    let moved = price[r] + (p0 - price[r]) * priceRate[r]
                    moves |= moved.bitPattern ^ price[r].bitPattern
                    price[r] = moved
                    priceOut[r] = moved
                }
                priceStill = moves == 0 ? priceStill | commodityBit(c) : priceStill & ~commodityBit(c)
            } else {
                // No commodity can be still (``stillPossible``): whether the price moved is not
                // looked at (counted as moved).
                for r in 0..<w {
                    let moved = price[r] + (p0 - price[r]) * priceRate[r]
                    price[r] = moved
                    priceOut[r] = moved
                }
                priceStill &= ~commodityBit(c)
            }
        }
        let price = frame.values(of: self.price, c)
        do {
            let trendRate = frame.values(of: lagRate, Lag.trend.rawValue)
            var reference = frame.state(referencePrice, c)
            for r in 0..<w { reference[r] += (price[r] - reference[r]) * trendRate[r] }
        }
        if !priceKept {
            let peak = frame.values(of: self.peak, c)
            var peakAt = frame.state(self.peakAt, c)
            for r in 0..<w {
                let kept = peakAt[r]  // read in every run, so that the loop vectorises
                peakAt[r] = price[r] > peak[r] ? month : kept
            }
        }
        if !priceKept {
            var peak = frame.state(self.peak, c)
            for r in 0..<w { peak[r] = price[r] > peak[r] ? price[r] : peak[r] }
        }
        do {
            let threatRate = frame.values(of: lagRate, Lag.threat.rawValue)
            let demandSum = frame.values(of: demandSums, c), lostSum = frame.values(of: lostSums, c)
            var threat = frame.state(self.threat, c)
            if nothingLost {
                // Every lost sum +0: the lost share is +0 in every run (+0 / positive demand, or
                // 0 without demand), so no division.
                for r in 0..<w {
                    let moved = threat[r] + (0 - threat[r]) * threatRate[r]
                    threat[r] = threatRate[r] > 0 ? moved : threat[r]
                }
            } else {
                for r in 0..<w {
                    let share = min(1, lostSum[r] / demandSum[r])  // used where demand is positive
                    let lostShare = demandSum[r] > 0 ? share : 0
                    let moved = threat[r] + (lostShare - threat[r]) * threatRate[r]
                    threat[r] = threatRate[r] > 0 ? moved : threat[r]
                }
            }
        }
        if hasHoard {
            // What was bought (as filled as anyone's demand) is added, what was sold taken off:
            // both computed in every run, one selected.
            let bought = frame.values(of: hoardBuy, c)
            let demandSum = frame.values(of: demandSums, c), importSum = frame.values(of: importSums, c)
            var hoard = frame.state(self.hoard, c)
            for r in 0..<w {
                let (b, m, d, h) = (bought[r], importSum[r], demandSum[r], hoard[r])
                let filled = b * min(1, m / d)  // used where demand is positive
                let raised = h + (d > 0 ? filled : 0)
                let lowered = max(0, h + b)
                hoard[r] = b > 0 ? raised : (b < 0 ? lowered : h)
            }
        }
        let hoard = frame.values(of: self.hoard, c), threat = frame.values(of: self.threat, c)
        var hoardOut = frame.output(layout.refs.outHoard, c), threatOut = frame.output(layout.refs.outThreat, c)
        for r in 0..<w {
            hoardOut[r] = hoard[r]
            threatOut[r] = threat[r]
        }
    }

    /// Each run's `min(1, cover / cover₀)^(−stock_price_elasticity)` for commodity `c`
    /// (``TradeInstance`` `coverFactor`): 1 when the elasticity is 0, the reference is 0 or
    /// stocks are at or above it, without calling `pow` (whose value there is exactly 1).
    ///
    /// The world's stocks (`scratch[6]`) are summed only when something reads them: the reference
    /// in month 0, the factor when some run's elasticity may be non-zero and its horizon is not
    /// above 0, the scarcity premium when some run has a horizon and some run a deficit (the
    /// premium is 0 without one, whatever the stocks). Otherwise the factor is 1 in every run
    /// (v1). A run whose horizon is above 0 never reads its factor (the premium takes its
    /// place): it gets 1, without a `pow` (``horizonAboveZero``: so do all).
    private func coverFactor(_ frame: BatchFrame, _ c: Int, into factor: inout MutableSpan<Double>) {
        let w = frame.width
        let elasticity = frame.parameter(layout.refs.stockPriceElasticity, c)
        let priced = mayBeNonZero(stockPriced, c) && !horizonAboveZero
        let premium = horizonSet && frame.values(of: shortSums, c).mayBeNonZero
        guard priced || frame.monthIndex == 0 || premium else {
            for r in 0..<w { factor[r] = 1 }
            return
        }
        var cover = frame.state(scratch, 6)
        for r in 0..<w { cover[r] = 0 }
        for i in 0..<I {
            let stocks = frame.input(layout.refs.stockLevel, i * C + c)
            for r in 0..<w { cover[r] += stocks[r] }
        }
        var cover0 = frame.state(stockCover0, c)
        if frame.monthIndex == 0 {
            let days = frame.parameter(layout.refs.stockReferenceDays, 0)
            let world = tables.worldDemand[c]
            for r in 0..<w {
                cover0[r] = days[r] >= 0 ? min(cover[r], days[r] * world / SimulationCalendar.daysPerMonth) : cover[r]
            }
        }
        guard priced else {
            for r in 0..<w { factor[r] = 1 }
            return
        }
        let horizon = frame.parameter(layout.refs.scarcityHorizonMonths, 0)
        // The power of the previous run that needed one, reused by runs with the same arguments.
        var lastRatio = Double.nan, lastElasticity = Double.nan, lastFactor = 1.0
        for r in 0..<w {
            factor[r] = 1
            guard elasticity[r] > 0, cover0[r] > 0, !(horizon[r] > 0) else { continue }
            // Only scarcity moves the price: stocks above their start do not push it below p0.
            let ratio = min(1, max(cover[r], 0.05 * cover0[r]) / cover0[r])
            guard ratio != 1 else { continue }
            if ratio.bitPattern != lastRatio.bitPattern || elasticity[r].bitPattern != lastElasticity.bitPattern {
                (lastRatio, lastElasticity) = (ratio, elasticity[r])
                lastFactor = pow(ratio, -elasticity[r])
            }
            factor[r] = lastFactor
        }
    }

    /// `share[s>i/c]`: direct flow plus s's part of the re-sourced volume delivered, over imports
    /// (``TradeInstance`` `writeShares`). Each run takes the form it would take alone: with
    /// re-sourcing this month, or without.
    private func writeShares(_ frame: BatchFrame) {
        let w = frame.width
        // Every commodity still this month and last (``importerStillMonths``): every share is
        // the month before last's, which this month's buffer already holds. Those months nothing
        // was re-sourced (no flow pair was restricted the month before either, so nothing was
        // lost), so the shares took one form, the one without re-sourcing.
        if importerStillMonths >= 2, frame.outputsAlternate { return }
        let pairs = tables.supplyPairs, importers = tables.supplyImporter
        guard hasAllocation else {
            // Nothing re-sourced this month: shares are the direct flows (and contracts) alone,
            // one loop per run of consecutive supply pairs (``TradeTables/supplyRunPair``).
            let runPair = tables.supplyRunPair, runImporter = tables.supplyRunImporter, runLength = tables.supplyRunLength
            let allDirect = frame.values(of: self.direct), allPerImport = frame.values(of: self.perImport)
            let allContracted = frame.values(of: self.contracted)
            for m in 0..<runPair.count {
                let k = runPair[m], ic = runImporter[m], n = runLength[m] * w
                let direct = allDirect.extracting(k * w..<k * w + n)
                let perImport = allPerImport.extracting(ic * w..<ic * w + n)
                var out = frame.outputs(layout.refs.outShare, keys: k..<k + runLength[m])
                if layout.refs.hasOfftake {
                    let contracted = allContracted.extracting(k * w..<k * w + n)
                    for j in 0..<n { out[j] = (direct[j] + contracted[j]) * perImport[j] }
                } else {
                    for j in 0..<n { out[j] = direct[j] * perImport[j] }
                }
            }
            return
        }
        for k in 0..<(I * C) {
            var total = frame.state(allocationTotal, k)
            for r in 0..<w { total[r] = 0 }
        }
        for n in 0..<pairs.count {
            let allocation = frame.values(of: self.allocation, pairs[n])
            var total = frame.state(allocationTotal, importers[n])
            for r in 0..<w { total[r] += allocation[r] }
        }
        for k in 0..<(I * C) {
            let total = frame.values(of: allocationTotal, k)
            var perAllocation = frame.state(self.perAllocation, k)
            for r in 0..<w {
                let share = perAllocation[r] / total[r]  // used where the total is positive
                perAllocation[r] = total[r] > 0 ? share : 0
            }
        }
        let allocating = frame.values(of: self.allocating, 0)
        let offtake = layout.refs.hasOfftake
        // Pairs that cannot carry supply are never written: they keep the 0 every run starts with.
        for n in 0..<pairs.count {
            let k = pairs[n], ic = importers[n]
            let direct = frame.values(of: self.direct, k), allocation = frame.values(of: self.allocation, k)
            let contracted = frame.values(of: self.contracted, k)
            let perImport = frame.values(of: self.perImport, ic), perAllocation = frame.values(of: self.perAllocation, ic)
            var out = frame.output(layout.refs.outShare, k)
            // Both forms computed in every run and one selected (no branch: the loop vectorises).
            if offtake {
                for r in 0..<w {
                    let (d, a, pa, ct, pi) = (direct[r], allocation[r], perAllocation[r], contracted[r], perImport[r])
                    let resourced = (d + a * pa + ct) * pi
                    out[r] = allocating[r] != 0 ? resourced : (d + ct) * pi
                }
            } else {
                for r in 0..<w {
                    let (d, a, pa, ct, pi) = (direct[r], allocation[r], perAllocation[r], contracted[r], perImport[r])
                    let resourced = (d + a * pa + ct) * pi
                    out[r] = allocating[r] != 0 ? resourced : d * pi
                }
            }
        }
    }

    /// The outputs by importer (θ, deferred volume) and by exporter (export loss at p0, capacity),
    /// and the export-loss metric.
    private func writeStocksAndExporters(_ frame: BatchFrame) {
        let w = frame.width
        let n = I * C * w
        // Whole variables at once (key `k` of run `r` at `k * width + r`): one loop per output.
        // One loop for both (a loop that only writes zeros becomes a `memset`, which for whole
        // outputs takes the `rep stosb` path: one instruction per byte).
        // θ never moved and no backlog (always so in v1): both outputs are +0 in every run, and
        // after two such months this month's buffer already holds those zeros.
        let zero = !thriftMoved && !hasBacklog
        if !(zero && importerOutputsZeroMonths >= 2 && frame.outputsAlternate) {
            importerOutputsZeroMonths = zero ? min(2, importerOutputsZeroMonths + 1) : 0
            var deferredOut = frame.outputs(layout.refs.outDeferred)
            do {
                let theta = frame.values(of: thrift).extracting(0..<n)
                var thriftOut = frame.outputs(layout.refs.outThrifting)
                for j in 0..<n {
                    thriftOut[j] = theta[j]
                    deferredOut[j] = 0
                }
            }
            // No backlog anywhere in the block (always so in v1): the deferred volume stays 0.
            // Otherwise only the pairs that may hold one (``flowBacklog``), each run's sum selected.
            for p in 0..<(hasBacklog ? tables.flowPairs.count : 0) where flowBacklog[p] {
                let backlog = frame.values(of: self.backlog, tables.flowPairs[p])
                var deferred = frame.output(layout.refs.outDeferred, tables.flowImporter[p])
                for r in 0..<w {
                    let (sum, b) = (deferred[r], backlog[r])
                    deferred[r] = b > 0 ? sum + b : sum
                }
            }
        }
        let m = S * C * w
        var blocking = false
        var blockedNow: UInt64 = 0
        for k in 0..<(S * C) where exporterBlocked[k] {
            blocking = true
            if k < 64 { blockedNow |= 1 << k }
        }
        let blockedBefore = blockedMonthBefore
        defer {
            unblockedMonths = blocking ? 0 : min(2, unblockedMonths + 1)
            (blockedMonthBefore, blockedLastMonth) = (blockedLastMonth, blockedNow)
        }
        let capacityKept = capacityStillMonths >= 2 && frame.outputsAlternate
        if capacityKept, unblockedMonths < 2, S * C <= 64, frame.monthIndex >= 2 {
            // Effective capacity as in the two months before, but exports blocked lately: this
            // month's buffer holds the capacity, and the export loss of the month before last,
            // which is 0 but where exports were blocked then. Those keys are set to 0 here (the
            // ones blocked this month are written below).
            var stale = blockedBefore & ~blockedNow
            while stale != 0 {
                let k = stale.trailingZeroBitCount
                stale &= stale - 1
                var lossOut = frame.output(layout.refs.outExportLoss, k)
                for r in 0..<w { lossOut[r] = 0 }
            }
        } else if !(capacityKept && unblockedMonths >= 2) {
            // (Effective capacity as in the two months before, and no exports blocked in the month
            // before last nor the one after: this month's buffer already holds the capacity and
            // the zero losses.)
            // The capacity output, and the export loss at p0 set to 0 in the same loop (the value
            // of `blocked · 1000 · p0` wherever nothing is blocked: blocked is +0 there in every
            // run, and adding it would leave the loss's sum over months as it is).
            let effective = frame.values(of: effectiveCapacity).extracting(0..<m)
            var capacityOut = frame.outputs(layout.refs.outCapacity), lossOut = frame.outputs(layout.refs.outExportLoss)
            for j in 0..<m {
                capacityOut[j] = effective[j]
                lossOut[j] = 0
            }
        }
        // The export loss at p0, `blocked · 1000 · p0` (p0 spread over the runs once), and its sum
        // over months, only for the exporters/commodities some run may have blocked exports of
        // (``exporterBlocked``: a few, in the months a restriction or quota binds).
        for k in 0..<(S * C) where exporterBlocked[k] {
            let blocked = frame.values(of: self.blocked, k), p0 = frame.values(of: basePriceByExporter, k)
            var lossOut = frame.output(layout.refs.outExportLoss, k), lossSum = frame.state(self.lossSum, k)
            for r in 0..<w {
                let loss = blocked[r] * 1000 * p0[r]
                lossOut[r] = loss
                lossSum[r] += loss
            }
        }
    }
}
