import LodestoneKernel

/// The trade equations for a block of runs (the batch form): every variable holds the block's
/// runs side by side in a ``BatchState``, and every equation is a loop over the runs, innermost,
/// doing for each run exactly the operations of the per-run step in the same order (so a run's
/// numbers do not depend on the block it is in). References come from the ``TradeLayout``,
/// where each is declared once; the dataset from its ``TradeTables``.
final class TradeBatch: BatchModelInstance {
    let layout: TradeLayout
    let tables: TradeTables
    let C: Int, S: Int, I: Int
    let state: BatchState

    // State carried between months.
    let alt: BatchState.Doubles  // re-sourcing, [i*C+c]
    let price: BatchState.Doubles  // p(t−1), [c]
    let substitution: BatchState.Doubles  // σ, [i*C+c]
    let elevatedMonths: BatchState.Doubles  // whole months, [c]
    let addedCapacity: BatchState.Doubles  // [s*C+c]
    let thrift: BatchState.Doubles  // θ, [i*C+c]
    let backlog: BatchState.Doubles  // deferred volume, [(s*I+i)*C+c]
    let hoard: BatchState.Doubles, threat: BatchState.Doubles  // H and E, [c]
    let referencePrice: BatchState.Doubles  // p̄, [c]
    // Quota accounting for the carry-over, [s*C+c] and, for total quotas, [s].
    let quotaAllowed: BatchState.Doubles, quotaShipped: BatchState.Doubles, quotaCarry: BatchState.Doubles
    let totalAllowed: BatchState.Doubles, totalShipped: BatchState.Doubles, totalCarry: BatchState.Doubles
    let stockCover0: BatchState.Doubles  // the world's stocks at the start, [c]
    /// Export capacity K plus the capacity added by expansion, `K + added`, of each
    /// exporter/commodity in every run, [s*C+c]: computed again (the same addition) only when
    /// expansion adds capacity, so the monthly effective capacity reads one value, not two.
    let capacityByRun: BatchState.Doubles
    /// Baseline price p0 of each exporter/commodity's commodity in every run (a constant), [s*C+c].
    let basePriceByExporter: BatchState.Doubles
    /// Each lag's time constant last seen, and its monthly share `1 − e^(−1/τ)`, [lag]: the
    /// exponential is recomputed only when a run's parameter changes.
    let lagTau: BatchState.Doubles, lagRate: BatchState.Doubles

    // Scratch, rewritten every month.
    let restriction: BatchState.Doubles, direct: BatchState.Doubles  // [(s*I+i)*C+c]
    let allocation: BatchState.Doubles, contracted: BatchState.Doubles  // [(s*I+i)*C+c]
    let demand: BatchState.Doubles, lost: BatchState.Doubles, directTotal: BatchState.Doubles  // [i*C+c]
    /// Demand net of contracts, what the direct flows share, [i*C+c].
    let netDemand: BatchState.Doubles
    let allocated: BatchState.Doubles, catchUp: BatchState.Doubles, contractTotal: BatchState.Doubles
    let perImport: BatchState.Doubles, perAllocation: BatchState.Doubles, allocationTotal: BatchState.Doubles
    let effectiveCapacity: BatchState.Doubles, blocked: BatchState.Doubles, exports: BatchState.Doubles  // [s*C+c]
    let priceResponse: BatchState.Doubles, hoardBuy: BatchState.Doubles  // [c]
    /// Whether each run re-sourced anything this month (1 or 0).
    let allocating: BatchState.Doubles
    /// Per-run sums and intermediate values of one key at a time.
    let scratch: BatchState.Doubles
    /// Each commodity's sums over importers for the price (``settleImporters(_:)``), [c]:
    /// shortfall, demand, lost volume, imports and stockpile releases.
    let shortSums: BatchState.Doubles, demandSums: BatchState.Doubles, lostSums: BatchState.Doubles
    let importSums: BatchState.Doubles, releaseSums: BatchState.Doubles
    /// Whether each exporter restricts no importer of the commodity at hand (1 or 0), [s].
    let exporterOpen: BatchState.Doubles

