import Foundation
import LodestoneKernel
import LodestoneREPL
import LodestoneScript
import Testing

/// Every bad script of `Tests/BadInput` fed through one shell session with `:load`: each gets its
/// message, and nothing defined before is lost.
@Suite("bad input in one REPL session")
struct BadInputREPLTests {
    static let corpus = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .appendingPathComponent("BadInput")

    /// The cases whose input is a script run with `lodestone run [--safe] main.lode` and that fail
    /// with a script error (exit 1): their directory, whether they run in safe mode, and the
    /// expected message (the first line of `expected` after `error: `). The test shell has no
    /// exporters and no plugin loader, so the cases about those are left to the CLI test.
    static func scriptCases() throws -> [(name: String, directory: URL, safe: Bool, message: String)] {
        let names = try FileManager.default.contentsOfDirectory(atPath: corpus.path).sorted()
        var cases: [(String, URL, Bool, String)] = []
        for name in names {
            let directory = corpus.appendingPathComponent(name)
            guard let command = try? String(contentsOf: directory.appendingPathComponent("command"), encoding: .utf8),
                let expected = try? String(contentsOf: directory.appendingPathComponent("expected"), encoding: .utf8)
            else { continue }
            let arguments = command.split(separator: "\n").map(String.init)
            guard arguments.first == "run", arguments.last == "main.lode", expected.hasPrefix("exit 1\n"),
                !name.contains("plugin"), !name.contains("export")
            else { continue }
            let firstLine = expected.split(separator: "\n")[1]
            guard let marker = firstLine.range(of: ": error: ") else { continue }
            cases.append((name, directory, arguments.contains("--safe"), String(firstLine[marker.upperBound...])))
        }
        return cases
    }

