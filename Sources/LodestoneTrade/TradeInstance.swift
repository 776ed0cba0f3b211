import LodestoneKernel

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// One run's state of the trade equations. Every buffer is sized at creation; the monthly step
/// only indexes them.
final class TradeInstance: ModelInstance {
    private let layout: TradeLayout
    private let C: Int, S: Int, I: Int

    // Wiring (copied from the layout: a stored property is one load in the step).
    private let scenarioRestriction: InputRef, diplomacyRestriction: InputRef, purchases: InputRef
    private let demandFactor: InputRef, capacityFactor: InputRef
    private let outDemand: OutputRef, outImports: OutputRef, outShortfall: OutputRef, outAlt: OutputRef
    private let outShare: OutputRef, outPrice: OutputRef, outExportLoss: OutputRef
    private let outSubstitution: OutputRef, outCapacity: OutputRef
    private let rampMonths: ParameterRef, leakage: ParameterRef, demandElasticity: ParameterRef
    private let priceElasticity: ParameterRef, priceLag: ParameterRef, maxPriceMultiple: ParameterRef
    private let substitutionPerYear: ParameterRef, maxSubstitution: ParameterRef
    private let expansionPerYear: ParameterRef, expansionLag: ParameterRef
    private let shortfallTotal: MetricRef, peakPrice: MetricRef, peakPriceAt: MetricRef
    private let exportLossTotal: MetricRef
    // Market model v2 (the layout's refs; see TradeLayout).
    private let v2: TradeLayout
    /// Which optional v2 inputs something produces: the step skips the others' work.
    private let hasQuota: Bool, hasOfftake: Bool, hasNewCapacity: Bool, hasReleases: Bool, hasStocks: Bool
    /// Which open inputs something produces: without a producer, the step does none of their work.
    private let hasExtraSupply: Bool, hasExtraExports: Bool, hasAdjustment: Bool
    private let extraSupply: Buffer, adjustment: Buffer  // open inputs, [i*C+c]
    private let extraExports: Buffer  // open input, [s*C+c]

    private let arena = StateArena()
    private typealias Buffer = UnsafeMutableBufferPointer<Double>
    // Flattened dataset and pair tables (the layout's, read only).
    private let baselineDemand: Buffer, baselineShare: Buffer, baselineFlow: Buffer, capacity: Buffer
    private let basePrice: Buffer
    private let flowPairs: UnsafeMutableBufferPointer<Int>
    private let flowImporter: UnsafeMutableBufferPointer<Int>, flowExporter: UnsafeMutableBufferPointer<Int>
    private let supplyPairs: UnsafeMutableBufferPointer<Int>
    private let supplyImporter: UnsafeMutableBufferPointer<Int>

    // State carried between months.
    private let alt: Buffer  // re-sourcing state, [i*C+c]
    private let price: Buffer  // p(t−1), [c]
    private let substitution: Buffer  // σ, [i*C+c]
    private let elevatedMonths: UnsafeMutableBufferPointer<Int>  // [c]
    private let addedCapacity: Buffer  // [s*C+c]

    // Scratch, rewritten every month.
    private let restriction: Buffer  // R, [(s*I+i)*C+c]
    private let scenarioShare: Buffer, diplomacyShare: Buffer  // the two restriction inputs, [(s*I+i)*C+c]
    private let direct: Buffer  // F, [(s*I+i)*C+c]
    private let allocation: Buffer  // spare allocated s→i, [(s*I+i)*C+c]
    private let demand: Buffer, lost: Buffer, directTotal: Buffer, allocated: Buffer  // [i*C+c]
    private let effectiveCapacity: Buffer, blocked: Buffer  // [s*C+c]
    private let factorByExporter: Buffer  // scenario capacity factor, [s*C+c]
    private let factorByImporter: Buffer, purchased: Buffer  // scenario demand factor, purchases, [i*C+c]
    private let priceResponse: Buffer  // (p/p0)^(−ε_d), [c]
    private let perImport: Buffer, perAllocation: Buffer, allocationTotal: Buffer  // share scratch, [i*C+c]

