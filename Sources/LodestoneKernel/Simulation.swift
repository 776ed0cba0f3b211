/// A check the kernel runs between months so that a long computation can be stopped.
public typealias CancellationCheck = @Sendable () -> Bool

/// The error thrown when a run or ensemble is cancelled (Ctrl-C).
public struct CancellationError: Error, Sendable, Equatable, CustomStringConvertible {
    /// Creates the error.
    public init() {}
    /// `cancelled`.
    public var description: String { "cancelled" }
}

/// A failure reported by a model during a run, naming the module and the month.
public struct StepError: Error, Sendable, CustomStringConvertible {
    /// The module that failed.
    public let module: String
    /// The month being computed.
    public let month: Month
    /// The model's message.
    public let message: String
    /// `module `NAME` failed in YYYY-MM: MESSAGE`.
    public var description: String { "module `\(module)` failed in \(month): \(message)" }
}

/// One run in progress: owns the flat signal, parameter and generator buffers and steps every
/// model instance month by month. Create one per run; not shared between threads.
public final class Simulation {
    /// The plan being run.
    public let plan: RunPlan
    // The step's mutable state (`monthIndex`, `current`, `previous`, `nextChange`) is unchecked:
    // a `Simulation` is stepped by one thread, and the only `inout` access to any of them is the
    // step's own `swap`, so the run-time exclusivity check (a `swift_beginAccess` call per
    // access, ≈150 instructions per run-month) could never fire.
    /// Index of the next month to compute (equals `plan.months` when done).
    @exclusivity(unchecked) public private(set) var monthIndex = 0
    private let instances: [any ModelInstance]
    /// One block holding both signal buffers and the parameter values.
    private let storage: UnsafeMutablePointer<Double>
    @exclusivity(unchecked) private var current: UnsafeMutablePointer<Double>
    @exclusivity(unchecked) private var previous: UnsafeMutablePointer<Double>
    private let parameterBuffer: UnsafeMutablePointer<Double>
    private let generator: UnsafeMutablePointer<SeededGenerator>
    @exclusivity(unchecked) private var nextChange = 0
    private let slotCount: Int
    private let parameterCount: Int
    /// The sums of signals with several producers (see ``InputDeclaration/isSummed``).
    private let summing: SummingPlan

    /// Prepares run `stream` of an ensemble seeded with `seed`, with the given parameter values.
    public convenience init(plan: RunPlan, parameters: ParameterSet, seed: UInt64, stream: UInt64 = 0) throws {
        try self.init(plan: plan, parameters: parameters, generator: SeededGenerator(seed: seed, stream: stream))
    }

    /// Prepares a run whose models draw from `generator` (ensembles draw varied parameters from
    /// the run's generator first, then hand it over).
    ///
    /// `adjusting` may change the parameter values (at positions from
    /// ``ParameterSet/positions(_:)``) before the models reset: ensembles set drawn values there
    /// without copying the parameter set.
    public init(
        plan: RunPlan, parameters: ParameterSet, generator seededGenerator: SeededGenerator,
        adjusting: (UnsafeMutableBufferPointer<Double>) -> Void = { _ in }
    ) throws {
        self.plan = plan
        // The composition's fields are read in place (`plan.composition.…`): a local copy of it
        // retained and released each of its arrays and tables on every run.
        try Simulation.checkLayout(of: parameters, for: plan.composition)
        // Instances first: if one cannot be made, nothing below has been allocated yet (a throwing
        // initializer does not run `deinit` before every property is set).
        var instances: [any ModelInstance] = []
        instances.reserveCapacity(plan.composition.factories.count)
        for factory in plan.composition.factories {
            instances.append(try factory.makeInstance())
        }
        self.instances = instances
        slotCount = plan.composition.slotCount
        summing = plan.composition.summing
        parameterCount = parameters.values.count
        let width = max(1, slotCount)
        storage = .allocate(capacity: 2 * width + max(1, parameterCount))
        storage.initialize(repeating: 0, count: 2 * width + max(1, parameterCount))
        current = storage
        previous = storage + width
        for constant in plan.composition.constants {
            current[constant.slot] = constant.value
            previous[constant.slot] = constant.value
        }
        let parameterBuffer = storage + 2 * width
        parameters.values.withUnsafeBufferPointer { values in
            if let base = values.baseAddress { parameterBuffer.update(from: base, count: values.count) }
        }
        adjusting(UnsafeMutableBufferPointer(start: parameterBuffer, count: parameterCount))
        self.parameterBuffer = parameterBuffer
        generator = .allocate(capacity: 1)
        generator.initialize(to: seededGenerator)
        // Month 0's "previous" scenario values are month 0's own (no event history before start).
        // Both buffers: `step()` swaps them before month 0, so `current` becomes "previous".
        copyScenarioRow(0, into: previous)
        copyScenarioRow(0, into: current)
        let frame = makeFrame(index: -1)
        for (m, instance) in instances.enumerated() {
            do { try instance.reset(frame) } catch {
                throw StepError(module: plan.composition.models[m].name, month: plan.start, message: "\(error)")
            }
        }
        if !summing.isEmpty {
            summing.applyAll(in: previous)
            summing.applyAll(in: current)
        }
    }

