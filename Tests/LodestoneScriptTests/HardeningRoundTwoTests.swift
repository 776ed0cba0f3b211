import Foundation
import LodestoneKernel
import Testing

@testable import LodestoneScript

/// The second round of adversarial inputs (issue 15): recursion through a default argument, long
/// flat expressions, Windows-saved scripts, long lines and control characters in errors.
@Suite("Hardening, round 2")
struct HardeningRoundTwoTests {
    @Test("a default argument that calls its own function counts toward the call-depth limit")
    func defaultArgumentRecursion() throws {
        let outcome = Harness.run("fn f(x = f()) { x }\nf()")
        let error = try #require(outcome.error)
        #expect(error.message == "too many nested calls (more than 200) in `f`: does its recursion ever stop?")
        #expect(error.range?.text == "f()")
        #expect(error.range?.lineAndColumn.line == 1)
        // A default that calls another function still works.
        #expect(Harness.run("fn g() { 2 }\nfn f(x = g()) { x * 3 }\nprint(f(), f(5))").stdout == "6 15\n")
    }

    @Test("a flat chain of more than 10 000 operators is refused as too long; 10 000 terms still add up")
    func longFlatExpression() throws {
        let limit = Parser.maximumHeight
        let fine = Harness.run("print(" + Array(repeating: "1", count: limit - 5).joined(separator: "+") + ")")
        #expect(fine.stdout == "\(limit - 5)\n")
        for op in ["+", "*", " and ", " or "] {
            let outcome = Harness.run("let x = " + Array(repeating: "1", count: limit + 2).joined(separator: op))
            let error = try #require(outcome.error, "\(op)")
            #expect(error.message.hasPrefix("expression too long: more than 10000 operators, calls or members in a chain"))
            #expect(error.range?.lineAndColumn.line == 1)
        }
        let members = Harness.run("let x = m" + String(repeating: ".a", count: limit + 1))
        #expect(members.error?.message.hasPrefix("expression too long") == true)
        let calls = Harness.run("let x = f" + String(repeating: "()", count: limit + 1))
        #expect(calls.error?.message.hasPrefix("expression too long") == true)
    }

    @Test("a script with a byte-order mark and CRLF line ends, continued with a backslash, runs")
    func windowsScript() throws {
        let bytes: [UInt8] = [0xEF, 0xBB, 0xBF] + Array("let a = 1 + \\\r\n  2\r\nprint(a)\r\n".utf8)
        let text = try SourceFile.text(utf8: bytes)
        #expect(text.unicodeScalars.first == "l")
        #expect(Harness.run(text).stdout == "3\n")
        // A mark left in the text (standard input, -e) is skipped too.
        #expect(Harness.run("\u{FEFF}print(1)\r\n").stdout == "1\n")
    }

    @Test("an error on a very long line quotes at most 200 characters around the column")
    func longLineInError() throws {
        let line = "let x = [" + Array(repeating: "1", count: 20_000).joined(separator: ", ") + ", nope]"
        let outcome = Harness.run(line)
        let error = try #require(outcome.error)
        #expect(error.message.hasPrefix("unknown name `nope`"))
        let rendered = error.render().split(separator: "\n", omittingEmptySubsequences: false)
        #expect(rendered.count == 4)
        let quoted = rendered[1], caret = rendered[2]
        #expect(quoted.unicodeScalars.count <= MessageText.maximumQuotedLine + 2)
        #expect(quoted.hasPrefix("…"))
        #expect(quoted.hasSuffix("nope]"))
        // The caret stands under `nope` in the quoted window.
        let column = caret.unicodeScalars.firstIndex(of: "^").map { caret.unicodeScalars.distance(from: caret.unicodeScalars.startIndex, to: $0) }
        let nope = quoted.range(of: "nope").map { quoted.unicodeScalars.distance(from: quoted.unicodeScalars.startIndex, to: $0.lowerBound) }
        #expect(column != nil && column == nope)
        #expect(caret.hasSuffix("^~~~"))
    }

    @Test("control and bidirectional characters are escaped in messages and quoted lines")
    func controlCharactersEscaped() throws {
        let outcome = Harness.run("let a = nope\u{202E}x\u{0}y")
        let rendered = try #require(outcome.error).render()
        #expect(!rendered.unicodeScalars.contains { $0 == "\u{202E}" || $0 == "\u{0}" })
        #expect(rendered.contains("\\u{202E}"))
        #expect(MessageText.escaped("a\u{0}b\u{1B}[31m\u{2066}c\td") == "a\\0b\\u{1B}[31m\\u{2066}c\td")
        let window = MessageText.quotedLine("ab\u{202E}cd", column: 4, length: 1)
        #expect(window.line == "ab\\u{202E}cd")
        #expect(window.caret == "          ^")
    }

