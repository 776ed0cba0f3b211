/// Whole variables through the frame: every key of a per-run state variable at once, key `k` of
/// run `r` at `k * width + r`, as ``BatchFrame/outputs(_:)`` and ``BatchFrame/parameters(_:)``
/// give outputs and parameters. A module takes one span per variable per call and loops over
/// `k * width + r`, so a block of one run costs little more than the per-run form.
extension BatchFrame {
    /// Every key of a per-run state variable for every run, writable (bind it with `var`).
    @inlinable @inline(__always) @_lifetime(borrow self)
    public func state(_ variable: BatchState.Doubles) -> MutableSpan<Double> {
        precondition(variable.width == width, "state declared for blocks of \(variable.width) runs, not \(width)")
        return _overrideLifetime(MutableSpan(_unsafeStart: variable.base, count: variable.valueCount), borrowing: self)
    }

    /// Every key of a per-run state variable for every run, to read only.
    @inlinable @inline(__always) @_lifetime(borrow self)
    public func values(of variable: BatchState.Doubles) -> Span<Double> {
        precondition(variable.width == width, "state declared for blocks of \(variable.width) runs, not \(width)")
        return _overrideLifetime(Span(_unsafeStart: UnsafePointer(variable.base), count: variable.valueCount), borrowing: self)
    }
}

extension BatchMetricFrame {
    /// Every key of a per-run state variable for every run, to report it in a metric.
    @inlinable @inline(__always) @_lifetime(borrow self)
    public func state(_ variable: BatchState.Doubles) -> Span<Double> {
        precondition(variable.width == width, "state declared for blocks of \(variable.width) runs, not \(width)")
        return _overrideLifetime(Span(_unsafeStart: UnsafePointer(variable.base), count: variable.valueCount), borrowing: self)
    }
}
