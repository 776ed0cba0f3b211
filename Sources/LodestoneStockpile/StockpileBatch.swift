import LodestoneKernel

/// The stockpile's wiring resolved to buffer positions, once per composition: every input,
/// output, parameter and metric reference is declared here, once.
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

/// The stock of each importer and commodity, in two pools, for a block of runs stepped together
/// (the batch form: each equation is a loop over the block's runs, innermost; a single run is a
/// block of one).
///
/// Every reference is declared once, in ``StockpileRefs``; the per-run state lives in a
/// ``BatchState``, each variable declared once below. Each call takes one span per variable (all
/// keys, key `k` of run `r` at `k * width + r`) and one per input key, never one per element.
final class StockpileBatch: BatchModelInstance {
    let refs: StockpileRefs
    /// Number of importer/commodity keys.
    let keyCount: Int
    /// Whether all three inputs can be read as one span each (their keys in consecutive slots).
    let inputsConsecutive: Bool
    private let state: BatchState
    /// D0 / days per month of each key, the same for every run (`perDay[k * width + r]`).
    let perDay: BatchState.Doubles
    /// This month's inputs, copied key by key when they are not in consecutive slots.
    let gatheredNeed: BatchState.Doubles, gatheredDemand: BatchState.Doubles
    private let gatheredSurplus: BatchState.Doubles
    /// The two pools, t.
    let privateStock: BatchState.Doubles, stateStock: BatchState.Doubles
    /// Months in a row with a shortfall, this one included (whole numbers).
    let shortfallMonths: BatchState.Doubles
    /// Running metrics: first month at the floor (NaN: not yet), sums and peak share.
    let exhausted: BatchState.Doubles, unmetSum: BatchState.Doubles
    let unmetPeak: BatchState.Doubles, releaseSum: BatchState.Doubles
    /// Per key (not per run): whether every run of the block was *still* last month
    /// (``KeyStillness``, its raw value), so that while its inputs stay still its outputs are last
    /// month's and its state does not change (most keys, most months: no shortfall, stock at its
    /// target). Kept in kernel-owned storage, read and written as a span: no run-time exclusivity
    /// check and no reference counting per month, as a `var` array in the class would need.
    let keyIsStill: RunState.Ints
    let keyState = RunState()
    /// A single run's (width 1) parameters, one row per key (``SingleParameter``); no values in
    /// a wider block.
    let singleParameters: BatchState.Doubles

    /// D0 / days per month for each `i/c` key of the dataset, importer-major.
    static func tonnesPerDay(_ dataset: Dataset) -> [Double] {
        dataset.importers.flatMap { i in
            dataset.commodityCodes.map { dataset.baselineDemand(importer: i, commodity: $0) / SimulationCalendar.daysPerMonth }
        }
    }

    init(tonnesPerDay: [Double], refs: StockpileRefs, width: Int) {
        self.refs = refs
        let keys = tonnesPerDay.count
        keyCount = keys
        inputsConsecutive = refs.shortfall.isConsecutive && refs.demand.isConsecutive && refs.surplus.isConsecutive
        let state = BatchState(width: width)
        self.state = state
        let perDay = state.doubles(keys: keys)
        for k in 0..<keys {
            var values = state[perDay, k]
            for r in 0..<width { values[r] = tonnesPerDay[k] }
        }
        self.perDay = perDay
        let gathered = inputsConsecutive ? 0 : keys
        gatheredNeed = state.doubles(keys: gathered)
        gatheredDemand = state.doubles(keys: gathered)
        gatheredSurplus = state.doubles(keys: gathered)
        privateStock = state.doubles(keys: keys)
        stateStock = state.doubles(keys: keys)
        shortfallMonths = state.doubles(keys: keys)
        exhausted = state.doubles(keys: keys, initial: .nan)
        unmetSum = state.doubles(keys: keys)
        unmetPeak = state.doubles(keys: keys)
        releaseSum = state.doubles(keys: keys)
        keyIsStill = keyState.ints(keys, initial: KeyStillness.moving.rawValue)
        singleParameters = state.doubles(keys: width == 1 ? keys * Self.singleParameterCount : 0)
    }

