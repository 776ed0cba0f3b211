import Foundation
import Testing

@testable import LodestoneKernel

@Suite("Sketch buckets without a logarithm per value")
struct SketchKeyTests {
    let keys = SketchKey(gamma: (1 + 0.005) / (1 - 0.005))

    @Test("the bucket equals the direct formula ⌈ln m / ln γ⌉ over the whole range of magnitudes")
    func equalsTheDirectFormula() {
        var generator = SeededGenerator(seed: 21)
        var mismatches: [Double] = []
        for _ in 0..<200_000 {
            // Log-uniform over 1e-300 … 1e300, and uniform over 0 … 100 (most band values).
            let wide = exp((generator.uniform() * 2 - 1) * 690)
            let narrow = max(1e-300, generator.uniform() * 100)
            for m in [wide, narrow] where keys.key(m) != keys.exact(m) { mismatches.append(m) }
        }
        for m in [1e-300, 1, 2, 0.5, 1000, .greatestFiniteMagnitude, Double.leastNormalMagnitude * 1e8]
        where keys.key(m) != keys.exact(m) {
            mismatches.append(m)
        }
        #expect(mismatches.isEmpty, "first: \(mismatches.prefix(5))")
    }

    @Test("values at and next to every bucket boundary from 7e-13 to 2e18 fall in the direct formula's bucket")
    func boundaries() {
        // Boundary k is γ^k: the values around it are where an estimate is most likely to round
        // the other way, and where the direct formula must decide.
        var checked = 0, mismatches: [Double] = []
        for k in -2_800...4_200 {
            var m = exp(Double(k) * keys.logGamma)
            for _ in 0..<4 { m = m.nextDown }
            for _ in 0..<9 {
                if keys.key(m) != keys.exact(m) { mismatches.append(m) }
                checked += 1
                m = m.nextUp
            }
        }
        #expect(checked == 7_001 * 9)
        #expect(mismatches.isEmpty, "first: \(mismatches.prefix(5))")
    }
}