    /// Throws unless `parameters` was made for `composition`'s modules and dataset.
    static func checkLayout(of parameters: ParameterSet, for composition: Composition) throws {
        guard parameters.hasLayout(of: composition.parameterLayout) else {
            throw CompositionError(
                "the parameter set does not belong to this model (its modules or dataset differ); make it with"
                    + " `ParameterSet(models:dataset:)` from the same modules and dataset")
        }
    }

    deinit {
        storage.deallocate()
        generator.deinitialize(count: 1)
        generator.deallocate()
    }

    /// The run's generator, for a caller stepping the run by hand that needs to draw from the same
    /// stream as the models (ensembles draw varied values before making the simulation).
    public func withGenerator<R>(_ body: (inout SeededGenerator) -> R) -> R { body(&generator.pointee) }

    /// Whether every month has been computed.
    public var isFinished: Bool { monthIndex >= plan.months }

    /// Computes the next month: applies parameter changes, writes scenario signals, steps every
    /// model in order. Does not allocate.
    public func step() throws {
        precondition(!isFinished, "the run is finished")
        swap(&current, &previous)
        let changesBefore = nextChange
        while nextChange < plan.parameterChanges.count, plan.parameterChanges[nextChange].monthIndex <= monthIndex {
            let value = plan.parameterChanges[nextChange].value
            for position in plan.parameterChanges[nextChange].positions { parameterBuffer[position] = value }
            nextChange += 1
        }
        updateScenario(monthIndex)
        let scenarioChanged = plan.scenarioChanges(inMonth: monthIndex)
        let frame = makeFrame(
            index: monthIndex, parametersChanged: nextChange != changesBefore, outputsAlternate: true,
            scenarioChanged: scenarioChanged)
        for m in 0..<instances.count {
            do { try instances[m].step(frame) } catch {
                throw StepError(module: plan.composition.models[m].name, month: frame.month, message: "\(error)")
            }
            summing.apply(after: m, in: current)
        }
        try checkFinite(month: frame.month)
        monthIndex += 1
    }

    /// Stops the run when a signal this month is NaN or ±∞: it would spread to every later month
    /// and into every export. The error names the signal (with its key) and the month.
    private func checkFinite(month: Month) throws {
        let count = plan.composition.signals.count
        // The scenario slots hold the plan's row for this month, checked once in the plan.
        let produced = plan.composition.scenarioCount
        if plan.scenarioRowIsFinite[monthIndex], Self.allFinite(current + produced, count: count - produced) { return }
        let signals = plan.composition.signals
        for slot in 0..<count where !current[slot].isFinite {
            throw NonFiniteError(signal: signals[slot].id, month: month, value: current[slot])
        }
    }

