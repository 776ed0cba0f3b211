import LodestoneKernel

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// Tension, restriction and settlement of each pair for a block of runs stepped together (the
/// batch form: loops over the block's runs innermost; a single run is a block of one).
///
/// Every reference is declared once, in ``DiplomacyRefs``; the per-run state lives in a
/// ``BatchState``. Each run draws from its own generator, at most once per pair and month, in
/// pair order: exactly the draws of the per-run equations, so a run's settlements do not depend
/// on the block it is in.
final class DiplomacyBatch: BatchModelInstance {
    private let pairs: DiplomacyPairs
    private let refs: DiplomacyRefs
    /// Pairs and commodities.
    private let pairCount: Int, commodityCount: Int
    /// The target's unmet demand: `stockpile.unmet` when a module produces it, otherwise
    /// `trade.shortfall` (one of the two references of ``DiplomacyRefs``, chosen once).
    private let targetUnmet: InputRef
    /// Each pair's restrictor's baseline exports by value summed over commodities (USD/month),
    /// the denominator of its pain, summed in commodity order as the equations do.
    private let baselineExports: [Double]
    private let state: BatchState
    /// θ per pair.
    private let tension: BatchState.Doubles
    /// First month of a settlement per pair (NaN: none yet).
    private let settled: BatchState.Doubles
    /// Months in which the hazard's terms summed above 1, per pair.
    private let clampedMonths: BatchState.Doubles
    /// The decay factor 2^(−1/half_life) of the half-life it was last computed for (NaN: none
    /// yet), per run: `pow` is called again only when the half-life changes.
    private let decayHalfLife: BatchState.Doubles, decay: BatchState.Doubles
    /// Scratch per run, for one pair: the restriction level, 1 while restricting, the two pains
    /// (last month; their numerators while they are summed) and the target's demand by value.
    private let level: BatchState.Doubles, restricting: BatchState.Doubles
    private let targetPain: BatchState.Doubles, restrictorPain: BatchState.Doubles
    private let targetDemand: BatchState.Doubles
    /// Bit `p` (pairs from the 64th on never): every run's restriction level of pair `p` was +0
    /// last month, and the month before (so its restriction and hazard outputs were all +0, and
    /// this month's buffer, the alternate one, still holds them).
    private var idleLastMonth: UInt64 = 0, idleMonthBefore: UInt64 = 0

    init(pairs: DiplomacyPairs, refs: DiplomacyRefs, width: Int) {
        self.pairs = pairs
        self.refs = refs
        pairCount = pairs.keys.count
        commodityCount = pairs.commodityCount
        targetUnmet = refs.unmet.isBound ? refs.unmet : refs.shortfall
        baselineExports = (0..<pairs.keys.count).map { p in
            var baseline = 0.0
            for c in 0..<pairs.commodityCount { baseline += pairs.baselineExportValue[p * pairs.commodityCount + c] }
            return baseline
        }
        state = BatchState(width: width)
        tension = state.doubles(keys: pairCount)
        settled = state.doubles(keys: pairCount, initial: .nan)
        clampedMonths = state.doubles(keys: pairCount)
        decayHalfLife = state.doubles(keys: 1, initial: .nan)
        decay = state.doubles(keys: 1)
        level = state.doubles(keys: 1)
        restricting = state.doubles(keys: 1)
        targetPain = state.doubles(keys: 1)
        restrictorPain = state.doubles(keys: 1)
        targetDemand = state.doubles(keys: 1)
    }

    func reset(_ frame: BatchFrame) throws {
        let baseline = frame.parameter(refs.baselineTension, 0)
        var tension = frame.state(self.tension)
        var outTension = frame.outputs(refs.outTension)
        for p in 0..<pairCount {
            for r in 0..<frame.width {
                tension[p * frame.width + r] = baseline[r]
                outTension[p * frame.width + r] = baseline[r]
            }
        }
    }

