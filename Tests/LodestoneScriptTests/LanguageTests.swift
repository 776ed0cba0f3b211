import LodestoneKernel
import Testing

@testable import LodestoneScript

/// Evaluates one expression in a fresh session and returns how it prints inline.
private func value(_ source: String) -> String {
    let outcome = Harness.run("print(repr(\(source)))")
    return outcome.exitCode == 0 ? outcome.stdout.trimmingCharacters(in: .newlines) : "ERROR: " + (outcome.error?.message ?? "")
}

@Suite("Values and operators")
struct ValueTests {
    @Test("number literals", arguments: [
        ("1_000", "1000"), ("2.5e3", "2500"), ("25%", "0.25"), ("0.1", "0.1"), ("1e-3", "0.001"), ("7.5%", "0.075"),
        ("1 + 2 * 3", "7"), ("(1 + 2) * 3", "9"), ("2 ^ 3 ^ 2", "512"), ("-2 ^ 2", "-4"), ("7 % 3", "1"),
        ("-7 % 3", "2"), ("10 / 4", "2.5"), ("1 / 3", "0.3333333333333333"), ("0.1 + 0.2", "0.30000000000000004"),
    ])
    func numbers(_ source: String, _ expected: String) {
        #expect(value(source) == expected)
    }

    @Test("months and month arithmetic", arguments: [
        ("2026-03", "2026-03"), ("2026-03 + 12", "2027-03"), ("2026-01 - 1", "2025-12"), ("2027-03 - 2026-01", "14"),
        ("12 + 2026-03", "2027-03"), ("2026-03 < 2026-04", "true"), ("2026-03.year", "2026"), ("2026-03.month", "3"),
        ("2026 - 3", "2023"),
    ])
    func months(_ source: String, _ expected: String) {
        #expect(value(source) == expected)
    }

    @Test("strings, bools, none, lists, records, ranges", arguments: [
        ("\"a\" + \"b\"", "\"ab\""), ("\"n=\" + 5", "\"n=5\""), ("'it''s'", "ERROR"), ("true and not false", "true"),
        ("none == none", "true"), ("[1, 2.5, none]", "[1, 2.5, none]"), ("[1, 2] + [3]", "[1, 2, 3]"),
        ("[10, 20, 30][-1]", "30"), ("[10, 20, 30][1..2]", "[20, 30]"), ("[10, 20, 30][0..<1]", "[10]"),
        ("{\"a\": 1, b: [2]}", "{\"a\": 1, \"b\": [2]}"), ("{\"a\": 1}.a", "1"), ("{\"a\": 1}[\"a\"]", "1"),
        ("1..3", "1..3"), ("list(1..3)", "[1, 2, 3]"), ("list(1..<3)", "[1, 2]"), ("list(0..1 step 25%)", "[0, 0.25, 0.5, 0.75, 1]"),
        ("list(30..180 step 30)", "[30, 60, 90, 120, 150, 180]"), ("list(5..1 step -2)", "[5, 3, 1]"),
        ("list(2026-01..2026-03)", "[2026-01, 2026-02, 2026-03]"), ("len(2026-01..<2027-01 step 3)", "4"),
        ("[1, 2] == [1, 2]", "true"), ("{\"a\": 1} == {\"a\": 2}", "false"), ("\"abc\"[1]", "\"b\""),
        ("type(fn (x) { x })", "\"function\""), ("1 < 2 and 2 < 3", "true"), ("not 1 > 2", "true"),
    ])
    func composite(_ source: String, _ expected: String) {
        if expected == "ERROR" {
            #expect(value(source).hasPrefix("ERROR"))
        } else {
            #expect(value(source) == expected)
        }
    }

    @Test("printing is plain and stable")
    func printing() {
        let outcome = Harness.run(
            "print(5, 0.1, 2026-03, none, true, \"text\", [1, \"a\", none], {\"k\": 2026-01})\n5.0\n1e20\n[1.5]")
        #expect(outcome.stdout == "5 0.1 2026-03 none true text [1, \"a\", none] {\"k\": 2026-01}\n5\n1e+20\n[1.5]\n")
    }
}

@Suite("Statements")
struct StatementTests {
    @Test("control flow and functions")
    func controlFlow() {
        let outcome = Harness.run(
            """
            let total = 0
            for x in [1, 2, 3, 4] {
              if x % 2 == 0 { total += x } else if x == 3 { continue } else { total = total - 100 }
            }
            print(total)
            let i = 0
            while true { i += 1; if i >= 5 { break } }
            print(i)
            fn fact(n) { if n <= 1 { return 1 }; return n * fact(n - 1) }
            print(fact(10))
            fn adder(k) { return fn (x) { x + k } }
            let add3 = adder(3)
            print(add3(4), map([1, 2], add3), filter(1..6, fn (x) { x % 2 == 0 }))
            fn greet(name, greeting = "hello") { greeting + ", " + name }
            print(greet("JP"), greet("CN", greeting: "ni hao"))
            print(later(2))
            fn later(x) { x * 10 }
            let r = {"a": {"b": [1, 2]}}
            r.a.b[1] = 20
            r["c"] = 3
            print(r)
            let xs = [[1, 2], [3]]
            xs[0][1] *= 5
            print(xs, sort([3, 1, 2]), sort(["b", "a"], descending: true), sum(1..4), mean([1, 2]), max(3, 9, 4))
            """)
        #expect(outcome.exitCode == 0, "\(outcome.stderr)")
        #expect(
            outcome.stdout == """
                -94
                5
                3628800
                7 [4, 5] [2, 4, 6]
                hello, JP ni hao, CN
                20
                {"a": {"b": [1, 20]}, "c": 3}
                [[1, 10], [3]] [1, 2, 3] ["b", "a"] 10 1.5 9

                """)
    }

    @Test("a REPL session keeps variables after an error and counts lines on")
    func sessionKeepsVariables() throws {
        let sink = OutputSink()
        let session = Harness.session(sink: sink)
        try session.run("let a = 1", file: "<repl>")
        #expect(throws: ScriptError.self) { try session.run("let b = 2\nlet c = nope", file: "<repl>", firstLine: 2) }
        do {
            try session.run("let c = nope", file: "<repl>", firstLine: 4)
        } catch {
            #expect(error.description == "<repl>:4:9: error: unknown name `nope`")
        }
        let last = try session.run("a + b", file: "<repl>")
        #expect(sink.text == "3\n")
        if case .number(let x)? = last { #expect(x == 3) } else { Issue.record("expected a number") }
        #expect(session.variableNames == ["a", "b"])
    }

    @Test("incomplete input", arguments: [
        ("let x = [1,", true), ("f(1,\n2", true), ("let x = 1 +", true), ("if x {", true), ("let x = ", true),
        ("x.", true), ("let x = 1", false), ("print(\"(\")", false), ("# (", false), ("let s = \"abc", false),
        ("1 )", false), ("a and", true), ("0..10 step", true), ("foo \\", true), ("", false),
    ])
    func incomplete(_ source: String, _ expected: Bool) {
        #expect(Session.isIncomplete(source) == expected)
    }
}
