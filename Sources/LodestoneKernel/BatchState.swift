/// Per-run state of a batch instance, owned by the kernel: each variable declared once (with its
/// number of keys) and read and written as a span of the block's runs, so module code holds no
/// pointer and Swift checks no exclusive access per element.
///
/// ```swift
/// final class MyBatch: BatchModelInstance {
///     let state: BatchState
///     let stock: BatchState.Doubles
///     init(width: Int, keys: Int) {
///         state = BatchState(width: width)
///         stock = state.doubles(keys: keys, initial: 0)
///     }
///     func step(_ frame: BatchFrame) throws {
///         for k in 0..<stock.keys {
///             var stock = frame.state(self.stock, k)  // borrows the frame, valid for the call
///             for r in 0..<frame.width { stock[r] += 1 }
///         }
///     }
/// }
/// ```
///
/// `frame.state(variable, k)` (``BatchFrame/state(_:_:)``, and ``BatchMetricFrame/state(_:_:)``
/// in `finish`) is the usual way in; the subscript `state[variable, k]` gives the same span but
/// borrows the state, so a method using it first writes `let state = self.state` (a span cannot
/// borrow a class's stored property across statements).
public final class BatchState {
    /// A declared variable: `keys` values per run.
    public struct Doubles: @unchecked Sendable {
        /// The variable's first value (key 0, run 0); keys follow each other, `width` apart.
        @usableFromInline let base: UnsafeMutablePointer<Double>
        /// Number of keys.
        public let keys: Int
        /// Runs in the block the variable was declared for (the frame's width must match).
        @usableFromInline let width: Int
        /// Values in all: `max(1, keys) * width` (worked out once, not per span taken).
        @usableFromInline let valueCount: Int

        init(base: UnsafeMutablePointer<Double>, keys: Int, width: Int) {
            self.base = base
            self.keys = keys
            self.width = width
            valueCount = max(1, keys) * width
        }
    }

    /// Runs in the block.
    public let width: Int
    private let arena = StateArena()

    /// Storage for a block of `width` runs.
    public init(width: Int) {
        self.width = width
    }

    /// Declares a variable of `keys` values per run, each set to `initial`.
    public func doubles(keys: Int, initial: Double = 0) -> Doubles {
        let buffer = arena.doubles(max(1, keys) * width, initial: initial)
        return Doubles(base: buffer.baseAddress!, keys: keys, width: width)
    }

    /// Key `k` of a variable for every run of the block, writable.
    @inlinable
    public subscript(_ variable: Doubles, _ k: Int) -> MutableSpan<Double> {
        @inline(__always) @_lifetime(borrow self) get {
            precondition(UInt(bitPattern: k) < UInt(max(1, variable.keys)), "key out of range")
            return _overrideLifetime(MutableSpan(_unsafeStart: variable.base + k * width, count: width), borrowing: self)
        }
    }

    /// Sets every key of a variable for every run to `value`.
    public func fill(_ variable: Doubles, with value: Double) {
        variable.base.update(repeating: value, count: max(1, variable.keys) * width)
    }
}
