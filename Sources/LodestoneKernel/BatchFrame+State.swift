/// Per-run state through the frame: a batch instance's ``BatchState`` variables read and written
/// as spans that borrow the frame, which lives for the whole call. So a method needs no
/// `let state = self.state` line before taking spans (a span cannot borrow a class's stored
/// property across statements), and every reference an equation uses comes from one place:
///
/// ```swift
/// func step(_ frame: BatchFrame) throws {
///     for k in 0..<stock.keys {
///         let inflow = frame.input(refs.inflow, k)
///         var stock = frame.state(self.stock, k)
///         var level = frame.output(refs.level, k)
///         for r in 0..<frame.width {
///             stock[r] += inflow[r]
///             level[r] = stock[r]
///         }
///     }
/// }
/// ```
extension BatchFrame {
    /// Key `k` of a per-run state variable for every run of the block, writable. The variable
    /// must belong to a ``BatchState`` made for this frame's width (the instance's own).
    @inlinable @inline(__always) @_lifetime(borrow self)
    public func state(_ variable: BatchState.Doubles, _ k: Int) -> MutableSpan<Double> {
        precondition(variable.width == width, "state declared for blocks of \(variable.width) runs, not \(width)")
        precondition(UInt(bitPattern: k) < UInt(max(1, variable.keys)), "key out of range")
        return _overrideLifetime(MutableSpan(_unsafeStart: variable.base + k * width, count: width), borrowing: self)
    }
}

extension BatchFrame {
    /// Key `k` of a per-run state variable for every run of the block, to read only (a `let`
    /// binding of ``state(_:_:)``'s writable span is a non-copyable value, which a debug build
    /// puts in a heap box: read-only state goes through this instead, which allocates nothing).
    @inlinable @inline(__always) @_lifetime(borrow self)
    public func values(of variable: BatchState.Doubles, _ k: Int) -> Span<Double> {
        precondition(variable.width == width, "state declared for blocks of \(variable.width) runs, not \(width)")
        precondition(UInt(bitPattern: k) < UInt(max(1, variable.keys)), "key out of range")
        return _overrideLifetime(Span(_unsafeStart: UnsafePointer(variable.base + k * width), count: width), borrowing: self)
    }
}

extension BatchMetricFrame {
    /// Key `k` of a per-run state variable for every run of the block, to report it in a metric.
    @inlinable @inline(__always) @_lifetime(borrow self)
    public func state(_ variable: BatchState.Doubles, _ k: Int) -> Span<Double> {
        precondition(variable.width == width, "state declared for blocks of \(variable.width) runs, not \(width)")
        precondition(UInt(bitPattern: k) < UInt(max(1, variable.keys)), "key out of range")
        return _overrideLifetime(Span(_unsafeStart: UnsafePointer(variable.base + k * width), count: width), borrowing: self)
    }
}