    /// Whether the first `count` values are all finite, or (rarely) not sure: their sum is finite
    /// when every value is, and NaN or ±∞ as soon as one is NaN or ±∞ (∞ + x is ∞ or NaN for any
    /// x). A finite sum is therefore proof; a sum that overflowed is not, so a caller that gets
    /// false looks at each value. One addition per value, two lanes per instruction from 16-byte
    /// aligned memory (the check was a tenth of the step's instructions with `x · 0` per value
    /// from unaligned loads), 128 values per loop iteration.
    @inline(__always)
    static func allFinite(_ values: UnsafePointer<Double>, count: Int) -> Bool {
        var p = values
        let end = values + max(0, count)
        var tail = 0.0
        while p < end, UInt(bitPattern: p) & 15 != 0 {
            tail += p.pointee
            p += 1
        }
        var a = SIMD2<Double>(), b = SIMD2<Double>(), c = SIMD2<Double>(), d = SIMD2<Double>()
        var e = SIMD2<Double>(), f = SIMD2<Double>(), g = SIMD2<Double>(), h = SIMD2<Double>()
        // 128 values per iteration while they last: the loop's own instructions (3) are then paid
        // once per 64 additions rather than once per 8.
        while end - p >= 128 {
            let raw = UnsafeRawPointer(p)
            for block in 0..<8 {
                let offset = block * 128
                a += raw.load(fromByteOffset: offset, as: SIMD2<Double>.self)
                b += raw.load(fromByteOffset: offset + 16, as: SIMD2<Double>.self)
                c += raw.load(fromByteOffset: offset + 32, as: SIMD2<Double>.self)
                d += raw.load(fromByteOffset: offset + 48, as: SIMD2<Double>.self)
                e += raw.load(fromByteOffset: offset + 64, as: SIMD2<Double>.self)
                f += raw.load(fromByteOffset: offset + 80, as: SIMD2<Double>.self)
                g += raw.load(fromByteOffset: offset + 96, as: SIMD2<Double>.self)
                h += raw.load(fromByteOffset: offset + 112, as: SIMD2<Double>.self)
            }
            p += 128
        }
        while end - p >= 16 {
            let raw = UnsafeRawPointer(p)
            a += raw.load(as: SIMD2<Double>.self)
            b += raw.load(fromByteOffset: 16, as: SIMD2<Double>.self)
            c += raw.load(fromByteOffset: 32, as: SIMD2<Double>.self)
            d += raw.load(fromByteOffset: 48, as: SIMD2<Double>.self)
            e += raw.load(fromByteOffset: 64, as: SIMD2<Double>.self)
            f += raw.load(fromByteOffset: 80, as: SIMD2<Double>.self)
            g += raw.load(fromByteOffset: 96, as: SIMD2<Double>.self)
            h += raw.load(fromByteOffset: 112, as: SIMD2<Double>.self)
            p += 16
        }
        a += (b + c) + (d + e) + (f + g) + h
        while end - p >= 2 {
            a += UnsafeRawPointer(p).load(as: SIMD2<Double>.self)
            p += 2
        }
        while p < end {
            tail += p.pointee
            p += 1
        }
        return (a.sum() + tail).isFinite
    }

    /// The value of a slot in the month just computed.
    @inline(__always)
    public func value(slot: Int) -> Double { current[slot] }

    /// Writes every produced signal of the month just computed into `row` (length
    /// `plan.composition.signals.count`).
    public func copySignals(into row: UnsafeMutableBufferPointer<Double>) {
        let count = min(row.count, plan.composition.signals.count)
        guard count > 0, let base = row.baseAddress else { return }
        base.update(from: current, count: count)
    }

    /// The run's metrics (NaN for none), in composition order. Call after the last step.
    public func finishMetrics() -> [Double] {
        var values = [Double](repeating: .nan, count: plan.composition.metrics.count)
        values.withUnsafeMutableBufferPointer { finishMetrics(into: $0) }
        return values
    }

