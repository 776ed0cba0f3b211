import Foundation
import LodestoneKernel
import LodestoneREPL
import LodestoneScript
import Testing

@Suite struct SaveTests {
    @Test func savedScriptReRunGivesTheSameValues() throws {
        let directory = try temporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let lines = [
            "let m = model(trade, stockpile, diplomacy, data: \"baseline-2024\")",
            "m.stockpile.cover_days[\"JP\"] = 90",
            "let s = scenario(\"curbs\")",
            "s.restrict(from: \"CN\", to: \"JP\", commodity: \"DyTb\", share: 100%, start: 2026-02, months: 12)",
            "let r = run(m, s, months: 24)",
            "r.metric(\"stockpile.unmet_total[JP/DyTb]\")",
            "let broken = nope(1)",
            "let unmet = ans * 2",
            "fn plus(a, b) {",
            "  return a + b",
            "}",
            "let sum = plus(unmet, 1); let fails = sum / \"x\"",
            "let cover = m.stockpile.cover_days[\"JP/DyTb\"]",
            ":save session.lode",
        ]
        let (repl, capture) = try runLines(lines, baseDirectory: directory)
        #expect(capture.output.contains("saved 10 statements to session.lode"))
        let script = try String(contentsOfFile: directory + "/session.lode", encoding: .utf8)
        #expect(!script.contains("nope"))
        #expect(!script.contains("fails"))
        #expect(script.contains("let ans = r.metric(\"stockpile.unmet_total[JP/DyTb]\")\nlet unmet = ans * 2\n"))
        #expect(script.contains("fn plus(a, b) {\n  return a + b\n}\n"))

        var options = Session.Options()
        options.echoesExpressions = false
        let fresh = Session(registry: try makeRegistry(), options: options)
        try fresh.run(script, file: "session.lode")
        for name in ["unmet", "sum", "cover"] {
            guard case .number(let original)? = repl.session.value(of: name),
                case .number(let rerun)? = fresh.value(of: name)
            else {
                Issue.record("\(name) is not a number in both sessions")
                continue
            }
            #expect(original == rerun, "\(name)")
        }
        #expect(number(repl, "cover") == 90)
        guard case .run(let a)? = repl.session.value(of: "r"), case .run(let b)? = fresh.value(of: "r") else {
            Issue.record("r is not a run in both sessions")
            return
        }
        #expect(a.metricValues.count == b.metricValues.count)
        #expect(zip(a.metricValues, b.metricValues).allSatisfy { $0 == $1 || ($0.isNaN && $1.isNaN) })
    }

    @Test func saveReplacesAFileAtomicallyAndReportsProblems() throws {
        let directory = try temporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: directory) }
        try Data("old".utf8).write(to: URL(fileURLWithPath: directory + "/s.lode"))
        let (_, capture) = try runLines(["let x = 1", ":save s.lode", ":save missing-dir/s.lode", ":save"], baseDirectory: directory)
        #expect(try String(contentsOfFile: directory + "/s.lode", encoding: .utf8) == "# Lodestone session saved with :save\nlet x = 1\n")
        #expect(capture.errors.contains(":save: cannot write missing-dir/s.lode"))
        #expect(capture.errors.contains(":save needs a file"))
        let leftovers = try FileManager.default.contentsOfDirectory(atPath: directory)
        #expect(leftovers == ["s.lode"])
    }

    @Test func transcriptRewritesOnlyTheExpressionsThatAnsReads() {
        var transcript = Transcript()
        transcript.record(text: "1 + 1", setsAnswer: true)
        transcript.record(text: "print(\"ans\")", setsAnswer: false)
        transcript.record(text: "2 + 2", setsAnswer: true)
        transcript.record(text: "let x = ans * 10", setsAnswer: false)
        transcript.record(text: "r.ans", setsAnswer: true)
        #expect(transcript.script(header: "") == "1 + 1\nprint(\"ans\")\nlet ans = 2 + 2\nlet x = ans * 10\nr.ans\n")
    }
}
