extension MonteCarlo {
    /// Whether any of `values` is +∞ or −∞ (NaN, a metric's "none", is not), for a block's metric
    /// rows at once, so the run-by-run check with its error runs only when one is. A value is ±∞
    /// exactly when its bit pattern without the sign is 0x7FF0…0; that xor the pattern is then
    /// 0, and below 2⁶³ otherwise, so subtracting 1 sets the top bit only for ±∞. The top bits are
    /// ORed together: integer operations on two values per SSE2 instruction, no branch per value.
    static func containsInfinity(_ values: UnsafeBufferPointer<Double>) -> Bool {
        let magnitude: UInt64 = 0x7FFF_FFFF_FFFF_FFFF
        let infinity: UInt64 = 0x7FF0_0000_0000_0000
        var seen: UInt64 = 0
        for value in values {
            seen |= ((value.bitPattern & magnitude) ^ infinity) &- 1
        }
        return seen >> 63 != 0
    }
}
