// Reductions over a block's runs that the equations use to skip work no run of the block needs.

extension Span where Element == Double {
    /// Whether some run's value may differ from 0: false only when every value is +0 (the bits of
    /// every value or-ed together, a reduction without branches that the compiler vectorises).
    /// A −0 counts as non-zero, so a caller skipping work on `false` is always exact.
    @inline(__always)
    var mayBeNonZero: Bool {
        var bits: UInt64 = 0
        for r in 0..<count { bits |= self[r].bitPattern }
        return bits != 0
    }
}