    func reset(_ frame: BatchFrame) throws {
        let keyState = self.keyState
        var keyIsStill = keyState[self.keyIsStill]
        for k in 0..<keyIsStill.count { keyIsStill[k] = KeyStillness.moving.rawValue }
        let cover = frame.parameters(refs.coverDays), share = frame.parameters(refs.stateShare)
        let tonnesPerDay = frame.values(of: perDay)
        var privateStock = frame.state(self.privateStock), stateStock = frame.state(self.stateStock)
        var level = frame.outputs(refs.outLevel), stateLevel = frame.outputs(refs.outStateLevel)
        var days = frame.outputs(refs.outDays)
        for i in 0..<(keyCount * frame.width) {
            let stock = cover[i] * tonnesPerDay[i]
            let held = stock * share[i]
            stateStock[i] = held
            privateStock[i] = stock - stock * share[i]
            level[i] = stock
            stateLevel[i] = held
            days[i] = cover[i]
        }
    }

    func step(_ frame: BatchFrame) throws {
        // A single run (a block of one) whose inputs are read in place has a loop of its own.
        if frame.width == 1, inputsConsecutive { stepSingleRun(frame) } else { stepBlock(frame) }
    }

    /// One month of every run of the block.
    private func stepBlock(_ frame: BatchFrame) {
        guard keyCount > 0 else { return }
        if !inputsConsecutive {
            // Inputs whose keys are not side by side (a fallback, another producer's key order):
            // copied key by key into the instance's own storage first.
            var need = frame.state(gatheredNeed), demand = frame.state(gatheredDemand)
            var surplus = frame.state(gatheredSurplus)
            let width = frame.width
            for k in 0..<keyCount {
                let needNow = frame.input(refs.shortfall, k), demandNow = frame.input(refs.demand, k)
                let surplusNow = frame.input(refs.surplus, k)
                for r in 0..<width {
                    need[k * width + r] = needNow[r]
                    demand[k * width + r] = demandNow[r]
                    surplus[k * width + r] = surplusNow[r]
                }
            }
        }
        let shortfall = inputsConsecutive ? frame.inputs(refs.shortfall) : frame.values(of: gatheredNeed)
        let surplus = inputsConsecutive ? frame.inputs(refs.surplus) : frame.values(of: gatheredSurplus)
        let width = frame.width
        let keyState = self.keyState
        var keyIsStill = keyState[self.keyIsStill]
        guard keyIsStill.count == keyCount else { preconditionFailure("stockpile: one flag per key") }
        // First the still keys, which need only their two inputs: a still month of a still key
        // (its state and outputs stay last month's) is settled here, and every other key is
        // marked `.moving` for the equations below. Most keys are still in most months: a month
        // in which all are needs none of the other spans.
        var anyMoving = frame.parametersChanged
        for k in 0..<keyCount {
            let flag = KeyStillness(keyIsStill[k])
            if flag == .moving { anyMoving = true; continue }
            let keyRuns = (k * width)..<((k + 1) * width)
            var inputsStill = Self.inputsAreStill(shortfall.extracting(keyRuns), surplus.extracting(keyRuns))
            if inputsStill == .arriving {
                // Something arrives late, but maybe too little to change a run's stock (a deferred
                // volume decaying towards 0 delivers values like 1e-41 t): then the month is the
                // still month it would be without it (``arrivalsAreAbsorbed``).
                inputsStill =
                    Self.arrivalsAreAbsorbed(
                        surplus.extracting(keyRuns), privateStock: frame.values(of: self.privateStock, k),
                        stateStock: frame.values(of: self.stateStock, k)) ? .still : .moving
            }
            if frame.parametersChanged || inputsStill != .still {
                keyIsStill[k] = KeyStillness.moving.rawValue
                anyMoving = true
                continue
            }
            // The equations would leave the state as it is and write last month's outputs (same
            // operations on the same values). When last month already repeated the month before,
            // this month's buffer still holds those very values (``BatchFrame/outputsAlternate``):
            // nothing to write.
            if flag != .repeated || !frame.outputsAlternate {
                repeatOutputs(frame, k)
                keyIsStill[k] = KeyStillness.repeated.rawValue
            }
        }
        guard anyMoving else { return }
        // One month of every moving key and run, `i = k * width + r`.
        let demand = inputsConsecutive ? frame.inputs(refs.demand) : frame.values(of: gatheredDemand)
        let month = Double(frame.monthIndex)
        let trigger = frame.parameters(refs.releaseTrigger), lag = frame.parameters(refs.releaseLag)
        let stateLag = frame.parameters(refs.stateReleaseLag), floorDays = frame.parameters(refs.floorDays)
        let maxRelease = frame.parameters(refs.maxReleaseDays), targetDays = frame.parameters(refs.targetDays)
        let coverDays = frame.parameters(refs.coverDays), tolerance = frame.parameters(refs.rebuildTolerance)
        let rebuildDays = frame.parameters(refs.rebuildDays), share = frame.parameters(refs.stateShare)
        let destockDays = frame.parameters(refs.destockDays)
        let tonnesPerDay = frame.values(of: perDay)
        var privateStock = frame.state(self.privateStock), stateStock = frame.state(self.stateStock)
        var months = frame.state(shortfallMonths), exhausted = frame.state(self.exhausted)
        var unmetSum = frame.state(self.unmetSum), unmetPeak = frame.state(self.unmetPeak), releaseSum = frame.state(self.releaseSum)
        var outLevel = frame.outputs(refs.outLevel), outStateLevel = frame.outputs(refs.outStateLevel)
        var outDays = frame.outputs(refs.outDays), outRelease = frame.outputs(refs.outRelease)
        var outUnmet = frame.outputs(refs.outUnmet), outPurchases = frame.outputs(refs.outPurchases)
        // Every span holds all keys of all runs: checked once here, so the loop needs no check.
        let n = tonnesPerDay.count
        guard
            shortfall.count == n, demand.count == n, surplus.count == n, trigger.count == n, lag.count == n,
            stateLag.count == n, floorDays.count == n, maxRelease.count == n, targetDays.count == n,
            coverDays.count == n, tolerance.count == n, rebuildDays.count == n, share.count == n,
            destockDays.count == n, privateStock.count == n, stateStock.count == n, months.count == n,
            exhausted.count == n, unmetSum.count == n, unmetPeak.count == n, releaseSum.count == n,
            outLevel.count == n, outStateLevel.count == n, outDays.count == n, outRelease.count == n,
            outUnmet.count == n, outPurchases.count == n
        else { preconditionFailure("stockpile: a parameter, input or output does not have one value per key and run") }
        for k in 0..<keyCount where KeyStillness(keyIsStill[k]) == .moving {
            let keyRuns = (k * width)..<((k + 1) * width)
            var still = true
            for i in keyRuns {
                let out = Self.keyMonth(
                    { parameter in
                        switch parameter {
                        case .perDay: tonnesPerDay[i]
                        case .trigger: trigger[i]
                        case .lag: lag[i]
                        case .stateLag: stateLag[i]
                        case .floorDays: floorDays[i]
                        case .maxRelease: maxRelease[i]
                        case .targetDays: targetDays[i]
                        case .coverDays: coverDays[i]
                        case .tolerance: tolerance[i]
                        case .rebuildDays: rebuildDays[i]
                        case .share: share[i]
                        case .destockDays: destockDays[i]
                        }
                    }, need: shortfall[i], demand: demand[i], arrived: surplus[i], month: month, stillness: still, months: &months[i],
                    privateStock: &privateStock[i], stateStock: &stateStock[i], exhausted: &exhausted[i],
                    unmetSum: &unmetSum[i], unmetPeak: &unmetPeak[i], releaseSum: &releaseSum[i])
                outLevel[i] = out.level
                outStateLevel[i] = out.stateLevel
                outDays[i] = out.daysOfCover
                outRelease[i] = out.release
                outUnmet[i] = out.unmet
                outPurchases[i] = out.purchases
                still = out.isStill
            }
            keyIsStill[k] = (still ? KeyStillness.still : .moving).rawValue
        }
    }

