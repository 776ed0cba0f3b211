import LodestoneKernel

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// One run's state of the trade equations. Every buffer is sized at creation; the monthly step
/// only indexes them.
final class TradeInstance: ModelInstance {
    let C: Int, S: Int, I: Int

    /// The wiring, declared once in ``TradeRefs`` (held inline: one load per use).
    let refs: TradeRefs
    /// Which open inputs something produces: without a producer, the step does none of their work.
    let extraSupply: Buffer, adjustment: Buffer  // open inputs, [i*C+c]
    let extraExports: Buffer  // open input, [s*C+c]

    private let arena: StateArena
    typealias Buffer = UnsafeMutableBufferPointer<Double>
    // This run's copy of the layout's dataset and pair tables (``TradeTables`` and
    // ``TradeSingleRunTables``; read only).
    let baselineDemand: Buffer, baselineShare: Buffer, committed: Buffer, capacity: Buffer
    let basePrice: Buffer
    let flowPairs: UnsafeMutableBufferPointer<Int>
    let flowImporter: UnsafeMutableBufferPointer<Int>, flowExporter: UnsafeMutableBufferPointer<Int>
    let flowCommodity: UnsafeMutableBufferPointer<Int>
    let exporterBasePrice: Buffer
    let unblockedLossIsZero: Bool
    /// Whether some exporter may have blocked volume this month (false: every one's is +0).
    var mayHaveBlocked = true
    let worldDemand: Buffer
    let supplyPairs: UnsafeMutableBufferPointer<Int>
    let supplyImporter: UnsafeMutableBufferPointer<Int>
    let diplomaticPairs: UnsafeMutableBufferPointer<Int>, undiplomaticPairs: UnsafeMutableBufferPointer<Int>
    /// The supply pairs without a baseline flow (their direct flow is always +0), and each one's
    /// importer `i*C+c`.
    let unflowedPairs: UnsafeMutableBufferPointer<Int>, unflowedImporter: UnsafeMutableBufferPointer<Int>

    // State carried between months.
    let alt: Buffer  // re-sourcing state, [i*C+c]
    let price: Buffer  // p(t−1), [c]
    let substitution: Buffer  // σ, [i*C+c]
    let elevatedMonths: UnsafeMutableBufferPointer<Int>  // [c]
    let addedCapacity: Buffer  // [s*C+c]

    // Scratch, rewritten every month.
    let restriction: Buffer  // R, [(s*I+i)*C+c]
    let scenarioShare: Buffer, diplomacyShare: Buffer  // the two restriction inputs, [(s*I+i)*C+c]
    let direct: Buffer  // F, [(s*I+i)*C+c]
    let allocation: Buffer  // spare allocated s→i, [(s*I+i)*C+c]
    let demand: Buffer, lost: Buffer, directTotal: Buffer, allocated: Buffer  // [i*C+c]
    let effectiveCapacity: Buffer, blocked: Buffer  // [s*C+c]
    let factorByExporter: Buffer  // scenario capacity factor, [s*C+c]
    let factorByImporter: Buffer  // scenario demand factor, [i*C+c]
    /// Purchases and releases copied from the stockpile inputs when their keys are not
    /// consecutive, [i*C+c] (otherwise the step reads them where they live).
    let purchased: Buffer
    /// Whether the purchases and the releases input have one consecutive slot per importer key
    /// (``StepFrame/values(_:)`` reads them where they live).
    let purchasesInPlace: Bool, releasesInPlace: Bool
    let priceResponse: Buffer  // (p/p0)^(−ε_d), [c]
    let perImport: Buffer, perAllocation: Buffer, allocationTotal: Buffer  // share scratch, [i*C+c]

    /// Whether `allocation` holds anything but zeros (set by ``resource()``).
    var hasAllocation = false

    let scenarioInputsFollowScenario: Bool
    /// Whether `scenarioShare`, `factorByExporter` and `factorByImporter` hold the scenario
    /// inputs read in an earlier month, and the undiplomatic pairs' restriction computed from them.
    var scenarioInputsRead = false

    /// Whether any pair has deferred volume waiting.
    var hasBacklog = false
    /// The flow pairs that may have deferred volume waiting, bit n for flow pair n: every pair
    /// whose volume is > 0 has its bit set (flow pairs beyond the first 64 are always looked at).
    var backlogPairs: UInt64 = 0

    /// Whether any precautionary stock is held or wanted (v2): skips the work in v1.
    var hasHoard = false

