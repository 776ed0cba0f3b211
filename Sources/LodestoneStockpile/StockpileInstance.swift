import LodestoneKernel

/// The stockpile's wiring resolved to buffer positions, once per composition.
struct StockpileRefs: Sendable {
    let shortfall: InputRef, demand: InputRef, surplus: InputRef
    let outLevel: OutputRef, outStateLevel: OutputRef, outDays: OutputRef
    let outRelease: OutputRef, outUnmet: OutputRef, outPurchases: OutputRef
    let coverDays: ParameterRef, stateShare: ParameterRef, targetDays: ParameterRef
    let floorDays: ParameterRef, releaseTrigger: ParameterRef, maxReleaseDays: ParameterRef
    let releaseLag: ParameterRef, stateReleaseLag: ParameterRef, rebuildDays: ParameterRef
    let rebuildTolerance: ParameterRef, destockDays: ParameterRef
    let exhaustedAt: MetricRef, unmetTotal: MetricRef, unmetPeakShare: MetricRef, releaseTotal: MetricRef

    init(_ wiring: Wiring) throws {
        shortfall = try wiring.input("trade.shortfall")
        demand = try wiring.input("trade.demand")
        surplus = try wiring.input("trade.surplus")
        outLevel = try wiring.output("level")
        outStateLevel = try wiring.output("state_level")
        outDays = try wiring.output("days_of_cover")
        outRelease = try wiring.output("release")
        outUnmet = try wiring.output("unmet")
        outPurchases = try wiring.output("purchases")
        coverDays = try wiring.parameter("cover_days")
        stateShare = try wiring.parameter("state_share")
        targetDays = try wiring.parameter("target_days")
        floorDays = try wiring.parameter("floor_days")
        releaseTrigger = try wiring.parameter("release_trigger")
        maxReleaseDays = try wiring.parameter("max_release_days")
        releaseLag = try wiring.parameter("release_lag_months")
        stateReleaseLag = try wiring.parameter("state_release_lag_months")
        rebuildDays = try wiring.parameter("rebuild_days")
        rebuildTolerance = try wiring.parameter("rebuild_tolerance")
        destockDays = try wiring.parameter("destock_days")
        exhaustedAt = try wiring.metric("exhausted_at")
        unmetTotal = try wiring.metric("unmet_total")
        unmetPeakShare = try wiring.metric("unmet_peak_share")
        releaseTotal = try wiring.metric("release_total")
    }
}

/// One run's stock of each importer and commodity, in two pools.
final class StockpileInstance: ModelInstance {
    private let count: Int
    /// D0 / days per month: tonnes per day of cover, `[i*C+c]`.
    private let tonnesPerDay: UnsafeMutableBufferPointer<Double>
    private let shortfall: InputRef, demand: InputRef, surplus: InputRef
    private let outLevel: OutputRef, outStateLevel: OutputRef, outDays: OutputRef
    private let outRelease: OutputRef, outUnmet: OutputRef, outPurchases: OutputRef
    private let coverDays: ParameterRef, stateShare: ParameterRef, targetDays: ParameterRef
    private let floorDays: ParameterRef, releaseTrigger: ParameterRef, maxReleaseDays: ParameterRef
    private let releaseLag: ParameterRef, stateReleaseLag: ParameterRef, rebuildDays: ParameterRef
    private let rebuildTolerance: ParameterRef, destockDays: ParameterRef
    private let exhaustedAt: MetricRef, unmetTotal: MetricRef, unmetPeakShare: MetricRef, releaseTotal: MetricRef

    private let arena = StateArena()
    private let privateStock: UnsafeMutableBufferPointer<Double>, stateStock: UnsafeMutableBufferPointer<Double>
    private let shortfallMonths: UnsafeMutableBufferPointer<Int>
    private let exhausted: UnsafeMutableBufferPointer<Double>, unmetSum: UnsafeMutableBufferPointer<Double>
    private let unmetPeak: UnsafeMutableBufferPointer<Double>, releaseSum: UnsafeMutableBufferPointer<Double>

    /// D0 / days per month for each `i/c` key of the dataset, importer-major.
    static func tonnesPerDay(_ dataset: Dataset) -> [Double] {
        dataset.importers.flatMap { i in
            dataset.commodityCodes.map { dataset.baselineDemand(importer: i, commodity: $0) / SimulationCalendar.daysPerMonth }
        }
    }

