/// The buffers a batch instance reads and writes during one month of a *block* of runs.
///
/// Structure of arrays: every signal slot, parameter and metric holds the block's runs side by
/// side, so `frame.input(ref, k)` is key `k` of an input for every run of the block, one value per
/// run, and an equation is a loop over runs:
///
/// ```swift
/// let need = frame.input(refs.shortfall, k)
/// var unmet = frame.output(refs.unmet, k)
/// for r in 0..<frame.width { unmet[r] = max(0, need[r] - release[r]) }
/// ```
///
/// The spans are views of storage the kernel owns; they are valid only during the call the frame
/// is passed to, and module code holds no pointer. No member allocates.
public struct BatchFrame {
    /// The month being computed, counted from the run's start (0 for the first; -1 in reset).
    public let monthIndex: Int
    /// The calendar month being computed.
    public let month: Month
    /// The number of runs in the block (every span has this many values).
    public let width: Int
    /// Whether a parameter value may differ from the previous call's: true in reset, in a month
    /// in which a `set` event changed a parameter, and whenever the frame's host cannot tell (an
    /// adapter's frames; single runs pass on ``StepFrame/parametersChanged``). While it is false,
    /// a module may keep what it derived from parameter values.
    public let parametersChanged: Bool
    /// Whether this month's buffer still holds the outputs the module wrote in the call before
    /// last (the kernel's blocks alternate two buffers, and nothing but the module writes its
    /// outputs): a key whose outputs were repeated last month (``repeatLastMonth(_:_:)``) and
    /// would be repeated again needs no copy. False when the frame's host does not promise it.
    public let outputsAlternate: Bool
    /// Whether a scenario signal may differ from the previous call's: true in reset, in month 0,
    /// in a month in which a scenario event starts or ends, and whenever the frame's host cannot
    /// tell. While it is false, an input key that is a scenario signal or the input's fallback
    /// (``InputRef/isSameInEveryRun``) holds last month's values, so a module may keep what it
    /// derived from them.
    public let scenarioChanged: Bool
    @usableFromInline let current: UnsafeMutablePointer<Double>
    @usableFromInline let previous: UnsafeMutablePointer<Double>
    @usableFromInline let parameterValues: UnsafePointer<Double>
    @usableFromInline let generators: UnsafeMutablePointer<SeededGenerator>
    /// One flag per slot, set when a module takes a writable view of the slot's values
    /// (``output(_:_:)``, ``outputs(_:)``, ``outputs(_:keys:)``), so that the kernel checks only
    /// those for NaN and ±∞ (``BatchSimulation``); nil when the host does not track writes.
    @usableFromInline let written: UnsafeMutablePointer<UInt8>?

    init(
        monthIndex: Int, month: Month, width: Int, current: UnsafeMutablePointer<Double>,
        previous: UnsafeMutablePointer<Double>, parameters: UnsafePointer<Double>,
        generators: UnsafeMutablePointer<SeededGenerator>, parametersChanged: Bool = true,
        outputsAlternate: Bool = false, scenarioChanged: Bool = true, written: UnsafeMutablePointer<UInt8>? = nil
    ) {
        self.written = written
        self.scenarioChanged = scenarioChanged
        self.monthIndex = monthIndex
        self.month = month
        self.width = width
        self.parametersChanged = parametersChanged
        self.outputsAlternate = outputsAlternate
        self.current = current
        self.previous = previous
        self.parameterValues = parameters
        self.generators = generators
    }

    /// Key `k` of an input for every run (last month's values for a delayed input).
    @inlinable @inline(__always) @_lifetime(borrow self)
    public func input(_ input: InputRef, _ k: Int) -> Span<Double> {
        let base = (input.isDelayed ? previous : current) + input.slots[k] * width
        return _overrideLifetime(Span(_unsafeStart: UnsafePointer(base), count: width), borrowing: self)
    }

    /// Every key of an input for every run, key `k` of run `r` at `k * width + r` (last month's
    /// values for a delayed input): one span for all keys. Only for an input whose keys occupy
    /// consecutive slots (``InputRef/isConsecutive``); read any other key by key with
    /// ``input(_:_:)``.
    @inlinable @inline(__always) @_lifetime(borrow self)
    public func inputs(_ input: InputRef) -> Span<Double> {
        precondition(input.isConsecutive, "the input's keys are not in consecutive slots: read them key by key")
        // `slots.count` rather than `count`, which is not inlinable: a call per use.
        let count = input.slots.count
        let base = (input.isDelayed ? previous : current) + (count > 0 ? input.slots[0] : 0) * width
        return _overrideLifetime(Span(_unsafeStart: UnsafePointer(base), count: count * width), borrowing: self)
    }

