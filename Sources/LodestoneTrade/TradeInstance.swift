import LodestoneKernel

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// One run's state of the trade equations, in a kernel-owned ``RunState``: the values of one shape
/// share one variable of named columns (every importer/commodity `[i*C+c]` in ``byImporter``, every
/// pair `[(s*I+i)*C+c]` in ``byPair``, …), so that a function takes one span per shape and an index
/// is checked once for every column it is used with (Docs/Architecture.md, "`TradeInstance`").
/// Every variable is sized at creation; the monthly step only indexes them.
final class TradeInstance: ModelInstance {
    let C: Int, S: Int, I: Int

    /// The wiring, declared once in ``TradeRefs`` (held inline: one load per use).
    let refs: TradeRefs

    /// The columns of ``byImporter``, `[i*C+c]`.
    enum Importer: Int, ColumnKey {
        case baselineDemand  // D0 (dataset, read only)
        case alt  // re-sourcing state
        case substitution  // σ
        case thrift  // θ (v2)
        case factor  // scenario demand factor
        case demand, lost, directTotal, allocated
        case extraSupply, adjustment  // open inputs
        case perImport, perAllocation, allocationTotal  // share scratch
        case contractTotal  // offtake delivered, by importer (v2)
        case catchUp  // deferred volume delivered this month (v2)
        case shortfallSum, noAlternativeMonths, maxResponseMonths  // metrics
        static var columnCount: Int { 19 }
    }
    /// The columns of ``byPair``, `[(s*I+i)*C+c]`.
    enum Pair: Int, ColumnKey {
        case baselineShare  // dataset, read only
        case restriction  // R
        case scenarioShare, diplomacyShare  // the two restriction inputs
        case direct  // F
        case allocation  // spare allocated s→i
        case backlog  // deferred volume (v2)
        case contracted  // offtake volume delivered this month (v2)
        case offtake  // scenario offtake (v2)
        static var columnCount: Int { 9 }
    }
    /// The columns of ``byExporter``, `[s*C+c]`.
    enum Exporter: Int, ColumnKey {
        case committed, capacity  // dataset, read only: Σ_i flows0 and K
        case basePrice  // the exporter/commodity's commodity's p0 (one flat loop values blocked exports)
        case addedCapacity, effectiveCapacity, blocked
        case factor  // scenario capacity factor
        case extraExports  // open input
        case gainedCapacity  // scenario new capacity
        case exports  // direct exports (v2 quotas)
        /// Quota accounting for the carry-over: allowed and shipped this calendar year, and this
        /// year's monthly carry from last year's unused quota; the quota itself (−1: none).
        case quotaAllowed, quotaShipped, quotaCarry, quota
        case lossSum  // metric
        static var columnCount: Int { 15 }
    }
    /// The columns of ``byCommodity``, `[c]`.
    enum Commodity: Int, ColumnKey {
        case basePrice, worldDemand  // dataset, read only: p0 and Σ_i D0
        case price  // p(t−1)
        case priceResponse  // (p/p0)^(−ε_d)
        case elevatedMonths
        case hoard, threat  // H and E (v2)
        case hoardBuy  // this month's precautionary purchase (−: sale)
        case referencePrice  // p̄, the price's trend reference (v2 speculation)
        case peak, peakAt, capMonths  // metrics
        static var columnCount: Int { 12 }
    }
    /// The columns of ``byExporterTotal``, `[s]`: total quotas (v2).
    enum ExporterTotal: Int, ColumnKey {
        case quota  // −1: none
        case allowed, shipped, carry
        static var columnCount: Int { 4 }
    }
    /// The columns of ``powers``, `[power*C+c]`: the arguments and value of each power last computed.
    enum PowerColumn: Int, ColumnKey {
        case base, exponent, value
        static var columnCount: Int { 3 }
    }
    let state = RunState()
    /// The state, dataset and scratch of each shape (``Importer``, ``Pair``, ``Exporter``, ``Commodity``,
    /// ``ExporterTotal``); this run's copy of the layout's dataset (``TradeTables``) is among them.
    let byImporter: RunState.Columns<Importer, Double>
    let byPair: RunState.Columns<Pair, Double>
    /// Purchases and releases copied from the stockpile inputs when their keys are not
    /// consecutive (otherwise the step reads them where they live), [i*C+c]; releases are last
    /// month's.
    let purchased: RunState.Doubles, released: RunState.Doubles
    /// Last month's stockpile levels, [i*C+c], and the world's stocks at the start, [c] (kept
    /// apart: the price reads them in calls that leave the other variables' spans alone).
    let stocks: RunState.Doubles, stockCover0: RunState.Doubles
    let byExporter: RunState.Columns<Exporter, Double>
    let byCommodity: RunState.Columns<Commodity, Double>
    let byExporterTotal: RunState.Columns<ExporterTotal, Double>
    /// Remembered results of the month's exponentials and powers, recomputed only when an
    /// argument changes (both are the same function of the same arguments, so the numbers do not
    /// change): most months repeat last month's parameters, and the price's arguments settle.
    /// Each lag's time constant last seen (months) and its monthly share `1 − e^(−1/τ)`, [lag]
    /// (``TradeBatch/Lag``: six, a fixed size whose index checks fold for a literal lag), looked
    /// at only in reset and in a month a parameter may change (``refreshParameters(_:)``).
    var lagTau = InlineArray<6, Double>(repeating: 0), lagRate = InlineArray<6, Double>(repeating: 0)
    let powers: RunState.Columns<PowerColumn, Double>
    /// The layout's pair tables (``TradeTables``, ``TradeSingleRunTables``; read only), as
    /// positions checked once: the flow pairs `(s*I+i)*C+c` with each one's importer `i*C+c`,
    /// exporter `s*C+c` and commodity `c`; the pairs that can carry supply and their importers;
    /// those without a baseline flow (their direct flow is always +0) and their importers; and
    /// the supply pairs split by whether diplomacy produces their restriction.
    let flowPair: RunState.Indices, flowImporter: RunState.Indices
    let flowExporter: RunState.Indices, flowCommodity: RunState.Indices
    let supplyPair: RunState.Indices, supplyImporter: RunState.Indices
    let unflowedPair: RunState.Indices, unflowedImporter: RunState.Indices
    let diplomaticPairs: RunState.Indices, undiplomaticPairs: RunState.Indices

