import LodestoneKernel

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// Diplomacy's wiring resolved to buffer positions, once per composition.
struct DiplomacyRefs: Sendable {
    let incident: InputRef, talks: InputRef, demand: InputRef, unmet: InputRef
    let shortfall: InputRef, exportLoss: InputRef
    let outTension: OutputRef, outRestriction: OutputRef, outHazard: OutputRef
    let baselineTension: ParameterRef, halfLife: ParameterRef, threshold: ParameterRef
    let maxRestriction: ParameterRef, settleBase: ParameterRef, painTarget: ParameterRef
    let painRestrictor: ParameterRef, relief: ParameterRef
    let concession: ParameterRef, settleConcession: ParameterRef
    let settledAt: MetricRef
    let hazardClamped: MetricRef

    init(_ wiring: Wiring) throws {
        incident = try wiring.input("scenario.incident")
        talks = try wiring.input("scenario.talks")
        demand = try wiring.input("trade.demand")
        unmet = try wiring.input("stockpile.unmet")
        shortfall = try wiring.input("trade.shortfall")
        exportLoss = try wiring.input("trade.export_loss")
        outTension = try wiring.output("tension")
        outRestriction = try wiring.output("restriction")
        outHazard = try wiring.output("hazard")
        baselineTension = try wiring.parameter("baseline_tension")
        halfLife = try wiring.parameter("half_life_months")
        threshold = try wiring.parameter("threshold")
        maxRestriction = try wiring.parameter("max_restriction")
        settleBase = try wiring.parameter("settle_base")
        painTarget = try wiring.parameter("settle_pain_target")
        painRestrictor = try wiring.parameter("settle_pain_restrictor")
        relief = try wiring.parameter("settle_relief")
        concession = try wiring.parameter("concession")
        settleConcession = try wiring.parameter("settle_concession")
        settledAt = try wiring.metric("settled_at")
        hazardClamped = try wiring.metric("months_hazard_clamped")
    }
}

/// A composition's pairs and wiring, made once and shared by every per-run instance: a run's
/// instance takes one reference instead of copying the two (about twenty arrays to retain when
/// made and release when freed, ≈1,500 instructions per run).
final class DiplomacyWorld: Sendable {
    let pairs: DiplomacyPairs
    let refs: DiplomacyRefs
    init(pairs: DiplomacyPairs, refs: DiplomacyRefs) {
        self.pairs = pairs
        self.refs = refs
    }
}

/// One run's tension, restriction and settlement state for each pair.
final class DiplomacyInstance: ModelInstance {
    /// The pairs and the wiring (declared once in ``DiplomacyRefs``), shared.
    private let world: DiplomacyWorld
    private var pairs: DiplomacyPairs { world.pairs }
    private var refs: DiplomacyRefs { world.refs }
    private let P: Int, C: Int
    /// Whether the target's pain reads the stockpile's unmet demand (else trade's shortfall).
    private let usesUnmet: Bool

    private let state = RunState()
    /// Tension θ of each pair (0–1), `[p]`.
    private let tension: RunState.Doubles
    /// The month each pair settled (month index; NaN: not yet), `[p]`.
    private let settled: RunState.Doubles
    /// Months in which the settlement hazard's sum exceeded 1 and was clamped, `[p]`.
    private let clampedMonths: RunState.Doubles
    /// The half-life last seen (months) and its monthly decay factor `2^(−1/h)`: the power is
    /// computed again only when the half-life changes (in any bit). Starts as (0, 0), a true pair.
    private let decayCache: RunState.Doubles

    init(_ world: DiplomacyWorld) {
        self.world = world
        let pairs = world.pairs, refs = world.refs
        P = pairs.keys.count
        C = pairs.commodityCount
        usesUnmet = refs.unmet.isBound
        tension = state.doubles(P)
        settled = state.doubles(P, initial: .nan)
        clampedMonths = state.doubles(P)
        decayCache = state.doubles(2)
    }

    func reset(_ frame: StepFrame) throws {
        let state = self.state
        var tension = state[self.tension]
        for p in 0..<P {
            tension[p] = frame.parameter(refs.baselineTension, 0)
            frame.setInitial(refs.outTension, p, tension[p])
        }
    }

