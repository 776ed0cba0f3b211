import Foundation
import LodestoneKernel
import LodestoneREPL
import LodestoneScript
import Testing

/// What a newcomer types first: bare `help`, `quit`, a misspelt keyword, a `none` answer, a
/// diplomacy signal in a scenario that names no pair, `:help recipes`, `:save` over exports.
@Suite struct NewcomerTests {
    @Test func bareHelpShowsTheHelp() throws {
        let (_, capture) = try runLines(["help"])
        #expect(capture.output.contains("Commands:\n  :help [topic]"))
        #expect(!capture.output.contains("<builtin help"))
        #expect(capture.errors.isEmpty)
    }

    @Test(arguments: ["quit", "exit", "  quit  "])
    func quitAndExitLeave(_ word: String) throws {
        let (repl, capture) = try runLines(["1 + 1", word, "40 + 2"])
        #expect(repl.hasQuit)
        #expect(capture.output.contains("\n2\n"))
        #expect(!capture.output.contains("42"), "nothing runs after \(word)")
        #expect(capture.errors.isEmpty)
    }

    @Test func aVariableNamedQuitIsShown() throws {
        let (_, capture) = try runLines(["let quit = 5", "quit", "1"])
        #expect(capture.output.contains("\n5\n1\n"))
    }

    @Test func misspeltKeywordSuggestsIt() throws {
        let (repl, capture) = try runLines(["lett x = 3", "fnn f(a) { a }"])
        #expect(capture.errors.contains("error: unknown word `lett`; did you mean `let`?"))
        #expect(capture.errors.contains("error: unknown word `fnn`; did you mean `fn`?"))
        #expect(repl.session.value(of: "x") == nil)
    }

    @Test func noneAnswersAreShownButActionsStayQuiet() throws {
        let (_, capture) = try runLines([
            "let m = model(trade, stockpile, data: \"baseline-2024\")", "let s = scenario(\"calm\")",
            "s.restrict(from: \"CN\", to: \"JP\", commodity: \"NdPr\", share: 1%, start: 2026-02, months: 1)",
            "let r = run(m, s)", "print(\"next\")", "r.metric(\"stockpile.exhausted_at[JP/DyTb]\")", "let nothing = none",
            "nothing",
        ])
        #expect(capture.errors.isEmpty, "\(capture.errors)")
        #expect(capture.output.hasSuffix("next\nnone\nnone\n"), "\(capture.output)")
    }

    @Test func diplomacyWithoutAPairSaysHowToNameOne() throws {
        let (_, capture) = try runLines([
            "let r = run(model(trade, diplomacy, data: \"baseline-2024\"), scenario(\"quiet\"))", "r.series(\"diplomacy.tension[CN>JP]\")",
            "r.metric(\"diplomacy.settled_at[CN>JP]\")",
        ])
        let hint =
            "`diplomacy` has no signals or metrics in this run: it makes them only for the pairs of countries the scenario's events name, and scenario \"quiet\" names none; add one, e.g. s.incident(from: \"CN\", to: \"JP\", severity: 0.8, at: 2026-01)"
        #expect(capture.errors.components(separatedBy: hint).count == 3, "\(capture.errors)")
        // With a pair named, the same look-ups work.
        let (_, named) = try runLines([
            "let s = scenario(\"lever\")", "s.incident(from: \"CN\", to: \"JP\", severity: 0.8, at: 2026-01)",
            "let r = run(model(trade, diplomacy, data: \"baseline-2024\"), s)", "len(r.series(\"diplomacy.tension[CN>JP]\"))",
        ])
        #expect(named.errors.isEmpty, "\(named.errors)")
        #expect(named.output.hasSuffix("\n36\n"))
    }