    let unblockedLossIsZero: Bool
    /// Whether some exporter may have blocked volume this month (false: every one's is +0).
    var mayHaveBlocked = true
    /// Whether the purchases and the releases input have one consecutive slot per importer key
    /// (``StepFrame/values(_:count:)`` reads them where they live).
    let purchasesInPlace: Bool, releasesInPlace: Bool

    /// Whether `allocation` holds anything but zeros (set by ``resource()``).
    var hasAllocation = false

    let scenarioInputsFollowScenario: Bool
    /// Whether the scenario shares and the capacity and demand factors hold the scenario inputs
    /// read in an earlier month, and the undiplomatic pairs' restriction computed from them.
    var scenarioInputsRead = false

    /// Whether any pair has deferred volume waiting.
    var hasBacklog = false
    /// The flow pairs that may have deferred volume waiting, bit n for flow pair n: every pair
    /// whose volume is > 0 has its bit set (flow pairs beyond the first 64 are always looked at).
    var backlogPairs: UInt64 = 0

    /// The commodities c (bit c, c < 64) whose σ is +0 for every importer (as every one starts):
    /// ``updateLongRun(_:)`` leaves them as they are while the σ they would all get is +0 too.
    var substitutionZero: UInt64 = .max

    /// The commodities c (bit c, c < 64) whose σ, +0, stays +0 in a month their price is not
    /// elevated (from the parameters in force: ``refreshParameters(_:)``).
    var substitutionIdleWhenLow: UInt64 = 0

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
    /// The months whose ramp of alt toward an `allocated` of +0 is not applied yet, each with the
    /// ramp ``altDecayRamp`` (``step(_:)`` defers it in a month that allocates and loses nothing;
    /// ``applyAltDecay()`` applies them, month by month, before a month that may read alt). alt
    /// is finite and ≥ +0 after every month a run completes (a mix, by a ramp in [0, 1], of
    /// allocations no greater than the finite losses), so min(alt, +0) is +0 before and after.
    var altDecayMonths = 0, altDecayRamp = 0.0

