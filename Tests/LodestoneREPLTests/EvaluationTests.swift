import Foundation
import LodestoneKernel
import LodestoneREPL
import LodestoneScript
import Testing

@Suite struct EvaluationTests {
    @Test func bannerNamesVersionDatasetAndHelp() throws {
        let (_, capture) = try runLines([])
        let first = capture.output.split(separator: "\n").map(String.init)
        #expect(first[0].hasPrefix("Lodestone 9.9.9"))
        #expect(first[1].hasPrefix("default data: baseline-2026 — the world as of early 2026"))
        #expect(!first[1].contains("shared/") && !first[1].contains("Data/"), "no path of the source tree: \(first[1])")
        #expect(capture.output.contains(":help"))
    }

    @Test func waitsForMoreLinesWhileInputIsIncomplete() throws {
        let (repl, capture) = try runLines(["let xs = [1,", "  2,", "  3]", "let y = 4 +", "5", "len(xs) * y"])
        #expect(number(repl, "y") == 9)
        #expect(capture.output.hasSuffix("27\n"))
        #expect(capture.errors.isEmpty)
    }

    @Test func twoBlankLinesEndAnUnfinishedInput() throws {
        let (repl, capture) = try runLines(["let a = [1,", "", "", "let b = 2"])
        #expect(capture.errors.contains("error:"))
        #expect(repl.session.value(of: "a") == nil)
        #expect(number(repl, "b") == 2)
    }

    @Test func showsEveryExpressionAndKeepsTheLastAsAns() throws {
        let (repl, capture) = try runLines(["2 + 3; 10 * 2", "ans + 1", "let z = ans * 2"])
        #expect(capture.output.contains("5\n20\n21\n"))
        #expect(number(repl, "z") == 42)
        #expect(number(repl, "ans") == 21)
    }

    @Test func showsSeriesWithASparkline() throws {
        let (repl, capture) = try runLines(["[0, 1, 2, 3, 4, 5, 6, 7]"])
        #expect(capture.output.contains("[0, 1, 2, 3, 4, 5, 6, 7]\n▁▂▃▄▅▆▇█  8 values, min 0, max 7\n"))
        _ = repl
    }

    @Test func shortensLongListsAndTables() throws {
        let (_, capture) = try runLines(["list(1..30)", "table({\"n\": list(1..100)})"])
        #expect(capture.output.contains("[1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, … 12 more …, 25, 26, 27, 28, 29, 30]"))
        #expect(capture.output.contains("… 65 more rows (100 in all;"))
    }

    @Test func showsARunAsItsSummary() throws {
        let (_, capture) = try runLines(setupLines + ["r"])
        #expect(capture.output.contains("run \"curbs\": 2026-02…2028-01 (24 months), seed 1"))
        #expect(capture.output.contains("stockpile.exhausted_at[JP/DyTb]"))
    }

    @Test func anErrorKeepsEveryVariable() throws {
        let (repl, capture) = try runLines(["let a = 7", "let b = a + nope", "let c = a * 6"])
        #expect(capture.errors.contains("unknown name `nope`"))
        #expect(number(repl, "a") == 7)
        #expect(repl.session.value(of: "b") == nil)
        #expect(number(repl, "c") == 42)
    }

    @Test func anErrorMidInputKeepsWhatRanBefore() throws {
        let (repl, _) = try runLines(["let p = 1; let q = p / none; let t = 3"])
        #expect(number(repl, "p") == 1)
        #expect(repl.session.value(of: "t") == nil)
        #expect(repl.transcript.entries.map(\.text) == ["let p = 1"])
    }

    @Test func ctrlCWhileTypingDropsTheUnfinishedInput() throws {
        let reader = ScriptedTerminalReader([.line("let k = [1,"), .interrupt, .line("let k = 5"), .line("k")])
        let (repl, capture) = try makeREPL(reader: reader)
        repl.run()
        #expect(number(repl, "k") == 5)
        #expect(capture.errors.isEmpty)
        #expect(reader.prompts == ["lodestone> ", "...> ", "lodestone> ", "lodestone> ", "lodestone> "])
        #expect(reader.history == ["let k = [1,", "let k = 5", "k"])
        #expect(reader.closed)
    }

    @Test func endOfInputRunsAnUnfinishedInputFromAPipeButNotAtATerminal() throws {
        let (_, piped) = try runLines(["let unfinished = [1,"])
        #expect(piped.errors.contains("error:"))
        let reader = ScriptedTerminalReader([.line("let unfinished = [1,")])
        let (shell, typed) = try makeREPL(reader: reader)
        shell.run()
        #expect(typed.errors.isEmpty)
        #expect(shell.hasQuit && reader.closed)
    }

    @Test func ctrlCStopsAnEnsembleAndReportsThePartialCount() throws {
        let trigger = CountingTrigger(after: 300)
        let (repl, capture) = try makeREPL(interrupts: trigger.flag)
        for line in setupLines { repl.submit(line) }
        trigger.arm()
        let outcome = repl.submit("let e = montecarlo(m, s, runs: 100000, months: 12)")
        let error = try #require(outcome.error)
        #expect(error.isCancellation)
        let count = try #require(outcome.cancelledRuns)
        #expect(count.total == 100_000)
        #expect(count.done > 0 && count.done < 100_000)
        #expect(capture.errors.contains("cancelled after \(count.done) of 100000 runs"))
        #expect(repl.session.value(of: "e") == nil)
        // The flag was cleared: the shell works again and the variables are intact.
        let next = repl.submit("let after = 2 * 21")
        #expect(next.error == nil)
        #expect(number(repl, "after") == 42)
        if case .run? = repl.session.value(of: "r") {} else { Issue.record("r was lost") }
    }

    @Test func ctrlCStopsASweep() throws {
        let trigger = CountingTrigger(after: 20)
        let (repl, capture) = try makeREPL(interrupts: trigger.flag)
        for line in setupLines { repl.submit(line) }
        trigger.arm()
        let outcome = repl.submit("sweep(m, s, param: \"stockpile.cover_days[JP]\", values: 1..2000, months: 12)")
        #expect(outcome.error?.isCancellation == true)
        let count = try #require(outcome.cancelledRuns)
        #expect(count.total == 2000 && count.done < 2000)
        #expect(capture.errors.contains("cancelled after"))
    }
}

/// An interrupt flag that raises itself after it has been polled `after` times once armed
/// (clearing it starts the count again).
///
/// Its state is behind an `NSLock`, not a `Synchronization.Mutex`: ThreadSanitizer cannot see a
/// Mutex lock on Linux (futex calls inside the runtime library) and would report the ensemble
/// threads' polls as races.
final class CountingTrigger: @unchecked Sendable {
    private let lock = NSLock()
    private var state = (armed: false, polls: 0, raised: false)
    private let limit: Int

    init(after limit: Int) { self.limit = limit }

    private func withState<Result>(_ body: (inout (armed: Bool, polls: Int, raised: Bool)) -> Result) -> Result {
        lock.lock()
        defer { lock.unlock() }
        return body(&state)
    }

    func arm() { withState { $0 = (true, 0, false) } }

    var flag: InterruptFlag {
        InterruptFlag(
            isSet: { [self] in
                withState { s in
                    guard s.armed else { return s.raised }
                    s.polls += 1
                    if s.polls > limit { s.raised = true }
                    return s.raised
                }
            },
            clear: { [self] in withState { $0 = ($0.armed, 0, false) } },
            set: { [self] in withState { $0.raised = true } })
    }
}