    // Metrics.
    let shortfallSum: BatchState.Doubles, peak: BatchState.Doubles, peakAt: BatchState.Doubles
    let lossSum: BatchState.Doubles, capMonths: BatchState.Doubles
    let noAlternativeMonths: BatchState.Doubles, maxResponseMonths: BatchState.Doubles

    /// Whether some run of the block has deferred volume waiting.
    var hasBacklog = false
    /// Whether some run of the block re-sourced anything this month (`allocation` is not all 0).
    var hasAllocation = false
    /// Whether some run of the block holds or wants a precautionary stock.
    var hasHoard = false
    /// Whether ``readParameters(_:)`` has run once (it runs again only when a parameter may have
    /// changed).
    var parametersRead = false
    /// Which parameters may be non-zero in some run (false, or bit `c` clear: +0 in every run),
    /// found again only when a parameter may have changed (``readParameters(_:)``): deferred share,
    /// release weight in the price, scarcity horizon; and by commodity (bit `c`, the first 64;
    /// the others always count as non-zero) thrifting rate, speculation, stock-price elasticity.
    var deferralSet = true, releasePriced = true, horizonSet = true
    var thrifting: UInt64 = ~0, speculating: UInt64 = ~0, stockPriced: UInt64 = ~0
    /// Whether every run's scarcity horizon is above 0 (found in ``readParameters(_:)``): the
    /// premium then takes the stock-cover factor's place in every run, and no run reads it.
    var horizonAboveZero = false
    /// Bit `c` (the first 64; the others always set): some run's substitution rate is negative or
    /// its ceiling is not above 0, so σ = +0 may not stay +0 even while no price is elevated.
    var substitutionUnsteady: UInt64 = ~0
    /// Whether no run may hoard or speculate in any commodity (hoard months and speculation
    /// months +0 in every run) and every run's hoard adjustment share is finite (found in
    /// ``readParameters(_:)``): then, with nothing held or bought last month, every purchase is a
    /// zero and nothing is held this month either (``updateHoard(_:)``).
    var hoardIdle = false
    /// Whether no run lost any volume this month (every `lostSums` value +0), found in
    /// ``settleImporters(_:)``.
    var nothingLost = false
    /// The months in a row before this one (counted up to 2) whose surplus outputs were all
    /// written as 0 (no backlog in any run).
    var surplusZeroMonths = 0
    /// Whether σ stayed +0 in every run this month, bit `i*C+c` per importer/commodity (the
    /// first 64; 0: it may differ from +0 in some run).
    var substitutionStill: UInt64 = 0
    /// Whether some run's θ may have moved in some month (a thrifting rate non-zero while a
    /// price was elevated; false: θ is still the +0 every run starts with).
    var thriftMoved = false
    /// The same by importer/commodity, bit `i*C+c` (the first 64; ``thetaMayMove(_:)``).
    var thriftMovedKeys: UInt64 = 0
    /// The months in a row (counted up to 2) whose θ and deferred-volume outputs were +0 in
    /// every run: from 2 on, this month's output buffer already holds those zeros
    /// (``BatchFrame/outputsAlternate``).
    var importerOutputsZeroMonths = 0
    /// Whether ``effectiveCapacity`` must be computed again next month although the scenario's
    /// capacity factors did not change: it never was, or expansion added to it this month.
    var capacityStale = true
    /// The scenario's capacity factors ``effectiveCapacity`` was last computed with, `[s*C+c]`
    /// (one value: a scenario key holds the same value in every run).
    var capacityFactorSeen: [Double]
    /// Whether every key of the capacity factor holds one value in every run (a scenario signal),
    /// so that the factors are compared by run 0's value.
    let capacityFactorSameInEveryRun: Bool
    /// The months in a row (counted up to 2) whose effective capacity was last month's in every
    /// run: from 2 on, this month's capacity output buffer already holds it
    /// (``BatchFrame/outputsAlternate``).
    var capacityStillMonths = 0
    /// The months in a row before this one (counted up to 2) in which no run blocked any exports
    /// (every export-loss output +0).
    var unblockedMonths = 0
    /// Whether some run of the block may restrict each pair this month, `[(s*I+i)*C+c]` (false:
    /// the pair's restriction is +0 in every run).
    var pairRestricted: [Bool]
    /// The supply pairs whose restriction diplomacy produces, in pair order.
    let diplomaticSupplyPairs: [Int]
    /// Bit `i*C+c` (the first 64): the re-sourced volume `alt` is +0 in every run (it starts so,
    /// and stays so while nothing is allocated to the key; 0: it may differ from +0).
    var altZero: UInt64 = ~0
    /// Bit `c` (the first 64): last month no run's price of commodity `c` was elevated (every
    /// elevated-months count +0) and none was beyond its expansion lag (``updateLongRun(_:)``).
    var elevationQuiet: UInt64 = 0
    /// ``importerLost`` of this month as bits `i*C+c` (the first 64), found in ``resource(_:)``.
    var lostKeys: UInt64 = 0
    /// Whether every supply pair's restriction has been computed once (in a month whose scenario
    /// row may have changed).
    var restrictionsComputed = false
    /// Whether some run of the block may have blocked exports this month, `[s*C+c]` (false: every
    /// run's blocked volume is +0).
    var exporterBlocked: [Bool]
    /// The exporters/commodities some run may have blocked exports of (``exporterBlocked``) last
    /// month and the month before, bit `s*C+c` (with at most 64 of them).
    var blockedLastMonth: UInt64 = 0, blockedMonthBefore: UInt64 = 0
    /// Whether some run of the block may hold a backlog (deferred volume) on each flow pair, in
    /// ``TradeTables/flowPairs`` order (false: the pair's backlog is +0 in every run).
    var flowBacklog: [Bool]
    /// Whether some run of the block may have lost volume this month, per importer/commodity
    /// `[i*C+c]` (false: every run's lost volume is +0).
    var importerLost: [Bool]

