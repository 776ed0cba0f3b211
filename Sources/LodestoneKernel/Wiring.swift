/// Where a module's input lives in the run's signal buffers: one slot per declared key.
public struct InputRef: Sendable, Equatable {
    /// The slot of each key, in declaration order.
    public let slots: [Int]
    /// Whether the input reads last month's values.
    public let isDelayed: Bool
    /// For each key, whether a module produces it (false: the input's fallback is read).
    public let isProduced: [Bool]
    /// Number of keys.
    public var count: Int { slots.count }
    /// Whether any key is produced by a module.
    public var isBound: Bool { isProduced.contains(true) }
    /// Whether the keys occupy consecutive slots in key order (`slots[k] == slots[0] + k`), so
    /// that a block's values of every key form one span (``BatchFrame/inputs(_:)``). True when
    /// the producer's output has the same keys in the same order; false, for example, for a
    /// fallback read by several keys.
    public let isConsecutive: Bool
    /// For each key, whether every run of a block reads the same value in every month: a
    /// scenario signal (the kernel writes the plan's row into every run) or the input's fallback
    /// (a constant). A batch module may then look at one run's value for the whole block, such as
    /// `frame.input(ref, k)[0]` to learn whether every run's value is +0. False when the kernel
    /// cannot promise it (a module's output, an adapter's input).
    public let isSameInEveryRun: [Bool]

    init(slots: [Int], isDelayed: Bool, isProduced: [Bool], isSameInEveryRun: [Bool]? = nil) {
        self.slots = slots
        self.isDelayed = isDelayed
        self.isProduced = isProduced
        self.isSameInEveryRun = isSameInEveryRun ?? Array(repeating: false, count: slots.count)
        isConsecutive = slots.indices.allSatisfy { slots[$0] == slots[0] + $0 }
    }
}

/// Where a module's output lives: `count` consecutive slots from `base`, in key order.
public struct OutputRef: Sendable, Equatable {
    /// The first slot.
    public let base: Int
    /// Number of keys.
    public let count: Int
}

/// Where a parameter's values live in the run's parameter buffer: `count` values from `base`.
public struct ParameterRef: Sendable, Equatable {
    /// The first value.
    public let base: Int
    /// Number of keys (1 for a scalar).
    public let count: Int
}

/// Where a metric's values live in the run's metric buffer: `count` values from `base`.
public struct MetricRef: Sendable, Equatable {
    /// The first value.
    public let base: Int
    /// Number of keys (1 for an unkeyed metric).
    public let count: Int
}

/// Resolves one module's declared names to buffer positions when it is instantiated.
///
/// Every lookup happens once, at instantiation; the refs it returns are what the monthly step
/// uses. Asking for a name the module did not declare throws, naming it.
public struct Wiring: Sendable {
    let module: String
    let inputs: [String: InputRef]
    let outputs: [String: OutputRef]
    let parameters: [String: ParameterRef]
    let metrics: [String: MetricRef]

    /// The input with this qualified name (`stockpile.purchases`).
    public func input(_ signal: String) throws -> InputRef {
        guard let ref = inputs[signal] else { throw undeclared("input", signal, inputs.keys) }
        return ref
    }
    /// The output with this name, as declared (`shortfall`).
    public func output(_ name: String) throws -> OutputRef {
        guard let ref = outputs[name] else { throw undeclared("output", name, outputs.keys) }
        return ref
    }
    /// The parameter with this name (`ramp_months`).
    public func parameter(_ name: String) throws -> ParameterRef {
        guard let ref = parameters[name] else { throw undeclared("parameter", name, parameters.keys) }
        return ref
    }
    /// The metric with this name (`exhausted_at`).
    public func metric(_ name: String) throws -> MetricRef {
        guard let ref = metrics[name] else { throw undeclared("metric", name, metrics.keys) }
        return ref
    }

    private func undeclared<S: Sequence>(_ kind: String, _ name: String, _ known: S) -> CompositionError
    where S.Element == String {
        CompositionError(
            "module `\(module)` asked for \(kind) `\(name)`, which it did not declare"
                + Suggestions.hint(for: name, among: known))
    }
}

