import Foundation
import Testing

@testable import LodestoneScript

@Suite("discover: scenario discovery from the script")
struct DiscoverScriptTests {
    static let setup = """
        let m = model(trade, stockpile, data: "baseline-2024")
        let s = scenario("curb")
        s.restrict(from: "CN", to: "JP", commodity: "DyTb", start: 2026-01, months: 12)
        let e = montecarlo(m, s, runs: 400, seed: 2, months: 18, bands: [],
                           vary: {"stockpile.cover_days[JP]": uniform(0, 400), "trade.ramp_months": uniform(1, 12)})

        """

    @Test("the box, its measures and its sentence agree with the ensemble's runs")
    func consistent() {
        let outcome = Harness.run(
            Self.setup + """
                let d = discover(e, where: "stockpile.exhausted_at[JP/DyTb] <= 2026-12")
                print(type(d), d.condition)
                let cover = d.box["stockpile.cover_days[JP]"]
                print(cover[0] <= cover[1], len(d.table().column("parameter")) == len(d.box))
                print(d.density >= 0.8, d.coverage > 0.5, d.mass > 0, d.mass <= 1)
                print(d.sentence)
                print(d.tradeoff().columns)
                """)
        #expect(outcome.exitCode == 0, "\(outcome.stderr)")
        let lines = outcome.stdout.split(separator: "\n")
        #expect(lines.first == "discovery stockpile.exhausted_at[JP/DyTb] <= 2026-12")
        #expect(lines.dropFirst().first == "true true")
        #expect(lines.dropFirst(2).first == "true true true true")
        #expect(lines.dropFirst(3).first?.hasPrefix("runs where stockpile.exhausted_at[JP/DyTb] <= 2026-12 are ") == true)
        #expect(lines.dropFirst(3).first?.contains("stockpile.cover_days[JP] ≤ ") == true)
        #expect(lines.dropFirst(4).first == "[\"step\", \"coverage\", \"density\", \"mass\", \"restricted\"]")
    }

    @Test("bad requests are errors at the argument", arguments: [
        ("discover(e)", "needs `where:`"),
        ("discover(e, where: \"stockpile.exhausted_at[JP/DyTb]\")", "METRIC OP VALUE"),
        ("discover(e, where: \"stockpile.exhausted_at[JP/DyTb] <= 3\")", "month metric"),
        ("discover(e, where: \"stockpile.unmet_total[JP/DyTb] > 2026-12\")", "quantity"),
        ("discover(e, where: \"stockpile.exhaustd_at[JP/DyTb] <= 2026-12\")", "exhausted_at"),
        ("discover(e, where: \"stockpile.unmet_total[JP/DyTb] < 0\")", "no run meets"),
        ("discover(montecarlo(m, s, runs: 10, bands: []), where: \"stockpile.unmet_total[JP/DyTb] >= 0\")", "varied parameters"),
        ("discover(e, where: \"stockpile.unmet_total[JP/DyTb] >= 0\", threshold: 2)", "threshold"),
        ("discover(m, where: \"stockpile.unmet_total[JP/DyTb] >= 0\")", "an ensemble"),
    ])
    func errors(_ call: String, _ message: String) {
        let outcome = Harness.run(Self.setup + call)
        #expect(outcome.exitCode != 0)
        #expect(outcome.stderr.contains(message), "\(outcome.stderr)")
    }
}