    /// Bit `c` (the first 64): the settle of last month left every run's price of commodity `c`
    /// as it was (the price p(t−1) this month reads is the one last month read).
    var priceStill: UInt64 = 0
    /// Bit `c`: the stockpile's purchases of every importer of commodity `c` were +0 in every run
    /// last month (as looked at by ``findStillCommodities(_:)``; 0 when not looked at).
    var purchasesIdle: UInt64 = 0
    /// Bit `c`: commodity `c` is still this month (``findStillCommodities(_:)``): its demand, flow,
    /// importer and share equations would compute last month's values again.
    var stillCommodities: UInt64 = 0
    /// The importer/commodity keys of the still commodities, bit `i*C+c` (``stillCommodities``;
    /// with more than 64 keys no commodity is ever still).
    var stillKeys: UInt64 = 0
    /// Whether every commodity is still this month (``stillCommodities``).
    var everyCommodityStill = false
    /// Bit `c`: the scenario's demand factor of every importer of commodity `c` holds one value in
    /// every run (a scenario signal or the fallback), so it is last month's while the scenario
    /// did not change.
    let demandFactorSteady: UInt64
    /// Whether this month nothing but a commodity's own inputs could keep it from being still:
    /// no precautionary stock, backlog, deferral, contracts, quotas or open inputs in the block
    /// (``findStillCommodities(_:)``; while false, whether a price moved is not looked at).
    var stillPossible = false
    /// Whether demand and flows have been computed once (month 0 has no month before).
    var flowsComputed = false
    /// The months in a row (counted up to 2) in which every commodity was still: from 2 on, this
    /// month's buffers of the importer outputs and shares already hold this month's values
    /// (``BatchFrame/outputsAlternate``).
    var importerStillMonths = 0

    /// The lags whose monthly share is kept per run (index into `lagTau` and `lagRate`).
    enum Lag: Int, CaseIterable {
        case ramp, price, threat, trend, hoardAdjust, catchUp
    }

