import Testing

@testable import LodestoneKernel

/// ``BatchFrame/outputsAlternate``: a kernel block, and a single run (``StepFrame/outputsAlternate``,
/// passed on to a batch form run as a single run), promises that this month's buffer holds what
/// the module wrote in the call before last (the stockpile relies on it to leave a key that was
/// still for two months unwritten).
@Suite("Block frames: outputs alternate")
struct OutputsAlternateTests {
    /// Writes `1000 · (month index + 2) + run` to the one output in every call, and checks before
    /// writing that the buffer holds the value of the call before last wherever the frame
    /// promises it (nil when it promises nothing).
    static func checkThenWrite(_ frame: BatchFrame, _ mark: OutputRef) -> Int? {
        var wrong: Int?
        if frame.outputsAlternate, frame.monthIndex >= 1 {
            let held = frame.output(mark, 0)
            var count = 0
            for r in 0..<frame.width where held[r] != Double(1000 * frame.monthIndex + r) { count += 1 }
            wrong = count
        }
        var out = frame.output(mark, 0)
        for r in 0..<frame.width { out[r] = Double(1000 * (frame.monthIndex + 2) + r) }
        return wrong
    }

    @Test("a block's month, and a single run's, holds the outputs of the call before last")
    func blocksAlternate() throws {
        let checks = BatchProbe.Checks()
        let probe = BatchProbe(keys: ["JP"], checks: checks, check: Self.checkThenWrite)
        let plan = try probe.stepBlock(runs: 3, months: 6)
        #expect(checks.made.withLock { $0 } == 5)
        #expect(checks.failed.withLock { $0 } == 0)
        let parameters = ParameterSet(models: [probe], dataset: ToyWorld.dataset)
        let single = try Simulation(plan: plan, parameters: parameters, seed: 1, stream: 0)
        for _ in 0..<6 { try single.step() }
        #expect(checks.made.withLock { $0 } == 10)
        #expect(checks.failed.withLock { $0 } == 0)
    }
}