    /// Whether `effectiveCapacity` holds `(K + added) · factor` as the step computed it last
    /// month, with neither term changed since (no expansion in ``updateLongRun(_:)``, the scenario
    /// inputs not read again, no new capacity or extra exports): computing it again would give the
    /// same numbers.
    var capacityCurrent = false
    /// Whether this month's `effectiveCapacity` is last month's, unchanged (its computation skipped
    /// as ``capacityCurrent`` allows, and no expansion since).
    var capacitySameAsLastMonth = false
    /// How many months in a row (at most 2) the capacity and export-loss outputs were the same as
    /// the month before (capacity unchanged, nothing blocked): at 2, this month's buffer already
    /// holds them (``StepFrame/outputsAlternate``).
    var exporterOutputsStillMonths = 0
    /// Whether last month's step blocked nothing (its export losses were all written +0).
    var unblockedLastMonth = false
    /// How many months in a row (at most 2) the shares of the supply pairs without a baseline flow
    /// were written +0 (no re-sourcing, no contracts, every such importer's 1/M finite).
    var unflowedSharesZeroMonths = 0
    /// Whether every importer's 1/M this month is finite (set by ``settle(_:)``; never NaN: 0
    /// where imports are not > 0).
    var perImportFinite = false
    /// Whether `stocks` holds this month's stockpile levels (read only when something needs them).
    var stocksRead = false
    /// Whether some pair diplomacy does not restrict has a restriction other than +0 (or NaN),
    /// as computed from the scenario inputs last read.
    var undiplomaticRestricted = true
    /// Whether some supply pair's restriction this month is not 0 (or is NaN): without one, no
    /// flow is stopped.
    var anyRestriction = true
    /// Whether θ moved this month (``updateLongRun(_:)``), and how many months in a row (at most
    /// 2) it did not: at 2, this month's buffer already holds the θ output.
    var thriftMoved = true, thriftStillMonths = 0

    // Market model v2 state.
    let thrift: Buffer  // θ, [i*C+c]
    let backlog: Buffer  // deferred volume, [(s*I+i)*C+c]
    let hoard: Buffer, threat: Buffer  // H and E, [c]
    let hoardBuy: Buffer  // this month's precautionary purchase (−: sale), [c]
    let referencePrice: Buffer  // p̄, the price's trend reference (v2 speculation), [c]
    let contracted: Buffer  // offtake volume delivered this month, [(s*I+i)*C+c]
    let contractTotal: Buffer  // by importer [i*C+c]
    let quotaByCommodity: Buffer  // [s*C+c], −1 none
    let quotaByExporter: Buffer  // [s], −1 none
    let offtakeVolume: Buffer  // scenario offtake, [(s*I+i)*C+c]
    let gainedCapacity: Buffer  // scenario new capacity, [s*C+c]
    let released: Buffer  // last month's stockpile releases, [i*C+c] (see `purchased`)
    let exports: Buffer  // direct exports by exporter, [s*C+c]
    let catchUp: Buffer  // deferred volume delivered this month, [i*C+c]
    // Quota accounting for the carry-over: allowed and shipped this calendar year, and this
    // year's monthly carry from last year's unused quota; [s*C+c] and, for total quotas, [s].
    let quotaAllowed: Buffer, quotaShipped: Buffer, quotaCarry: Buffer
    let totalAllowed: Buffer, totalShipped: Buffer, totalCarry: Buffer
    let stocks: Buffer  // last month's stockpile levels, [i*C+c]
    let stockCover0: Buffer  // the world's stocks at the start, [c]

    // Metrics.
    let shortfallSum: Buffer, peak: Buffer, peakAt: Buffer, lossSum: Buffer
    let capMonths: Buffer, noAlternativeMonths: Buffer, maxResponseMonths: Buffer

    // Remembered results of the month's exponentials and powers, recomputed only when an
    // argument changes (both are the same function of the same arguments, so the numbers do not
    // change): most months repeat last month's parameters, and the price's arguments settle.
    /// Each lag's time constant last seen (months) and its monthly share `1 − e^(−1/τ)`, [lag].
    let lagTau: Buffer, lagRate: Buffer
    /// The arguments and value of each power last computed, [slot] (``power(_:_:_:)``).
    let powerBase: Buffer, powerExponent: Buffer, powerValue: Buffer