    /// What a month's inputs of one key do to a still key, over every run of the block.
    enum InputStillness {
        /// No shortfall (exactly +0, so the unmet demand is +0) and nothing arriving, in every run:
        /// the key stays still.
        case still
        /// No shortfall in any run, but something arrives in some run.
        case arriving
        /// A shortfall in some run.
        case moving
    }

    /// What a month's inputs of one key do to a still key (``InputStillness``).
    static func inputsAreStill(_ shortfall: Span<Double>, _ surplus: Span<Double>) -> InputStillness {
        guard surplus.count == shortfall.count else { return .moving }
        // Bit patterns ORed over every run, without an early exit, so that the loops vectorise
        // (most keys are still in most months, so an exit would rarely come early anyway): the
        // shortfall must be +0 in every run; a surplus that is +0 in every run (the usual case)
        // is nothing arriving, otherwise each run's is compared with 0.
        var needBits: UInt64 = 0, surplusBits: UInt64 = 0
        // One loop over both (their counts are equal): one loop's own instructions, not two.
        for r in 0..<shortfall.count {
            needBits |= shortfall[r].bitPattern
            surplusBits |= surplus[r].bitPattern
        }
        guard needBits == 0 else { return .moving }
        if surplusBits == 0 { return .still }
        for r in 0..<surplus.count where surplus[r] > 0 { return .arriving }
        return .still
    }

