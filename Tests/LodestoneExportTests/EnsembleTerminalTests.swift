import LodestoneKernel
import Testing

@testable import LodestoneExport

@Suite("Terminal charts of ensembles and sweeps")
struct EnsembleTerminalTests {
    @Test("an ensemble charts its 95th percentile, median and 5th percentile; a sweep one line per point")
    func terminal() throws {
        let ensemble = try EnsembleFixture.ensemble()
        let text = try TerminalChart.render(ensemble, signals: ["ramp.level[JP/DyTb]"], width: 30, height: 8)
        let lines = text.split(separator: "\n").map(String.init)
        // Headed like the SVG chart: the signal in words with its key, then the panel's title.
        #expect(lines[0] == "Level of the ramp, JP/DyTb (40 runs)")
        #expect(lines[1] == "Level of the ramp (t)")
        #expect(Array(lines.suffix(3)) == ["    • 95th percentile", "    + median", "    x 5th percentile"])
        // The 95th percentile ends at 10 + 11·4 = 54, the top of a 0…60 scale.
        #expect(lines[3].hasPrefix("60 ┤"))
        #expect(throws: LookupError.self) { try TerminalChart.render(try EnsembleFixture.ensemble(runs: 2, bandSignals: [])) }

        let sweep = try TerminalChart.render(try EnsembleFixture.sweep(), width: 30, height: 8)
        // Parameters and signal in words with keys and units, as on the SVG chart.
        #expect(sweep.hasPrefix(
            "Sweep of Ramp slope, JP/DyTb (t/month) × Ramp offset (t): Level of the ramp, JP/DyTb\nLevel of the ramp (t)\n"))
        #expect(sweep.contains("  • ramp.slope[JP/DyTb]=1, ramp.offset=0\n"))
        #expect(sweep.contains("  # ramp.slope[JP/DyTb]=4, ramp.offset=10\n"))
    }
}
