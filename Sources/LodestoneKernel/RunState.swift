/// Per-run state of a single-run instance (``ModelInstance``), owned by the kernel: each variable
/// declared once (with its number of values) and read and written as a span, so module code
/// holds no pointer and Swift checks no exclusive access per element (a `var` array in a class is
/// checked on every write, which in a monthly step dominates the cost).
///
/// The single-run counterpart of ``BatchState``: there a variable holds each key for a block of
/// runs; here it holds one run's values, and `state[variable]` spans all of them.
///
/// ```swift
/// final class MyInstance: ModelInstance {
///     let state = RunState()
///     let stock: RunState.Doubles  // t, [i*C+c]
///     init(keys: Int) { stock = state.doubles(keys, initial: 0) }
///     func step(_ frame: StepFrame) throws {
///         let state = self.state           // a span borrows a local, not a class's property
///         var stock = state[self.stock]    // MutableSpan<Double>, valid for the call
///         for k in 0..<stock.count { stock[k] += 1 }
///     }
/// }
/// ```
///
/// Spans are bounds-checked. Several variables' spans may be held at once (each borrows the
/// state, not the variable); two spans of the *same* variable must not be written at once.
/// Storage is carved from a ``StateArena``: making an instance per run costs one allocation.
public final class RunState {
    /// A declared variable of `count` values, a handle to storage the state owns: use it only
    /// with the state that declared it.
    public struct Variable<Value: BitwiseCopyable>: @unchecked Sendable {
        @usableFromInline let base: UnsafeMutablePointer<Value>
        /// Number of values.
        public let count: Int
    }
    /// A variable of doubles (quantities, prices, shares).
    public typealias Doubles = Variable<Double>
    /// A variable of integers (indices, counters).
    public typealias Ints = Variable<Int>

    private let arena = StateArena()

    /// Empty state; declare variables with ``doubles(_:initial:)`` and ``ints(_:initial:)``.
    public init() {}

    /// Declares a variable of `count` doubles, each set to `initial`.
    public func doubles(_ count: Int, initial: Double = 0) -> Doubles {
        Doubles(base: arena.doubles(count, initial: initial).baseAddress!, count: count)
    }

    /// Declares a variable of `count` integers, each set to `initial`.
    public func ints(_ count: Int, initial: Int = 0) -> Ints {
        Ints(base: arena.ints(count, initial: initial).baseAddress!, count: count)
    }

    /// Declares a variable holding a copy of `values`.
    public func doubles(copying values: some Collection<Double>) -> Doubles { Self.fill(doubles(values.count), values) }

    /// Declares a variable holding a copy of `values`.
    public func ints(copying values: some Collection<Int>) -> Ints { Self.fill(ints(values.count), values) }

    /// `variable` with `values` written in order from its first value on.
    private static func fill<Value>(_ variable: Variable<Value>, _ values: some Collection<Value>) -> Variable<Value> {
        for (k, value) in values.enumerated() { variable.base[k] = value }
        return variable
    }

    /// Every value of a variable, writable; valid while the state is borrowed.
    @inlinable
    public subscript<Value>(_ variable: Variable<Value>) -> MutableSpan<Value> {
        @inline(__always) @_lifetime(borrow self) get {
            _overrideLifetime(MutableSpan(_unsafeStart: variable.base, count: variable.count), borrowing: self)
        }
    }

    /// Every value of a variable of doubles as a ``ValueSpan`` of exactly `count` values (traps
    /// unless the variable has `count`): spans of one count in a loop share one index check per
    /// index.
    @inlinable @inline(__always)
    @_lifetime(borrow self)
    public func values(of variable: Doubles, count: Int) -> ValueSpan {
        if variable.count != count { preconditionFailure("values(of:count:): the variable has another count") }
        return _overrideLifetime(ValueSpan(base: UnsafePointer(variable.base), count: count), borrowing: self)
    }

