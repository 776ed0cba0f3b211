import Foundation
import Testing

/// End-to-end tests: the real `lodestone` binary in a pseudo-terminal (tmux), typed into and
/// read back from the screen.
@Suite(.serialized, .enabled(if: TerminalSession.isAvailable, Comment(rawValue: TerminalSession.unavailableReason)))
struct TerminalTests {
    let directory: String

    init() throws {
        directory = try temporaryDirectory()
        try FileManager.default.createDirectory(atPath: directory + "/home", withIntermediateDirectories: true)
    }

    private func start() throws -> TerminalSession {
        try TerminalSession(stateDirectory: directory + "/state", homeDirectory: directory + "/home")
    }

    @Test func bannerAndTabCompletion() throws {
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let terminal = try start()
        defer { terminal.close() }
        let banner = try terminal.screen()
        #expect(banner.contains("Lodestone "))
        #expect(banner.contains("default data: baseline-2026"))
        #expect(banner.contains(":help"))
        try terminal.type("stockp", "Tab")
        try terminal.waitFor("lodestone> stockpile")
        try terminal.enter("")
        try terminal.waitFor("module stockpile")
    }

    @Test func twoLineInput() throws {
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let terminal = try start()
        defer { terminal.close() }
        try terminal.enter("let xs = [10,")
        try terminal.enter("32]")
        try terminal.enter("sum(xs)")
        let screen = try terminal.waitFor("\n42\n")
        #expect(screen.contains("lodestone> let xs = [10,\n...> 32]\nlodestone> sum(xs)\n42\n"))
    }

    @Test func historySurvivesARestartWithPrefixAndReverseSearch() throws {
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let first = try start()
        try first.enter("let remembered = 41 + 1")
        try first.enter("let other = 1")
        try first.type("", "C-d")
        try first.waitUntil("the shell to quit") { _ in !first.isRunning }
        first.close()
        let history = try String(contentsOfFile: directory + "/state/lodestone/history", encoding: .utf8)
        #expect(history.contains("remembered"))
        #expect(history.contains("other"))

        let second = try start()
        defer { second.close() }
        // Up finds the last line starting with what is typed, skipping the newer `let other = 1`.
        try second.type("let rem", "Up")
        try second.waitFor("lodestone> let remembered = 41 + 1")
        try second.enter("")
        try second.enter("remembered")
        try second.waitFor("\n42\n")
        // Ctrl-R searches backwards for a fragment anywhere in the line.
        try second.type("", "C-r")
        try second.type("ther")
        try second.waitFor("(reverse-i-search)`ther': let other = 1")
        try second.enter("")
        try second.enter("other + 100")
        try second.waitFor("\n101\n")
    }

    @Test func editrcIsHonoured() throws {
        defer { try? FileManager.default.removeItem(atPath: directory) }
        try Data("bind -s ^G 6*7\n".utf8).write(to: URL(fileURLWithPath: directory + "/home/.editrc"))
        let terminal = try start()
        defer { terminal.close() }
        try terminal.type("", "C-g")
        try terminal.waitFor("lodestone> 6*7")
        try terminal.enter("")
        try terminal.waitFor("lodestone> 6*7\n42\n")
    }

    @Test func ctrlCStopsALongEnsembleAndThePromptWorks() throws {
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let terminal = try start()
        defer { terminal.close() }
        // On the 2024 dataset (fewer keys), so that 2,000,000 runs stay within the memory budget.
        try terminal.enter("let m = model(trade, stockpile, diplomacy, data: \"baseline-2024\")")
        try terminal.type("let e = montecarlo(m, runs: 2000000)", "Enter")
        try terminal.waitFor("/2000000 runs", timeout: 30)
        try terminal.type("", "C-c")
        let screen = try terminal.waitFor("cancelled after", timeout: 30)
        #expect(screen.contains("of 2000000 runs"))
        try terminal.enter("1 + 1")
        try terminal.waitFor("lodestone> 1 + 1\n2\n")
        try terminal.enter("e")
        try terminal.waitFor("unknown name `e`")
        #expect(terminal.isRunning)
    }

