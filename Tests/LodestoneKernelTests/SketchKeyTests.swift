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

    @Test("a sketched accumulator counts a run of values added at once exactly as one by one")
    func sketchedBulkEqualsOneByOne() {
        var generator = SeededGenerator(seed: 3)
        // Past the exact limit at once, then parts that widen the range both ways and carry NaN,
        // ±∞, zeros, tiny and negative values.
        var parts: [[Double]] = [(0..<3_000).map { _ in 1 + generator.uniform() * 9 }]
        parts.append((0..<500).map { _ in generator.uniform() * 1e4 })
        parts.append([.nan, .infinity, -.infinity, 0, -0.0, 1e-301, -3, 1e-300, 5e300])
        parts.append((0..<700).map { _ in (generator.uniform() - 0.3) * 0.01 })
        var one = QuantileAccumulator(), bulk = QuantileAccumulator()
        for (p, part) in parts.enumerated() {
            part.forEach { one.add($0) }
            part.withUnsafeBufferPointer { bulk.add(contentsOf: $0) }
            #expect(bulk.count == one.count && bulk.missing == one.missing, "part \(p)")
            #expect(bulk.sum.bitPattern == one.sum.bitPattern, "part \(p)")
            for q in [0, 0.01, 0.25, 0.5, 0.75, 0.99, 1] {
                #expect(bulk.quantile(q).bitPattern == one.quantile(q).bitPattern, "part \(p), q \(q)")
            }
        }
        #expect(one.count == 3_000 + 500 + 8 + 700 && one.missing == 1)
    }
}