    /// Every value of a variable, to read (a `Span` is copyable: bind it with `let`, which a
    /// writable span in a debug build would box on the heap); valid while the state is borrowed.
    @inlinable
    @_lifetime(borrow self)
    public func values<Value>(of variable: Variable<Value>) -> Span<Value> {
        _overrideLifetime(Span(_unsafeStart: variable.base, count: variable.count), borrowing: self)
    }
}

/// The columns of a ``RunState/Columns`` variable: an enumeration whose cases name them, each
/// case's raw value its position (`0 ..< columnCount`).
///
/// ```swift
/// enum ImporterColumn: Int, ColumnKey {
///     case demand, lost, imports
///     static var columnCount: Int { 3 }  // a literal: the index check on a column folds away
/// }
/// ```
///
/// `columnCount` must be above every raw value: every access checks the raw value against it (a
/// comparison of two constants the optimizer folds for a literal case), so a key never reaches
/// outside its variable.
public protocol ColumnKey: RawRepresentable where RawValue == Int {
    /// Number of columns: the number of cases, as a literal.
    static var columnCount: Int { get }
}

extension RunState {
    /// A declared variable of several columns of `length` values each, one per case of `Key`:
    /// the per-run state that shares one shape (every importer and commodity, every commodity…)
    /// in one variable, so that a call takes one span for all of it
    /// (`state[columns]`) and an index is checked once for every column
    /// it is used with. Stored interleaved: value `k` of column `j` at `k · columnCount + j` (one
    /// base for every column, each column a constant offset from it). A handle to storage the
    /// state owns: use it only with the state that declared it.
    public struct Columns<Key: ColumnKey, Value: BitwiseCopyable>: @unchecked Sendable {
        @usableFromInline let base: UnsafeMutablePointer<Value>
        /// Number of values in each column.
        public let length: Int
    }

    /// Declares a variable of `Key.columnCount` columns of `length` doubles, each set to `initial`.
    public func doubles<Key: ColumnKey>(_ key: Key.Type, length: Int, initial: Double = 0) -> Columns<Key, Double> {
        Columns(base: arena.doubles(Self.checkedCount(key, length), initial: initial).baseAddress!, length: length)
    }

    /// Declares a variable of `Key.columnCount` columns of `length` integers, each set to `initial`.
    public func ints<Key: ColumnKey>(_ key: Key.Type, length: Int, initial: Int = 0) -> Columns<Key, Int> {
        Columns(base: arena.ints(Self.checkedCount(key, length), initial: initial).baseAddress!, length: length)
    }

    /// The number of values of `Key.columnCount` columns of `length` (every access checks its
    /// key's raw value against `columnCount`: nothing to check here but the sizes).
    private static func checkedCount<Key: ColumnKey>(_ key: Key.Type, _ length: Int) -> Int {
        precondition(length >= 0 && Key.columnCount >= 0, "columns: the length must not be negative")
        let (count, overflow) = Key.columnCount.multipliedReportingOverflow(by: length)
        precondition(!overflow, "columns: too many values")
        return count
    }

    /// Every column of a variable, writable (`span[key, k]`); valid while the state is borrowed.
    @inlinable
    public subscript<Key, Value>(_ columns: Columns<Key, Value>) -> ColumnSpan<Key, Value> {
        @inline(__always) @_lifetime(borrow self) get {
            _overrideLifetime(ColumnSpan(base: columns.base, length: columns.length), borrowing: self)
        }
    }

    /// Every column of a variable, to read (copyable: bind it with `let`); valid while the state
    /// is borrowed.
    @inlinable @inline(__always)
    @_lifetime(borrow self)
    public func values<Key, Value>(of columns: Columns<Key, Value>) -> ColumnValues<Key, Value> {
        _overrideLifetime(ColumnValues(base: columns.base, length: columns.length), borrowing: self)
    }
}