    /// Whether `allocation` holds anything but zeros (set by ``resource()``).
    private var hasAllocation = false

    // Market model v2 state.
    private let thrift: Buffer  // θ, [i*C+c]
    private let backlog: Buffer  // deferred volume, [(s*I+i)*C+c]
    private let hoard: Buffer, threat: Buffer  // H and E, [c]
    private let hoardBuy: Buffer  // this month's precautionary purchase (−: sale), [c]
    private let contracted: Buffer  // offtake volume delivered this month, [(s*I+i)*C+c]
    private let contractTotal: Buffer  // by importer [i*C+c]
    private let quotaByCommodity: Buffer  // [s*C+c], −1 none
    private let quotaByExporter: Buffer  // [s], −1 none
    private let offtakeVolume: Buffer  // scenario offtake, [(s*I+i)*C+c]
    private let gainedCapacity: Buffer  // scenario new capacity, [s*C+c]
    private let released: Buffer  // last month's stockpile releases, [i*C+c]
    private let exports: Buffer  // direct exports by exporter, [s*C+c]
    private let catchUp: Buffer  // deferred volume delivered this month, [i*C+c]
    // Quota accounting for the carry-over: allowed and shipped this calendar year, and this
    // year's monthly carry from last year's unused quota; [s*C+c] and, for total quotas, [s].
    private let quotaAllowed: Buffer, quotaShipped: Buffer, quotaCarry: Buffer
    private let totalAllowed: Buffer, totalShipped: Buffer, totalCarry: Buffer
    private let stocks: Buffer  // last month's stockpile levels, [i*C+c]
    private let stockCover0: Buffer  // the world's stocks at the start, [c]

    // Metrics.
    private let shortfallSum: Buffer, peak: Buffer, peakAt: Buffer, lossSum: Buffer
    private let capMonths: Buffer, noAlternativeMonths: Buffer, maxResponseMonths: Buffer