    init(layout: TradeLayout, width: Int) {
        self.layout = layout
        tables = layout.tables
        (C, S, I) = (layout.C, layout.S, layout.I)
        importerLost = Array(repeating: false, count: layout.I * layout.C)
        flowBacklog = Array(repeating: false, count: layout.tables.flowPairs.count)
        exporterBlocked = Array(repeating: false, count: layout.S * layout.C)
        pairRestricted = Array(repeating: false, count: layout.S * layout.I * layout.C)
        capacityFactorSeen = Array(repeating: .nan, count: layout.S * layout.C)
        diplomaticSupplyPairs = layout.tables.supplyPairs.filter { layout.refs.diplomacyRestriction.isProduced[$0] }
        capacityFactorSameInEveryRun = layout.refs.capacityFactor.isSameInEveryRun.allSatisfy { $0 }
        var steady: UInt64 = 0
        for c in 0..<min(layout.C, 64) where (0..<layout.I).allSatisfy({ layout.refs.demandFactor.isSameInEveryRun[$0 * layout.C + c] }) {
            steady |= 1 << c
        }
        demandFactorSteady = steady
        let state = BatchState(width: width)
        self.state = state
        let (ic, sic, sc) = (I * C, S * I * C, S * C)
        alt = state.doubles(keys: ic)
        price = state.doubles(keys: C)
        substitution = state.doubles(keys: ic)
        elevatedMonths = state.doubles(keys: C)
        addedCapacity = state.doubles(keys: sc)
        thrift = state.doubles(keys: ic)
        backlog = state.doubles(keys: sic)
        hoard = state.doubles(keys: C)
        threat = state.doubles(keys: C)
        referencePrice = state.doubles(keys: C)
        quotaAllowed = state.doubles(keys: sc)
        quotaShipped = state.doubles(keys: sc)
        quotaCarry = state.doubles(keys: sc)
        totalAllowed = state.doubles(keys: S)
        totalShipped = state.doubles(keys: S)
        totalCarry = state.doubles(keys: S)
        stockCover0 = state.doubles(keys: C)
        capacityByRun = state.doubles(keys: sc)
        basePriceByExporter = state.doubles(keys: sc)
        lagTau = state.doubles(keys: Lag.allCases.count, initial: .nan)
        lagRate = state.doubles(keys: Lag.allCases.count)
        restriction = state.doubles(keys: sic)
        direct = state.doubles(keys: sic)
        allocation = state.doubles(keys: sic)
        contracted = state.doubles(keys: sic)
        demand = state.doubles(keys: ic)
        lost = state.doubles(keys: ic)
        directTotal = state.doubles(keys: ic)
        netDemand = state.doubles(keys: ic)
        allocated = state.doubles(keys: ic)
        catchUp = state.doubles(keys: ic)
        contractTotal = state.doubles(keys: ic)
        perImport = state.doubles(keys: ic)
        perAllocation = state.doubles(keys: ic)
        allocationTotal = state.doubles(keys: ic)
        effectiveCapacity = state.doubles(keys: sc)
        blocked = state.doubles(keys: sc)
        exports = state.doubles(keys: sc)
        priceResponse = state.doubles(keys: C)
        hoardBuy = state.doubles(keys: C)
        allocating = state.doubles(keys: 1)
        scratch = state.doubles(keys: 8)
        exporterOpen = state.doubles(keys: S)
        shortSums = state.doubles(keys: C)
        demandSums = state.doubles(keys: C)
        lostSums = state.doubles(keys: C)
        importSums = state.doubles(keys: C)
        releaseSums = state.doubles(keys: C)
        shortfallSum = state.doubles(keys: ic)
        peak = state.doubles(keys: C)
        peakAt = state.doubles(keys: C, initial: .nan)
        lossSum = state.doubles(keys: sc)
        capMonths = state.doubles(keys: C)
        noAlternativeMonths = state.doubles(keys: ic)
        maxResponseMonths = state.doubles(keys: ic)
        for k in 0..<sc {
            var capacity = state[capacityByRun, k], p0 = state[basePriceByExporter, k]
            for r in 0..<width {
                capacity[r] = tables.capacity[k] + 0  // K + added, with added still +0
                p0[r] = tables.basePrice[k % C]
            }
        }
        for c in 0..<C {
            let p0 = tables.basePrice[c]
            var price = state[self.price, c], peak = state[self.peak, c]
            var reference = state[referencePrice, c]
            for r in 0..<width {
                price[r] = p0
                peak[r] = p0
                reference[r] = p0
            }
        }
    }