/// The buffers a module instance reads and writes during one month.
///
/// All access is by index into flat `Double` buffers owned by the simulation: no allocation.
/// Valid only during the call it is passed to.
public struct StepFrame {
    /// The month being computed, counted from the run's start (0 for the first; -1 in reset).
    public let monthIndex: Int
    /// The calendar month being computed.
    public let month: Month
    /// Whether a parameter value may differ from the previous call's: true in reset, in a month
    /// in which a `set` event changed a parameter, and whenever the caller cannot tell. A batch
    /// form run as a single run (``BatchInstanceAsPerRun``) sees it as
    /// ``BatchFrame/parametersChanged``.
    public let parametersChanged: Bool
    /// Whether this month's buffer still holds the outputs the module wrote in the call before
    /// last: true in a ``Simulation``'s months (it alternates two buffers, and nothing but the
    /// module writes its outputs), false when the caller does not promise it. A batch form run as
    /// a single run sees it as ``BatchFrame/outputsAlternate``.
    public let outputsAlternate: Bool
    /// Whether a scenario signal may differ from the previous call's: true in reset, in month 0,
    /// in a month in which a scenario event starts or ends, and whenever the caller cannot tell.
    /// While it is false, an input whose every key is a scenario signal or the input's fallback
    /// (``InputRef/isSameInEveryRun``) reads last month's values.
    public let scenarioChanged: Bool
    @usableFromInline let current: UnsafeMutablePointer<Double>
    @usableFromInline let previous: UnsafeMutablePointer<Double>
    @usableFromInline let parameterValues: UnsafePointer<Double>
    @usableFromInline let generator: UnsafeMutablePointer<SeededGenerator>

    init(
        monthIndex: Int, month: Month, current: UnsafeMutablePointer<Double>,
        previous: UnsafeMutablePointer<Double>, parameters: UnsafePointer<Double>,
        generator: UnsafeMutablePointer<SeededGenerator>, parametersChanged: Bool = true,
        outputsAlternate: Bool = false, scenarioChanged: Bool = true
    ) {
        self.monthIndex = monthIndex
        self.month = month
        self.parametersChanged = parametersChanged
        self.outputsAlternate = outputsAlternate
        self.scenarioChanged = scenarioChanged
        self.current = current
        self.previous = previous
        self.parameterValues = parameters
        self.generator = generator
    }

    /// The value of key `k` of an input (last month's for a delayed input).
    @inlinable @inline(__always)
    public func read(_ input: InputRef, _ k: Int) -> Double {
        input.isDelayed ? previous[input.slots[k]] : current[input.slots[k]]
    }

    /// Copies every key of an input into `buffer` (length ≥ `input.count`): the fast way to read a
    /// whole keyed input once per month. A pointer form for kernel code and tests; module code
    /// gathers into spans (`gather(_:into:)` into a `MutableSpan`).
    @inlinable
    public func gather(_ input: InputRef, into buffer: UnsafeMutableBufferPointer<Double>) {
        let source = input.isDelayed ? previous : current
        input.slots.withUnsafeBufferPointer { slots in
            for k in 0..<slots.count { buffer[k] = source[slots[k]] }
        }
    }

    /// Copies the keys listed in `keys` of an input into the same positions of `buffer` and leaves
    /// the other positions as they are: for a module that reads only some keys of a large keyed
    /// input. A pointer form for kernel code and tests; module code gathers into spans
    /// (trade reads restrictions only for the pairs that can carry supply with
    /// ``gather(_:keys:into:_:)``).
    @inlinable
    public func gather(
        _ input: InputRef, keys: UnsafeBufferPointer<Int>, into buffer: UnsafeMutableBufferPointer<Double>
    ) {
        let source = input.isDelayed ? previous : current
        input.slots.withUnsafeBufferPointer { slots in
            for n in 0..<keys.count {
                let k = keys[n]
                buffer[k] = source[slots[k]]
            }
        }
    }

