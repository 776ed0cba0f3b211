import LodestoneREPL
import LodestoneScript
import Testing

@Suite struct ErrorRenderingTests {
    @Test func withoutATerminalTheLineIsQuotedWithACaret() throws {
        let (_, capture) = try runLines(["let x = 1", "let m = model(stokpile)"])
        #expect(
            capture.errors == """
                <repl>:2:15: error: unknown name `stokpile`; did you mean `stockpile`?
                let m = model(stokpile)
                              ^~~~~~~~

                """)
    }

    @Test func onATerminalTheCaretGoesUnderTheTypedLine() throws {
        let (shell, output) = try makeREPL(reader: ScriptedTerminalReader([.line("let m = model(stokpile)")]))
        shell.run()
        let prompt = REPLConfiguration.prompt.count
        #expect(
            output.errors == String(repeating: " ", count: prompt + 14) + "^~~~~~~~\n"
                + "error: unknown name `stokpile`; did you mean `stockpile`?\n")
    }

    @Test func onAContinuationLineTheCaretFollowsTheShorterPrompt() throws {
        let (shell, output) = try makeREPL(reader: ScriptedTerminalReader([.line("let v = [1,"), .line("nope]")]))
        shell.run()
        #expect(output.errors.hasPrefix(String(repeating: " ", count: REPLConfiguration.continuationPrompt.count) + "^~~~\n"))
    }

    @Test func anErrorOnAnEarlierLineIsQuoted() throws {
        let (shell, output) = try makeREPL(reader: ScriptedTerminalReader([.line("let v = [nope,"), .line("2]")]))
        shell.run()
        #expect(output.errors.hasPrefix("<repl>:1:10: error: unknown name `nope`\nlet v = [nope,\n         ^~~~\n"))
    }

    @Test func afterOutputTheLineIsQuoted() throws {
        let (shell, output) = try makeREPL(reader: ScriptedTerminalReader([.line("print(\"hi\"); nope")]))
        shell.run()
        #expect(output.output.hasSuffix("hi\n\n"))  // the second newline ends the session on a terminal
        #expect(output.errors.hasPrefix("<repl>:1:14: error: unknown name `nope`\nprint(\"hi\"); nope\n"))
    }

    @Test func lineNumbersCountOnAcrossInputs() throws {
        let (_, capture) = try runLines(["let a = 1", "let b = [1,", "2]", "a + nope"])
        #expect(capture.errors.hasPrefix("<repl>:4:5: error: unknown name `nope`"))
    }

    @Test func timeInputPutsTheCaretUnderTheExpression() throws {
        let (shell, output) = try makeREPL(reader: ScriptedTerminalReader([.line(":time 1 + nope")]))
        shell.run()
        let indent = REPLConfiguration.prompt.count + ":time ".count + 4
        #expect(output.errors.hasPrefix(String(repeating: " ", count: indent) + "^~~~\n"))
    }
}