    func reset(_ frame: BatchFrame) throws {
        for c in 0..<C {
            var out = frame.output(layout.refs.outPrice, c)
            for r in 0..<frame.width { out[r] = tables.basePrice[c] }
        }
        for k in 0..<(I * C) {
            var out = frame.output(layout.refs.outDemand, k)
            for r in 0..<frame.width { out[r] = tables.baselineDemand[k] }
        }
    }

    func step(_ frame: BatchFrame) throws {
        let w = frame.width
        readParameters(frame)
        // Restriction R = 1 − (1 − r_scenario)(1 − r_diplomacy), on the pairs that can carry
        // supply (the others stay 0). A pair no run restricts (both inputs +0 in every run: most
        // pairs, most months) gets 1 − (1 − 0)(1 − 0) = +0 without the arithmetic.
        // A pair diplomacy does not restrict reads the input's fallback, +0, in every run and
        // month: R = 1 − (1 − r_scenario)·1 needs neither the read nor the product (x·1 is x).
        // A scenario key holds one value in every run (the plan's row): its first run's bits say
        // whether every run's value is +0, without a scan of the block.
        let diplomatic = layout.refs.diplomacyRestriction.isProduced
        let scenarioSame = layout.refs.scenarioRestriction.isSameInEveryRun
        // While the scenario's row is last month's, the pairs diplomacy does not restrict keep
        // last month's restriction (computed from the same values): only the others are computed.
        let undiplomaticKept = !frame.scenarioChanged && restrictionsComputed
        restrictionsComputed = true
        let count = undiplomaticKept ? diplomaticSupplyPairs.count : tables.supplyPairs.count
        for n in 0..<count {
            let k = undiplomaticKept ? diplomaticSupplyPairs[n] : tables.supplyPairs[n]
            let scenario = frame.input(layout.refs.scenarioRestriction, k)
            let scenarioSet = scenarioSame[k] ? scenario[0].bitPattern != 0 : scenario.mayBeNonZero
            var restriction = frame.state(self.restriction, k)
            guard diplomatic[k] else {
                if scenarioSet {
                    for r in 0..<w { restriction[r] = 1 - (1 - scenario[r]) }
                    pairRestricted[k] = true
                } else if pairRestricted[k] {
                    for r in 0..<w { restriction[r] = 0 }
                    pairRestricted[k] = false
                }
                continue
            }
            let diplomacy = frame.input(layout.refs.diplomacyRestriction, k)
            guard scenarioSet || diplomacy.mayBeNonZero else {
                if pairRestricted[k] {
                    for r in 0..<w { restriction[r] = 0 }
                    pairRestricted[k] = false
                }
                continue
            }
            // One value per run in each span, checked once: the loop then needs no check per run
            // and vectorises.
            guard scenario.count == w, diplomacy.count == w, restriction.count == w else {
                preconditionFailure("trade: a restriction span does not have one value per run")
            }
            for r in 0..<w { restriction[r] = 1 - (1 - scenario[r]) * (1 - diplomacy[r]) }
            pairRestricted[k] = true
        }
        updateCapacity(frame)
        if layout.refs.hasQuota, frame.month.month == 1, frame.monthIndex > 0 { carryQuotaOver(frame) }
        updateLongRun(frame)
        updateHoard(frame)
        computeDemandAndFlows(frame)
        applyQuotas(frame)
        deliverLate(frame)
        resource(frame)
        let ramp = frame.values(of: lagRate, Lag.ramp.rawValue)
        // The masks as locals: one access to each property, not one per key.
        var zero = altZero
        let lostKeys = self.lostKeys
        for k in 0..<(I * C) {
            // `alt` +0 in every run and nothing allocated (no run lost any of the key, so
            // `allocated` is +0, ``resource(_:)``): +0 + (+0 − +0) · ramp is +0, alt as it is
            // (the ramp's share is in [0, 1]: ``TradeInstance/smoothing(_:)`` of a time constant,
            // which is never NaN).
            if k < 64 {
                if zero & (1 << k) != 0, lostKeys & (1 << k) == 0 { continue }
                zero &= ~(1 << k)
            }
            var alt = frame.state(self.alt, k)
            let allocated = frame.values(of: self.allocated, k)
            for r in 0..<w { alt[r] += (allocated[r] - alt[r]) * ramp[r] }
        }
        altZero = zero
        settle(frame)
    }