    init(layout: TradeLayout) {
        (C, S, I) = (layout.C, layout.S, layout.I)
        refs = layout.refs
        let (tables, single) = (layout.tables, layout.single)
        let (C, S, I) = (self.C, self.S, self.I)
        let state = self.state
        byImporter = state.doubles(Importer.self, length: I * C)
        byPair = state.doubles(Pair.self, length: S * I * C)
        purchased = state.doubles(I * C)
        released = state.doubles(I * C)
        stocks = state.doubles(I * C)
        stockCover0 = state.doubles(C)
        byExporter = state.doubles(Exporter.self, length: S * C)
        byCommodity = state.doubles(Commodity.self, length: C)
        byExporterTotal = state.doubles(ExporterTotal.self, length: S)
        precondition(TradeBatch.Lag.allCases.count == 6, "TradeInstance: one remembered lag per TradeBatch.Lag")
        powers = state.doubles(PowerColumn.self, length: Power.allCases.count * C)
        let (sic, ic, sc) = (S * I * C, I * C, S * C)
        flowPair = state.indices(copying: tables.flowPairs, below: sic)
        flowImporter = state.indices(copying: tables.flowImporter, below: ic)
        flowExporter = state.indices(copying: tables.flowExporter, below: sc)
        flowCommodity = state.indices(copying: single.flowCommodity, below: C)
        supplyPair = state.indices(copying: tables.supplyPairs, below: sic)
        supplyImporter = state.indices(copying: tables.supplyImporter, below: ic)
        unflowedPair = state.indices(copying: single.unflowedPairs, below: sic)
        unflowedImporter = state.indices(copying: single.unflowedImporter, below: ic)
        diplomaticPairs = state.indices(copying: single.diplomaticPairs, below: sic)
        undiplomaticPairs = state.indices(copying: single.undiplomaticPairs, below: sic)
        scenarioInputsFollowScenario = single.scenarioInputsFollowScenario
        purchasesInPlace = refs.purchases.isConsecutive && refs.purchases.slots.count == I * C
        releasesInPlace = refs.releases.isConsecutive && refs.releases.slots.count == I * C
        unblockedLossIsZero = single.unblockedLossIsZero
        var importer = state[byImporter], pair = state[byPair], exporter = state[byExporter]
        var commodity = state[byCommodity], total = state[byExporterTotal]
        for k in 0..<(I * C) { importer[.baselineDemand, k] = tables.baselineDemand[k] }
        for k in 0..<(S * I * C) { pair[.baselineShare, k] = tables.baselineShare[k] }
        for k in 0..<(S * C) {
            exporter[.committed, k] = tables.committed[k]
            exporter[.capacity, k] = tables.capacity[k]
            exporter[.basePrice, k] = single.exporterBasePrice[k]
            exporter[.quota, k] = -1
        }
        for c in 0..<C {
            commodity[.basePrice, c] = tables.basePrice[c]
            commodity[.worldDemand, c] = tables.worldDemand[c]
            commodity[.price, c] = tables.basePrice[c]
            commodity[.peak, c] = tables.basePrice[c]
            commodity[.peakAt, c] = .nan
            commodity[.referencePrice, c] = tables.basePrice[c]
        }
        for s in 0..<S { total[.quota, s] = -1 }
        // τ = 0 and share 1 (its share), x^0 = 1 for x = 1: pairs that hold.
        var power = state[powers]
        for j in 0..<6 { lagRate[j] = Self.smoothing(0) }
        for j in 0..<(Power.allCases.count * C) {
            power[.base, j] = 1
            power[.value, j] = pow(1, 0)
        }
    }

