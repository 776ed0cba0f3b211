import Foundation
import LodestoneData
import LodestoneKernel
import Testing

@testable import LodestoneScript

/// `scenarios("2025-controls")`: the built-in library of scenario pieces, composed with `s.add(…)`.
@Suite("Scenario libraries")
struct ScenarioLibraryTests {
    @Test("scenarios() lists the libraries; a piece returns its events, scaled by its severity")
    func piecesAndSeverity() {
        let outcome = Harness.run(
            """
            print(scenarios())
            let lib = scenarios("2025-controls")
            print(lib.keys())
            let half = lib.january_2026_japan(severity: 0.5, months: 6)
            print(half.events)
            let s = scenario("composed")
            s.add(half)
            s.add(lib.halt_2010(severity: 0.4, start: 2026-09))
            s.add(lib.april_2025_licensing())
            print(len(s.events), s.events[3], s.events[4], s.events[5])
            print(lib.us_tariff_cut_2025().events)
            """)
        #expect(outcome.exitCode == 0, "\(outcome.stderr)")
        let lines = outcome.stdout.components(separatedBy: "\n")
        #expect(lines.contains("[\"2025-controls\"]"), "\(outcome.stdout)")
        #expect(
            lines.contains(
                "[\"april_2025_licensing\", \"october_2025_expansion\", \"january_2026_japan\", \"halt_2010\", \"japan_offtakes\", \"us_offtakes\", \"capacity_coming\", \"us_tariff_cut_2025\"]"
            ), "\(outcome.stdout)")
        #expect(
            lines.contains(
                "[\"restrict CN>JP Dy 50% from 2026-01 for 6 months\", \"restrict CN>JP Tb 50% from 2026-01 for 6 months\", \"restrict CN>JP HREE 50% from 2026-01 for 6 months\"]"
            ), "\(outcome.stdout)")
        // 3 + 1 + 9 events, in the order added; the April licensing blocks 41 % then 74 %.
        #expect(
            lines.contains(
                "13 restrict CN>JP all 20% from 2026-09 for 2 months restrict CN>all Dy 41% from 2025-04 for 1 month restrict CN>all Dy 74% from 2025-05 for 1 month"
            ), "\(outcome.stdout)")
        #expect(lines.contains("[\"set diplomacy.concession[US] = 43870000000 at 2025-11\"]"), "\(outcome.stdout)")
    }

    @Test("the pieces give exactly the events of their definitions")
    func eventsMatchTheDefinitions() throws {
        let library = try #require(ScenarioLibraries.all.first { $0.name == "2025-controls" })
        let january = try #require(library.pieces.first { $0.name == "january_2026_japan" })
        #expect(
            january.events(numbers: ["severity": 0.8]) == ["Dy", "Tb", "HREE"].map {
                .restrict(from: "CN", to: "JP", commodity: $0, share: 0.8, start: Month(2026, 1), months: 12)
            })
        let cut = try #require(library.pieces.first { $0.name == "us_tariff_cut_2025" })
        #expect(cut.events() == [.set(path: "diplomacy.concession[US]", value: 438.7e9 / 10, at: Month(2025, 11))])
        // Every piece is documented and its defaults lie in their ranges.
        for piece in library.pieces {
            #expect(!piece.doc.isEmpty && !piece.summary.isEmpty, "\(piece.name)")
            for argument in piece.arguments {
                if case .number(let value, let range) = argument.kind { #expect(range.contains(value), "\(piece.name)") }
            }
            #expect(!piece.events().isEmpty, "\(piece.name)")
        }
    }

    @Test("bad uses say what was expected")
    func errors() {
        let unknown = Harness.run("scenarios(\"2025-control\")")
        #expect(unknown.exitCode != 0)
        #expect(unknown.stderr.contains("unknown scenario library `2025-control`"), "\(unknown.stderr)")
        #expect(unknown.stderr.contains("2025-controls"))
        let severe = Harness.run("scenarios(\"2025-controls\").january_2026_japan(severity: 2)")
        #expect(severe.exitCode != 0)
        #expect(severe.stderr.contains("severity"), "\(severe.stderr)")
        let notAScenario = Harness.run("let s = scenario(\"x\")\ns.add(3)")
        #expect(notAScenario.exitCode != 0)
        #expect(notAScenario.stderr.contains("`piece` of `add` expects a scenario, got"), "\(notAScenario.stderr)")
    }

    @Test("help(\"scenarios\") lists every piece with its arguments and sources")
    func help() {
        let outcome = Harness.run("help(\"scenarios\")")
        #expect(outcome.exitCode == 0, "\(outcome.stderr)")
        for text in [
            "s.add(lib.january_2026_japan(severity: 0.5))", "2025-controls (codes of data(\"baseline-2026\"))",
            "january_2026_japan(severity: 1, start: 2026-01, months: 12)", "us_tariff_cut_2025(severity: 1, at: 2025-11)",
            "MOFCOM", "438.7 billion USD",
        ] {
            #expect(outcome.stdout.contains(text), "help(\"scenarios\") should show \(text)")
        }
    }
}
