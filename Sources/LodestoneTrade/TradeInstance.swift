import LodestoneKernel

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// One run's state of the trade equations. Every array is sized at creation; the monthly step
/// only indexes them.
final class TradeInstance: ModelInstance {
    private let world: TradeWorld
    private let C: Int, S: Int, I: Int

    // Wiring.
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

    // State carried between months.
    private var alt: [Double]  // re-sourcing state, [i*C+c]
    private var price: [Double]  // p(t−1), [c]
    private var substitution: [Double]  // σ, [i*C+c]
    private var elevatedMonths: [Int]  // [c]
    private var addedCapacity: [Double]  // [s*C+c]

    // Scratch, rewritten every month.
    private var restriction: [Double]  // R, [(s*I+i)*C+c]
    private var direct: [Double]  // F, [(s*I+i)*C+c]
    private var allocation: [Double]  // spare allocated s→i, [(s*I+i)*C+c]
    private var demand: [Double], lost: [Double], directTotal: [Double], allocated: [Double]  // [i*C+c]
    private var effectiveCapacity: [Double], blocked: [Double]  // [s*C+c]

    // Metrics.
    private var shortfallSum: [Double], peak: [Double], peakAt: [Double], lossSum: [Double]

    init(world: TradeWorld, wiring: Wiring) throws {
        self.world = world
        C = world.commodities.count
        S = world.exporters.count
        I = world.importers.count
        scenarioRestriction = try wiring.input("scenario.restriction")
        diplomacyRestriction = try wiring.input("diplomacy.restriction")
        purchases = try wiring.input("stockpile.purchases")
        demandFactor = try wiring.input("scenario.demand_factor")
        capacityFactor = try wiring.input("scenario.capacity_factor")
        outDemand = try wiring.output("demand")
        outImports = try wiring.output("imports")
        outShortfall = try wiring.output("shortfall")
        outAlt = try wiring.output("alt_supply")
        outShare = try wiring.output("share")
        outPrice = try wiring.output("price")
        outExportLoss = try wiring.output("export_loss")
        outSubstitution = try wiring.output("substitution")
        outCapacity = try wiring.output("capacity")
        rampMonths = try wiring.parameter("ramp_months")
        leakage = try wiring.parameter("leakage")
        demandElasticity = try wiring.parameter("demand_elasticity")
        priceElasticity = try wiring.parameter("price_elasticity")
        priceLag = try wiring.parameter("price_lag_months")
        maxPriceMultiple = try wiring.parameter("max_price_multiple")
        substitutionPerYear = try wiring.parameter("substitution_per_year")
        maxSubstitution = try wiring.parameter("max_substitution")
        expansionPerYear = try wiring.parameter("expansion_per_year")
        expansionLag = try wiring.parameter("expansion_lag_months")
        shortfallTotal = try wiring.metric("shortfall_total")
        peakPrice = try wiring.metric("peak_price")
        peakPriceAt = try wiring.metric("peak_price_at")
        exportLossTotal = try wiring.metric("export_loss_total")
        let (ic, sic, sc) = (I * C, S * I * C, S * C)
        alt = Array(repeating: 0, count: ic)
        price = world.basePrice
        substitution = Array(repeating: 0, count: ic)
        elevatedMonths = Array(repeating: 0, count: C)
        addedCapacity = Array(repeating: 0, count: sc)
        restriction = Array(repeating: 0, count: sic)
        direct = Array(repeating: 0, count: sic)
        allocation = Array(repeating: 0, count: sic)
        demand = Array(repeating: 0, count: ic)
        lost = Array(repeating: 0, count: ic)
        directTotal = Array(repeating: 0, count: ic)
        allocated = Array(repeating: 0, count: ic)
        effectiveCapacity = Array(repeating: 0, count: sc)
        blocked = Array(repeating: 0, count: sc)
        shortfallSum = Array(repeating: 0, count: ic)
        peak = world.basePrice
        peakAt = Array(repeating: .nan, count: C)
        lossSum = Array(repeating: 0, count: sc)
    }

    func reset(_ frame: StepFrame) throws {
        for c in 0..<C { frame.setInitial(outPrice, c, world.basePrice[c]) }
        for i in 0..<I {
            for c in 0..<C { frame.setInitial(outDemand, i * C + c, world.baselineDemand[i * C + c]) }
        }
    }

    func step(_ frame: StepFrame) throws {
        // Restriction R = 1 − (1 − r_scenario)(1 − r_diplomacy).
        for k in 0..<(S * I * C) {
            restriction[k] = 1 - (1 - frame.read(scenarioRestriction, k)) * (1 - frame.read(diplomacyRestriction, k))
        }
        for k in 0..<(S * C) {
            effectiveCapacity[k] = (world.capacity[k] + addedCapacity[k]) * frame.read(capacityFactor, k)
        }
        updateLongRun(frame)
        computeDemandAndFlows(frame)
        resource(frame)
        let ramp = Self.smoothing(frame.parameter(rampMonths, 0))
        for k in 0..<(I * C) { alt[k] += (allocated[k] - alt[k]) * ramp }
        settle(frame)
    }

