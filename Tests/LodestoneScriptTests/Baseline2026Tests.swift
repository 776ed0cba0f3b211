import Foundation
import Testing

@testable import LodestoneScript

/// Runs on `data("baseline-2026")`: the check with the market model v2, named (a one-year
/// total curb of Dy and Tb on Japan is partly re-sourced, the price stays below its cap), and the
/// scenario pieces of `Examples/scenarios-2025.lode`, composed, with the defaults (v3).
@Suite("Runs on the baseline-2026 dataset")
struct Baseline2026Tests {
    @Test("a one-year total curb of Dy and Tb on Japan: re-sourced supply for both, prices below the cap")
    func curbOnJapan() {
        let outcome = Harness.run(
            """
            let m = model(trade, stockpile, data: "baseline-2026", preset: "v2")
            let s = scenario("Dy/Tb curb on Japan")
            s.restrict(from: "CN", to: "JP", commodity: "Dy", share: 100%, start: 2026-01, months: 12)
            s.restrict(from: "CN", to: "JP", commodity: "Tb", share: 100%, start: 2026-01, months: 12)
            let r = run(m, s, start: 2026-01, months: 24)
            print("alt Dy", round(max(r.series("trade.alt_supply[JP/Dy]")), 3), "Tb", round(max(r.series("trade.alt_supply[JP/Tb]")), 3))
            print("re-sourced Dy", round(sum(r.series("trade.alt_supply[JP/Dy]")), 1), "Tb", round(sum(r.series("trade.alt_supply[JP/Tb]")), 1))
            print("peak Dy", round(r.metric("trade.peak_price[Dy]")), "Tb", round(r.metric("trade.peak_price[Tb]")))
            print("at cap Dy", r.metric("trade.months_at_price_cap[Dy]"), "Tb", r.metric("trade.months_at_price_cap[Tb]"))
            print("cap", m.trade.max_price_multiple["Dy"], m.trade.max_price_multiple["Tb"])
            """)
        #expect(outcome.exitCode == 0, "\(outcome.stderr)")
        let lines = outcome.stdout.components(separatedBy: "\n")
        // Lynas's spare Dy (62 t/yr) and Vietnam's (14 t/yr) reach Japan: 76 / 12 = 6.3 t/month at
        // most, approached along the 6-month ramp; Tb: 10 / 12 = 0.83 t/month at most.
        #expect(lines.contains("alt Dy 5.476 Tb 0.721"))
        #expect(lines.contains("re-sourced Dy 45.8 Tb 6"))
        // Peaks about 8 × and 10 × p0 (290 and 1,093 USD/kg), below the 100 × cap of v2.
        #expect(lines.contains("peak Dy 2369 Tb 11067"))
        #expect(lines.contains("at cap Dy 0 Tb 0"))
        #expect(lines.contains("cap 100 100"))
    }

    @Test("the scenario pieces of scenarios(\"2025-controls\") compose on baseline-2026 (Examples/scenarios-2025.lode)")
    func scenarioPieces() throws {
        let directory = Harness.packageRoot.appendingPathComponent("Examples")
        let pieces = try String(contentsOf: directory.appendingPathComponent("scenarios-2025.lode"), encoding: .utf8)
        let outcome = Harness.run(
            pieces + """

                let all = scenario("every piece")
                all.add(lib.april_2025_licensing(severity: 0.5))
                all.add(lib.october_2025_expansion(severity: 0.5, start: 2026-11))
                all.add(lib.january_2026_japan(severity: 0.5))
                all.add(lib.halt_2010())
                all.add(lib.japan_offtakes())
                all.add(lib.us_offtakes())
                all.add(lib.capacity_coming())
                print("events", len(all.events))
                let v = run(m, all, start: 2025-01, months: 48)
                print("all pieces: JP Dy unmet", round(v.metric("stockpile.unmet_total[JP/Dy]"), 1), "t")
                print("MY/Dy capacity before and after 2027-07:", round(12 * v.series("trade.capacity[MY/Dy]")[29]) < 100,
                      round(12 * v.series("trade.capacity[MY/Dy]")[30]) >= 325)
                """, file: "scenarios-2025.lode", baseDirectory: directory.path)
        #expect(outcome.exitCode == 0, "\(outcome.stderr)")
        let lines = outcome.stdout.components(separatedBy: "\n")
        // The example at the end of the file: the January 2026 measures with Japan's contracts.
        #expect(lines.contains("scenario \"January 2026 curb on Japan, contracts and new capacity\" (9 events)"))
        #expect(lines.contains("  offtake MY>JP NdPr 4450 t/year from 2026-01 onward"))
        #expect(lines.contains("re-sourced to Japan, peak t/month: Dy 2.59 Tb 0.36"))
        // The example runs the defaults (the market model v3 since session 9; these lines were rerun then).
        #expect(lines.contains("severity 0.5 → Japan's unmet Dy 17.1 t, Tb 7.1 t; Dy price peak 540 USD/kg"))
        #expect(lines.contains("severity 1 → Japan's unmet Dy 85.6 t, Tb 24.7 t; Dy price peak 1386 USD/kg"))
        // Every piece: 9 (April) + 4 (October) + 3 (January) + 1 (2010) + 3 + 1 (offtakes) + 3 (capacity).
        #expect(lines.contains("events 24"))
        #expect(lines.contains("all pieces: JP Dy unmet 62.8 t"))
        #expect(lines.contains("MY/Dy capacity before and after 2027-07: true true"))
    }
}
