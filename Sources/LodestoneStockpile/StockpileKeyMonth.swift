/// One key's outputs for one run this month (t, t, days of cover, t/month) and whether the month
/// was *still*: nothing released, unmet or bought, and a state a still month leaves as it is.
struct StockpileKeyMonth {
    var level, stateLevel, daysOfCover, release, unmet, purchases: Double
    var isStill: Bool
}

extension StockpileBatch {
    /// The stockpile's month for one key and run, written once for the block loop and the
    /// single-run loop (so both do the same operations in the same order): release toward the
    /// shortfall `need` (t/month) once it lasted past the lags, rebuild toward the target when the
    /// shortfall is within tolerance of `demandNow`, add what `arrived` late (t) to the private
    /// pool, destock above the target (v2), and note the month (`month`, from the run's start)
    /// the stock first reaches its floor. `parameter` gives the key's parameters in force (read
    /// only where an equation needs them); the state is the key's own, updated in place. The
    /// month's stillness is worked out only when `checkStill` (a block stops once a run moved).
    @inline(__always)
    static func keyMonth(
        _ parameter: (SingleParameter) -> Double, need: Double, demand demandNow: Double, arrived: Double, month: Double,
        stillness checkStill: Bool, months: inout Double, privateStock: inout Double, stateStock: inout Double, exhausted: inout Double,
        unmetSum: inout Double, unmetPeak: inout Double, releaseSum: inout Double
    ) -> StockpileKeyMonth {
        let perDay = parameter(.perDay)
        let lasted = need > 0 ? months + 1 : 0
        months = lasted
        var privateHeld = privateStock, stateHeld = stateStock
        var release = 0.0
        let lag = parameter(.lag)
        if need > 0, need >= parameter(.trigger) * demandNow, lasted > lag {
            let stateOpen = lasted > max(lag, parameter(.stateLag))
            let eligible = privateHeld + (stateOpen ? stateHeld : 0)
            let floor = parameter(.floorDays) * perDay
            let cap = parameter(.maxRelease) * perDay
            release = min(need, cap, max(0, eligible - floor))
            let fromPrivate = min(release, privateHeld)
            privateHeld -= fromPrivate
            stateHeld = max(0, stateHeld - (release - fromPrivate))
        }
        let unmet = need - release
        var purchases = 0.0
        let stock = privateHeld + stateHeld
        let targetDays = parameter(.targetDays), coverDays = parameter(.coverDays)
        let target = (targetDays < 0 ? coverDays : targetDays) * perDay
        if need <= parameter(.tolerance) * demandNow, stock < target {
            purchases = min(parameter(.rebuildDays) * perDay, target - stock)
            // Refill each pool toward its share of the target.
            let stateTarget = target * parameter(.share)
            let stateGap = max(0, stateTarget - stateHeld)
            let privateGap = max(0, target - stateTarget - privateHeld)
            let gaps = stateGap + privateGap
            let toState = gaps > 0 ? purchases * stateGap / gaps : 0
            stateHeld += toState
            privateHeld += purchases - toState
        }
        // Deliveries beyond demand (deferred volume arriving late, market v2) go to industry's
        // stock: the private pool.
        if arrived > 0 { privateHeld += arrived }
        // Destocking (v2): private stock above the target is sold back, lowering next month's
        // demand like a negative purchase.
        let destock = parameter(.destockDays)
        if destock > 0, purchases == 0, stock + arrived > target {
            let sold = min(destock * perDay, stock + arrived - target, privateHeld)
            privateHeld -= sold
            purchases = -sold
        }
        let level = privateHeld + stateHeld
        if need > 0, exhausted.isNaN, coverDays > 0, level <= parameter(.floorDays) * perDay + 1e-9 * max(perDay, 1e-300) {
            exhausted = month
        }
        privateStock = privateHeld
        stateStock = stateHeld
        unmetSum += unmet
        releaseSum += release
        if demandNow > 0 { unmetPeak = max(unmetPeak, unmet / demandNow) }
        // Still: nothing released, unmet or bought (each exactly +0), no shortfall streak, and a
        // state in which a still month (no shortfall, nothing arriving) changes nothing whatever
        // the demand: stock not below the target, not above it when destocking, and a peak share
        // that max(peak, +0) keeps.
        let isStill =
            checkStill && release.bitPattern == 0 && unmet.bitPattern == 0 && purchases.bitPattern == 0
            && lasted == 0 && !(level < target) && !(destock > 0 && level > target)
            && !(unmetPeak < 0) && unmetPeak.bitPattern != (-0.0).bitPattern
        return StockpileKeyMonth(
            level: level, stateLevel: stateHeld, daysOfCover: perDay > 0 ? level / perDay : 0, release: release,
            unmet: unmet, purchases: purchases, isStill: isStill)
    }
}
