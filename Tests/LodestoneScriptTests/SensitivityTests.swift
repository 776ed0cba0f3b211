import Foundation
import Testing

@testable import LodestoneScript

@Suite("sensitivity: Sobol and Morris from the script")
struct SensitivityScriptTests {
    static let setup = """
        let m = model(trade, stockpile, data: "baseline-2024")
        let s = scenario("curb")
        s.restrict(from: "CN", to: "JP", commodity: "DyTb", start: 2026-01, months: 12)
        let vary = {"stockpile.cover_days[JP]": uniform(0, 240), "trade.ramp_months": uniform(1, 12)}
        let ex = "stockpile.exhausted_at[JP/DyTb]"

        """

    @Test("the indices, the never count and the designed runs agree with each other")
    func consistent() {
        let outcome = Harness.run(
            Self.setup + """
                let a = sensitivity(m, s, vary: vary, metric: ex, samples: 32, months: 12)
                print(type(a), a.method, a.metric, a.params)
                print(a.runs.runs)
                # "never" runs are the runs in which the metric is none
                print(a.never == len(filter(a.runs.samples(ex), fn(x) { x == none })))
                print(a.never > 0, a.never < a.runs.runs)
                let st = a.index("ST")
                print(st["stockpile.cover_days[JP]"] > st["trade.ramp_months"])
                print(a.table().columns)
                let b = sensitivity(m, s, vary: vary, metric: ex, method: "morris", samples: 10, months: 12)
                print(b.runs.runs, b.table().columns)
                """)
        #expect(outcome.exitCode == 0, "\(outcome.stderr)")
        #expect(outcome.stdout == """
            sensitivity sobol stockpile.exhausted_at[JP/DyTb] ["stockpile.cover_days[JP]", "trade.ramp_months"]
            128
            true
            true true
            true
            ["parameter", "S1", "S1 ±", "ST", "ST ±"]
            30 ["parameter", "mu*", "mu* ±", "mu", "sigma"]

            """)
    }

    @Test("the same request gives the same indices; the export is the table")
    func deterministicAndExported() throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("sensitivity-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        let file = folder.appendingPathComponent("a.csv").path
        let outcome = Harness.run(
            Self.setup + """
                let a = sensitivity(m, s, vary: vary, metric: ex, samples: 16, months: 12)
                let b = sensitivity(m, s, vary: vary, metric: ex, samples: 16, months: 12)
                print(a.table() == b.table())
                export(a, "\(file)")
                print(a.index("S1"))
                """)
        #expect(outcome.exitCode == 0, "\(outcome.stderr)")
        let lines = try String(contentsOfFile: file, encoding: .utf8).split(separator: "\n")
        #expect(lines.first == "parameter,S1,S1 ±,ST,ST ±")
        #expect(lines.count == 3)
        #expect(lines[1].hasPrefix("stockpile.cover_days[JP],"))
        // The exported S1 is the one the script printed.
        let s1 = lines[1].split(separator: ",")[1]
        #expect(outcome.stdout.contains("\"stockpile.cover_days[JP]\": \(s1)"))
        #expect(outcome.stdout.hasPrefix("true\n"))
    }

    @Test("plot draws a bar per parameter and index")
    func bars() {
        let outcome = Harness.run(
            Self.setup + """
                plot(sensitivity(m, s, vary: vary, metric: ex, samples: 16, months: 12))
                """)
        #expect(outcome.exitCode == 0, "\(outcome.stderr)")
        let lines = outcome.stdout.split(separator: "\n")
        #expect(lines.first == "Sensitivity of stockpile.exhausted_at[JP/DyTb] (sobol)")
        #expect(lines.count == 5)
        #expect(lines[1].hasPrefix("stockpile.cover_days[JP]  S1    █"))
        #expect(lines[4].hasPrefix("                          ST    "))
    }

    @Test("bad requests are errors at the argument, before any run", arguments: [
        ("sensitivity(m, s, metric: ex)", "needs `vary:`"),
        ("sensitivity(m, s, vary: vary)", "needs `metric:`"),
        ("sensitivity(m, s, vary: vary, metric: ex, method: \"sobl\")", "did you mean `sobol`"),
        ("sensitivity(m, s, vary: vary, metric: \"stockpile.exhausted[JP/DyTb]\")", "unknown metric `stockpile.exhausted[JP/DyTb]`"),
        ("sensitivity(m, s, vary: {\"stockpile.cover_dayz[JP]\": uniform(0, 1)}, metric: ex)", "cover_days"),
        ("sensitivity(m, s, vary: vary, metric: \"trade.peak_price[DyTb]\", samples: 1)", "samples"),
        ("sensitivity(m, s, vary: {\"trade.ramp_months\": uniform(3, 1)}, metric: ex, samples: 4)", "needs low ≤ high"),
    ])
    func errors(_ call: String, _ message: String) {
        let outcome = Harness.run(Self.setup + call)
        #expect(outcome.exitCode != 0)
        #expect(outcome.stderr.contains(message), "\(outcome.stderr)")
    }
}
