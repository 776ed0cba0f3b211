import Testing

@testable import LodestoneKernel

/// ``BatchFrame/outputs(_:keys:)``: one writable span over a run of consecutive keys of an output,
/// key `keys.lowerBound + j` of run `r` at `j * width + r`.
@Suite("Block frames: outputs over a range of keys")
struct OutputKeyRangeTests {
    /// Writes `100 · key + run` to keys 1 and 2 through one ranged span, `−1` to key 0 key by key,
    /// then reads every key back key by key and counts the values that differ (steps only).
    static func writeAndReadBack(_ frame: BatchFrame, _ mark: OutputRef) -> Int? {
        guard frame.monthIndex >= 0 else { return nil }
        let w = frame.width
        var first = frame.output(mark, 0)
        for r in 0..<w { first[r] = -1 }
        var range = frame.outputs(mark, keys: 1..<3)
        guard range.count == 2 * w else { return 2 * w }
        for j in 0..<range.count { range[j] = Double(100 * (1 + j / w) + j % w) }
        var wrong = 0
        for k in 0..<3 {
            let values = frame.output(mark, k)
            for r in 0..<w where values[r] != (k == 0 ? -1 : Double(100 * k + r)) { wrong += 1 }
        }
        return wrong
    }

    @Test("a ranged span writes exactly the keys of its range, key after key")
    func rangeOfKeys() throws {
        let checks = BatchProbe.Checks()
        let probe = BatchProbe(keys: ["JP", "CN", "US"], checks: checks, check: Self.writeAndReadBack)
        _ = try probe.stepBlock(runs: 3, months: 3)
        #expect(checks.made.withLock { $0 } == 3)
        #expect(checks.failed.withLock { $0 } == 0)
    }
}