    /// Writes the run's metrics (NaN for none), in composition order, into `values` (length
    /// `plan.composition.metrics.count`). Call after the last step.
    public func finishMetrics(into values: UnsafeMutableBufferPointer<Double>) {
        precondition(values.count == plan.composition.metrics.count, "one value per metric")
        guard let base = values.baseAddress else { return }
        values.update(repeating: .nan)
        let frame = MetricFrame(values: base, months: monthIndex)
        for instance in instances { instance.finish(frame) }
    }

    /// The parameter values in force now.
    public var parameterValues: [Double] { Array(UnsafeBufferPointer(start: parameterBuffer, count: parameterCount)) }

    /// The parameter value in force now at `position` (from ``ParameterSet/positions(_:)``).
    public func parameterValue(at position: Int) -> Double {
        precondition(position >= 0 && position < parameterCount, "parameter position out of range")
        return parameterBuffer[position]
    }

    /// Brings the scenario slots of `current` to month `t`'s row. `current` holds the row of
    /// month t − 2 (the buffers alternate; both start with month 0's row) and only the kernel
    /// writes scenario slots, so the columns that changed in month t − 1 or t are the only ones
    /// to write: most months none.
    private func updateScenario(_ t: Int) {
        guard t > 0 else { return }
        let n = plan.composition.scenarioCount, buffer = current
        plan.scenarioTable.withUnsafeBufferPointer { table in
            plan.scenarioChanges.withUnsafeBufferPointer { changes in
                plan.scenarioChangeStart.withUnsafeBufferPointer { start in
                    for i in start[t - 1]..<start[t + 1] {
                        let s = changes[i]
                        buffer[s] = table[t * n + s]
                    }
                }
            }
        }
    }

    private func copyScenarioRow(_ t: Int, into buffer: UnsafeMutablePointer<Double>) {
        let n = plan.composition.scenarioCount
        guard n > 0 else { return }
        plan.scenarioTable.withUnsafeBufferPointer { table in
            buffer.update(from: table.baseAddress! + t * n, count: n)
        }
    }

    /// A month's frame; `outputsAlternate` only for a month's step (the buffers alternate, and
    /// only a module writes its outputs: see ``StepFrame/outputsAlternate``); `scenarioChanged`
    /// false only in a month whose scenario row is last month's.
    private func makeFrame(
        index: Int, parametersChanged: Bool = true, outputsAlternate: Bool = false, scenarioChanged: Bool = true
    ) -> StepFrame {
        StepFrame(
            monthIndex: index, month: plan.start + max(0, index), current: current, previous: previous,
            parameters: parameterBuffer, generator: generator, parametersChanged: parametersChanged,
            outputsAlternate: outputsAlternate, scenarioChanged: scenarioChanged)
    }
}

/// A run whose outputs stopped being finite numbers: a signal became NaN or ±∞ (data or parameter
/// values too large for the model's arithmetic, or a module's bug).
public struct NonFiniteError: Error, Sendable, Equatable, CustomStringConvertible {
    /// The signal id with its key (`trade.price[DyTb]`), or a metric id.
    public let signal: String
    /// The month it happened in (nil for a metric, computed at the end of a run).
    public let month: Month?
    /// The value: NaN, +∞ or −∞.
    public let value: Double
    /// The ensemble run it happened in (run k draws from stream k), nil for a single run.
    public var run: Int?

    /// Creates the error.
    public init(signal: String, month: Month?, value: Double, run: Int? = nil) {
        self.signal = signal
        self.month = month
        self.value = value
        self.run = run
    }

    /// What went wrong, where, and what to check.
    public var description: String {
        let what = value.isNaN ? "not a number (NaN)" : (value > 0 ? "infinite (+∞)" : "infinite (−∞)")
        let when = (month.map { " in \($0)" } ?? " at the end of the run") + (run.map { " of run \($0)" } ?? "")
        return "the run stopped: `\(signal)` became \(what)\(when); a data value or parameter is too large "
            + "for the model's arithmetic (check the dataset's tonnes and prices and the parameters set)"
    }
}
