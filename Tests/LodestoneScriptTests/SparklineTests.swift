import LodestoneScript
import Testing

@Suite("Sparklines")
struct SparklineTests {
    @Test("eight levels from the minimum to the maximum; gaps are spaces; a constant is mid-height")
    func levels() {
        #expect(Sparkline.render([1, 2, 3, 4, 5, 6, 7, 8]) == "▁▂▃▄▅▆▇█")
        #expect(Sparkline.render([5, 5, 5]) == "▄▄▄")
        #expect(Sparkline.render([0, .nan, 1]) == "▁ █")
        #expect(Sparkline.render([.infinity, -.infinity]) == "  ")
        #expect(Sparkline.render([]) == "")
    }

    @Test("a longer series is averaged down to the width")
    func width() {
        #expect(Sparkline.render(Array(stride(from: 0.0, to: 100, by: 1)), width: 10) == "▁▂▃▃▄▅▆▆▇█")
        #expect(Sparkline.render(Array(repeating: 1.0, count: 10) + Array(repeating: 2.0, count: 10), width: 4) == "▁▁██")
        #expect(Sparkline.render([1, 2, 3], width: 10) == "▁▅█")  // 3.5 rounds up
    }

    @Test("a span beyond the largest Double draws without trapping")
    func hugeSpan() {
        #expect(Sparkline.render([-1e308, 1e308, 0]).count == 3)
    }
}