/// The writable columns of a ``RunState/Columns`` variable during a call: `span[key, k]` is value
/// `k` of column `key`. Each access checks `k` against ``length`` (one check serves every column
/// used with the same `k`: the optimizer keeps the first) and the key against its
/// `columnCount` (folded for a literal case). Bind it with `var`.
@frozen
public struct ColumnSpan<Key: ColumnKey, Value: BitwiseCopyable>: ~Copyable, ~Escapable {
    @usableFromInline let base: UnsafeMutablePointer<Value>
    /// Number of values in each column.
    public let length: Int

    @usableFromInline @inline(__always) @_lifetime(immortal)
    init(base: UnsafeMutablePointer<Value>, length: Int) {
        self.base = base
        self.length = length
    }

    /// Value `k` of column `key`.
    @inlinable
    public subscript(_ key: Key, _ k: Int) -> Value {
        @inline(__always) unsafeAddress {
            precondition(UInt(bitPattern: k) < UInt(bitPattern: length), "ColumnSpan: index out of range")
            let column = key.rawValue
            precondition(UInt(bitPattern: column) < UInt(bitPattern: Key.columnCount), "ColumnSpan: column out of range")
            return UnsafePointer(base + (k &* Key.columnCount &+ column))
        }
        @inline(__always) @_lifetime(self: copy self) unsafeMutableAddress {
            precondition(UInt(bitPattern: k) < UInt(bitPattern: length), "ColumnSpan: index out of range")
            let column = key.rawValue
            precondition(UInt(bitPattern: column) < UInt(bitPattern: Key.columnCount), "ColumnSpan: column out of range")
            return base + (k &* Key.columnCount &+ column)
        }
    }
}

/// The columns of a ``RunState/Columns`` variable to read during a call (`state.values(of: columns)`):
/// `values[key, k]`, checked as ``ColumnSpan`` checks.
@frozen
public struct ColumnValues<Key: ColumnKey, Value: BitwiseCopyable>: Copyable, ~Escapable {
    @usableFromInline let base: UnsafePointer<Value>
    /// Number of values in each column.
    public let length: Int

    @usableFromInline @inline(__always) @_lifetime(immortal)
    init(base: UnsafeMutablePointer<Value>, length: Int) {
        self.base = UnsafePointer(base)
        self.length = length
    }

    /// Value `k` of column `key`.
    @inlinable
    public subscript(_ key: Key, _ k: Int) -> Value {
        @inline(__always) unsafeAddress {
            precondition(UInt(bitPattern: k) < UInt(bitPattern: length), "ColumnValues: index out of range")
            let column = key.rawValue
            precondition(UInt(bitPattern: column) < UInt(bitPattern: Key.columnCount), "ColumnValues: column out of range")
            return base + (k &* Key.columnCount &+ column)
        }
    }
}

/// A position `value` in `0 ..< bound`, read from a ``RunState/Indices`` variable (each value
/// checked against its bound when the variable was declared): a column or span of at least
/// `bound` values takes it with no check but `bound ≤ length`, which the optimizer folds when
/// the index was read with the span's own length as its bound
/// (``RunState/values(of:bound:)``).
@frozen
public struct ColumnIndex: Sendable {
    /// The position.
    public let value: Int
    @usableFromInline let bound: Int

    @inlinable @inline(__always)
    init(checked value: Int, bound: Int) {
        self.value = value
        self.bound = bound
    }
}

extension RunState {
    /// A declared read-only variable of positions, each below a bound (a table of pair or key
    /// indices): read as ``ColumnIndex`` values, which index a ``ColumnSpan`` or a span without a
    /// check of their own. A handle to storage the state owns: use it only with the state that
    /// declared it.
    public struct Indices: @unchecked Sendable {
        @usableFromInline let base: UnsafeMutablePointer<Int>
        /// Number of positions.
        public let count: Int
        /// Every position is below it.
        public let bound: Int
    }

