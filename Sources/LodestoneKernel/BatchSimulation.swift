/// A block of runs in progress, stepped together: every signal slot, parameter and metric holds
/// the block's `width` runs side by side (structure of arrays), and each model steps all of them
/// in one call — through its batch form (``Model/prepareBatch(in:wiring:)``) when it has one,
/// otherwise one run at a time through its per-run instances (``PerRunAdapter``).
///
/// Run `r` of the block computes exactly what ``Simulation`` computes for it: the same
/// generator (seeded by the caller from the ensemble's seed and the run's index), the same
/// parameter values, the same operations in the same order. Not shared between threads.
public final class BatchSimulation {
    /// The plan being run.
    public let plan: RunPlan
    /// Runs in the block.
    public let width: Int
    /// Index of the next month to compute (equals `plan.months` when done).
    public private(set) var monthIndex = 0
    private let steppers: [BatchStepper]
    /// One block: both signal buffers, then the parameter values.
    private let storage: UnsafeMutablePointer<Double>
    private var current: UnsafeMutablePointer<Double>
    private var previous: UnsafeMutablePointer<Double>
    private let parameterBuffer: UnsafeMutablePointer<Double>
    private let generators: UnsafeMutablePointer<SeededGenerator>
    private var nextChange = 0
    private let slotCount: Int
    private let parameterCount: Int
    private let summing: SummingPlan
    /// One flag per slot: whether a model took a writable view of it this month (``BatchFrame``),
    /// when every model steps in its batch form (`tracksWrites`).
    private let written: UnsafeMutablePointer<UInt8>
    private let tracksWrites: Bool

    /// Prepares `generators.count` runs with the given parameter values; `adjusting(r, values)`
    /// may change run `r`'s values (at positions from ``ParameterSet/positions(_:)``) before the
    /// models reset, as ``Simulation/init(plan:parameters:generator:adjusting:)`` does.
    public init(
        plan: RunPlan, parameters: ParameterSet, generators seeded: [SeededGenerator],
        adjusting: (Int, UnsafeMutableBufferPointer<Double>) -> Void = { _, _ in }
    ) throws {
        precondition(!seeded.isEmpty, "a block has at least one run")
        self.plan = plan
        let composition = plan.composition
        try Simulation.checkLayout(of: parameters, for: composition)
        let width = seeded.count
        self.width = width
        var steppers: [BatchStepper] = []
        steppers.reserveCapacity(composition.factories.count)
        for m in 0..<composition.factories.count {
            if let batch = composition.batchFactories[m] {
                steppers.append(.batch(try batch.makeBatch(width: width)))
            } else {
                steppers.append(.adapted(try PerRunAdapter(composition: composition, model: m, width: width)))
            }
        }
        self.steppers = steppers
        tracksWrites = steppers.allSatisfy { if case .batch = $0 { true } else { false } }
        slotCount = composition.slotCount
        written = .allocate(capacity: max(1, composition.slotCount))
        written.initialize(repeating: 0, count: max(1, composition.slotCount))
        summing = composition.summing
        parameterCount = parameters.values.count
        // Each signal buffer starts on a 64-byte boundary (the finiteness check reads it in
        // aligned pairs).
        let slots = (max(1, slotCount) * width + 7) / 8 * 8
        let total = 2 * slots + max(1, parameterCount) * width
        storage = UnsafeMutableRawPointer.allocate(byteCount: total * MemoryLayout<Double>.stride, alignment: 64)
            .bindMemory(to: Double.self, capacity: total)
        // The signal buffers start at 0 (what an output no model wrote in reset reads as), but
        // for the scenario slots (0..<scenarioCount, each written below for every run) and the
        // padding (never read); the parameter values are all written below.
        let scenarioValues = composition.scenarioCount * width
        let zeroed = slotCount * width - scenarioValues
        (storage + scenarioValues).initialize(repeating: 0, count: zeroed)
        (storage + slots + scenarioValues).initialize(repeating: 0, count: zeroed)
        current = storage
        previous = storage + slots
        parameterBuffer = storage + 2 * slots
        generators = .allocate(capacity: width)
        generators.initialize(from: seeded, count: width)
        for constant in composition.constants {
            for r in 0..<width {
                current[constant.slot * width + r] = constant.value
                previous[constant.slot * width + r] = constant.value
            }
        }
        // Each run's parameters: the set's values, adjusted for the run, then laid out per
        // position with the runs side by side.
        let row = UnsafeMutableBufferPointer<Double>.allocate(capacity: max(1, parameterCount))
        defer { row.deallocate() }
        for r in 0..<width {
            parameters.values.withUnsafeBufferPointer { values in
                for p in 0..<parameterCount { row[p] = values[p] }
            }
            adjusting(r, UnsafeMutableBufferPointer(rebasing: row[0..<parameterCount]))
            // Down run r's column, one stride per position (no index arithmetic per value).
            var target = parameterBuffer + r
            for p in 0..<parameterCount {
                target.pointee = row[p]
                target += width
            }
        }
        copyScenarioRow(into: previous)
        copyScenarioRow(into: current)
        let frame = makeFrame(index: -1)
        for m in 0..<steppers.count {
            do {
                switch steppers[m] {
                case .batch(let instance): try instance.reset(frame)
                case .adapted(let adapter): try adapter.reset(frame)
                }
            } catch {
                throw StepError(module: composition.models[m].name, month: plan.start, message: "\(error)")
            }
        }
        if !summing.isEmpty {
            summing.applyAll(in: previous, width: width)
            summing.applyAll(in: current, width: width)
        }
    }