    @Test func ctrlCCancelsTheLineBeingTyped() throws {
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let terminal = try start()
        defer { terminal.close() }
        try terminal.type("let half = ")
        // Ctrl-C is a signal, not a character: the terminal flushes whatever the shell has not
        // read yet. Wait for the echo so that the test checks the shell, not that race.
        try terminal.waitFor("lodestone> let half =")
        try terminal.type("", "C-c")
        try terminal.enter("7 * 6")
        let screen = try terminal.waitFor("\n42\n")
        #expect(screen.contains("lodestone> let half =\nlodestone> 7 * 6\n42"))
    }

    @Test func anErrorKeepsEarlierVariables() throws {
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let terminal = try start()
        defer { terminal.close() }
        try terminal.enter("let a = 7")
        try terminal.enter("let b = model(stokpile)")
        let screen = try terminal.waitFor("did you mean `stockpile`?")
        // The caret sits under the mistake in the typed line.
        #expect(screen.contains("lodestone> let b = model(stokpile)\n                         ^~~~~~~~\nerror: unknown name"))
        try terminal.enter("a * 6")
        try terminal.waitFor("lodestone> a * 6\n42\n")
    }

    @Test func newcomerWordsHelpLettAndQuit() throws {
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let terminal = try start()
        defer { terminal.close() }
        try terminal.enter("help")
        try terminal.waitFor("Commands:")
        try terminal.waitFor("A first session:")
        try terminal.enter("lett x = 3")
        let screen = try terminal.waitFor("did you mean `let`?")
        #expect(screen.contains("lodestone> lett x = 3\n           ^~~~\nerror: unknown word `lett`; did you mean `let`?"))
        try terminal.type("quit", "Enter")
        try terminal.waitUntil("the shell to quit") { _ in !terminal.isRunning }
    }

    @Test func reverseSearchFindsBracketsParenthesesAndStarsLiterally() throws {
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let terminal = try start()
        defer { terminal.close() }
        try terminal.enter("let m = model(stockpile)")
        try terminal.enter("m.stockpile.cover_days[\"JP\"] = 90")
        try terminal.enter("let product = 6 * (3 + 4)")
        try terminal.enter("1 + 1")
        try terminal.type("", "C-r")
        try terminal.waitFor("(reverse-i-search)`':")
        try terminal.type("cover_days[\"JP\"]")
        try terminal.waitFor("(reverse-i-search)`cover_days[\"JP\"]': m.stockpile.cover_days[\"JP\"] = 90")
        // Enter runs the line found; then the value it set is there.
        try terminal.type("", "Enter")
        try terminal.waitFor("lodestone> m.stockpile.cover_days[\"JP\"] = 90\nlodestone>")
        try terminal.enter("m.stockpile.cover_days[\"JP/Dy\"]")
        try terminal.waitFor("\n90\n")
        try terminal.type("", "C-r")
        try terminal.type("* (3")
        try terminal.waitFor("(reverse-i-search)`* (3': let product = 6 * (3 + 4)")
        try terminal.type("", "Enter")
        try terminal.enter("product")
        try terminal.waitFor("\n42\n")
        // Nothing found: the search says so; Ctrl-G puts the typed line back.
        try terminal.type("2 + 2")
        try terminal.waitFor("lodestone> 2 + 2")
        try terminal.type("", "C-r")
        try terminal.type("nowhere[")
        try terminal.waitFor("(failing reverse-i-search)`nowhere[':")
        try terminal.type("", "C-g")
        try terminal.enter("")
        try terminal.waitFor("lodestone> 2 + 2\n4\n")
    }

    @Test func aMultiLineInputIsRecalledAsOneEntry() throws {
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let terminal = try start()
        defer { terminal.close() }
        try terminal.enter("let xs = [10,")
        try terminal.enter("32]")
        try terminal.enter("let xs = 0")
        try terminal.type("", "Up", "Up")
        try terminal.waitFor("lodestone> let xs = [10,\n32]")
        try terminal.type("", "Enter")
        try terminal.enter("sum(xs)")
        try terminal.waitFor("\n42\n")
        let history = try String(contentsOfFile: directory + "/state/lodestone/history", encoding: .utf8)
        #expect(history.contains("let\\040xs\\040=\\040[10,\\01232]\n"), "one entry with a newline: \(history)")
        #expect(!history.contains("\n32]\n"))
    }
}