    @Test("an overflowing calculation is an error, so ±∞ never reaches a parameter, a factor or an export")
    func overflowRefused() throws {
        let message = "the result of `*` is too large (beyond ±1.8e308, the largest number); check the values, or scale them down"
        let parameter = Harness.run("let m = model(trade, data: \"baseline-2024\")\nm.trade.ramp_months = 1e308 * 10")
        #expect(parameter.error?.message == message)
        #expect(parameter.error?.range?.text == "1e308 * 10")
        let factor = Harness.run(
            "let s = scenario(\"x\")\ns.demand(region: \"JP\", commodity: \"DyTb\", factor: 1e308 * 10, start: 2026-01, months: 3)")
        #expect(factor.error?.message == message)
        #expect(Harness.run("print(-1e308 - 1e308)").error?.message.hasPrefix("the result of `-` is too large") == true)
        #expect(Harness.run("print(2 ^ 5000)").error?.message.hasPrefix("the result of `^` is too large") == true)
        #expect(Harness.run("print(1 / 1e-310)").error?.message.hasPrefix("the result of `/` is too large") == true)
        #expect(Harness.run("print(exp(1000))").error?.message == "`exp(1000)` is too large (beyond ±1.8e308, the largest number)")
        #expect(Harness.run("print(sum([1e308, 1e308]))").error?.message.hasPrefix("the `sum` of these values is too large") == true)
        #expect(Harness.run("print(1e308 + 1e308 - 1e308)").error != nil)
        #expect(Harness.run("print(1e307 * 10, exp(700) > 0)").stdout == "1e+308 true\n")
    }

    @Test("a run that would end after 9999-12 is refused at the call")
    func monthsPastYear9999() throws {
        let outcome = Harness.run("run(model(trade, data: \"baseline-2024\"), start: 9999-12, months: 2)")
        #expect(outcome.error?.message.hasPrefix("a run of 2 months from 9999-12 would end in 10000-01, after 9999-12") == true)
        #expect(Harness.run("print(run(model(trade, data: \"baseline-2024\"), start: 9999-12, months: 1).months)").stdout == "1\n")
    }

    @Test("montecarlo and sweep are checked against the memory budget before any run; max_memory sets it")
    func memoryBudget() throws {
        let bomb = Harness.run("montecarlo(model(trade, stockpile, data: \"baseline-2024\"), runs: 9_999_999, months: 12000)")
        let error = try #require(bomb.error)
        #expect(error.message.hasPrefix("this ensemble (9999999 runs × 12000 months, 4 band signals) would need about "))
        #expect(error.message.hasSuffix("or raise the limit (lodestone --max-memory SIZE, or max_memory(\"SIZE\") in the script)"))
        let small = Harness.run("max_memory(\"1 MB\")\nprint(max_memory())\nmontecarlo(model(trade, data: \"baseline-2024\"), runs: 100000, months: 36, bands: [])")
        #expect(small.stdout == "1 MB\n")
        #expect(small.error?.message.hasPrefix("this ensemble (100000 runs × 36 months, 0 band signals) would need about ") == true)
        let sweep = Harness.run(
            "max_memory(\"1 MB\")\nsweep(model(trade, stockpile, data: \"baseline-2024\"), param: \"trade.ramp_months\", values: 0..999, months: 120, keep: \"runs\")")
        #expect(sweep.error?.message.hasPrefix("this sweep (1000 runs × 120 months, ") == true)
        #expect(Harness.run("max_memory(\"lots\")").error?.message.hasPrefix("`max_memory` expects a size such as \"4 GB\"") == true)
    }

    @Test("a sweep keeps the signals asked for (or whole runs with keep: \"runs\")")
    func sweepKeep() throws {
        let kept = Harness.run(
            "let w = sweep(model(trade, stockpile, data: \"baseline-2024\"), param: \"trade.ramp_months\", values: [1, 2], months: 6, keep: [\"trade.price[DyTb]\"])\nprint(len(w.runs[0].signals()), w.runs[1].signals()[0])")
        #expect(kept.error == nil)
        #expect(kept.stdout == "1 trade.price[DyTb]\n")
        let whole = Harness.run(
            "let w = sweep(model(trade, data: \"baseline-2024\"), param: \"trade.ramp_months\", values: [1, 2], months: 6)\nprint(len(w.runs[0].signals()) > 10)")
        #expect(whole.stdout == "true\n")
    }
}