    /// Whether what arrives late at a still key, `surplus`, leaves every run's stock as it is:
    /// added to the private pool it gives the same pool, and added to the whole stock (private +
    /// state, as the destocking test adds it) the same stock, bit for bit. The month is then the
    /// one without the arrival: the same pool, level and destocking decision (a still key that
    /// destocks holds exactly its target, and stock + arrived > target is stock > target).
    static func arrivalsAreAbsorbed(_ surplus: Span<Double>, privateStock: Span<Double>, stateStock: Span<Double>) -> Bool {
        guard privateStock.count == surplus.count, stateStock.count == surplus.count else { return false }
        for r in 0..<surplus.count {
            let arrived = surplus[r]
            guard arrived > 0 else { continue }
            let held = privateStock[r]
            let stock = held + stateStock[r]
            if held + arrived != held || stock + arrived != stock { return false }
        }
        return true
    }

    /// What a key's last month was, over every run of the block (still: nothing released,
    /// unmet or bought, no shortfall streak, stock at its target; see the end of ``step(_:)``).
    /// Stored as its raw value in ``keyIsStill``.
    enum KeyStillness: Int {
        /// Computed, and some run was not still.
        case moving
        /// Computed, and every run was still.
        case still
        /// Every run still, and its outputs repeated from the month before.
        case repeated

        /// The stillness stored as `rawValue` (the storage holds only raw values of the cases).
        @inline(__always)
        init(_ rawValue: Int) { self = KeyStillness(rawValue: rawValue) ?? .moving }
    }

    /// Last month's outputs of key `k` as this month's, for every run: a still month of a still
    /// key (the equations would leave its state as it is and write the same values).
    func repeatOutputs(_ frame: BatchFrame, _ k: Int) {
        frame.repeatLastMonth(refs.outLevel, k)
        frame.repeatLastMonth(refs.outStateLevel, k)
        frame.repeatLastMonth(refs.outDays, k)
        frame.repeatLastMonth(refs.outRelease, k)
        frame.repeatLastMonth(refs.outUnmet, k)
        frame.repeatLastMonth(refs.outPurchases, k)
    }

    func finish(_ metrics: BatchMetricFrame) {
        var exhaustedAt = metrics.metric(refs.exhaustedAt), unmetTotal = metrics.metric(refs.unmetTotal)
        var peakShare = metrics.metric(refs.unmetPeakShare), releaseTotal = metrics.metric(refs.releaseTotal)
        let exhausted = metrics.state(self.exhausted), unmetSum = metrics.state(self.unmetSum)
        let unmetPeak = metrics.state(self.unmetPeak), releaseSum = metrics.state(self.releaseSum)
        for i in 0..<(keyCount * metrics.width) {
            exhaustedAt[i] = exhausted[i]
            unmetTotal[i] = unmetSum[i]
            peakShare[i] = unmetPeak[i]
            releaseTotal[i] = releaseSum[i]
        }
    }
}