    func step(_ frame: BatchFrame) throws {
        let width = frame.width
        let base = frame.parameter(refs.baselineTension, 0), halfLife = frame.parameter(refs.halfLife, 0)
        let threshold = frame.parameter(refs.threshold, 0), maxRestriction = frame.parameters(refs.maxRestriction)
        let settleBase = frame.parameter(refs.settleBase, 0), painTarget = frame.parameter(refs.painTarget, 0)
        let painRestrictor = frame.parameter(refs.painRestrictor, 0), relief = frame.parameter(refs.relief, 0)
        let settleConcession = frame.parameter(refs.settleConcession, 0)
        var restricting = frame.state(self.restricting), decayHalfLife = frame.state(self.decayHalfLife), decay = frame.state(self.decay)
        var level = frame.state(self.level)
        var lost = frame.state(targetPain), blocked = frame.state(restrictorPain), wanted = frame.state(targetDemand)
        let C = commodityCount
        // Every span has one value per run (the commodities' maximum restrictions one per
        // commodity and run): checked once here, so the loops need no check and the loops over
        // runs vectorise.
        guard
            base.count == width, halfLife.count == width, threshold.count == width, maxRestriction.count == C * width,
            settleBase.count == width, painTarget.count == width, painRestrictor.count == width,
            relief.count == width, settleConcession.count == width, restricting.count == width,
            decayHalfLife.count == width, decay.count == width, level.count == width, lost.count == width,
            blocked.count == width, wanted.count == width
        else { preconditionFailure("diplomacy: a parameter or state does not have one value per run") }
        // The decay factor of each run's half-life (pow only when the half-life changed; while
        // no parameter changed after the first month every run's factor is already its own).
        if frame.parametersChanged || frame.monthIndex <= 0 {
            for r in 0..<width where !(halfLife[r] == decayHalfLife[r]) {
                let months = halfLife[r]
                decay[r] = months <= 0 ? 0 : (months.isInfinite ? 1 : pow(2, -1 / months))
                decayHalfLife[r] = months
            }
        }
        let decaying = frame.monthIndex > 0
        var idleNow: UInt64 = 0
        defer { (idleMonthBefore, idleLastMonth) = (idleLastMonth, idleNow) }
        for p in 0..<pairCount {
            let incident = frame.input(refs.incident, p), talks = frame.input(refs.talks, p)
            var theta = frame.state(tension, p)
            guard incident.count == width, talks.count == width, theta.count == width else {
                preconditionFailure("diplomacy: one value per run")
            }
            // Each loop over the runs writes one or two spans, so that it vectorises.
            // 1. Decay toward the baseline (not in the first month). 2. This month's events.
            if decaying {
                for r in 0..<width { theta[r] = base[r] + (theta[r] - base[r]) * decay[r] }
            }
            for r in 0..<width { theta[r] = theta[r] + incident[r] * (1 - theta[r]) }
            // 3. The restriction level; no hazard unless the run restricts (written below).
            var levelBits: UInt64 = 0
            for r in 0..<width {
                let value = min(1, max(0, (theta[r] - threshold[r]) / (1 - threshold[r])))
                level[r] = value
                levelBits |= value.bitPattern
            }
            // Every run's level +0 (no run restricts: each restriction is max_restriction · +0,
            // +0 for a maximum in [0, 1], and the hazard 0), as in the two months before: this
            // month's buffer holds those outputs already. Nothing to write, nothing to settle.
            let idle = levelBits == 0
            if idle, p < 64 { idleNow |= 1 << p }
            if idle, p < 64, idleLastMonth & idleMonthBefore & (1 << p) != 0, frame.outputsAlternate {
                for r in 0..<width { restricting[r] = 0 }
                var outTension = frame.output(refs.outTension, p)
                guard outTension.count == width else { preconditionFailure("diplomacy: one value per run") }
                for r in 0..<width { outTension[r] = theta[r] }
                continue
            }
            var hazard = frame.output(refs.outHazard, p)
            guard hazard.count == width else { preconditionFailure("diplomacy: one value per run") }
            for r in 0..<width { hazard[r] = 0 }
            // Each commodity's restriction; a run restricts (1) when any commodity's is above 0.
            do {
                let levels = level.span
                guard levels.count == width else { preconditionFailure("diplomacy: one value per run") }
                if C == 0 {
                    for r in 0..<width { restricting[r] = 0 }
                }
                for c in 0..<C {
                    let cap = frame.parameter(refs.maxRestriction, c)
                    var out = frame.output(refs.outRestriction, p * C + c)
                    guard cap.count == width, out.count == width else { preconditionFailure("diplomacy: one value per run") }
                    if c == 0 {
                        for r in 0..<width {
                            let restriction = cap[r] * levels[r]
                            out[r] = restriction
                            restricting[r] = restriction > 0 ? 1 : 0
                        }
                    } else {
                        for r in 0..<width {
                            let restriction = cap[r] * levels[r]
                            out[r] = restriction
                            restricting[r] = max(restricting[r], restriction > 0 ? 1 : 0)
                        }
                    }
                }
            }
            // Whether any run restricts (every flag is +0 or 1).
            var anyRestricting: UInt64 = 0
            for r in 0..<width { anyRestricting |= restricting[r].bitPattern }
            if anyRestricting != 0 {
                // Last month's pains, summed over commodities in order: the target's unmet demand
                // by value over its demand by value; the restrictor's blocked exports by value
                // over its baseline exports by value.
                for r in 0..<width {
                    lost[r] = 0
                    wanted[r] = 0
                    blocked[r] = 0
                }
                for c in 0..<C {
                    let k = p * C + c
                    let price = pairs.basePrice[c]
                    let unmet = frame.input(targetUnmet, k), demand = frame.input(refs.demand, k)
                    let loss = frame.input(refs.exportLoss, k)
                    guard unmet.count == width, demand.count == width, loss.count == width else {
                        preconditionFailure("diplomacy: one value per run")
                    }
                    for r in 0..<width {
                        lost[r] += unmet[r] * price
                        wanted[r] += demand[r] * price
                        blocked[r] += loss[r]
                    }
                }
                let baseline = baselineExports[p]
                for r in 0..<width {
                    lost[r] = wanted[r] > 0 ? lost[r] / wanted[r] : 0
                    blocked[r] = baseline > 0 ? blocked[r] / baseline : 0
                }
                // The target's concession (see concessionWeight), taken once per pair.
                let b = pairs.targetRegion[p]
                let exports = pairs.restrictorExportsPerYear[p]
                let offered = frame.parameter(refs.concession, max(0, b))
                var settled = frame.state(self.settled, p), clampedMonths = frame.state(self.clampedMonths, p)
                guard offered.count == width, settled.count == width, clampedMonths.count == width else {
                    preconditionFailure("diplomacy: one value per run")
                }
                // 4. Settlement, in the runs that restrict: one draw each from the run's generator.
                for r in 0..<width where restricting[r] > 0 {
                    let sum =
                        settleBase[r] + talks[r] + painTarget[r] * lost[r] + painRestrictor[r] * blocked[r]
                        + settleConcession[r] * Self.concessionWeight(offered: b >= 0 ? offered[r] : 0, exports: exports)
                    hazard[r] = min(1, max(0, sum))
                    if sum > 1 { clampedMonths[r] += 1 }
                    if frame.uniform(run: r) < hazard[r] {
                        let relieved = relief[r] < 0 ? base[r] : relief[r]
                        theta[r] = relieved
                        if settled[r].isNaN { settled[r] = Double(frame.monthIndex) }
                        let level = min(1, max(0, (relieved - threshold[r]) / (1 - threshold[r])))
                        for c in 0..<C {
                            var out = frame.output(refs.outRestriction, p * C + c)
                            out[r] = maxRestriction[c * width + r] * level
                        }
                    }
                }
            }
            var outTension = frame.output(refs.outTension, p)
            guard outTension.count == width else { preconditionFailure("diplomacy: one value per run") }
            for r in 0..<width { outTension[r] = theta[r] }
        }
    }

    /// κ/(1+κ) with κ = the target's concession (USD/year, `offered`; 0 when the target is not a
    /// region of the dataset) over the restrictor's baseline rare-earth exports by value
    /// (USD/year): 0 without a concession, ½ for one worth the restrictor's whole rare-earth
    /// trade, approaching 1 for ever larger ones.
    @inline(__always)
    private static func concessionWeight(offered: Double, exports: Double) -> Double {
        guard offered > 0 else { return 0 }
        guard exports > 0 else { return 1 }
        let kappa = offered / exports
        return kappa / (1 + kappa)
    }

    func finish(_ metrics: BatchMetricFrame) {
        var settledAt = metrics.metric(refs.settledAt), hazardClamped = metrics.metric(refs.hazardClamped)
        let settled = metrics.state(self.settled), clampedMonths = metrics.state(self.clampedMonths)
        for i in 0..<(pairCount * metrics.width) {
            settledAt[i] = settled[i]
            hazardClamped[i] = clampedMonths[i]
        }
    }
}