    /// Step 7: substitution and capacity expansion from last month's price.
    private func updateLongRun(_ frame: StepFrame) {
        for c in 0..<C {
            let elevated = price[c] > 1.5 * world.basePrice[c]
            let move = frame.parameter(substitutionPerYear, c) / 12 * (elevated ? 1 : -1)
            let ceiling = frame.parameter(maxSubstitution, c)
            for i in 0..<I {
                substitution[i * C + c] = min(ceiling, max(0, substitution[i * C + c] + move))
            }
            elevatedMonths[c] = elevated ? elevatedMonths[c] + 1 : 0
            guard Double(elevatedMonths[c]) > frame.parameter(expansionLag, 0) else { continue }
            var worldDemand = 0.0
            for i in 0..<I { worldDemand += world.baselineDemand[i * C + c] }
            let added = frame.parameter(expansionPerYear, c) / 12 * worldDemand
            var eligibleCapacity = 0.0
            for s in 0..<S where !restrictsAnyone(s, c) { eligibleCapacity += effectiveCapacity[s * C + c] }
            guard eligibleCapacity > 0, added > 0 else { continue }
            for s in 0..<S where !restrictsAnyone(s, c) {
                let share = effectiveCapacity[s * C + c] / eligibleCapacity
                addedCapacity[s * C + c] += added * share
                effectiveCapacity[s * C + c] += added * share * frame.read(capacityFactor, s * C + c)
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
        for i in 0..<I {
            for c in 0..<C {
                let k = i * C + c
                let priceRatio = price[c] / world.basePrice[c]
                demand[k] =
                    world.baselineDemand[k] * frame.read(demandFactor, k)
                    * pow(priceRatio, -frame.parameter(demandElasticity, c)) * (1 - substitution[k])
                    + frame.read(purchases, k)
                lost[k] = 0
                directTotal[k] = 0
            }
        }
        for k in 0..<(S * C) { blocked[k] = 0 }
        for s in 0..<S {
            for i in 0..<I {
                for c in 0..<C {
                    let k = (s * I + i) * C + c
                    let base = world.baselineShare[k] * demand[i * C + c]
                    let stopped = base * restriction[k] * (1 - frame.parameter(leakage, c))
                    direct[k] = base - stopped
                    directTotal[i * C + c] += base - stopped
                    lost[i * C + c] += stopped
                    blocked[s * C + c] += stopped
                }
            }
        }
    }

    /// Step 3: spare capacity of non-restricting exporters, shared pro rata to lost volume.
    private func resource(_ frame: StepFrame) {
        for k in 0..<(I * C) { allocated[k] = 0 }
        for s in 0..<S {
            for c in 0..<C {
                var committed = 0.0
                var eligibleLoss = 0.0
                for i in 0..<I {
                    let k = (s * I + i) * C + c
                    committed += world.baselineFlow[k]
                    allocation[k] = 0
                    if restriction[k] == 0 { eligibleLoss += lost[i * C + c] }
                }
                let spare = max(0, effectiveCapacity[s * C + c] - committed)
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

    /// Steps 5–6 and outputs: imports, shortfall, shares, price.
    private func settle(_ frame: StepFrame) {
        let month = Double(frame.monthIndex)
        for c in 0..<C {
            var shortSum = 0.0
            var demandSum = 0.0
            for i in 0..<I {
                let k = i * C + c
                let delivered = min(alt[k], lost[k])
                let imports = directTotal[k] + delivered
                var short = max(0, demand[k] - imports)
                if short < 1e-9 * demand[k] { short = 0 }
                shortSum += short
                demandSum += demand[k]
                frame.write(outDemand, k, demand[k])
                frame.write(outImports, k, imports)
                frame.write(outShortfall, k, short)
                frame.write(outAlt, k, delivered)
                frame.write(outSubstitution, k, substitution[k])
                shortfallSum[k] += short
                var allocationSum = 0.0
                for s in 0..<S { allocationSum += allocation[(s * I + i) * C + c] }
                for s in 0..<S {
                    let p = (s * I + i) * C + c
                    let resourced = allocationSum > 0 ? delivered * allocation[p] / allocationSum : 0
                    frame.write(outShare, p, imports > 0 ? (direct[p] + resourced) / imports : 0)
                }
            }
            let p0 = world.basePrice[c]
            let x = demandSum > 0 ? min(0.95, shortSum / demandSum) : 0
            let target = min(p0 * pow(1 - x, -1 / frame.parameter(priceElasticity, c)), frame.parameter(maxPriceMultiple, c) * p0)
            price[c] += (target - price[c]) * Self.smoothing(frame.parameter(priceLag, 0))
            frame.write(outPrice, c, price[c])
            if price[c] > peak[c] {
                peak[c] = price[c]
                peakAt[c] = month
            }
        }
        for s in 0..<S {
            for c in 0..<C {
                let loss = blocked[s * C + c] * 1000 * world.basePrice[c]
                frame.write(outExportLoss, s * C + c, loss)
                frame.write(outCapacity, s * C + c, effectiveCapacity[s * C + c])
                lossSum[s * C + c] += loss
            }
        }
    }

    func finish(_ metrics: MetricFrame) {
        for k in 0..<(I * C) { metrics.write(shortfallTotal, k, shortfallSum[k]) }
        for c in 0..<C {
            metrics.write(peakPrice, c, peak[c])
            metrics.write(peakPriceAt, c, peakAt[c])
        }
        for k in 0..<(S * C) { metrics.write(exportLossTotal, k, lossSum[k]) }
    }

    /// The share of the gap closed per month by an exponential lag with time constant `tau`
    /// months: `1 − e^(−1/τ)`; 1 when τ = 0, 0 when τ = ∞.
    static func smoothing(_ tau: Double) -> Double {
        if tau <= 0 { return 1 }
        if tau.isInfinite { return 0 }
        return 1 - exp(-1 / tau)
    }
}
