#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// The sketch bucket of a positive value, `⌈ln(m) / ln γ⌉` (``QuantileAccumulator``), computed
/// without calling `log` for nearly every value and always equal to the direct formula.
///
/// The direct formula (``exact(_:)``) costs a call to the C library's `log`, about 50
/// instructions, for each of the millions of values a large ensemble's bands add. Here `ln m`
/// is `e·ln 2 + ln c_j + ln(1 + r)`, with `c_j` the centre of one of 256 slices of the mantissa
/// (its logarithm taken once, with `log`), `r = x/c_j − 1` (|r| ≤ 2⁻⁹) and five terms of the
/// series of `ln(1 + r)` (the sixth, below 3·10⁻¹⁷, is left out). That estimate of `ln m / ln γ`
/// is within 10⁻¹⁰ of the direct formula's quotient (errors: the library's `log`, at most one
/// unit in the last place, about 10⁻¹¹ after the division by ln γ ≈ 0.01; the estimate's own
/// roundings, a few units of 10⁻¹¹ for the largest magnitudes): so when the estimate lies
/// farther than ``margin`` (10⁻⁸) from an integer, both round up to the same one. Otherwise
/// (about two values in 10⁸) the direct formula decides. Hand-written because no package the
/// project may use has a logarithm cheaper than the C library's.
struct SketchKey: Sendable {
    /// `ln γ`, the width of a bucket in natural-log units.
    let logGamma: Double
    /// `1 / ln γ`.
    private let inverseLogGamma: Double
    /// `1 / c_j` and `ln c_j` of slice j of the mantissa, `c_j = 1 + (j + ½)/256`.
    private let inverseCentre: [Double], logCentre: [Double]
    /// How far from an integer the estimate must lie to decide alone (in buckets).
    static let margin = 1e-8
    private static let ln2 = 0.693_147_180_559_945_309_417_232_121_458

    /// The key function for buckets of ratio γ (> 1).
    init(gamma: Double) {
        logGamma = log(gamma)
        inverseLogGamma = 1 / logGamma
        let centres = (0..<256).map { 1 + (Double($0) + 0.5) / 256 }
        inverseCentre = centres.map { 1 / $0 }
        logCentre = centres.map { log($0) }
    }

    /// The direct formula: `⌈ln(m) / ln γ⌉`, for a finite m > 0.
    func exact(_ magnitude: Double) -> Int {
        Int((log(magnitude) / logGamma).rounded(.up))
    }

    /// The same as ``exact(_:)`` for a finite m ≥ 10⁻³⁰⁰ (a normal number: the sketch counts
    /// smaller magnitudes as zeros).
    @inline(__always)
    func key(_ magnitude: Double) -> Int {
        let bits = magnitude.bitPattern
        let exponent = Double(Int(truncatingIfNeeded: bits >> 52) - 1023)
        let slice = Int(truncatingIfNeeded: (bits >> 44) & 0xff)
        let x = Double(bitPattern: (bits & 0x000f_ffff_ffff_ffff) | 0x3ff0_0000_0000_0000)  // 1 ≤ x < 2
        let r = x * inverseCentre[slice] - 1
        // ln(1 + r) = r − r²/2 + r³/3 − r⁴/4 + r⁵/5 − …, in Horner's form.
        let series = r * (1 + r * (-0.5 + r * (1.0 / 3 + r * (-0.25 + r * 0.2))))
        let quotient = (exponent * Self.ln2 + logCentre[slice] + series) * inverseLogGamma
        // ⌈q⌉ through truncation (|q| < 10⁶ here): cheaper than `rounded(.up)`'s library call.
        let truncated = Int(quotient)
        let up = Double(truncated) < quotient ? truncated + 1 : truncated
        let room = min(Double(up) - quotient, quotient - Double(up - 1))
        return room > Self.margin ? up : exact(magnitude)
    }
}