    init(tonnesPerDay: [Double], refs: StockpileRefs) {
        count = tonnesPerDay.count
        self.tonnesPerDay = arena.doubles(copying: tonnesPerDay)
        shortfall = refs.shortfall
        demand = refs.demand
        surplus = refs.surplus
        outLevel = refs.outLevel
        outStateLevel = refs.outStateLevel
        outDays = refs.outDays
        outRelease = refs.outRelease
        outUnmet = refs.outUnmet
        outPurchases = refs.outPurchases
        coverDays = refs.coverDays
        stateShare = refs.stateShare
        targetDays = refs.targetDays
        floorDays = refs.floorDays
        releaseTrigger = refs.releaseTrigger
        maxReleaseDays = refs.maxReleaseDays
        releaseLag = refs.releaseLag
        stateReleaseLag = refs.stateReleaseLag
        rebuildDays = refs.rebuildDays
        rebuildTolerance = refs.rebuildTolerance
        destockDays = refs.destockDays
        exhaustedAt = refs.exhaustedAt
        unmetTotal = refs.unmetTotal
        unmetPeakShare = refs.unmetPeakShare
        releaseTotal = refs.releaseTotal
        privateStock = arena.doubles(count)
        stateStock = arena.doubles(count)
        shortfallMonths = arena.ints(count)
        exhausted = arena.doubles(count, initial: .nan)
        unmetSum = arena.doubles(count)
        unmetPeak = arena.doubles(count)
        releaseSum = arena.doubles(count)
    }

    func reset(_ frame: StepFrame) throws {
        for k in 0..<count {
            let stock = frame.parameter(coverDays, k) * tonnesPerDay[k]
            let share = frame.parameter(stateShare, k)
            stateStock[k] = stock * share
            privateStock[k] = stock - stock * share
            frame.setInitial(outLevel, k, stock)
            frame.setInitial(outStateLevel, k, stateStock[k])
            frame.setInitial(outDays, k, frame.parameter(coverDays, k))
        }
    }

    func step(_ frame: StepFrame) throws {
        for k in 0..<count {
            let perDay = tonnesPerDay[k]
            let need = frame.read(shortfall, k)
            let demandNow = frame.read(demand, k)
            shortfallMonths[k] = need > 0 ? shortfallMonths[k] + 1 : 0
            let lasted = Double(shortfallMonths[k])
            var release = 0.0
            if need > 0, need >= frame.parameter(releaseTrigger, k) * demandNow,
                lasted > frame.parameter(releaseLag, k)
            {
                let stateOpen = lasted > max(frame.parameter(releaseLag, k), frame.parameter(stateReleaseLag, k))
                let eligible = privateStock[k] + (stateOpen ? stateStock[k] : 0)
                let floor = frame.parameter(floorDays, k) * perDay
                let cap = frame.parameter(maxReleaseDays, k) * perDay
                release = min(need, cap, max(0, eligible - floor))
                let fromPrivate = min(release, privateStock[k])
                privateStock[k] -= fromPrivate
                stateStock[k] = max(0, stateStock[k] - (release - fromPrivate))
            }
            let unmet = need - release
            var purchases = 0.0
            let stock = privateStock[k] + stateStock[k]
            let targetSetting = frame.parameter(targetDays, k)
            let target = (targetSetting < 0 ? frame.parameter(coverDays, k) : targetSetting) * perDay
            if need <= frame.parameter(rebuildTolerance, k) * demandNow, stock < target {
                purchases = min(frame.parameter(rebuildDays, k) * perDay, target - stock)
                // Refill each pool toward its share of the target.
                let stateTarget = target * frame.parameter(stateShare, k)
                let stateGap = max(0, stateTarget - stateStock[k])
                let privateGap = max(0, target - stateTarget - privateStock[k])
                let gaps = stateGap + privateGap
                let toState = gaps > 0 ? purchases * stateGap / gaps : 0
                stateStock[k] += toState
                privateStock[k] += purchases - toState
            }
            // Deliveries beyond demand (deferred volume arriving late, market v2) go to industry's
            // stock: the private pool.
            let arrived = frame.read(surplus, k)
            if arrived > 0 { privateStock[k] += arrived }
            // Destocking (v2): private stock above the target is sold back, lowering next month's
            // demand like a negative purchase.
            let destock = frame.parameter(destockDays, k)
            if destock > 0, purchases == 0, stock + arrived > target {
                let sold = min(destock * perDay, stock + arrived - target, privateStock[k])
                privateStock[k] -= sold
                purchases = -sold
            }
            let level = privateStock[k] + stateStock[k]
            if need > 0, exhausted[k].isNaN, frame.parameter(coverDays, k) > 0,
                level <= frame.parameter(floorDays, k) * perDay + 1e-9 * max(perDay, 1e-300)
            {
                exhausted[k] = Double(frame.monthIndex)
            }
            unmetSum[k] += unmet
            releaseSum[k] += release
            if demandNow > 0 { unmetPeak[k] = max(unmetPeak[k], unmet / demandNow) }
            frame.write(outLevel, k, level)
            frame.write(outStateLevel, k, stateStock[k])
            frame.write(outDays, k, perDay > 0 ? level / perDay : 0)
            frame.write(outRelease, k, release)
            frame.write(outUnmet, k, unmet)
            frame.write(outPurchases, k, purchases)
        }
    }

    func finish(_ metrics: MetricFrame) {
        for k in 0..<count {
            metrics.write(exhaustedAt, k, exhausted[k])
            metrics.write(unmetTotal, k, unmetSum[k])
            metrics.write(unmetPeakShare, k, unmetPeak[k])
            metrics.write(releaseTotal, k, releaseSum[k])
        }
    }
}