    /// Key `k` of an output for every run, this month's values, writable. In reset, what is
    /// written here is what delayed readers see in month 0.
    @inlinable @inline(__always) @_lifetime(borrow self)
    public func output(_ output: OutputRef, _ k: Int) -> MutableSpan<Double> {
        precondition(UInt(bitPattern: k) < UInt(output.count), "key out of range")
        if let written { written[output.base + k] = 1 }
        return _overrideLifetime(MutableSpan(_unsafeStart: current + (output.base + k) * width, count: width), borrowing: self)
    }

    /// Writes last month's values of key `k` of one of the module's own outputs as this month's,
    /// for every run (one contiguous copy): for a key whose equations would compute the same.
    @inlinable @inline(__always)
    public func repeatLastMonth(_ output: OutputRef, _ k: Int) {
        precondition(UInt(bitPattern: k) < UInt(output.count), "key out of range")
        let offset = (output.base + k) * width
        // A block of one (a single run) moves one value: a call to memmove would cost more.
        if width == 1 { current[offset] = previous[offset] } else { (current + offset).update(from: previous + offset, count: width) }
    }

    /// Last month's values of key `k` of one of the module's own outputs, for every run.
    @inlinable @inline(__always) @_lifetime(borrow self)
    public func previous(_ output: OutputRef, _ k: Int) -> Span<Double> {
        precondition(UInt(bitPattern: k) < UInt(output.count), "key out of range")
        let base = UnsafePointer(previous + (output.base + k) * width)
        return _overrideLifetime(Span(_unsafeStart: base, count: width), borrowing: self)
    }

    /// The value of key `k` of a parameter in force this month, for every run (a scalar ignores
    /// `k`). Runs of an ensemble may differ in drawn parameters; `set` events apply to all.
    @inlinable @inline(__always) @_lifetime(borrow self)
    public func parameter(_ parameter: ParameterRef, _ k: Int) -> Span<Double> {
        precondition(parameter.count == 1 || UInt(bitPattern: k) < UInt(parameter.count), "key out of range")
        let base = parameterValues + (parameter.base + (parameter.count == 1 ? 0 : k)) * width
        return _overrideLifetime(Span(_unsafeStart: base, count: width), borrowing: self)
    }

    /// Every key of an output for every run, writable: key `k` of run `r` at `k * width + r`
    /// (one span for all keys, so a module takes it once per call rather than once per key).
    @inlinable @inline(__always) @_lifetime(borrow self)
    public func outputs(_ output: OutputRef) -> MutableSpan<Double> {
        if let written { (written + output.base).update(repeating: 1, count: output.count) }
        return _overrideLifetime(MutableSpan(_unsafeStart: current + output.base * width, count: output.count * width), borrowing: self)
    }

    /// Consecutive keys `keys` of an output for every run, this month's values, writable: key
    /// `keys.lowerBound + j` of run `r` at `j * width + r` (one span for a run of keys, so a module
    /// loops once over the run rather than once per key). Values in the output's own unit.
    @inlinable @inline(__always) @_lifetime(borrow self)
    public func outputs(_ output: OutputRef, keys: Range<Int>) -> MutableSpan<Double> {
        precondition(keys.lowerBound >= 0 && keys.upperBound <= output.count, "keys out of range")
        if let written { (written + output.base + keys.lowerBound).update(repeating: 1, count: keys.count) }
        return _overrideLifetime(
            MutableSpan(_unsafeStart: current + (output.base + keys.lowerBound) * width, count: keys.count * width), borrowing: self)
    }

    /// Every key of a parameter in force this month for every run: key `k` of run `r` at
    /// `k * width + r` (a scalar has one key: `width` values).
    @inlinable @inline(__always) @_lifetime(borrow self)
    public func parameters(_ parameter: ParameterRef) -> Span<Double> {
        _overrideLifetime(Span(_unsafeStart: parameterValues + parameter.base * width, count: parameter.count * width), borrowing: self)
    }

    /// A uniform draw in [0, 1) from run `r`'s generator (each run has its own stream, so the
    /// draws of run `r` do not depend on the block it is in).
    @inlinable @inline(__always)
    public func uniform(run r: Int) -> Double { generators[r].uniform() }
}