    init(layout: TradeLayout) {
        self.layout = layout
        (C, S, I) = (layout.C, layout.S, layout.I)
        scenarioRestriction = layout.scenarioRestriction
        diplomacyRestriction = layout.diplomacyRestriction
        purchases = layout.purchases
        demandFactor = layout.demandFactor
        capacityFactor = layout.capacityFactor
        outDemand = layout.outDemand
        outImports = layout.outImports
        outShortfall = layout.outShortfall
        outAlt = layout.outAlt
        outShare = layout.outShare
        outPrice = layout.outPrice
        outExportLoss = layout.outExportLoss
        outSubstitution = layout.outSubstitution
        outCapacity = layout.outCapacity
        rampMonths = layout.rampMonths
        leakage = layout.leakage
        demandElasticity = layout.demandElasticity
        priceElasticity = layout.priceElasticity
        priceLag = layout.priceLag
        maxPriceMultiple = layout.maxPriceMultiple
        substitutionPerYear = layout.substitutionPerYear
        maxSubstitution = layout.maxSubstitution
        expansionPerYear = layout.expansionPerYear
        expansionLag = layout.expansionLag
        shortfallTotal = layout.shortfallTotal
        peakPrice = layout.peakPrice
        peakPriceAt = layout.peakPriceAt
        exportLossTotal = layout.exportLossTotal
        baselineDemand = layout.baselineDemand
        baselineShare = layout.baselineShare
        baselineFlow = layout.baselineFlow
        capacity = layout.capacity
        basePrice = layout.basePrice
        flowPairs = layout.flowPairs
        flowImporter = layout.flowImporter
        flowExporter = layout.flowExporter
        supplyPairs = layout.supplyPairs
        supplyImporter = layout.supplyImporter
        let (ic, sic, sc) = (I * C, S * I * C, S * C)
        alt = arena.doubles(ic)
        price = arena.doubles(C)
        for c in 0..<C { price[c] = basePrice[c] }
        substitution = arena.doubles(ic)
        elevatedMonths = arena.ints(C)
        addedCapacity = arena.doubles(sc)
        restriction = arena.doubles(sic)
        scenarioShare = arena.doubles(sic)
        diplomacyShare = arena.doubles(sic)
        direct = arena.doubles(sic)
        allocation = arena.doubles(sic)
        demand = arena.doubles(ic)
        lost = arena.doubles(ic)
        directTotal = arena.doubles(ic)
        allocated = arena.doubles(ic)
        effectiveCapacity = arena.doubles(sc)
        blocked = arena.doubles(sc)
        factorByExporter = arena.doubles(sc)
        factorByImporter = arena.doubles(ic)
        purchased = arena.doubles(ic)
        priceResponse = arena.doubles(C)
        perImport = arena.doubles(ic)
        perAllocation = arena.doubles(ic)
        allocationTotal = arena.doubles(ic)
        shortfallSum = arena.doubles(ic)
        peak = arena.doubles(C)
        for c in 0..<C { peak[c] = basePrice[c] }
        peakAt = arena.doubles(C, initial: .nan)
        lossSum = arena.doubles(sc)
        v2 = layout
        hasQuota = layout.quota.isBound || layout.quotaTotal.isBound
        hasOfftake = layout.offtake.isBound
        hasNewCapacity = layout.newCapacity.isBound
        hasReleases = layout.releases.isBound
        hasStocks = layout.stockLevel.isBound
        hasExtraSupply = layout.extraSupply.isBound
        hasExtraExports = layout.extraExports.isBound
        hasAdjustment = layout.demandAdjustment.isBound
        extraSupply = arena.doubles(ic)
        adjustment = arena.doubles(ic)
        extraExports = arena.doubles(sc)
        quotaAllowed = arena.doubles(sc)
        quotaShipped = arena.doubles(sc)
        quotaCarry = arena.doubles(sc)
        totalAllowed = arena.doubles(S)
        totalShipped = arena.doubles(S)
        totalCarry = arena.doubles(S)
        stocks = arena.doubles(ic)
        stockCover0 = arena.doubles(C)
        thrift = arena.doubles(ic)
        backlog = arena.doubles(sic)
        hoard = arena.doubles(C)
        threat = arena.doubles(C)
        hoardBuy = arena.doubles(C)
        contracted = arena.doubles(sic)
        contractTotal = arena.doubles(ic)
        quotaByCommodity = arena.doubles(sc, initial: -1)
        quotaByExporter = arena.doubles(S, initial: -1)
        offtakeVolume = arena.doubles(sic)
        gainedCapacity = arena.doubles(sc)
        released = arena.doubles(ic)
        exports = arena.doubles(sc)
        catchUp = arena.doubles(ic)
        capMonths = arena.doubles(C)
        noAlternativeMonths = arena.doubles(ic)
        maxResponseMonths = arena.doubles(ic)
    }

    func reset(_ frame: StepFrame) throws {
        for c in 0..<C { frame.setInitial(outPrice, c, basePrice[c]) }
        for i in 0..<I {
            for c in 0..<C { frame.setInitial(outDemand, i * C + c, baselineDemand[i * C + c]) }
        }
    }