    /// Effective capacity K·factor (plus new capacity and extra exports where something produces
    /// them), `[s*C+c]`. Without new capacity, and with the scenario's factors in consecutive slots
    /// (the usual case), one loop over every key and run: `(K + added) · factor`, with `K + added`
    /// kept per run (``capacityByRun``), so no key pays for a loop of its own.
    private func updateCapacity(_ frame: BatchFrame) {
        let w = frame.width
        if !layout.refs.hasNewCapacity, !layout.refs.hasExtraExports, layout.refs.capacityFactor.isConsecutive {
            // Factors as last month's (compared by run 0's value, the same in every run) and
            // nothing added since: `(K + added) · factor` would give last month's values again.
            if capacityFactorSameInEveryRun {
                var same = !capacityStale
                // In a month whose scenario row did not change, every factor (a scenario signal or
                // the fallback) is last month's (``BatchFrame/scenarioChanged``): none to compare.
                if frame.scenarioChanged || !same {
                    let factor = frame.inputs(layout.refs.capacityFactor)
                    for k in 0..<(S * C) where factor[k * w].bitPattern != capacityFactorSeen[k].bitPattern {
                        capacityFactorSeen[k] = factor[k * w]
                        same = false
                    }
                }
                capacityStale = false
                if same {
                    capacityStillMonths = min(2, capacityStillMonths + 1)
                    return
                }
            }
            capacityStillMonths = 0
            let n = S * C * w
            let capacity = frame.values(of: capacityByRun).extracting(0..<n)
            let factor = frame.inputs(layout.refs.capacityFactor).extracting(0..<n)
            var effective = frame.state(effectiveCapacity)
            for j in 0..<n { effective[j] = capacity[j] * factor[j] }
            return
        }
        capacityStillMonths = 0
        for k in 0..<(S * C) {
            let capacity = tables.capacity[k]
            let factor = frame.input(layout.refs.capacityFactor, k)
            let added = frame.values(of: addedCapacity, k)
            var effective = frame.state(effectiveCapacity, k)
            if layout.refs.hasNewCapacity {
                let gained = frame.input(layout.refs.newCapacity, k)
                for r in 0..<w { effective[r] = (capacity + added[r] + gained[r]) * factor[r] }
            } else {
                for r in 0..<w { effective[r] = (capacity + added[r]) * factor[r] }
            }
            if layout.refs.hasExtraExports {
                // Open input: an exporter's extra supply is capacity on top of K (never below 0).
                let extra = frame.input(layout.refs.extraExports, k)
                for r in 0..<w { effective[r] += max(0, extra[r]) }
            }
        }
    }

    func finish(_ metrics: BatchMetricFrame) {
        func copy(_ variable: BatchState.Doubles, to metric: MetricRef) {
            for k in 0..<metric.count {
                let values = metrics.state(variable, k)
                var out = metrics.metric(metric, k)
                for r in 0..<metrics.width { out[r] = values[r] }
            }
        }
        copy(shortfallSum, to: layout.refs.shortfallTotal)
        copy(peak, to: layout.refs.peakPrice)
        copy(peakAt, to: layout.refs.peakPriceAt)
        copy(lossSum, to: layout.refs.exportLossTotal)
        copy(capMonths, to: layout.refs.monthsAtPriceCap)
        copy(noAlternativeMonths, to: layout.refs.monthsWithoutAlternative)
        copy(maxResponseMonths, to: layout.refs.monthsAtMaxResponse)
    }