    func step(_ frame: StepFrame) throws {
        let state = self.state
        var tension = state[self.tension], settled = state[self.settled]
        var clampedMonths = state[self.clampedMonths], decayCache = state[self.decayCache]
        let base = frame.parameter(refs.baselineTension, 0)
        let halfLifeMonths = frame.parameter(refs.halfLife, 0)
        if halfLifeMonths.bitPattern != decayCache[0].bitPattern {
            decayCache[0] = halfLifeMonths
            decayCache[1] = halfLifeMonths <= 0 ? 0 : (halfLifeMonths.isInfinite ? 1 : pow(2, -1 / halfLifeMonths))
        }
        let decay = decayCache[1]
        for p in 0..<P {
            // θ, read once and stored once (each span access is bounds-checked).
            var theta = tension[p]
            // 1. Decay toward the baseline (not in the first month).
            if frame.monthIndex > 0 { theta = base + (theta - base) * decay }
            // 2. This month's events.
            theta += frame.read(refs.incident, p) * (1 - theta)
            let boost = frame.read(refs.talks, p)
            // 3. Restriction.
            var restricting = writeRestriction(frame, p, theta)
            // 4. Settlement.
            var hazard = 0.0
            if restricting {
                let sum =
                    frame.parameter(refs.settleBase, 0) + boost + frame.parameter(refs.painTarget, 0) * targetPain(frame, p)
                    + frame.parameter(refs.painRestrictor, 0) * restrictorPain(frame, p)
                    + frame.parameter(refs.settleConcession, 0) * concessionWeight(frame, p)
                hazard = min(1, max(0, sum))
                if sum > 1 { clampedMonths[p] += 1 }
                if frame.uniform() < hazard {
                    let reliefSetting = frame.parameter(refs.relief, 0)
                    theta = reliefSetting < 0 ? base : reliefSetting
                    if settled[p].isNaN { settled[p] = Double(frame.monthIndex) }
                    restricting = writeRestriction(frame, p, theta)
                }
            }
            tension[p] = theta
            frame.write(refs.outTension, p, theta)
            frame.write(refs.outHazard, p, hazard)
        }
    }

    /// Writes `r[c] = max_restriction[c] · clamp((θ − threshold)/(1 − threshold), 0, 1)` and
    /// tells whether any commodity is restricted.
    private func writeRestriction(_ frame: StepFrame, _ p: Int, _ tension: Double) -> Bool {
        let limit = frame.parameter(refs.threshold, 0)
        let level = min(1, max(0, (tension - limit) / (1 - limit)))
        var any = false
        for c in 0..<C {
            let r = frame.parameter(refs.maxRestriction, c) * level
            frame.write(refs.outRestriction, p * C + c, r)
            if r > 0 { any = true }
        }
        return any
    }

    /// The target's unmet demand by value over its demand by value, last month.
    private func targetPain(_ frame: StepFrame, _ p: Int) -> Double {
        var lost = 0.0
        var wanted = 0.0
        for c in 0..<C {
            let k = p * C + c
            lost += (usesUnmet ? frame.read(refs.unmet, k) : frame.read(refs.shortfall, k)) * pairs.basePrice[c]
            wanted += frame.read(refs.demand, k) * pairs.basePrice[c]
        }
        return wanted > 0 ? lost / wanted : 0
    }

    /// κ/(1+κ) with κ = the target's concession (USD/year) over the restrictor's baseline
    /// rare-earth exports by value (USD/year): 0 without a concession, ½ for one worth the
    /// restrictor's whole rare-earth trade, approaching 1 for ever larger ones.
    private func concessionWeight(_ frame: StepFrame, _ p: Int) -> Double {
        let b = pairs.targetRegion[p]
        guard b >= 0 else { return 0 }
        let offered = frame.parameter(refs.concession, b)
        guard offered > 0 else { return 0 }
        let exports = pairs.restrictorExportsPerYear[p]
        guard exports > 0 else { return 1 }
        let kappa = offered / exports
        return kappa / (1 + kappa)
    }

    /// The restrictor's blocked exports by value over its baseline exports by value, last month.
    private func restrictorPain(_ frame: StepFrame, _ p: Int) -> Double {
        var blocked = 0.0
        var baseline = 0.0
        for c in 0..<C {
            blocked += frame.read(refs.exportLoss, p * C + c)
            baseline += pairs.baselineExportValue[p * C + c]
        }
        return baseline > 0 ? blocked / baseline : 0
    }

    func finish(_ metrics: MetricFrame) {
        let state = self.state
        let settled = state.values(of: self.settled), clampedMonths = state.values(of: self.clampedMonths)
        for p in 0..<P {
            metrics.write(refs.settledAt, p, settled[p])
            metrics.write(refs.hazardClamped, p, clampedMonths[p])
        }
    }
}