    func reset(_ frame: StepFrame) throws {
        refreshParameters(frame)
        let state = self.state
        let commodity = state.values(of: byCommodity), importer = state.values(of: byImporter)
        for c in 0..<C { frame.setInitial(refs.outPrice, c, commodity[.basePrice, c]) }
        for i in 0..<I {
            for c in 0..<C { frame.setInitial(refs.outDemand, i * C + c, importer[.baselineDemand, i * C + c]) }
        }
    }

    func step(_ frame: StepFrame) throws {
        // What the step derives from parameter values alone is the same while none may have changed.
        if frame.parametersChanged { refreshParameters(frame) }
        readInputs(frame)
        stocksRead = false  // gathered by readStocks(_:) when the price needs them
        if refs.hasQuota, frame.month.month == 1, frame.monthIndex > 0 { carryQuotaOver(frame) }
        // Each step takes the spans it uses itself (a span held across a call would be reloaded
        // after it).
        updateLongRun(frame)
        updateHoard(frame)
        computeDemandAndFlows(frame)
        if refs.hasQuota { applyQuotas(frame) }  // (tested here: the call would save registers only to return)
        deliverLate(frame)
        // Re-sourcing clears last month's allocation and looks for lost volume (none unless
        // something may have blocked it): nothing to do otherwise.
        if hasAllocation || mayHaveBlocked { resource() }
        let ramp = rate(.ramp)
        // With nothing allocated (every `allocated` +0) and nothing lost this month (every `lost`
        // +0), alt moves toward +0 and nothing reads it: ``settle(_:)`` takes min(alt, +0), which is
        // +0 whatever alt's finite value ≥ +0 (see ``altDecayMonths``). Its ramp is deferred then.
        if !hasAllocation && !mayHaveBlocked {
            if altDecayMonths > 0 && ramp.bitPattern != altDecayRamp.bitPattern { applyAltDecay() }
            altDecayRamp = ramp
            altDecayMonths += 1
        } else {
            if altDecayMonths > 0 { applyAltDecay() }
            let state = self.state
            var importer = state[byImporter]
            for k in 0..<importer.length { importer[.alt, k] += (importer[.allocated, k] - importer[.alt, k]) * ramp }
        }
        settle(frame)
    }