    /// Every key's value of an input whose keys occupy consecutive slots (``InputRef/isConsecutive``),
    /// in key order and read where they live (last month's for a delayed input): the values
    /// `gather(_:into:)` would copy, without the copy, for a module that
    /// reads a whole keyed input once per month. Valid only during the call the frame is passed to.
    @inlinable @inline(__always)
    @_lifetime(borrow self)
    public func values(_ input: InputRef) -> ValueSpan {
        values(input, count: input.slots.count)
    }

    /// ``values(_:)`` as a span of exactly `count` values (traps unless the input has `count`
    /// keys): spans of one length in a loop share one index check per index.
    @inlinable @inline(__always)
    @_lifetime(borrow self)
    public func values(_ input: InputRef, count: Int) -> ValueSpan {
        // No autoclosure capturing `input` (which a debug build allocates for).
        if !input.isConsecutive { preconditionFailure("values(_:): the input's keys are not in consecutive slots") }
        let slots = input.slots
        if slots.count != count { preconditionFailure("values(_:count:): the input has another number of keys") }
        let source = input.isDelayed ? previous : current
        return _overrideLifetime(ValueSpan(base: source + (count > 0 ? slots[0] : 0), count: count), borrowing: self)
    }

    /// Copies every key of an input into `values` (count ≥ `input.count`), a span of a
    /// ``RunState`` variable: the fast way to read a whole keyed input once per month.
    @inlinable
    public func gather(_ input: InputRef, into values: inout MutableSpan<Double>) {
        let source = input.isDelayed ? previous : current
        let slots = input.slots.span
        precondition(slots.count <= values.count, "gather: the span is shorter than the input")
        for k in 0..<slots.count { values[unchecked: k] = source[slots[k]] }
    }

    /// Copies the keys listed in `keys` of an input into the same positions of `values` and
    /// leaves the other positions as they are, like the buffer form above: the span form, for a
    /// ``RunState`` variable.
    @inlinable
    public func gather(_ input: InputRef, keys: Span<Int>, into values: inout MutableSpan<Double>) {
        let source = input.isDelayed ? previous : current
        let slots = input.slots.span
        for n in 0..<keys.count {
            let k = keys[n]
            values[k] = source[slots[k]]
        }
    }

    /// Copies the keys at the positions `keys` of an input into the same positions of `values`
    /// and leaves the other positions as they are, like the `Span<Int>` form:
    /// the positions were checked when their variable was declared, so one comparison of their
    /// bound serves them all.
    @inlinable
    public func gather(_ input: InputRef, keys: IndexSpan, into values: inout MutableSpan<Double>) {
        let source = input.isDelayed ? previous : current
        let slots = input.slots.span
        precondition(keys.bound <= values.count && keys.bound <= slots.count, "gather: a key may be beyond the input or the span")
        for n in 0..<keys.count {
            let k = keys[n].value
            values[unchecked: k] = source[slots[unchecked: k]]
        }
    }

    /// Copies every key of an input into column `key` of `columns` (length ≥ `input.count`).
    @inlinable
    public func gather<Key: ColumnKey>(_ input: InputRef, into columns: inout ColumnSpan<Key, Double>, _ key: Key) {
        let source = input.isDelayed ? previous : current
        let column = key.rawValue, stride = Key.columnCount
        precondition(UInt(bitPattern: column) < UInt(bitPattern: stride), "gather: column out of range")
        precondition(input.slots.count <= columns.length, "gather: the columns are shorter than the input")
        let base = columns.base
        input.slots.withUnsafeBufferPointer { slots in
            for k in 0..<slots.count { base[k &* stride &+ column] = source[slots[k]] }
        }
    }

