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
    /// A declared variable of `count` doubles.
    public struct Doubles: @unchecked Sendable {  // a handle; the storage is the state's
        @usableFromInline let base: UnsafeMutablePointer<Double>
        /// Number of values.
        public let count: Int
    }

    /// A declared variable of `count` integers (indices, counters).
    public struct Ints: @unchecked Sendable {  // a handle; the storage is the state's
        @usableFromInline let base: UnsafeMutablePointer<Int>
        /// Number of values.
        public let count: Int
    }

    private let arena = StateArena()

    /// Empty state; declare variables with ``doubles(_:initial:)`` and ``ints(_:initial:)``.
    public init() {}

    /// Declares a variable of `count` doubles, each set to `initial`.
    public func doubles(_ count: Int, initial: Double = 0) -> Doubles {
        Doubles(base: arena.doubles(count, initial: initial).baseAddress!, count: count)
    }

    /// Declares a variable holding a copy of `values`.
    public func doubles(copying values: some Collection<Double>) -> Doubles {
        let variable = doubles(values.count)
        for (k, value) in values.enumerated() { variable.base[k] = value }
        return variable
    }

    /// Declares a variable of `count` integers, each set to `initial`.
    public func ints(_ count: Int, initial: Int = 0) -> Ints {
        Ints(base: arena.ints(count, initial: initial).baseAddress!, count: count)
    }

    /// Declares a variable holding a copy of `values`.
    public func ints(copying values: some Collection<Int>) -> Ints {
        let variable = ints(values.count)
        for (k, value) in values.enumerated() { variable.base[k] = value }
        return variable
    }

    /// Every value of a variable, writable; valid while the state is borrowed.
    @inlinable
    public subscript(_ variable: Doubles) -> MutableSpan<Double> {
        @inline(__always) @_lifetime(borrow self) get {
            _overrideLifetime(MutableSpan(_unsafeStart: variable.base, count: variable.count), borrowing: self)
        }
    }

    /// Every value of a variable, to read (a `Span` is copyable: bind it with `let`, which a
    /// writable span in a debug build would box on the heap); valid while the state is borrowed.
    @inlinable
    @_lifetime(borrow self)
    public func values(of variable: Doubles) -> Span<Double> {
        _overrideLifetime(Span(_unsafeStart: variable.base, count: variable.count), borrowing: self)
    }

    /// Every value of an integer variable, to read; valid while the state is borrowed.
    @inlinable
    @_lifetime(borrow self)
    public func values(of variable: Ints) -> Span<Int> {
        _overrideLifetime(Span(_unsafeStart: variable.base, count: variable.count), borrowing: self)
    }

    /// Every value of an integer variable, writable; valid while the state is borrowed.
    @inlinable
    public subscript(_ variable: Ints) -> MutableSpan<Int> {
        @inline(__always) @_lifetime(borrow self) get {
            _overrideLifetime(MutableSpan(_unsafeStart: variable.base, count: variable.count), borrowing: self)
        }
    }
}