    init(layout: TradeLayout) {
        (C, S, I) = (layout.C, layout.S, layout.I)
        refs = layout.refs
        let (tables, single) = (layout.tables, layout.single)
        let arena = StateArena()
        self.arena = arena
        func ints(_ values: [Int]) -> UnsafeMutableBufferPointer<Int> {
            let buffer = arena.ints(values.count)
            for (n, value) in values.enumerated() { buffer[n] = value }
            return buffer
        }
        baselineDemand = arena.doubles(copying: tables.baselineDemand)
        baselineShare = arena.doubles(copying: tables.baselineShare)
        committed = arena.doubles(copying: tables.committed)
        capacity = arena.doubles(copying: tables.capacity)
        basePrice = arena.doubles(copying: tables.basePrice)
        worldDemand = arena.doubles(copying: tables.worldDemand)
        flowPairs = ints(tables.flowPairs)
        flowImporter = ints(tables.flowImporter)
        flowExporter = ints(tables.flowExporter)
        supplyPairs = ints(tables.supplyPairs)
        supplyImporter = ints(tables.supplyImporter)
        scenarioInputsFollowScenario = single.scenarioInputsFollowScenario
        purchasesInPlace = refs.purchases.isConsecutive && refs.purchases.slots.count == I * C
        releasesInPlace = refs.releases.isConsecutive && refs.releases.slots.count == I * C
        diplomaticPairs = ints(single.diplomaticPairs)
        undiplomaticPairs = ints(single.undiplomaticPairs)
        unflowedPairs = ints(single.unflowedPairs)
        unflowedImporter = ints(single.unflowedImporter)
        flowCommodity = ints(single.flowCommodity)
        exporterBasePrice = arena.doubles(copying: single.exporterBasePrice)
        unblockedLossIsZero = single.unblockedLossIsZero
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
        referencePrice = arena.doubles(C)
        for c in 0..<C { referencePrice[c] = basePrice[c] }
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
        // τ = 0 and share 1 (its share), x^0 = 1 for x = 1: pairs that hold.
        lagTau = arena.doubles(TradeBatch.Lag.allCases.count, initial: 0)
        lagRate = arena.doubles(TradeBatch.Lag.allCases.count, initial: Self.smoothing(0))
        powerBase = arena.doubles(Power.allCases.count * C, initial: 1)
        powerExponent = arena.doubles(Power.allCases.count * C, initial: 0)
        powerValue = arena.doubles(Power.allCases.count * C, initial: pow(1, 0))
    }

    func reset(_ frame: StepFrame) throws {
        for c in 0..<C { frame.setInitial(refs.outPrice, c, basePrice[c]) }
        for i in 0..<I {
            for c in 0..<C { frame.setInitial(refs.outDemand, i * C + c, baselineDemand[i * C + c]) }
        }
    }

    func step(_ frame: StepFrame) throws {
        // Restriction R = 1 − (1 − r_scenario)(1 − r_diplomacy).
        // Only pairs that can carry supply are ever read; the others stay 0. A pair diplomacy does
        // not restrict reads its fallback, +0: R = 1 − (1 − r_scenario)·1 needs neither the read
        // nor the product (x·1 is x).
        // Scenario inputs that read last month's values leave what was computed from them as it is.
        if frame.scenarioChanged || !scenarioInputsRead {
            frame.gather(refs.scenarioRestriction, keys: UnsafeBufferPointer(supplyPairs), into: scenarioShare)
            var restricted = false
            for n in 0..<undiplomaticPairs.count {
                let k = undiplomaticPairs[n]
                restriction[k] = 1 - (1 - scenarioShare[k])
                if restriction[k] != 0 { restricted = true }
            }
            undiplomaticRestricted = restricted
            frame.gather(refs.capacityFactor, into: factorByExporter)
            frame.gather(refs.demandFactor, into: factorByImporter)
            scenarioInputsRead = scenarioInputsFollowScenario
            capacityCurrent = false
        }
        frame.gather(refs.diplomacyRestriction, keys: UnsafeBufferPointer(diplomaticPairs), into: diplomacyShare)
        var restricted = undiplomaticRestricted
        for n in 0..<diplomaticPairs.count {
            let k = diplomaticPairs[n]
            restriction[k] = 1 - (1 - scenarioShare[k]) * (1 - diplomacyShare[k])
            if restriction[k] != 0 { restricted = true }
        }
        anyRestriction = restricted
        if refs.hasNewCapacity {
            frame.gather(refs.newCapacity, into: gainedCapacity)
            for k in 0..<(S * C) {
                effectiveCapacity[k] = (capacity[k] + addedCapacity[k] + gainedCapacity[k]) * factorByExporter[k]
            }
        } else if !capacityCurrent {
            for k in 0..<(S * C) { effectiveCapacity[k] = (capacity[k] + addedCapacity[k]) * factorByExporter[k] }
            // Kept while nothing adds to it in place (new capacity, extra exports, expansion).
            capacityCurrent = !refs.hasExtraExports
            capacitySameAsLastMonth = false
        } else {
            capacitySameAsLastMonth = true  // until an expansion adds to it
        }
        if refs.hasExtraExports {
            // Open input: an exporter's extra supply is capacity on top of K (never below 0).
            frame.gather(refs.extraExports, into: extraExports)
            for k in 0..<(S * C) { effectiveCapacity[k] += max(0, extraExports[k]) }
        }
        // Stockpile purchases and releases read where they live when their keys are consecutive
        // (``StepFrame/values(_:)``), copied otherwise.
        let purchased: UnsafeBufferPointer<Double>
        if purchasesInPlace {
            purchased = frame.values(refs.purchases)
        } else {
            frame.gather(refs.purchases, into: self.purchased)
            purchased = UnsafeBufferPointer(self.purchased)
        }
        var released = UnsafeBufferPointer(self.released)
        if refs.hasReleases {
            if releasesInPlace {
                released = frame.values(refs.releases)
            } else {
                frame.gather(refs.releases, into: self.released)
            }
        }
        if refs.hasExtraSupply { frame.gather(refs.extraSupply, into: extraSupply) }
        if refs.hasAdjustment { frame.gather(refs.demandAdjustment, into: adjustment) }
        if refs.hasQuota {
            frame.gather(refs.quota, into: quotaByCommodity)
            frame.gather(refs.quotaTotal, into: quotaByExporter)
        }
        if refs.hasOfftake { frame.gather(refs.offtake, into: offtakeVolume) }
        stocksRead = false  // gathered by readStocks(_:) when the price needs them
        if refs.hasQuota, frame.month.month == 1, frame.monthIndex > 0 { carryQuotaOver(frame) }
        updateLongRun(frame)
        updateHoard(frame)
        computeDemandAndFlows(frame, purchased: purchased)
        applyQuotas(frame)
        deliverLate(frame)
        resource()
        let ramp = smoothing(.ramp, frame.parameter(refs.rampMonths, 0))
        for k in 0..<(I * C) { alt[k] += (allocated[k] - alt[k]) * ramp }
        settle(frame, released: released)
    }