    deinit {
        storage.deallocate()
        written.deallocate()
        generators.deinitialize(count: width)
        generators.deallocate()
    }

    /// Whether every month has been computed.
    public var isFinished: Bool { monthIndex >= plan.months }

    /// Computes the next month of every run: applies parameter changes, writes scenario signals,
    /// steps every model in order. Does not allocate.
    public func step() throws {
        precondition(!isFinished, "the runs are finished")
        swap(&current, &previous)
        let changesBefore = nextChange
        while nextChange < plan.parameterChanges.count, plan.parameterChanges[nextChange].monthIndex <= monthIndex {
            let value = plan.parameterChanges[nextChange].value
            for position in plan.parameterChanges[nextChange].positions {
                (parameterBuffer + position * width).update(repeating: value, count: width)
            }
            nextChange += 1
        }
        updateScenario(monthIndex)
        let scenarioChanged = plan.scenarioChanges(inMonth: monthIndex)
        let frame = makeFrame(
            index: monthIndex, parametersChanged: nextChange != changesBefore, scenarioChanged: scenarioChanged)
        for m in 0..<steppers.count {
            do {
                switch steppers[m] {
                case .batch(let instance): try instance.step(frame)
                case .adapted(let adapter): try adapter.step(frame)
                }
            } catch {
                throw StepError(module: plan.composition.models[m].name, month: frame.month, message: "\(error)")
            }
            summing.apply(after: m, in: current, width: width)
        }
        try checkFinite(month: frame.month)
        monthIndex += 1
    }

    /// Throws for the first signal (in slot order, then run order) that is NaN or ±∞.
    ///
    /// From month 2 on, when every model steps in its batch form, only the slots a model took a
    /// writable view of this month (and the sums) are looked at: any other slot of this month's
    /// buffer holds what it held when it was last checked, two months ago (the buffers alternate
    /// and only the models, the sums and the kernel's scenario rows write them), or a copy of
    /// last month's checked values (``BatchFrame/repeatLastMonth(_:_:)``). Months 0 and 1 look at
    /// every slot, so each buffer's values from before month 0 (reset, constants, zeros) are
    /// checked once. The error, when there is one, comes from the scan of every slot in order,
    /// so it names the same signal and run as a check of every slot would.
    private func checkFinite(month: Month) throws {
        // The scenario slots hold the plan's row for this month, checked once in the plan.
        let scenarioCount = plan.composition.scenarioCount
        let signalCount = plan.composition.signals.count
        let finite: Bool
        if tracksWrites, monthIndex >= 2 {
            finite = writtenAreFinite(from: scenarioCount, to: signalCount)
        } else {
            finite = Simulation.allFinite(current + scenarioCount * width, count: (signalCount - scenarioCount) * width)
            if tracksWrites { written.update(repeating: 0, count: max(1, slotCount)) }
        }
        if plan.scenarioRowIsFinite[monthIndex], finite { return }
        let signals = plan.composition.signals
        for slot in 0..<signals.count {
            for r in 0..<width where !current[slot * width + r].isFinite {
                throw NonFiniteError(signal: signals[slot].id, month: month, value: current[slot * width + r], run: r)
            }
        }
    }

    /// Whether every value of the slots `lower..<upper` written this month (and of the sums) is
    /// finite, or (rarely, ``Simulation/allFinite(_:count:)``) not sure; clears every flag.
    private func writtenAreFinite(from lower: Int, to upper: Int) -> Bool {
        for target in summing.target { written[target] = 1 }
        var finite = true
        var s = lower
        while s < upper {
            // Eight flags at a time while none is set (most slots are not written in most months).
            if upper - s >= 8, UnsafeRawPointer(written + s).loadUnaligned(as: UInt64.self) == 0 {
                s += 8
                continue
            }
            guard written[s] != 0 else {
                s += 1
                continue
            }
            var end = s + 1
            while end < upper, written[end] != 0 { end += 1 }
            if !Simulation.allFinite(current + s * width, count: (end - s) * width) { finite = false }
            s = end
        }
        written.update(repeating: 0, count: max(1, slotCount))
        return finite
    }

