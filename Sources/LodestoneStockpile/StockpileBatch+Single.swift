import LodestoneKernel

// A single run (a block of one): the moving keys' month reads each key's parameters from one copy
// (``StockpileBatch/singleParameters``), made again only in a month whose parameters may have
// changed, instead of setting up one span per parameter every month a key moves. The equations
// are the block's (``StockpileBatch/step(_:)``), the same operations on the same values.
extension StockpileBatch {
    /// Where each of a key's parameters sits in its row of ``singleParameters``
    /// (row `k` at `k * singleParameterCount`).
    enum SingleParameter: Int, CaseIterable {
        case perDay, trigger, lag, stateLag, floorDays, maxRelease, targetDays, coverDays, tolerance
        case rebuildDays, share, destockDays
    }

    /// The number of ``SingleParameter``s, a row's length (`allCases` would make an array per use).
    static let singleParameterCount = SingleParameter.allCases.count

    /// Copies every key's parameters (and D0 per day) into ``singleParameters``: a block of one.
    private func copySingleParameters(_ frame: BatchFrame, into rows: inout MutableSpan<Double>) {
        let columns = Self.singleParameterCount
        func copy(_ column: SingleParameter, _ values: Span<Double>, _ rows: inout MutableSpan<Double>) {
            for k in 0..<keyCount { rows[k * columns + column.rawValue] = values[k] }
        }
        copy(.perDay, frame.values(of: perDay), &rows)
        copy(.trigger, frame.parameters(refs.releaseTrigger), &rows)
        copy(.lag, frame.parameters(refs.releaseLag), &rows)
        copy(.stateLag, frame.parameters(refs.stateReleaseLag), &rows)
        copy(.floorDays, frame.parameters(refs.floorDays), &rows)
        copy(.maxRelease, frame.parameters(refs.maxReleaseDays), &rows)
        copy(.targetDays, frame.parameters(refs.targetDays), &rows)
        copy(.coverDays, frame.parameters(refs.coverDays), &rows)
        copy(.tolerance, frame.parameters(refs.rebuildTolerance), &rows)
        copy(.rebuildDays, frame.parameters(refs.rebuildDays), &rows)
        copy(.share, frame.parameters(refs.stateShare), &rows)
        copy(.destockDays, frame.parameters(refs.destockDays), &rows)
    }