    /// The restriction, the effective capacity and the inputs copied into the state this month.
    @inline(__always)
    private func readInputs(_ frame: StepFrame) {
        let state = self.state
        var importer = state[byImporter], pair = state[byPair], exporter = state[byExporter]
        let (SC, SIC) = (exporter.length, pair.length)
        // Restriction R = 1 − (1 − r_scenario)(1 − r_diplomacy).
        // Only pairs that can carry supply are ever read; the others stay 0. A pair diplomacy does
        // not restrict reads its fallback, +0: R = 1 − (1 − r_scenario)·1 needs neither the read
        // nor the product (x·1 is x).
        // Scenario inputs that read last month's values leave what was computed from them as it is.
        if frame.scenarioChanged || !scenarioInputsRead {
            do {
                frame.gather(refs.scenarioRestriction, keys: state.values(of: supplyPair, bound: SIC), into: &pair, .scenarioShare)
            }
            let undiplomatic = state.values(of: undiplomaticPairs, bound: SIC)
            var restricted = false
            for n in 0..<undiplomatic.count {
                let k = undiplomatic[n]
                pair[.restriction, k] = 1 - (1 - pair[.scenarioShare, k])
                if pair[.restriction, k] != 0 { restricted = true }
            }
            undiplomaticRestricted = restricted
            do {
                frame.gather(refs.capacityFactor, into: &exporter, .factor)
            }
            do {
                frame.gather(refs.demandFactor, into: &importer, .factor)
            }
            scenarioInputsRead = scenarioInputsFollowScenario
            capacityCurrent = false
        }
        let diplomatic = state.values(of: diplomaticPairs, bound: SIC)
        do {
            frame.gather(refs.diplomacyRestriction, keys: diplomatic, into: &pair, .diplomacyShare)
        }
        var restricted = undiplomaticRestricted
        for n in 0..<diplomatic.count {
            let k = diplomatic[n]
            pair[.restriction, k] = 1 - (1 - pair[.scenarioShare, k]) * (1 - pair[.diplomacyShare, k])
            if pair[.restriction, k] != 0 { restricted = true }
        }
        anyRestriction = restricted
        if refs.hasNewCapacity {
            do {
                frame.gather(refs.newCapacity, into: &exporter, .gainedCapacity)
            }
            for k in 0..<SC {
                exporter[.effectiveCapacity, k] =
                    (exporter[.capacity, k] + exporter[.addedCapacity, k] + exporter[.gainedCapacity, k]) * exporter[.factor, k]
            }
        } else if !capacityCurrent {
            for k in 0..<SC {
                exporter[.effectiveCapacity, k] = (exporter[.capacity, k] + exporter[.addedCapacity, k]) * exporter[.factor, k]
            }
            // Kept while nothing adds to it in place (new capacity, extra exports, expansion).
            capacityCurrent = !refs.hasExtraExports
            capacitySameAsLastMonth = false
        } else {
            capacitySameAsLastMonth = true  // until an expansion adds to it
        }
        if refs.hasExtraExports {
            // Open input: an exporter's extra supply is capacity on top of K (never below 0).
            do {
                frame.gather(refs.extraExports, into: &exporter, .extraExports)
            }
            for k in 0..<SC { exporter[.effectiveCapacity, k] += max(0, exporter[.extraExports, k]) }
        }
        // Stockpile purchases and releases are read where they live when their keys are
        // consecutive (``StepFrame/values(_:count:)``), copied otherwise.
        if !purchasesInPlace || refs.hasReleases && !releasesInPlace {
            if !purchasesInPlace {
                var purchased = state[self.purchased]
                frame.gather(refs.purchases, into: &purchased)
            }
            if refs.hasReleases, !releasesInPlace {
                var released = state[self.released]
                frame.gather(refs.releases, into: &released)
            }
        }
        if refs.hasExtraSupply {
            frame.gather(refs.extraSupply, into: &importer, .extraSupply)
        }
        if refs.hasAdjustment {
            frame.gather(refs.demandAdjustment, into: &importer, .adjustment)
        }
        if refs.hasQuota {
            do {
                frame.gather(refs.quota, into: &exporter, .quota)
            }
            var total = state[byExporterTotal]
            frame.gather(refs.quotaTotal, into: &total, .quota)
        }
        if refs.hasOfftake {
            frame.gather(refs.offtake, into: &pair, .offtake)
        }
    }

    func finish(_ metrics: MetricFrame) {
        let state = self.state
        let importer = state.values(of: byImporter), commodity = state.values(of: byCommodity)
        let exporter = state.values(of: byExporter)
        for k in 0..<(I * C) { metrics.write(refs.shortfallTotal, k, importer[.shortfallSum, k]) }
        for c in 0..<C {
            metrics.write(refs.peakPrice, c, commodity[.peak, c])
            metrics.write(refs.peakPriceAt, c, commodity[.peakAt, c])
        }
        for k in 0..<(S * C) { metrics.write(refs.exportLossTotal, k, exporter[.lossSum, k]) }
        for c in 0..<C { metrics.write(refs.monthsAtPriceCap, c, commodity[.capMonths, c]) }
        for k in 0..<(I * C) {
            metrics.write(refs.monthsWithoutAlternative, k, importer[.noAlternativeMonths, k])
            metrics.write(refs.monthsAtMaxResponse, k, importer[.maxResponseMonths, k])
        }
    }

    /// Applies the ``altDecayMonths`` deferred ramps of alt toward +0, in month order: each
    /// computes what the month's own step would have, `alt + (+0 − alt) · ramp`.
    @inline(never)
    func applyAltDecay() {
        let state = self.state
        var importer = state[byImporter]
        let ramp = altDecayRamp
        for _ in 0..<altDecayMonths {
            for k in 0..<importer.length { importer[.alt, k] += (0 - importer[.alt, k]) * ramp }
        }
        altDecayMonths = 0
    }