    func step(_ frame: StepFrame) throws {
        // Restriction R = 1 − (1 − r_scenario)(1 − r_diplomacy).
        // Only pairs that can carry supply are ever read; the others stay 0.
        let pairs = UnsafeBufferPointer(supplyPairs)
        frame.gather(scenarioRestriction, keys: pairs, into: scenarioShare)
        frame.gather(diplomacyRestriction, keys: pairs, into: diplomacyShare)
        for n in 0..<supplyPairs.count {
            let k = supplyPairs[n]
            restriction[k] = 1 - (1 - scenarioShare[k]) * (1 - diplomacyShare[k])
        }
        frame.gather(capacityFactor, into: factorByExporter)
        if hasNewCapacity {
            frame.gather(v2.newCapacity, into: gainedCapacity)
            for k in 0..<(S * C) {
                effectiveCapacity[k] = (capacity[k] + addedCapacity[k] + gainedCapacity[k]) * factorByExporter[k]
            }
        } else {
            for k in 0..<(S * C) { effectiveCapacity[k] = (capacity[k] + addedCapacity[k]) * factorByExporter[k] }
        }
        if hasExtraExports {
            // Open input: an exporter's extra supply is capacity on top of K (never below 0).
            frame.gather(v2.extraExports, into: extraExports)
            for k in 0..<(S * C) { effectiveCapacity[k] += max(0, extraExports[k]) }
        }
        frame.gather(demandFactor, into: factorByImporter)
        frame.gather(purchases, into: purchased)
        if hasExtraSupply { frame.gather(v2.extraSupply, into: extraSupply) }
        if hasAdjustment { frame.gather(v2.demandAdjustment, into: adjustment) }
        if hasQuota {
            frame.gather(v2.quota, into: quotaByCommodity)
            frame.gather(v2.quotaTotal, into: quotaByExporter)
        }
        if hasOfftake { frame.gather(v2.offtake, into: offtakeVolume) }
        if hasReleases { frame.gather(v2.releases, into: released) }
        if hasStocks { frame.gather(v2.stockLevel, into: stocks) }
        if hasQuota, frame.month.month == 1, frame.monthIndex > 0 { carryQuotaOver(frame) }
        updateLongRun(frame)
        updateHoard(frame)
        computeDemandAndFlows(frame)
        applyQuotas(frame)
        deliverLate(frame)
        resource()
        let ramp = Self.smoothing(frame.parameter(rampMonths, 0))
        for k in 0..<(I * C) { alt[k] += (allocated[k] - alt[k]) * ramp }
        settle(frame)
    }

    /// Step 7: substitution and capacity expansion from last month's price.
    private func updateLongRun(_ frame: StepFrame) {
        let perYear = frame.parameters(substitutionPerYear)
        let ceiling = frame.parameters(maxSubstitution)
        let expansion = frame.parameters(expansionPerYear)
        let lag = frame.parameter(expansionLag, 0)
        for c in 0..<C {
            let elevated = price[c] > 1.5 * basePrice[c]
            let move = perYear[c] / 12 * (elevated ? 1 : -1)
            for i in 0..<I {
                substitution[i * C + c] = min(ceiling[c], max(0, substitution[i * C + c] + move))
            }
            // Thrifting θ: up while elevated, never down (v2; 0 per year in v1).
            let thriftRate = frame.parameter(v2.thriftingPerYear, c)
            if elevated, thriftRate > 0 {
                let thriftCeiling = frame.parameter(v2.maxThrifting, c)
                for i in 0..<I { thrift[i * C + c] = min(thriftCeiling, thrift[i * C + c] + thriftRate / 12) }
            }
            elevatedMonths[c] = elevated ? elevatedMonths[c] + 1 : 0
            guard Double(elevatedMonths[c]) > lag else { continue }
            var worldDemand = 0.0
            for i in 0..<I { worldDemand += baselineDemand[i * C + c] }
            let added = expansion[c] / 12 * worldDemand
            var eligibleCapacity = 0.0
            for s in 0..<S where !restrictsAnyone(s, c) { eligibleCapacity += effectiveCapacity[s * C + c] }
            guard eligibleCapacity > 0, added > 0 else { continue }
            for s in 0..<S where !restrictsAnyone(s, c) {
                let share = effectiveCapacity[s * C + c] / eligibleCapacity
                addedCapacity[s * C + c] += added * share
                effectiveCapacity[s * C + c] += added * share * factorByExporter[s * C + c]
            }
        }
    }

    @inline(__always)
    private func restrictsAnyone(_ s: Int, _ c: Int) -> Bool {
        for i in 0..<I where restriction[(s * I + i) * C + c] > 0 { return true }
        return false
    }

