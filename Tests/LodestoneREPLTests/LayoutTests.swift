@testable import LodestoneREPL
import Testing

@Suite struct LayoutTests {
    @Test func candidatesFillColumnsDownThenAcross() {
        let text = CandidateList.format(["a", "bb", "ccc", "d", "e"], width: 12)
        // Cells are 5 wide (longest 3 + 2): two columns fit in 12, so three rows.
        #expect(text == "a    d\nbb   e\nccc\n")
    }

    @Test func longCandidateListsAreCounted() {
        let many = (0..<250).map { "n\($0)" }
        let text = CandidateList.format(many, width: 80)
        #expect(text.hasSuffix("… and 50 more\n"))
    }

    @Test func secondsAreShownInAReadableUnit() {
        #expect(REPL.formatSeconds(0.000_012_3) == "12.3 µs")
        #expect(REPL.formatSeconds(0.25) == "250 ms")
        #expect(REPL.formatSeconds(2.346) == "2.35 s")
    }

    @Test func scannerFindsOpenStringsAndBrackets() {
        let scan = InputScanner("plot(r, \"a(b")
        #expect(scan.stringStart == 8)
        #expect(scan.open.map(\.character) == ["("])
        #expect(scan.chain(endingAt: 4) == ["plot"])
        let escaped = InputScanner("x = \"a\\\"b\" + [")
        #expect(escaped.stringStart == nil)
        #expect(escaped.open.map(\.offset) == [13])
        #expect(InputScanner("1..stock").chain(endingAt: 8).isEmpty)
        #expect(InputScanner("m.stockpile.cover").chain(endingAt: 17) == ["m", "stockpile", "cover"])
    }
}