    /// Declares a variable holding a copy of `values`, each checked to be in `0 ..< bound`.
    public func indices(copying values: [Int], below bound: Int) -> Indices {
        precondition(bound >= 0, "indices: the bound must not be negative")
        // Checked in one pass without a branch per value, then copied whole: the buffer is not
        // zeroed first (a trade instance copies ten tables per run). `~value & (value &- bound)`
        // has its sign bit set exactly when 0 <= value < bound (bound >= 0), so the AND of them
        // all is negative exactly when every value is in range (and for no values).
        var inRange = -1
        for value in values { inRange &= ~value & (value &- bound) }
        precondition(inRange < 0, "indices: a value is not in 0..<bound")
        let buffer = arena.ints(copying: values)
        return Indices(base: buffer.baseAddress!, count: values.count, bound: bound)
    }

    /// The positions of an ``Indices`` variable, to read as ``ColumnIndex`` values below `bound`
    /// (at least the variable's own bound): pass the length of the columns or span they index, so
    /// that taking one there needs no check. Valid while the state is borrowed.
    @inlinable @inline(__always)
    @_lifetime(borrow self)
    public func values(of indices: Indices, bound: Int) -> IndexSpan {
        if indices.bound > bound { preconditionFailure("values(of:bound:): a position may be above the bound") }
        return _overrideLifetime(IndexSpan(base: indices.base, count: indices.count, bound: bound), borrowing: self)
    }

    /// ``values(of:bound:)`` with `count` positions (traps unless the variable has `count`):
    /// index variables of one length in a loop share one index check per index.
    @inlinable @inline(__always)
    @_lifetime(borrow self)
    public func values(of indices: Indices, count: Int, bound: Int) -> IndexSpan {
        if indices.count != count { preconditionFailure("values(of:count:bound:): the variable has another count") }
        if indices.bound > bound { preconditionFailure("values(of:count:bound:): a position may be above the bound") }
        return _overrideLifetime(IndexSpan(base: indices.base, count: count, bound: bound), borrowing: self)
    }
}

/// The positions of a ``RunState/Indices`` variable during a call: `span[n]` is position `n` as
/// a ``ColumnIndex`` (checked against ``count``).
@frozen
public struct IndexSpan: Copyable, ~Escapable {
    @usableFromInline let base: UnsafePointer<Int>
    /// Number of positions.
    public let count: Int
    /// Every position is below it.
    public let bound: Int

    @usableFromInline @inline(__always) @_lifetime(immortal)
    init(base: UnsafeMutablePointer<Int>, count: Int, bound: Int) {
        self.base = UnsafePointer(base)
        self.count = count
        self.bound = bound
    }

    /// Position `n`.
    @inlinable
    public subscript(_ n: Int) -> ColumnIndex {
        @inline(__always) get {
            precondition(UInt(bitPattern: n) < UInt(bitPattern: count), "IndexSpan: index out of range")
            return ColumnIndex(checked: base[n], bound: bound)
        }
    }
}

extension ColumnSpan {
    /// Value `index` of column `key`: checked only as `index`'s bound against ``length``.
    @inlinable
    public subscript(_ key: Key, _ index: ColumnIndex) -> Value {
        @inline(__always) unsafeAddress {
            precondition(index.bound <= length, "ColumnSpan: index out of range")
            let column = key.rawValue
            precondition(UInt(bitPattern: column) < UInt(bitPattern: Key.columnCount), "ColumnSpan: column out of range")
            return UnsafePointer(base + (index.value &* Key.columnCount &+ column))
        }
        @inline(__always) @_lifetime(self: copy self) unsafeMutableAddress {
            precondition(index.bound <= length, "ColumnSpan: index out of range")
            let column = key.rawValue
            precondition(UInt(bitPattern: column) < UInt(bitPattern: Key.columnCount), "ColumnSpan: column out of range")
            return base + (index.value &* Key.columnCount &+ column)
        }
    }
}