    /// Steps 1–2: demand, direct flows and lost volume.
    private func computeDemandAndFlows(_ frame: StepFrame) {
        let elasticity = frame.parameters(demandElasticity)
        let leak = frame.parameters(leakage)
        for c in 0..<C {
            let ratio = price[c] / basePrice[c]
            priceResponse[c] = ratio == 1 || elasticity[c] == 0 ? 1 : pow(ratio, -elasticity[c])
        }
        for i in 0..<I {
            for c in 0..<C {
                let k = i * C + c
                demand[k] = baselineDemand[k] * factorByImporter[k] * priceResponse[c] * (1 - substitution[k])
                    * (1 - thrift[k]) + purchased[k]
                if purchased[k] < 0 { demand[k] = max(0, demand[k]) }  // a stock sold back (v2)
                // Open inputs: the adjustment changes demand; extra supply meets it before imports.
                if hasAdjustment { demand[k] = max(0, demand[k] + adjustment[k]) }
                if hasExtraSupply { demand[k] = max(0, demand[k] - max(0, extraSupply[k])) }
                lost[k] = 0
                directTotal[k] = 0
                catchUp[k] = 0
            }
        }
        if hasHoard { addHoardPurchases() }
        if hasOfftake { serveContracts() }
        for k in 0..<(S * C) { blocked[k] = 0 }
        // `direct` needs no clearing: every flow pair is written below, and no other pair ever is.
        let deferral = frame.parameters(v2.deferredShare)
        for n in 0..<flowPairs.count {
            let k = flowPairs[n]
            let ic = flowImporter[n]
            let base = baselineShare[k] * (demand[ic] - contractTotal[ic])
            let stopped = restriction[k] == 0 ? 0 : base * restriction[k] * (1 - leak[k % C])
            direct[k] = base - stopped
            directTotal[ic] += base - stopped
            lost[ic] += stopped
            blocked[flowExporter[n]] += stopped
            // Deferred deliveries (v2): part of what is blocked waits, and arrives once the pair
            // is open again.
            if stopped > 0, deferral[k % C] > 0 {
                backlog[k] += deferral[k % C] * stopped
                hasBacklog = true
            }
        }
    }

    /// Deferred deliveries (v2): once a pair is open again, the share `1 − e^(−1/catch_up_months)`
    /// of its backlog arrives each month. The cargo was licensed before it was held: no quota
    /// applies to it.
    private func deliverLate(_ frame: StepFrame) {
        guard hasBacklog else { return }
        let catchUpRate = Self.smoothing(frame.parameter(v2.catchUpMonths, 0))
        hasBacklog = false
        for n in 0..<flowPairs.count {
            let k = flowPairs[n]
            guard backlog[k] > 0 else { continue }
            hasBacklog = true
            guard restriction[k] == 0 else { continue }
            let ic = flowImporter[n]
            let late = catchUpRate == 1 ? backlog[k] : backlog[k] * catchUpRate
            backlog[k] -= late
            direct[k] += late
            directTotal[ic] += late
            catchUp[ic] += late
        }
    }

    /// Whether any pair has deferred volume waiting.
    private var hasBacklog = false

    /// Whether any precautionary stock is held or wanted (v2): skips the work in v1.
    private var hasHoard = false

    /// Precautionary buying (v2): buyers want `hoard_months` of the supply they expect to lose,
    /// H* = hoard_months · E · Σ_i D0, and move toward it with time constant
    /// `hoard_adjust_months`. E is last month's expectation, so this month's purchase b is known
    /// before demand.
    private func updateHoard(_ frame: StepFrame) {
        let months = frame.parameters(v2.hoardMonths)
        let adjust = Self.smoothing(frame.parameter(v2.hoardAdjustMonths, 0))
        hasHoard = false
        for c in 0..<C {
            var worldDemand = 0.0
            for i in 0..<I { worldDemand += baselineDemand[i * C + c] }
            let wanted = months[c] * threat[c] * worldDemand
            hoardBuy[c] = (wanted - hoard[c]) * adjust
            if hoardBuy[c] != 0 || hoard[c] != 0 { hasHoard = true }
        }
    }

