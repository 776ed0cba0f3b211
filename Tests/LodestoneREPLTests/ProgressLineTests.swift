import LodestoneREPL
import Testing

@Suite struct ProgressLineTests {
    @Test func showsBarCountRateAndTimeLeft() {
        let line = ProgressReporter.line(done: 2_500, total: 10_000, elapsed: .seconds(2))
        #expect(line == "  [█████░░░░░░░░░░░░░░░] 2500/10000 runs · 1250 runs/s · 6.0 s left · Ctrl-C stops")
    }

    @Test func longComputationsShowMinutesLeft() {
        let line = ProgressReporter.line(done: 10, total: 100_000, elapsed: .seconds(1))
        #expect(line.contains("10 runs/s · 167 min left"))
    }

    @Test func nothingDoneYetShowsNoRate() {
        #expect(ProgressReporter.line(done: 0, total: 40, elapsed: .zero) == "  [░░░░░░░░░░░░░░░░░░░░] 0/40 runs · Ctrl-C stops")
    }
}
