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

    /// Every value of a variable, to read (a `Span` is copyable: bind it with `let`, which a
    /// writable span in a debug build would box on the heap); valid while the state is borrowed.
    @inlinable
    @_lifetime(borrow self)
    public func values<Value>(of variable: Variable<Value>) -> Span<Value> {
        _overrideLifetime(Span(_unsafeStart: variable.base, count: variable.count), borrowing: self)
    }
}