/// The buffer a batch instance writes its runs' metrics into.
public struct BatchMetricFrame {
    @usableFromInline let values: UnsafeMutablePointer<Double>
    /// Number of runs in the block.
    public let width: Int
    /// Number of months the runs lasted.
    public let months: Int
    init(values: UnsafeMutablePointer<Double>, width: Int, months: Int) {
        self.values = values
        self.width = width
        self.months = months
    }
    /// Key `k` of a metric for every run, writable; NaN means none (for a month metric: never
    /// happened). Every value starts as NaN.
    @inlinable @inline(__always) @_lifetime(borrow self)
    public func metric(_ metric: MetricRef, _ k: Int) -> MutableSpan<Double> {
        precondition(UInt(bitPattern: k) < UInt(metric.count), "key out of range")
        return _overrideLifetime(MutableSpan(_unsafeStart: values + (metric.base + k) * width, count: width), borrowing: self)
    }

    /// Every key of a metric for every run, writable: key `k` of run `r` at `k * width + r`.
    @inlinable @inline(__always) @_lifetime(borrow self)
    public func metric(_ metric: MetricRef) -> MutableSpan<Double> {
        _overrideLifetime(MutableSpan(_unsafeStart: values + metric.base * width, count: metric.count * width), borrowing: self)
    }
}

/// The mutable state of one model for a block of runs stepped together (structure of arrays).
///
/// Made by a ``BatchModelFactory`` for one block width; the kernel calls ``reset(_:)`` once
/// before month 0, ``step(_:)`` once per month and ``finish(_:)`` at the end, exactly as for
/// ``ModelInstance``, but each call covers every run of the block. Run `r` of the block must
/// compute exactly what the per-run form computes for that run (same operations in the same
/// order), so that results do not depend on the block size.
public protocol BatchModelInstance: AnyObject {
    /// Prepares every run's state for month 0 (`frame.monthIndex` is -1); outputs written here
    /// are what delayed readers see in month 0.
    func reset(_ frame: BatchFrame) throws
    /// Computes one month for every run: read inputs and parameters, write every output.
    func step(_ frame: BatchFrame) throws
    /// Writes every run's metrics (NaN means none).
    func finish(_ metrics: BatchMetricFrame)
}

extension BatchModelInstance {
    /// Default: nothing to prepare.
    public func reset(_ frame: BatchFrame) throws {}
    /// Default: no metrics.
    public func finish(_ metrics: BatchMetricFrame) {}
}

/// Makes batch instances of a model prepared for one composition. Immutable and shared by the
/// threads of an ensemble.
public protocol BatchModelFactory: Sendable {
    /// A fresh instance stepping `width` runs at once.
    func makeBatch(width: Int) throws -> any BatchModelInstance
}

extension Model {
    /// Default: no batch form; the kernel steps the model's per-run instances one run at a time
    /// inside a block (an adapter copies each run's values in and out), so a module written in
    /// the per-run form, such as a plugin over the C ABI, works unchanged.
    public func prepareBatch(in context: ModelContext, wiring: Wiring) throws -> (any BatchModelFactory)? { nil }
}

/// A batch instance run as a per-run instance: a block of one run, whose structure of arrays is
/// the per-run layout, so nothing is copied. A module written only in the batch form returns one
/// from ``Model/instantiate(in:wiring:)`` (single runs and sweeps step runs one at a time).
public final class BatchInstanceAsPerRun: ModelInstance {
    private let batch: any BatchModelInstance

    /// Wraps an instance made for a width of 1.
    public init(_ batch: any BatchModelInstance) { self.batch = batch }

    /// Resets the run.
    public func reset(_ frame: StepFrame) throws { try batch.reset(Self.block(frame)) }
    /// Steps the run.
    public func step(_ frame: StepFrame) throws { try batch.step(Self.block(frame)) }
    /// Writes the run's metrics.
    public func finish(_ metrics: MetricFrame) {
        batch.finish(BatchMetricFrame(values: metrics.values, width: 1, months: metrics.months))
    }

    @inline(__always)
    private static func block(_ frame: StepFrame) -> BatchFrame {
        BatchFrame(
            monthIndex: frame.monthIndex, month: frame.month, width: 1, current: frame.current,
            previous: frame.previous, parameters: frame.parameterValues, generators: frame.generator,
            parametersChanged: frame.parametersChanged, outputsAlternate: frame.outputsAlternate)
    }
}