    /// One month of every moving key of a single run (width 1: key `k` at `k`).
    func stepMovingKeysOfSingleRun(
        _ frame: BatchFrame, shortfall: Span<Double>, surplus: Span<Double>, keyIsStill: inout MutableSpan<KeyStillness>
    ) {
        let columns = Self.singleParameterCount
        var rows = frame.state(singleParameters)
        guard rows.count == keyCount * columns else { preconditionFailure("stockpile: one parameter row per key") }
        // Parameters change only in the first month or a month whose frame says they may have.
        if frame.parametersChanged || frame.monthIndex == 0 { copySingleParameters(frame, into: &rows) }
        let demand = inputsConsecutive ? frame.inputs(refs.demand) : frame.values(of: gatheredDemand)
        let month = Double(frame.monthIndex)
        var privateStock = frame.state(self.privateStock), stateStock = frame.state(self.stateStock)
        var months = frame.state(shortfallMonths), exhausted = frame.state(self.exhausted)
        var unmetSum = frame.state(self.unmetSum), unmetPeak = frame.state(self.unmetPeak), releaseSum = frame.state(self.releaseSum)
        var outLevel = frame.outputs(refs.outLevel), outStateLevel = frame.outputs(refs.outStateLevel)
        var outDays = frame.outputs(refs.outDays), outRelease = frame.outputs(refs.outRelease)
        var outUnmet = frame.outputs(refs.outUnmet), outPurchases = frame.outputs(refs.outPurchases)
        // Every span holds all keys: checked once here, so the loop needs no check.
        let n = keyCount
        guard
            shortfall.count == n, demand.count == n, surplus.count == n, privateStock.count == n,
            stateStock.count == n, months.count == n, exhausted.count == n, unmetSum.count == n,
            unmetPeak.count == n, releaseSum.count == n, outLevel.count == n, outStateLevel.count == n,
            outDays.count == n, outRelease.count == n, outUnmet.count == n, outPurchases.count == n
        else { preconditionFailure("stockpile: an input or output does not have one value per key") }
        for i in 0..<n where keyIsStill[i] == .moving {
            let row = i * columns
            let perDay = rows[row + SingleParameter.perDay.rawValue]
            let need = shortfall[i]
            let demandNow = demand[i]
            let lasted = need > 0 ? months[i] + 1 : 0
            months[i] = lasted
            var privateHeld = privateStock[i], stateHeld = stateStock[i]
            var release = 0.0
            let lag = rows[row + SingleParameter.lag.rawValue]
            if need > 0, need >= rows[row + SingleParameter.trigger.rawValue] * demandNow, lasted > lag {
                let stateOpen = lasted > max(lag, rows[row + SingleParameter.stateLag.rawValue])
                let eligible = privateHeld + (stateOpen ? stateHeld : 0)
                let floor = rows[row + SingleParameter.floorDays.rawValue] * perDay
                let cap = rows[row + SingleParameter.maxRelease.rawValue] * perDay
                release = min(need, cap, max(0, eligible - floor))
                let fromPrivate = min(release, privateHeld)
                privateHeld -= fromPrivate
                stateHeld = max(0, stateHeld - (release - fromPrivate))
            }
            let unmet = need - release
            var purchases = 0.0
            let stock = privateHeld + stateHeld
            let targetDays = rows[row + SingleParameter.targetDays.rawValue]
            let coverDays = rows[row + SingleParameter.coverDays.rawValue]
            let target = (targetDays < 0 ? coverDays : targetDays) * perDay
            if need <= rows[row + SingleParameter.tolerance.rawValue] * demandNow, stock < target {
                purchases = min(rows[row + SingleParameter.rebuildDays.rawValue] * perDay, target - stock)
                // Refill each pool toward its share of the target.
                let stateTarget = target * rows[row + SingleParameter.share.rawValue]
                let stateGap = max(0, stateTarget - stateHeld)
                let privateGap = max(0, target - stateTarget - privateHeld)
                let gaps = stateGap + privateGap
                let toState = gaps > 0 ? purchases * stateGap / gaps : 0
                stateHeld += toState
                privateHeld += purchases - toState
            }
            // Deliveries beyond demand (deferred volume arriving late, market v2) go to
            // industry's stock: the private pool.
            let arrived = surplus[i]
            if arrived > 0 { privateHeld += arrived }
            // Destocking (v2): private stock above the target is sold back.
            let destock = rows[row + SingleParameter.destockDays.rawValue]
            if destock > 0, purchases == 0, stock + arrived > target {
                let sold = min(destock * perDay, stock + arrived - target, privateHeld)
                privateHeld -= sold
                purchases = -sold
            }
            let level = privateHeld + stateHeld
            if need > 0, exhausted[i].isNaN, coverDays > 0,
                level <= rows[row + SingleParameter.floorDays.rawValue] * perDay + 1e-9 * max(perDay, 1e-300)
            {
                exhausted[i] = month
            }
            privateStock[i] = privateHeld
            stateStock[i] = stateHeld
            unmetSum[i] += unmet
            releaseSum[i] += release
            if demandNow > 0 { unmetPeak[i] = max(unmetPeak[i], unmet / demandNow) }
            outLevel[i] = level
            outStateLevel[i] = stateHeld
            outDays[i] = perDay > 0 ? level / perDay : 0
            outRelease[i] = release
            outUnmet[i] = unmet
            outPurchases[i] = purchases
            // Still: as in the block's month (``StockpileBatch/step(_:)``).
            let still =
                release.bitPattern == 0 && unmet.bitPattern == 0 && purchases.bitPattern == 0
                && lasted == 0 && !(level < target) && !(destock > 0 && level > target)
                && !(unmetPeak[i] < 0) && unmetPeak[i].bitPattern != (-0.0).bitPattern
            keyIsStill[i] = still ? .still : .moving
        }
    }
}