extension ColumnValues {
    /// Value `index` of column `key`: checked only as `index`'s bound against ``length``.
    @inlinable
    public subscript(_ key: Key, _ index: ColumnIndex) -> Value {
        @inline(__always) unsafeAddress {
            precondition(index.bound <= length, "ColumnValues: index out of range")
            let column = key.rawValue
            precondition(UInt(bitPattern: column) < UInt(bitPattern: Key.columnCount), "ColumnValues: column out of range")
            return base + (index.value &* Key.columnCount &+ column)
        }
    }
}

extension MutableSpan where Element == Double {
    /// Value `index`: checked only as `index`'s bound against `count`.
    @inlinable
    public subscript(_ index: ColumnIndex) -> Double {
        @inline(__always) get {
            precondition(index.bound <= count, "MutableSpan: index out of range")
            return self[unchecked: index.value]
        }
        @inline(__always) @_lifetime(self: copy self) set {
            precondition(index.bound <= count, "MutableSpan: index out of range")
            self[unchecked: index.value] = newValue
        }
    }
}

extension Span where Element == Double {
    /// Value `index`: checked only as `index`'s bound against `count`.
    @inlinable
    public subscript(_ index: ColumnIndex) -> Double {
        @inline(__always) get {
            precondition(index.bound <= count, "Span: index out of range")
            return self[unchecked: index.value]
        }
    }
}

/// Values in kernel-owned storage to read during a call (a parameter's values, an input read
/// where it lives, a column): `span[k]`, checked against ``count`` (an unsigned comparison, which
/// the optimizer merges for spans of one count), or `span[index]` with a ``ColumnIndex``.
/// Copyable: bind it with `let`.
@frozen
public struct ValueSpan: Copyable, ~Escapable {
    @usableFromInline let base: UnsafePointer<Double>
    /// Number of values.
    public let count: Int

    @usableFromInline @inline(__always) @_lifetime(immortal)
    init(base: UnsafePointer<Double>, count: Int) {
        self.base = base
        self.count = count
    }

    /// Value `k`.
    @inlinable
    public subscript(_ k: Int) -> Double {
        @inline(__always) unsafeAddress {
            precondition(UInt(bitPattern: k) < UInt(bitPattern: count), "ValueSpan: index out of range")
            return base + k
        }
    }

    /// Value `index`: checked only as `index`'s bound against ``count``.
    @inlinable
    public subscript(_ index: ColumnIndex) -> Double {
        @inline(__always) unsafeAddress {
            precondition(index.bound <= count, "ValueSpan: index out of range")
            return base + index.value
        }
    }
}

/// Writable values in kernel-owned storage during a call (an output's values this month):
/// `span[k]`, checked as ``ValueSpan`` checks. Bind it with `var`.
@frozen
public struct OutputSpan: ~Copyable, ~Escapable {
    @usableFromInline let base: UnsafeMutablePointer<Double>
    /// Number of values.
    public let count: Int

    @usableFromInline @inline(__always) @_lifetime(immortal)
    init(base: UnsafeMutablePointer<Double>, count: Int) {
        self.base = base
        self.count = count
    }

    /// Value `k`.
    @inlinable
    public subscript(_ k: Int) -> Double {
        @inline(__always) unsafeAddress {
            precondition(UInt(bitPattern: k) < UInt(bitPattern: count), "OutputSpan: index out of range")
            return UnsafePointer(base + k)
        }
        @inline(__always) @_lifetime(self: copy self) unsafeMutableAddress {
            precondition(UInt(bitPattern: k) < UInt(bitPattern: count), "OutputSpan: index out of range")
            return base + k
        }
    }

    /// Value `index`: checked only as `index`'s bound against ``count``.
    @inlinable
    public subscript(_ index: ColumnIndex) -> Double {
        @inline(__always) unsafeAddress {
            precondition(index.bound <= count, "OutputSpan: index out of range")
            return UnsafePointer(base + index.value)
        }
        @inline(__always) @_lifetime(self: copy self) unsafeMutableAddress {
            precondition(index.bound <= count, "OutputSpan: index out of range")
            return base + index.value
        }
    }
}
