import LodestoneKernel
import Testing

@testable import LodestoneExport

@Suite("Chart layout")
struct ChartLayoutTests {
    @Test("nice scales round outward to 1, 2, 5 × 10ⁿ steps")
    func niceScales() {
        let a = NiceScale(minimum: 0, maximum: 97, maxTicks: 6)
        #expect((a.lower, a.upper, a.step) == (0, 100, 20))
        #expect(a.ticks == [0, 20, 40, 60, 80, 100])
        let b = NiceScale(data: [83, 97, .nan, .infinity])
        #expect((b.lower, b.upper, b.step) == (80, 100, 5))
        let c = NiceScale(data: [0.02, 0.3])
        #expect((c.lower, c.step) == (0, 0.1))
        #expect(c.ticks.map(c.label) == ["0.0", "0.1", "0.2", "0.3"])
        let d = NiceScale(data: [0, 2.5e9])
        #expect(d.ticks.map(d.label) == ["0B", "1B", "2B", "3B"])
        let e = NiceScale(data: [-40, -10])
        #expect((e.lower, e.upper) == (-40, 0))
        let f = NiceScale(data: [5, 5])
        #expect(f.lower <= 4.5 && f.upper >= 5.5)
        let g = NiceScale(data: [Double]())
        #expect((g.lower, g.upper) == (0, 1))
        #expect(NiceScale(data: [0, 12_345]).label(10_000) == "10,000")
        #expect(NiceScale.niceNumber(0.034, round: true) == 0.05)
    }

    @Test("linear scales map and invert ranges")
    func linear() {
        let y = LinearScale(domain: (0, 50), range: (300, 100))
        #expect(y(0) == 300 && y(50) == 100 && y(25) == 200)
        #expect(LinearScale(domain: (3, 3), range: (0, 10))(3) == 5)
    }

    @Test("month ticks are calendar-aligned and limited in number")
    func monthTicks() {
        #expect(MonthTicks.ticks(start: Month(2026, 1), months: 36, maxTicks: 4) == [0, 12, 24])
        #expect(MonthTicks.ticks(start: Month(2026, 2), months: 36, maxTicks: 4) == [11, 23, 35])
        #expect(MonthTicks.ticks(start: Month(2026, 1), months: 12, maxTicks: 12) == Array(0..<12))
        #expect(MonthTicks.ticks(start: Month(2026, 2), months: 12, maxTicks: 4) == [2, 5, 8, 11])  // quarters
        #expect(MonthTicks.ticks(start: Month(2026, 5), months: 3, maxTicks: 1) == [2])  // July starts a quarter
        #expect(MonthTicks.ticks(start: Month(2026, 1), months: 0, maxTicks: 4) == [])
        #expect(MonthTicks.step(start: Month(2026, 1), months: 120, maxTicks: 6) == 24)
    }
}

@Suite("Terminal charts")
struct TerminalChartTests {

    @Test("a braille chart has y labels, a month axis and a legend")
    func braille() {
        let values = (0..<24).map { Double($0) * 2 }  // 0…46: ticks 0, 20, 40, 60
        let text = TerminalChart.render(series: [("ramp", values)], start: Month(2026, 1), width: 30, height: 6, unit: "t")
        let lines = text.split(separator: "\n").map(String.init)
        #expect(lines.count == 1 + 6 + 2 + 1)
        #expect(lines[0].hasSuffix("t"))
        #expect(lines[1].hasPrefix("60 ┤"))
        #expect(lines[6].hasPrefix(" 0 ┤"))
        #expect(lines[1...6].allSatisfy { $0.count == 2 + 2 + 30 })
        // The line starts bottom-left and ends top-right.
        #expect(Array(lines[6])[4] != " ")
        #expect(Array(lines[1]).last != " " || Array(lines[2]).last != " ")
        #expect(lines[1...6].joined().unicodeScalars.contains { (0x2801...0x28FF).contains($0.value) })
        #expect(lines[7].hasPrefix("   └") && lines[7].contains("┬"))
        #expect(lines[8].contains("2026-01") && lines[8].contains("2027-01"))
        #expect(lines[9] == "    ── ramp")
    }

    @Test("several series without colour get distinct markers; with colour ANSI codes")
    func markersAndColour() throws {
        let a = (0..<12).map { Double($0) }
        let b = (0..<12).map { 11 - Double($0) }
        let plain = TerminalChart.render(series: [("up", a), ("down", b)], start: Month(2026, 1), width: 24, height: 8)
        #expect(plain.contains("•") && plain.contains("+"))
        #expect(plain.contains("  • up\n") && plain.contains("  + down\n"))
        #expect(!plain.contains("\u{1B}["))
        let colour = TerminalChart.render(series: [("up", a), ("down", b)], start: Month(2026, 1), width: 24, height: 8, color: true)
        #expect(colour.contains("\u{1B}[34m") && colour.contains("\u{1B}[31m"))
        #expect(TerminalChart.render(series: [("x", [.nan])], start: Month(2026, 1)) == "(no data to plot)\n")

        let result = try Fixture.run()
        let chart = try TerminalChart.render(result, signals: ["ramp.level[JP/NdPr]", "scenario.restriction[CN>JP/DyTb]"], width: 20, height: 4)
        #expect(chart.contains("── ramp.level[JP/NdPr]") && chart.contains("── scenario.restriction[CN>JP/DyTb]"))
        #expect(chart.contains("share / index (dimensionless)"))
    }

    @Test("Bresenham lines include both ends and every step")
    func bresenham() {
        let points = TerminalChart.bresenham((0, 0), (4, 2))
        #expect(points.count == 5)
        #expect(points.first! == (0, 0) && points.last! == (4, 2))
    }
}
