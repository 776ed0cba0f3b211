import LodestoneKernel

// A single run (a block of one) in its own loops; the moving keys' month reads each key's
// parameters from one copy (``StockpileBatch/singleParameters``), made again only in a month whose
// parameters may have changed, instead of setting up one span per parameter every month a key
// moves. The equations are the block's (``StockpileBatch/step(_:)``), the same operations on the
// same values.
extension StockpileBatch {
    /// Where each of a key's parameters sits in its row of ``singleParameters``
    /// (row `k` at `k * singleParameterCount`).
    enum SingleParameter: Int, CaseIterable {
        case perDay, trigger, lag, stateLag, floorDays, maxRelease, targetDays, coverDays, tolerance
        case rebuildDays, share, destockDays
    }

    /// The number of ``SingleParameter``s, a row's length: the last case's position + 1, a
    /// constant the compiler sees (so a row's reads need no bounds check; `allCases` would make
    /// an array per use).
    static var singleParameterCount: Int { SingleParameter.destockDays.rawValue + 1 }

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

    /// One month of a single run (a block of one, key `k` at `k`) whose inputs sit in consecutive
    /// slots. A first pass settles the still keys with only their two inputs and marks the others
    /// `.moving`; if any moves, the spans the equations need are taken once and the keys from
    /// the first moving one to the last are computed.
    @inline(__always)
    func stepSingleRun(_ frame: BatchFrame) {
        // Known to be 1 from here on, so the frame's index arithmetic folds away.
        guard frame.width == 1 else { preconditionFailure("stockpile: a single run is a block of one") }
        let shortfall = frame.inputs(refs.shortfall), surplus = frame.inputs(refs.surplus)
        let keyState = self.keyState
        var keyIsStill = keyState[self.keyIsStill]
        let n = keyCount
        guard shortfall.count == n, surplus.count == n, keyIsStill.count == n else {
            preconditionFailure("stockpile: an input or flag does not have one value per key")
        }
        let moving = KeyStillness.moving.rawValue, repeated = KeyStillness.repeated.rawValue
        let parametersChanged = frame.parametersChanged, outputsAlternate = frame.outputsAlternate
        // A still key stays still while its inputs do (no shortfall, exactly +0, so the unmet
        // demand is +0, and nothing arriving) and no parameter changes: its outputs are last
        // month's, which this month's buffer already holds if they were repeated last month too;
        // otherwise they are copied. Any other key is marked `.moving`.
        var firstMoving = n, lastMoving = -1
        if parametersChanged {
            for k in 0..<n { keyIsStill[k] = moving }
            (firstMoving, lastMoving) = (0, n - 1)
        } else {
            for k in 0..<n {
                let flag = keyIsStill[k]
                if flag != moving, shortfall[k].bitPattern == 0, !(surplus[k] > 0) {
                    if flag != repeated || !outputsAlternate {
                        repeatOutputs(frame, k)
                        keyIsStill[k] = repeated
                    }
                    continue
                }
                keyIsStill[k] = moving
                if firstMoving == n { firstMoving = k }
                lastMoving = k
            }
        }
        guard firstMoving <= lastMoving else { return }
        let columns = Self.singleParameterCount
        if parametersChanged || frame.monthIndex == 0 {
            // Parameters change only in the first month or a month whose frame says they may have.
            var rows = frame.state(singleParameters)
            guard rows.count == n * columns else { preconditionFailure("stockpile: one parameter row per key") }
            copySingleParameters(frame, into: &rows)
        }
        let rows = frame.values(of: singleParameters)
        let demand = frame.inputs(refs.demand)
        let month = Double(frame.monthIndex)
        var privateStock = frame.state(self.privateStock), stateStock = frame.state(self.stateStock)
        var months = frame.state(shortfallMonths), exhausted = frame.state(self.exhausted)
        var unmetSum = frame.state(self.unmetSum), unmetPeak = frame.state(self.unmetPeak), releaseSum = frame.state(self.releaseSum)
        var outLevel = frame.outputs(refs.outLevel), outStateLevel = frame.outputs(refs.outStateLevel)
        var outDays = frame.outputs(refs.outDays), outRelease = frame.outputs(refs.outRelease)
        var outUnmet = frame.outputs(refs.outUnmet), outPurchases = frame.outputs(refs.outPurchases)
        // Every span holds all keys: checked once here, so the loop needs no check.
        guard
            rows.count == n * columns, demand.count == n, privateStock.count == n, stateStock.count == n,
            months.count == n, exhausted.count == n, unmetSum.count == n, unmetPeak.count == n,
            releaseSum.count == n, outLevel.count == n, outStateLevel.count == n, outDays.count == n,
            outRelease.count == n, outUnmet.count == n, outPurchases.count == n
        else { preconditionFailure("stockpile: an input or output does not have one value per key") }
        for i in firstMoving...lastMoving where keyIsStill[i] == moving {
            let row = rows.extracting((i * columns)..<((i + 1) * columns))
            let out = Self.keyMonth(
                { row[$0.rawValue] }, need: shortfall[i], demand: demand[i], arrived: surplus[i], month: month, stillness: true,
                months: &months[i], privateStock: &privateStock[i], stateStock: &stateStock[i], exhausted: &exhausted[i],
                unmetSum: &unmetSum[i], unmetPeak: &unmetPeak[i], releaseSum: &releaseSum[i])
            outLevel[i] = out.level
            outStateLevel[i] = out.stateLevel
            outDays[i] = out.daysOfCover
            outRelease[i] = out.release
            outUnmet[i] = out.unmet
            outPurchases[i] = out.purchases
            keyIsStill[i] = (out.isStill ? KeyStillness.still : .moving).rawValue
        }
    }
}