    @Test func recipesAreReachableAndRun() throws {
        let (repl, _) = try makeREPL()
        let text = try #require(repl.helpText(for: "recipes"))
        #expect(text.contains("A curb as a diplomatic lever"))
        #expect(text.contains("probability(…, by:)"))
        #expect(repl.completer.helpTopics().contains("recipes"))
        #expect(repl.generalHelp().contains(":help recipes"))
        // Every recipe's code, pasted in order, runs without an error.
        let code = text.split(separator: "\n").filter { $0.hasPrefix("     ") }.map { String($0.dropFirst(5)) }
        #expect(code.count >= 10)
        let (_, capture) = try runLines(code)
        #expect(capture.errors.isEmpty, "\(capture.errors)")
        #expect(capture.output.contains("stockpile.unmet_total[JP/Dy]"))
    }

    @Test func savedExportsReplaceTheirFiles() throws {
        func saved(_ code: String) throws -> String {
            var transcript = Transcript()
            for statement in try Parser.parse(SourceFile(name: "t", text: code)) { transcript.record(statement, setsAnswer: false) }
            return transcript.script(header: "")
        }
        #expect(try saved(#"export(r, "r.csv")"#) == "export(r, \"r.csv\", overwrite: true)\n")
        #expect(try saved(#"export(r,  "r.csv" ) # c"#) == "export(r,  \"r.csv\" , overwrite: true)\n")
        #expect(try saved(#"plot(r, "a.svg")"#) == "plot(r, \"a.svg\", overwrite: true)\n")
        #expect(try saved(#"plot(r, file: "a.svg", title: "T")"#) == "plot(r, file: \"a.svg\", title: \"T\", overwrite: true)\n")
        #expect(try saved(#"plot(r, "stockpile.level[JP/DyTb]")"#) == "plot(r, \"stockpile.level[JP/DyTb]\")\n")
        #expect(try saved(#"export(r, "r.csv", overwrite: false)"#) == "export(r, \"r.csv\", overwrite: false)\n")
        #expect(try saved("print(\"x\")") == "print(\"x\")\n")
    }

    @Test func eventsAreCheckedWhenAddedAndCanBeRemoved() throws {
        // The 2024 codes (DyTb) are known once that dataset is loaded, besides the default's.
        let (repl, capture) = try runLines([
            "let d = data(\"baseline-2024\")", "let s = scenario(\"curb\")",
            "s.restrict(from: \"CN\", to: \"JPP\", commodity: \"DyTb\", share: 100%, start: 2026-02, months: 12)",
            "s.restrict(from: \"CN\", to: \"JP\", commodity: \"Dytb\")", "len(s.events)",
            "s.restrict(from: \"CN\", to: \"JP\", commodity: \"DyTb\", start: 2026-02, months: 12)",
            "s.incident(from: \"CN\", to: \"JP\", severity: 0.8, at: 2026-01)", "s.remove(0)", "s.events", "s.remove(4)",
        ])
        #expect(capture.errors.contains("error: unknown region `JPP`; did you mean `JP`? (regions: CN, JP, US, EU, KR, MY, VN, IN, ROW, FR, EE; the event was not added)"))
        #expect(capture.errors.contains("error: unknown commodity `Dytb`; did you mean `DyTb`?"))
        #expect(capture.output.contains("\n0\n"), "neither bad event was added")
        #expect(capture.output.contains("\n\"restrict CN>JP DyTb 100% from 2026-02 for 12 months\"\n[\"incident CN>JP severity 0.8 at 2026-01\"]\n"))
        #expect(capture.errors.contains("error: the scenario has 1 event: give an index from 0 to 0 (or -1 for the last); s.events lists them"))
        if case .scenario(let scenario)? = repl.session.value(of: "s") {
            #expect(scenario.scenario.events.count == 1)
        } else {
            Issue.record("s is a scenario")
        }
    }

    @Test func theLinesOfAnInputGoToTheHistoryAsOneEntry() throws {
        let reader = ScriptedTerminalReader([
            .line("let xs = [1,"), .line("  2]"), .line("xs"), .line(":vars"), .line("let y = 1 +"), .line(""), .line("2"),
        ])
        let (shell, _) = try makeREPL(reader: reader)
        shell.run()
        #expect(reader.history == ["let xs = [1,\n  2]", "xs", ":vars", "let y = 1 +\n2"])
    }
}