    /// Copies the keys at the positions `keys` of an input into the same positions of column `key`
    /// of `columns` and leaves the other positions as they are.
    @inlinable
    public func gather<Key: ColumnKey>(
        _ input: InputRef, keys: IndexSpan, into columns: inout ColumnSpan<Key, Double>, _ key: Key
    ) {
        let source = input.isDelayed ? previous : current
        let column = key.rawValue, stride = Key.columnCount
        precondition(UInt(bitPattern: column) < UInt(bitPattern: stride), "gather: column out of range")
        precondition(
            keys.bound <= columns.length && keys.bound <= input.slots.count, "gather: a key may be beyond the input or the columns")
        let base = columns.base
        input.slots.withUnsafeBufferPointer { slots in
            for n in 0..<keys.count {
                let k = keys.base[n]
                base[k &* stride &+ column] = source[slots[k]]
            }
        }
    }

    /// The values of a parameter's keys, contiguous (one value for a scalar), in force this month.
    @inlinable @inline(__always)
    @_lifetime(borrow self)
    public func parameters(_ parameter: ParameterRef) -> ValueSpan {
        _overrideLifetime(ValueSpan(base: parameterValues + parameter.base, count: parameter.count), borrowing: self)
    }

    /// ``parameters(_:)`` as a span of exactly `count` values (traps unless the parameter has
    /// `count` values): spans of one length in a loop share one index check per index.
    @inlinable @inline(__always)
    @_lifetime(borrow self)
    public func parameters(_ parameter: ParameterRef, count: Int) -> ValueSpan {
        if parameter.count != count { preconditionFailure("parameters(_:count:): the parameter has another number of values") }
        return _overrideLifetime(ValueSpan(base: parameterValues + parameter.base, count: count), borrowing: self)
    }

    /// This month's values of an output's keys, contiguous and writable (bind it with `var`).
    @inlinable @inline(__always)
    @_lifetime(borrow self)
    public func outputs(_ output: OutputRef) -> OutputSpan {
        _overrideLifetime(OutputSpan(base: current + output.base, count: output.count), borrowing: self)
    }

    /// ``outputs(_:)`` as a span of exactly `count` values (traps unless the output has `count`
    /// keys): spans of one length in a loop share one index check per index.
    @inlinable @inline(__always)
    @_lifetime(borrow self)
    public func outputs(_ output: OutputRef, count: Int) -> OutputSpan {
        if output.count != count { preconditionFailure("outputs(_:count:): the output has another number of keys") }
        return _overrideLifetime(OutputSpan(base: current + output.base, count: count), borrowing: self)
    }

    /// Writes key `k` of an output for this month.
    @inlinable @inline(__always)
    public func write(_ output: OutputRef, _ k: Int, _ value: Double) {
        current[output.base + k] = value
    }

    /// Last month's value of key `k` of one of the module's own outputs (in reset: writes here set
    /// what month 0 sees as "last month").
    @inlinable @inline(__always)
    public func previous(_ output: OutputRef, _ k: Int) -> Double { previous[output.base + k] }

    /// Sets the value delayed readers see in month 0 (call from ``ModelInstance/reset(_:)``).
    @inlinable @inline(__always)
    public func setInitial(_ output: OutputRef, _ k: Int, _ value: Double) {
        previous[output.base + k] = value
        current[output.base + k] = value
    }

    /// The current value of key `k` of a parameter (scenario `set` events apply at month start).
    @inlinable @inline(__always)
    public func parameter(_ parameter: ParameterRef, _ k: Int) -> Double {
        parameterValues[parameter.base + (parameter.count == 1 ? 0 : k)]
    }

    /// A uniform draw in [0, 1) from the run's generator.
    @inlinable @inline(__always)
    public func uniform() -> Double { generator.pointee.uniform() }
}

/// The buffer a module instance writes its run metrics into.
public struct MetricFrame {
    @usableFromInline let values: UnsafeMutablePointer<Double>
    /// Number of months the run lasted.
    public let months: Int
    init(values: UnsafeMutablePointer<Double>, months: Int) {
        self.values = values
        self.months = months
    }
    /// Writes key `k` of a metric; NaN means none (for a month metric: never happened).
    @inlinable @inline(__always)
    public func write(_ metric: MetricRef, _ k: Int, _ value: Double) { values[metric.base + k] = value }
}