    func finish(_ metrics: MetricFrame) {
        for k in 0..<(I * C) { metrics.write(refs.shortfallTotal, k, shortfallSum[k]) }
        for c in 0..<C {
            metrics.write(refs.peakPrice, c, peak[c])
            metrics.write(refs.peakPriceAt, c, peakAt[c])
        }
        for k in 0..<(S * C) { metrics.write(refs.exportLossTotal, k, lossSum[k]) }
        for c in 0..<C { metrics.write(refs.monthsAtPriceCap, c, capMonths[c]) }
        for k in 0..<(I * C) {
            metrics.write(refs.monthsWithoutAlternative, k, noAlternativeMonths[k])
            metrics.write(refs.monthsAtMaxResponse, k, maxResponseMonths[k])
        }
    }

    /// The share of the gap closed per month by an exponential lag with time constant `tau`
    /// months: `1 − e^(−1/τ)`; 1 when τ = 0, 0 when τ = ∞.
    static func smoothing(_ tau: Double) -> Double {
        if tau <= 0 { return 1 }
        if tau.isInfinite { return 0 }
        return 1 - exp(-1 / tau)
    }

    /// Calls `body` with each flow pair n that may have deferred volume waiting (``backlogPairs``),
    /// in increasing order.
    @inline(__always)
    func forEachBacklogPair(_ body: (Int) -> Void) {
        var bits = backlogPairs
        while bits != 0 {
            body(bits.trailingZeroBitCount)
            bits &= bits &- 1
        }
        if flowPairs.count > 64 { for n in 64..<flowPairs.count { body(n) } }
    }

    /// Copies last month's stockpile levels into `stocks`, once a month: only the price's stock
    /// term and scarcity premium read them (the input reads last month's values, the same at any
    /// point of the step).
    @inline(__always)
    func readStocks(_ frame: StepFrame) {
        guard !stocksRead else { return }
        frame.gather(refs.stockLevel, into: stocks)
        stocksRead = true
    }

    /// ``smoothing(_:)`` of `tau` for `lag`, computed again only when `tau` differs (in any bit)
    /// from the last month's.
    @inline(__always)
    func smoothing(_ lag: TradeBatch.Lag, _ tau: Double) -> Double {
        let j = lag.rawValue
        if tau.bitPattern != lagTau[j].bitPattern {
            lagTau[j] = tau
            lagRate[j] = Self.smoothing(tau)
        }
        return lagRate[j]
    }

    /// The powers of the step, one per commodity each: demand's price response, the price's
    /// scarcity factor and its stock-cover factor.
    enum Power: Int, CaseIterable {
        case demandResponse, scarcity, cover
    }

    /// `pow(base, exponent)` for commodity `c`'s power `power`, computed again only when an
    /// argument differs (in any bit) from the last one's.
    @inline(__always)
    func power(_ power: Power, _ c: Int, _ base: Double, _ exponent: Double) -> Double {
        let j = power.rawValue * C + c
        if base.bitPattern != powerBase[j].bitPattern || exponent.bitPattern != powerExponent[j].bitPattern {
            powerBase[j] = base
            powerExponent[j] = exponent
            powerValue[j] = pow(base, exponent)
        }
        return powerValue[j]
    }
}