    @Test("every bad script gets its message, and the variables defined before survive")
    func everyBadScriptInOneSession() throws {
        let cases = try Self.scriptCases()
        #expect(cases.count >= 30)
        let (repl, capture) = try makeREPL()
        repl.submit("let kept_model = model(trade, stockpile)")
        repl.submit("kept_model.stockpile.cover_days[\"JP\"] = 75")
        repl.submit("fn twice(x) { return 2 * x }")
        for (index, testCase) in cases.enumerated() {
            repl.submit("let keep_\(index) = twice(\(index))")
            repl.session.options.access = testCase.safe ? .safe(root: testCase.directory.path) : .unrestricted
            let before = capture.errors.count
            let succeeded = repl.runMetaCommand(":load \(testCase.directory.appendingPathComponent("main.lode").path)")
            let shown = String(capture.errors.dropFirst(before))
            #expect(!succeeded, "\(testCase.name) should fail")
            // The message is the one `lodestone run` prints, apart from absolute paths.
            let message = testCase.message.replacingOccurrences(of: "$DIR", with: testCase.directory.path)
            #expect(shown.contains(message), "\(testCase.name): expected \(message), got \(shown)")
        }
        repl.session.options.access = .unrestricted
        // Every variable survived, and the model still runs with the parameter set at the start.
        for index in cases.indices { #expect(number(repl, "keep_\(index)") == Double(2 * index), "keep_\(index)") }
        let outcome = repl.submit("let kept_run = run(kept_model, months: 3)\nkept_model.stockpile.cover_days[\"JP/Dy\"]")
        #expect(outcome.error == nil)
        #expect(number(repl, "ans") == 75)
        #expect(repl.session.value(of: "kept_run") != nil)
        // `:save` still writes the statements that worked, and only those.
        let directory = try temporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: directory) }
        #expect(repl.runMetaCommand(":save \(directory)/session.lode"))
        let saved = try String(contentsOfFile: directory + "/session.lode", encoding: .utf8)
        #expect(saved.contains("let keep_\(cases.count - 1) = twice(\(cases.count - 1))"))
        #expect(saved.contains("fn twice(x) { return 2 * x }"))
    }

    @Test("bad meta-commands and typed lines answer with a message and keep the session")
    func badMetaCommandsAndLines() throws {
        let lines = [
            "let kept = 42",
            ":load /nonexistent/x.lode",
            ":load \(Self.corpus.path)",
            ":safe maybe",
            ":params stokpile",
            ":signals nothing_here",
            ":quitt",
            "let x = (1 +",
            "",
            "",
            "print(\u{201C}hi\u{201D})",
            "kept + 1",
        ]
        let (repl, capture) = try runLines(lines)
        #expect(number(repl, "kept") == 42)
        #expect(number(repl, "ans") == 43)
        for expected in [
            "error: :load: no such file: /nonexistent/x.lode",
            "is a directory, not a .lode script",
            "error: :safe takes `on` or `off` (or nothing, to show the mode), got `maybe`",
            "unknown module `stokpile`; did you mean `stockpile`?",
            "unknown command `:quitt`; did you mean `:quit`?",
            "curly quote",
        ] {
            #expect(capture.errors.contains(expected), "\(expected) in \(capture.errors)")
        }
    }

    @Test(":safe on refuses reads and writes outside the starting folder, and :safe off allows them again")
    func safeModeInTheShell() throws {
        let directory = try temporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let (repl, capture) = try makeREPL(baseDirectory: directory)
        #expect(repl.runMetaCommand(":safe on"))
        #expect(capture.output.contains("safe mode is on: scripts read and write files only inside "))
        #expect(repl.banner().contains("\nsafe mode: scripts read and write files only inside \(directory) and load no plugins.\n"))
        #expect(!repl.runMetaCommand(":save /tmp/lodestone-safe-\(UUID().uuidString).lode"))
        #expect(capture.errors.contains("error: :save: safe mode: cannot write \"/tmp/lodestone-safe-"))
        #expect(!repl.runMetaCommand(":load ../outside.lode"))
        #expect(capture.errors.contains("error: :load: no such file: ../outside.lode") || capture.errors.contains("safe mode: cannot read"))
        let outcome = repl.submit("plugin(\"industry\")")
        #expect(outcome.error?.message.hasPrefix("safe mode: scripts may not load plugins") == true)
        #expect(repl.runMetaCommand(":save inside.lode"))
        #expect(FileManager.default.fileExists(atPath: directory + "/inside.lode"))
        #expect(repl.runMetaCommand(":safe off"))
        #expect(repl.session.options.access == .unrestricted)
        #expect(repl.runMetaCommand(":safe"))
        #expect(capture.output.contains("safe mode is off"))
    }

    @Test(":save and :load give a path one meaning under :safe on (~, ~/.., ..), and name a pipe or a loop of links")
    func safePathsAndOddFilesInTheShell() throws {
        let directory = try temporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let (repl, capture) = try makeREPL(baseDirectory: directory)
        #expect(repl.runMetaCommand(":safe on"))
        for path in ["~/lodestone-escape.lode", "\"~/../lodestone-escape.lode\"", "sub/../../escape.lode"] {
            #expect(!repl.runMetaCommand(":save \(path)"), "\(path)")
        }
        #expect(capture.errors.contains("error: :save: safe mode: cannot write \"~/lodestone-escape.lode\": it is outside "))
        #expect(capture.errors.contains("error: :save: safe mode: cannot write \"\"~/../lodestone-escape.lode\"\": it is outside "))
        #expect(!FileManager.default.fileExists(atPath: NSHomeDirectory() + "/lodestone-escape.lode"))
        #expect(mkfifo(directory + "/pipe.lode", 0o600) == 0)
        try FileManager.default.createSymbolicLink(atPath: directory + "/loop.lode", withDestinationPath: directory + "/loop.lode")
        #expect(!repl.runMetaCommand(":load pipe.lode"))
        #expect(capture.errors.contains("error: :load: pipe.lode is a named pipe (FIFO), not a file; save the input to a file first"))
        #expect(!repl.runMetaCommand(":load loop.lode"))
        #expect(capture.errors.contains("safe mode: cannot read \"loop.lode\": its path leads through a broken symbolic link or a loop of links"))
        #expect(repl.runMetaCommand(":safe off"))
        #expect(!repl.runMetaCommand(":load loop.lode"))
        #expect(capture.errors.contains("error: :load: loop.lode is a symbolic link that leads back to itself (a loop of links)"))
    }

    @Test("Ctrl-C stops an endless loop, a runaway function and a long range loop; the variables stay")
    func interruptStopsRunawayCode() throws {
        let flag = InterruptFlag.manual()
        let (repl, capture) = try makeREPL(interrupts: flag)
        repl.submit("let kept = 7")
        let programs = [
            "while true { }",
            "let i = 0\nwhile i >= 0 { i += 1 }",
            "for i in 0..2999999 { let y = i * 2 }",
            "fn spin(n) {\n  while true { n += 1 }\n}\nspin(0)",
        ]
        for program in programs {
            let started = ContinuousClock.now
            DispatchQueue.global().asyncAfter(deadline: .now() + 0.3) { flag.set() }
            let outcome = repl.submit(program)
            let elapsed = ContinuousClock.now - started
            #expect(outcome.error?.isCancellation == true, "\(program): \(String(describing: outcome.error))")
            #expect(elapsed < .seconds(20), "\(program) took \(elapsed) to stop")
        }
        #expect(number(repl, "kept") == 7)
        #expect(capture.errors.contains("cancelled (Ctrl-C); the variables are as they were"))
        #expect(repl.submit("kept * 6").error == nil)
        #expect(number(repl, "ans") == 42)
    }

    @Test("a list of numbers whose span overflows a Double shows with its sparkline")
    func hugeSpanSparkline() throws {
        let (repl, capture) = try makeREPL()
        let outcome = repl.submit("[-1e308, 1e308, 0]")
        #expect(outcome.error == nil)
        #expect(capture.output.contains("3 values, min -1e+308, max 1e+308"), "\(capture.output)")
    }
}