    /// Run `r`'s value of a slot in the month just computed.
    @inline(__always)
    public func value(slot: Int, run r: Int) -> Double { current[slot * width + r] }

    /// Copies every run's value of a slot in the month just computed into `target` (one value
    /// per run, in run order): one contiguous copy, the block's runs of a slot being side by side.
    func copyValues(slot: Int, into target: UnsafeMutableBufferPointer<Double>) {
        precondition(slot >= 0 && slot < slotCount && target.count == width, "one value per run of a slot")
        target.baseAddress!.update(from: current + slot * width, count: width)
    }

    /// Run `r`'s parameter value in force now at `position` (from ``ParameterSet/positions(_:)``).
    public func parameterValue(at position: Int, run r: Int) -> Double {
        precondition(position >= 0 && position < parameterCount && r >= 0 && r < width, "out of range")
        return parameterBuffer[position * width + r]
    }

    /// Writes every run's metrics (NaN for none), run `r` at `values[r * metrics + j]`, metrics in
    /// composition order. Call after the last step.
    public func finishMetrics(into values: UnsafeMutableBufferPointer<Double>) {
        let metricCount = plan.composition.metrics.count
        precondition(values.count == metricCount * width, "one value per metric and run")
        guard metricCount > 0 else { return }
        let block = UnsafeMutablePointer<Double>.allocate(capacity: metricCount * width)
        defer { block.deallocate() }
        block.initialize(repeating: .nan, count: metricCount * width)
        let frame = BatchMetricFrame(values: block, width: width, months: monthIndex)
        for stepper in steppers {
            switch stepper {
            case .batch(let instance): instance.finish(frame)
            case .adapted(let adapter): adapter.finish(frame)
            }
        }
        // Run r's row from its column of the block, one stride per metric.
        guard let rows = values.baseAddress else { return }
        for r in 0..<width {
            let row = rows + r * metricCount
            var source = UnsafePointer(block + r)
            for j in 0..<metricCount {
                row[j] = source.pointee
                source += width
            }
        }
    }

    /// Writes month 0's scenario row into every run of `buffer`.
    private func copyScenarioRow(into buffer: UnsafeMutablePointer<Double>) {
        let n = plan.composition.scenarioCount
        guard n > 0 else { return }
        plan.scenarioTable.withUnsafeBufferPointer { table in
            for s in 0..<n { (buffer + s * width).update(repeating: table[s], count: width) }
        }
    }

    /// Brings the scenario slots of `current` to month `t`'s row. `current` holds the row of
    /// month t − 2 (the buffers alternate; both start with month 0's row) and only the kernel
    /// writes scenario slots, so the columns that changed in month t − 1 or t are the only ones
    /// to write: most months none (the whole row per month was 3 % of an ensemble's instructions).
    private func updateScenario(_ t: Int) {
        guard t > 0 else { return }
        let n = plan.composition.scenarioCount
        plan.scenarioTable.withUnsafeBufferPointer { table in
            plan.scenarioChanges.withUnsafeBufferPointer { changes in
                plan.scenarioChangeStart.withUnsafeBufferPointer { start in
                    for i in start[t - 1]..<start[t + 1] {
                        let s = changes[i]
                        (current + s * width).update(repeating: table[t * n + s], count: width)
                    }
                }
            }
        }
    }

    private func makeFrame(index: Int, parametersChanged: Bool = true, scenarioChanged: Bool = true) -> BatchFrame {
        BatchFrame(
            monthIndex: index, month: plan.start + max(0, index), width: width, current: current, previous: previous,
            parameters: UnsafePointer(parameterBuffer), generators: generators, parametersChanged: parametersChanged,
            outputsAlternate: true, scenarioChanged: scenarioChanged, written: tracksWrites ? written : nil)
    }
}

/// How one model steps a block: in its batch form, or run by run through the adapter.
private enum BatchStepper {
    case batch(any BatchModelInstance)
    case adapted(PerRunAdapter)
}

extension SummingPlan {
    /// ``apply(after:in:)`` for a block of `width` runs laid out side by side. Adds the
    /// producers in the same order as the per-run sum, so every run's total is the same number.
    @inline(__always)
    func apply(after p: Int, in buffer: UnsafeMutablePointer<Double>, width: Int) {
        for n in start[p]..<start[p + 1] {
            let target = buffer + self.target[n] * width
            for r in 0..<width {
                var total = 0.0
                for j in sourceStart[n]..<sourceStart[n + 1] { total += buffer[sources[j] * width + r] }
                target[r] = total
            }
        }
    }

    /// Writes every sum into a block's `buffer`.
    func applyAll(in buffer: UnsafeMutablePointer<Double>, width: Int) {
        for p in 0..<(start.count - 1) { apply(after: p, in: buffer, width: width) }
    }
}