    /// What trade derives from parameter values, read again only when one may have changed
    /// (``BatchFrame/parametersChanged``): which parameters may be non-zero in some run (the
    /// flags and masks above), and each lag's share per month, `1 − e^(−1/τ)`
    /// (``TradeInstance/smoothing(_:)``), computed again only for a run whose time constant
    /// changed (a drawn value, a `set` event) — the same numbers as computing them every month.
    private func readParameters(_ frame: BatchFrame) {
        guard frame.parametersChanged || !parametersRead else { return }
        parametersRead = true
        deferralSet = frame.parameters(layout.refs.deferredShare).mayBeNonZero
        releasePriced = frame.parameter(layout.refs.releaseInPrice, 0).mayBeNonZero
        horizonSet = frame.parameter(layout.refs.scarcityHorizonMonths, 0).mayBeNonZero
        let horizon = frame.parameter(layout.refs.scarcityHorizonMonths, 0)
        var notAbove: UInt64 = 0
        for r in 0..<frame.width { notAbove |= horizon[r] > 0 ? 0 : 1 }
        horizonAboveZero = notAbove == 0
        func mask(_ parameter: ParameterRef) -> UInt64 {
            var bits: UInt64 = ~0
            for c in 0..<min(C, 64) where !frame.parameter(parameter, c).mayBeNonZero { bits &= ~(1 << c) }
            return bits
        }
        thrifting = mask(layout.refs.thriftingPerYear)
        speculating = mask(layout.refs.speculationMonths)
        stockPriced = mask(layout.refs.stockPriceElasticity)
        var unsteady: UInt64 = ~0
        for c in 0..<min(C, 64) {
            let perYear = frame.parameter(layout.refs.substitutionPerYear, c), ceiling = frame.parameter(layout.refs.maxSubstitution, c)
            var bad: UInt64 = 0
            for r in 0..<frame.width { bad |= (perYear[r] < 0 ? 1 : 0) | (ceiling[r] > 0 ? 0 : 1) }
            if bad == 0 { unsteady &= ~(1 << c) }
        }
        substitutionUnsteady = unsteady
        updateLag(frame, .ramp, layout.refs.rampMonths)
        updateLag(frame, .price, layout.refs.priceLag)
        updateLag(frame, .threat, layout.refs.threatMonths)
        updateLag(frame, .trend, layout.refs.trendMonths)
        updateLag(frame, .hoardAdjust, layout.refs.hoardAdjustMonths)
        updateLag(frame, .catchUp, layout.refs.catchUpMonths)
        var idle = C <= 64 && speculating & (C == 64 ? ~0 : (1 << UInt64(C)) - 1) == 0
        for c in 0..<C where frame.parameter(layout.refs.hoardMonths, c).mayBeNonZero { idle = false }
        let adjust = frame.values(of: lagRate, Lag.hoardAdjust.rawValue)
        for r in 0..<frame.width where !adjust[r].isFinite { idle = false }
        hoardIdle = idle
    }

    private func updateLag(_ frame: BatchFrame, _ lag: Lag, _ parameter: ParameterRef) {
        let tau = frame.parameter(parameter, 0)
        var seen = frame.state(lagTau, lag.rawValue)
        // Whether any run's time constant changed (rarely: a drawn value in month 0, a `set`
        // event), as a reduction without branches, which vectorises.
        var changed: UInt64 = 0
        for r in 0..<frame.width { changed |= tau[r].bitPattern ^ seen[r].bitPattern }
        guard changed != 0 else { return }
        var rate = frame.state(lagRate, lag.rawValue)
        for r in 0..<frame.width where tau[r].bitPattern != seen[r].bitPattern {
            seen[r] = tau[r]
            rate[r] = TradeInstance.smoothing(tau[r])
        }
    }
}

extension TradeBatch {
    /// Whether importer/commodity `k`'s θ may differ from +0 in some run (false: it never moved):
    /// its bit of ``thriftMovedKeys``, or for keys from the 64th on ``thriftMoved``.
    @inline(__always)
    func thetaMayMove(_ k: Int) -> Bool { k < 64 ? thriftMovedKeys & (1 << k) != 0 : thriftMoved }
}

/// Whether commodity `c`'s bit of a parameter mask (``TradeBatch/thrifting``, …) says the
/// parameter may be non-zero in some run: bits beyond the 64th always do.
@inline(__always)
func mayBeNonZero(_ mask: UInt64, _ c: Int) -> Bool { c >= 64 || mask & (1 << c) != 0 }

/// Makes trade instances sharing one layout: per-run instances (``TradeInstance``) and blocks of
/// runs (``TradeBatch``).
struct TradeFactory: ModelFactory, BatchModelFactory {
    let layout: TradeLayout
    func makeInstance() throws -> any ModelInstance { TradeInstance(layout: layout) }
    func makeBatch(width: Int) throws -> any BatchModelInstance { TradeBatch(layout: layout, width: width) }
}