    /// The share of the gap closed per month by an exponential lag with time constant `tau`
    /// months: `1 − e^(−1/τ)`; 1 when τ = 0, 0 when τ = ∞.
    static func smoothing(_ tau: Double) -> Double {
        if tau <= 0 { return 1 }
        if tau.isInfinite { return 0 }
        return 1 - exp(-1 / tau)
    }

    /// The flow pairs n that may have deferred volume waiting (``backlogPairs``), in increasing
    /// order: `var pairs = backlogWaiting(); while let n = pairs.next() { … }`.
    @inline(__always)
    func backlogWaiting(flowCount: Int) -> BacklogPairs { BacklogPairs(bits: backlogPairs, count: flowCount) }

    /// The flow pairs' count.
    var flowCount: Int { flowPair.count }

    /// Copies last month's stockpile levels into `stocks`, once a month: only the
    /// price's stock term and scarcity premium read them (the input reads last month's values,
    /// the same at any point of the step).
    @inline(__always)
    func readStocks(_ frame: StepFrame) {
        guard !stocksRead else { return }
        let state = self.state
        var stocks = state[self.stocks]
        frame.gather(refs.stockLevel, into: &stocks)
        stocksRead = true
    }

    /// Sets what the step derives from parameter values alone: every lag's monthly share
    /// (``rate(_:)``) and ``substitutionIdleWhenLow``. Called in reset and in a month a parameter
    /// may have changed (``StepFrame/parametersChanged``; otherwise every value is the previous
    /// call's).
    @inline(never)
    func refreshParameters(_ frame: StepFrame) {
        let perYear = frame.parameters(refs.substitutionPerYear, count: C)
        let ceiling = frame.parameters(refs.maxSubstitution, count: C)
        var idle: UInt64 = 0
        // As ``updateLongRun(_:)`` computes σ from +0 at a price not elevated.
        for c in 0..<min(C, 64) where min(ceiling[c], max(0, 0.0 + perYear[c] / 12 * -1)).bitPattern == 0 { idle |= 1 << c }
        substitutionIdleWhenLow = idle
        _ = smoothing(.ramp, frame.parameter(refs.rampMonths, 0))
        _ = smoothing(.price, frame.parameter(refs.priceLag, 0))
        _ = smoothing(.threat, frame.parameter(refs.threatMonths, 0))
        _ = smoothing(.trend, frame.parameter(refs.trendMonths, 0))
        _ = smoothing(.hoardAdjust, frame.parameter(refs.hoardAdjustMonths, 0))
        _ = smoothing(.catchUp, frame.parameter(refs.catchUpMonths, 0))
    }

    /// This month's monthly share `1 − e^(−1/τ)` of `lag` (``refreshParameters(_:)``).
    @inline(__always)
    func rate(_ lag: TradeBatch.Lag) -> Double { lagRate[lag.rawValue] }

    /// ``smoothing(_:)`` of `tau` for `lag`, computed again only when `tau` differs (in any bit)
    /// from the last one's.
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
        let state = self.state
        var powers = state[self.powers]
        if base.bitPattern != powers[.base, j].bitPattern || exponent.bitPattern != powers[.exponent, j].bitPattern {
            powers[.base, j] = base
            powers[.exponent, j] = exponent
            powers[.value, j] = pow(base, exponent)
        }
        return powers[.value, j]
    }
}

/// The flow pairs that may have deferred volume waiting, in increasing order: each set bit of a
/// 64-bit set, then every flow pair from 64 on.
struct BacklogPairs {
    var bits: UInt64
    var beyond = 64
    let count: Int
    init(bits: UInt64, count: Int) {
        self.bits = bits
        self.count = count
    }
    @inline(__always)
    mutating func next() -> Int? {
        if bits != 0 {
            let n = bits.trailingZeroBitCount
            bits &= bits &- 1
            return n
        }
        guard beyond < count else { return nil }
        defer { beyond += 1 }
        return beyond
    }
}
