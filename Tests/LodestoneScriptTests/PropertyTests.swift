import LodestoneKernel
import Testing

@testable import LodestoneScript

/// Random token sequences never crash the lexer, the parser, the name checker or the
/// interpreter: each parses or gives a located error.
@Suite("Random input")
struct PropertyTests {
    static let vocabulary: [String] = [
        "let", "fn", "return", "if", "else", "for", "in", "while", "break", "continue", "true", "false", "none",
        "and", "or", "not", "step", "(", ")", "[", "]", "{", "}", ",", ":", ";", ".", "..", "..<", "=", "==", "!=",
        "<", "<=", ">", ">=", "+", "-", "*", "/", "%", "^", "!", "&&", "||", "+=", "-=", "\n", "\n", "x", "y", "f",
        "m", "print", "run", "model", "tank", "scenario", "len", "0", "1", "2.5", "1e3", "25%", "2026-03", "\"s\"",
        "'t'", "\"JP/DyTb\"", "#c\n", "@", "\"open", "\\", "1_000", "9e999", "2026-13", "fn (a) { a }",
    ]

    @Test("random token sequences parse or fail with a location", arguments: 0..<8)
    func randomTokens(_ batch: Int) {
        var generator = SeededGenerator(seed: 2026, stream: UInt64(batch))
        var parsed = 0, failed = 0
        for _ in 0..<300 {
            let count = Int(generator.next() % 40)
            var text = ""
            for _ in 0..<count {
                text += Self.vocabulary[Int(generator.next() % UInt64(Self.vocabulary.count))]
                text += generator.next() % 4 == 0 ? "" : " "
            }
            let file = SourceFile(name: "random.lode", text: text)
            do {
                _ = try LargeStack.run { () throws(ScriptError) in try Parser.parse(file) }
                parsed += 1
            } catch {
                failed += 1
                #expect(error.range != nil, "no location for \(text.debugDescription): \(error.message)")
                #expect(!error.render().isEmpty)
            }
            _ = Session.isIncomplete(text)
            let outcome = Harness.run(text, stepBudget: 2_000)
            #expect(outcome.exitCode == 0 || outcome.error?.range != nil || outcome.error == nil)
        }
        #expect(parsed + failed == 300)
        #expect(failed > 0)
    }

    @Test("deeply nested input is an error, not a crash")
    func deepNesting() {
        let parens = String(repeating: "(", count: 5_000) + "1" + String(repeating: ")", count: 5_000)
        let outcome = Harness.run("let x = " + parens)
        #expect(outcome.error?.message == "expression nested too deeply (more than 200 levels); split it into several `let` statements")
        let lists = String(repeating: "[", count: 300) + String(repeating: "]", count: 300)
        #expect(Harness.run(lists).error?.message == "expression nested too deeply (more than 200 levels); split it into several `let` statements")
        let minus = String(repeating: "-", count: 10_000) + "1"
        #expect(Harness.run(minus).error?.message == "expression nested too deeply (more than 200 levels); split it into several `let` statements")
        let fine = String(repeating: "(", count: 50) + "1" + String(repeating: ")", count: 50)
        #expect(Harness.run(fine).stdout == "1\n")
    }

    @Test("the name checker resolves without running")
    func checker() {
        let session = Harness.session(sink: OutputSink())
        let ok = session.check("let a = 1\nfn f(x) { x + a + later }\nlet later = 2\nfor i in 1..3 { print(i) }", file: "a.lode")
        #expect(ok.isEmpty)
        let problems = session.check(
            "print(\"x\")\nlet r = run(model(trade), seeds: 2)\nprint(undefined)\nfn g() { inner }\nfor i in [1] { }\nprint(i)",
            file: "b.lode")
        #expect(problems.map(\.description) == [
            "b.lode:2:27: error: unknown argument `seeds:` for `run`; did you mean `seed:`? (arguments: model:, scenario:, start:, months:, seed:)",
            "b.lode:3:7: error: unknown name `undefined`",
            "b.lode:6:7: error: unknown name `i`",
            "b.lode:4:10: error: unknown name `inner`",
        ])
        #expect(session.check("let = ", file: "c.lode").count == 1)
    }
}