    /// Adds this month's precautionary purchase (or sale) to demand, shared by baseline demand;
    /// a sale lowers demand at most to 0. `hoardBuy` becomes what was added.
    private func addHoardPurchases() {
        for c in 0..<C {
            guard hoardBuy[c] != 0 else { continue }
            var worldDemand = 0.0
            for i in 0..<I { worldDemand += baselineDemand[i * C + c] }
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

    /// Offtake contracts (v2): each is served first, from the exporter's capacity beyond its
    /// baseline flows, up to the importer's demand; what remains is split by baseline shares.
    private func serveContracts() {
        for k in 0..<(I * C) { contractTotal[k] = 0 }
        for s in 0..<S {
            for c in 0..<C {
                var committed = 0.0, wanted = 0.0
                for i in 0..<I {
                    committed += baselineFlow[(s * I + i) * C + c]
                    wanted += offtakeVolume[(s * I + i) * C + c]
                }
                let free = max(0, effectiveCapacity[s * C + c] - committed)
                let served = wanted > 0 ? min(1, free / wanted) : 0
                for i in 0..<I {
                    let k = (s * I + i) * C + c
                    let room = max(0, demand[i * C + c] - contractTotal[i * C + c])
                    contracted[k] = restriction[k] > 0 ? 0 : min(room, offtakeVolume[k] * served)
                    contractTotal[i * C + c] += contracted[k]
                }
            }
        }
    }

    /// Export quotas (v2): an exporter ships legally at most its quota (plus this year's carry of
    /// last year's unused quota); when its direct exports exceed it, every flow is cut in
    /// proportion, a share `leakage` of the cut still arrives (smuggled), and the rest is lost to
    /// its importers, who can re-source it. A total quota cuts every commodity by the same factor.
    private func applyQuotas(_ frame: StepFrame) {
        guard hasQuota else { return }
        let leak = frame.parameters(leakage)
        for k in 0..<(S * C) { exports[k] = 0 }
        for n in 0..<flowPairs.count { exports[flowExporter[n]] += direct[flowPairs[n]] }
        for s in 0..<S {
            var total = 0.0
            for c in 0..<C { total += exports[s * C + c] }
            let totalQuota = quotaByExporter[s] < 0 ? -1 : quotaByExporter[s] + totalCarry[s]
            let totalScale = totalQuota >= 0 && total > totalQuota ? (total > 0 ? totalQuota / total : 0) : 1
            var legalTotal = 0.0
            for c in 0..<C {
                let q = quotaByCommodity[s * C + c] < 0 ? -1 : quotaByCommodity[s * C + c] + quotaCarry[s * C + c]
                let shipped = exports[s * C + c] * totalScale
                let scale = totalScale * (q >= 0 && shipped > q ? (shipped > 0 ? q / shipped : 0) : 1)
                let legal = exports[s * C + c] * scale
                legalTotal += legal
                if q >= 0 {
                    quotaAllowed[s * C + c] += q - quotaCarry[s * C + c]
                    quotaShipped[s * C + c] += legal
                }
                exports[s * C + c] = legal  // what the quota leaves for re-sourcing is counted from this
                guard scale < 1 else { continue }
                for i in 0..<I {
                    let k = (s * I + i) * C + c
                    let cut = direct[k] * (1 - scale) * (1 - leak[c])
                    guard cut > 0 else { continue }
                    direct[k] -= cut
                    directTotal[i * C + c] -= cut
                    lost[i * C + c] += cut
                    blocked[s * C + c] += cut
                }
            }
            if totalQuota >= 0 {
                totalAllowed[s] += totalQuota - totalCarry[s]
                totalShipped[s] += legalTotal
            }
        }
    }

    /// At each January: the share `quota_carryover` of last year's unused quota becomes a monthly
    /// allowance on top of this year's quotas (unused ÷ 12); the year's accounts start afresh.
    private func carryQuotaOver(_ frame: StepFrame) {
        let share = frame.parameter(v2.quotaCarryover, 0)
        for k in 0..<(S * C) {
            quotaCarry[k] = share * max(0, quotaAllowed[k] - quotaShipped[k]) / 12
            quotaAllowed[k] = 0
            quotaShipped[k] = 0
        }
        for s in 0..<S {
            totalCarry[s] = share * max(0, totalAllowed[s] - totalShipped[s]) / 12
            totalAllowed[s] = 0
            totalShipped[s] = 0
        }
    }

    /// Step 3: spare capacity of non-restricting exporters, shared pro rata to lost volume.
    private func resource() {
        for k in 0..<(I * C) { allocated[k] = 0 }
        if hasAllocation {
            for k in 0..<(S * I * C) { allocation[k] = 0 }
            hasAllocation = false
        }
        var anyLoss = false
        for k in 0..<(I * C) where lost[k] > 0 { anyLoss = true }
        guard anyLoss else { return }
        hasAllocation = true
        for s in 0..<S {
            for c in 0..<C {
                guard effectiveCapacity[s * C + c] > 0 else { continue }
                var committed = 0.0
                var eligibleLoss = 0.0
                for i in 0..<I {
                    let k = (s * I + i) * C + c
                    committed += baselineFlow[k]
                    if restriction[k] == 0 { eligibleLoss += lost[i * C + c] }
                }
                var spare = max(0, effectiveCapacity[s * C + c] - committed)
                if hasOfftake {
                    for i in 0..<I { spare -= contracted[(s * I + i) * C + c] }
                    spare = max(0, spare)
                }
                if hasQuota { spare = min(spare, quotaRoom(s, c)) }
                guard spare > 0, eligibleLoss > 0 else { continue }
                for i in 0..<I {
                    let k = (s * I + i) * C + c
                    guard restriction[k] == 0 else { continue }
                    allocation[k] = spare * lost[i * C + c] / eligibleLoss
                    allocated[i * C + c] += allocation[k]
                }
            }
        }
        for k in 0..<(I * C) { allocated[k] = min(lost[k], allocated[k]) }
    }

    /// `min(1, cover / cover at the start)^(−stock_price_elasticity)`: the world's stocks (every
    /// importer's stockpile, last month) against their level at the start, floored at 5 % of it;
    /// 1 when the elasticity is 0, there were no stocks, or stocks are above their start.
    private func coverFactor(_ frame: StepFrame, _ c: Int) -> Double {
        let e = frame.parameter(v2.stockPriceElasticity, c)
        var cover = 0.0
        for i in 0..<I { cover += stocks[i * C + c] }
        if frame.monthIndex == 0 { stockCover0[c] = cover }
        guard e > 0, stockCover0[c] > 0 else { return 1 }
        // Only scarcity moves the price: stocks above their start (a small base, since the
        // dataset's stocks are a few importers') do not push it below p0.
        return pow(min(1, max(cover, 0.05 * stockCover0[c]) / stockCover0[c]), -e)
    }

    /// What a quota leaves the exporter to offer re-sourcing (∞ without a quota).
    private func quotaRoom(_ s: Int, _ c: Int) -> Double {
        var room = Double.infinity
        let q = quotaByCommodity[s * C + c]
        if q >= 0 { room = max(0, q + quotaCarry[s * C + c] - exports[s * C + c]) }
        let total = quotaByExporter[s]
        if total >= 0 {
            var shipped = 0.0
            for c2 in 0..<C { shipped += exports[s * C + c2] }
            room = min(room, max(0, total + totalCarry[s] - shipped))
        }
        return room
    }

    /// Steps 5–6 and outputs: imports, shortfall, shares, price.
    private func settle(_ frame: StepFrame) {
        let month = Double(frame.monthIndex)
        let elasticity = frame.parameters(priceElasticity)
        let cap = frame.parameters(maxPriceMultiple)
        let priceSmoothing = Self.smoothing(frame.parameter(priceLag, 0))
        let demandOut = frame.outputs(outDemand), importsOut = frame.outputs(outImports)
        let shortOut = frame.outputs(outShortfall), altOut = frame.outputs(outAlt)
        let substitutionOut = frame.outputs(outSubstitution), shareOut = frame.outputs(outShare)
        let releaseWeight = frame.parameter(v2.releaseInPrice, 0)
        let threatRate = Self.smoothing(frame.parameter(v2.threatMonths, 0))
        let surplusOut = frame.outputs(v2.outSurplus)
        for c in 0..<C {
            var shortSum = 0.0
            var demandSum = 0.0
            var lostSum = 0.0
            var importSum = 0.0
            var releaseSum = 0.0
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
                perImport[k] = imports > 0 ? 1 / imports : 0
                perAllocation[k] = delivered
                if lost[k] > 0, allocated[k] == 0, contractTotal[k] == 0 { noAlternativeMonths[k] += 1 }
                if substitution[k] > 0 && substitution[k] >= frame.parameter(maxSubstitution, c)
                    || thrift[k] > 0 && thrift[k] >= frame.parameter(v2.maxThrifting, c)
                {
                    maxResponseMonths[k] += 1
                }
            }
            let p0 = basePrice[c]
            // v2: last month's releases count as supply (weight 0 in v1: exactly shortSum).
            let unsupplied = releaseWeight == 0 ? shortSum : max(0, shortSum - releaseWeight * releaseSum)
            let x = demandSum > 0 ? min(0.95, unsupplied / demandSum) : 0
            var target = p0
            let stockFactor = hasStocks ? coverFactor(frame, c) : 1
            if x != 0 || stockFactor != 1 {
                // v2: the world's stock cover moves the price too (a factor of exactly 1 in v1).
                let market = p0 * (x == 0 ? 1 : pow(1 - x, -1 / elasticity[c])) * stockFactor
                target = min(market, cap[c] * p0)
                if market > cap[c] * p0 { capMonths[c] += 1 }
            }
            price[c] += (target - price[c]) * priceSmoothing
            frame.write(outPrice, c, price[c])
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
            frame.write(v2.outHoard, c, hoard[c])
            frame.write(v2.outThreat, c, threat[c])
        }
        writeShares(shareOut)
        let thriftOut = frame.outputs(v2.outThrifting), deferredOut = frame.outputs(v2.outDeferred)
        for k in 0..<(I * C) {
            thriftOut[k] = thrift[k]
            deferredOut[k] = 0
        }
        for n in 0..<flowPairs.count where backlog[flowPairs[n]] > 0 {
            deferredOut[flowImporter[n]] += backlog[flowPairs[n]]
        }
        let lossOut = frame.outputs(outExportLoss), capacityOut = frame.outputs(outCapacity)
        for s in 0..<S {
            for c in 0..<C {
                let loss = blocked[s * C + c] * 1000 * basePrice[c]
                lossOut[s * C + c] = loss
                capacityOut[s * C + c] = effectiveCapacity[s * C + c]
                lossSum[s * C + c] += loss
            }
        }
    }

    /// `share[s>i/c]`: direct flow plus s's part of the re-sourced volume delivered, over imports.
    /// Expects `perImport[i*C+c] = 1/M` and `perAllocation[i*C+c] = delivered` from ``settle``.
    private func writeShares(_ shareOut: UnsafeMutableBufferPointer<Double>) {
        guard hasAllocation else {
            // Nothing re-sourced this month: shares are the direct flows (and contracts) alone.
            if hasOfftake {
                for n in 0..<supplyPairs.count {
                    let k = supplyPairs[n]
                    shareOut[k] = (direct[k] + contracted[k]) * perImport[supplyImporter[n]]
                }
                return
            }
            for n in 0..<supplyPairs.count {
                let k = supplyPairs[n]
                shareOut[k] = direct[k] * perImport[supplyImporter[n]]
            }
            return
        }
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

    func finish(_ metrics: MetricFrame) {
        for k in 0..<(I * C) { metrics.write(shortfallTotal, k, shortfallSum[k]) }
        for c in 0..<C {
            metrics.write(peakPrice, c, peak[c])
            metrics.write(peakPriceAt, c, peakAt[c])
        }
        for k in 0..<(S * C) { metrics.write(exportLossTotal, k, lossSum[k]) }
        for c in 0..<C { metrics.write(v2.monthsAtPriceCap, c, capMonths[c]) }
        for k in 0..<(I * C) {
            metrics.write(v2.monthsWithoutAlternative, k, noAlternativeMonths[k])
            metrics.write(v2.monthsAtMaxResponse, k, maxResponseMonths[k])
        }
    }

    /// The share of the gap closed per month by an exponential lag with time constant `tau`
    /// months: `1 − e^(−1/τ)`; 1 when τ = 0, 0 when τ = ∞.
    static func smoothing(_ tau: Double) -> Double {
        if tau <= 0 { return 1 }
        if tau.isInfinite { return 0 }
        return 1 - exp(-1 / tau)
    }
}
