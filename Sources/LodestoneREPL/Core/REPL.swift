import LodestoneKernel
import LodestoneScript

/// The interactive shell: reads input with a ``LineReader``, runs code in a ``Session``, shows
/// values and errors, and answers meta-commands (`:help`, `:save`, …).
///
/// Everything but the reader is plain Swift, so tests drive the shell with a
/// ``PlainLineReader`` or call ``submit(_:)`` and ``complete(_:)`` directly.
///
/// ```swift
/// let repl = REPL(session: session, reader: PlainLineReader(lines: ["let x = 2", "x * 3"]))
/// repl.run()   // prints 6
/// ```
public final class REPL {
    /// The session code runs in.
    public let session: Session
    /// The completion engine behind Tab.
    public let completer: Completer
    /// The statements that worked, for `:save`.
    public internal(set) var transcript = Transcript()
    /// Whether `:quit` was given.
    public internal(set) var hasQuit = false

    let reader: any LineReader
    var configuration: REPLConfiguration
    let progress: ProgressReporter
    let outputMonitor = OutputMonitor()
    /// The line number the next input starts at (inputs number their lines on from each other).
    var nextLine = 1
    /// The lines of an unfinished input.
    var pending: [String] = []

    /// Creates a shell over `session`. The session's cancellation check and progress handler are
    /// replaced by the shell's, and its expression echo is turned off (the shell shows values).
    public init(session: Session, reader: any LineReader, configuration: REPLConfiguration = REPLConfiguration()) {
        self.session = session
        self.reader = reader
        self.configuration = configuration
        self.completer = Completer(session: session, baseDirectory: configuration.baseDirectory)
        self.progress = ProgressReporter(display: reader.isInteractive ? configuration.progressOutput : nil)
        let interrupts = configuration.interrupts
        session.options.isCancelled = { interrupts.isSet() }
        session.options.progress = progress.handler
        session.options.echoesExpressions = false
        let original = session.options.output
        let monitor = outputMonitor
        session.options.output = { text in
            monitor.wrote = true
            original(text)
        }
        reader.setCompletion { [unowned self] line in
            completer.complete(line, pending: pending.joined(separator: "\n"))
        }
    }

    // MARK: The loop

    /// Shows the banner and reads, runs and shows inputs until `:quit` or the end of input; then
    /// closes the reader (which saves the history).
    public func run() {
        write(banner() + "\n")
        var blankLines = 0
        while !hasQuit {
            let prompt = pending.isEmpty ? REPLConfiguration.prompt : REPLConfiguration.continuationPrompt
            switch reader.readLine(prompt: prompt) {
            case .end:
                // From a pipe, an unfinished last input runs (its error says what is missing);
                // Ctrl-D at a terminal's continuation prompt just leaves.
                if !pending.isEmpty, !reader.isInteractive { submitPending(indent: REPLConfiguration.continuationPrompt.count) }
                pending = []
                if reader.isInteractive { write("\n") }
                hasQuit = true
            case .interrupt:
                // An unfinished input dropped with Ctrl-C stays in the history, to be taken up again.
                if !pending.isEmpty { reader.addHistory(pending.joined(separator: "\n")) }
                pending = []
                blankLines = 0
            case .line(let line):
                let isBlank = line.allSatisfy { $0 == " " || $0 == "\t" }
                if pending.isEmpty, isBlank { continue }
                // A single line goes to the history at once; the lines of an unfinished input go
                // there together, as one entry, when it is complete (below).
                let isMetaCommand = pending.isEmpty && line.drop(while: { $0 == " " || $0 == "\t" }).first == ":"
                if !isBlank, pending.isEmpty, isMetaCommand || !Session.isIncomplete(line) { reader.addHistory(line) }
                if isMetaCommand {
                    runMetaCommand(line)
                    continue
                }
                if pending.isEmpty, answerBareWord(line) { continue }
                blankLines = isBlank ? blankLines + 1 : 0
                pending.append(line)
                // Two blank lines end an unfinished input (its error then says what is missing).
                if Session.isIncomplete(pending.joined(separator: "\n")), blankLines < 2 { continue }
                blankLines = 0
                if pending.count > 1 { reader.addHistory(pending.filter { !$0.allSatisfy { $0 == " " || $0 == "\t" } }.joined(separator: "\n")) }
                submitPending(indent: prompt.count)
            }
        }
        reader.close()
    }

    /// The first lines the shell prints: version, default dataset, how to get help.
    public func banner() -> String {
        let bold = configuration.colour ? "\u{1B}[1m" : "", reset = configuration.colour ? "\u{1B}[0m" : ""
        var text = "\(bold)Lodestone\(configuration.version.isEmpty ? "" : " " + configuration.version)\(reset)"
            + " — critical-mineral supply shocks"
        if let dataset = try? session.registry.dataSource("default").load() {
            text += "\ndefault data: \(dataset.name)" + (dataset.description.isEmpty ? "" : " — \(dataset.description)")
        }
        text += "\nmodules: \(session.moduleNames.joined(separator: ", "))"
        if case .within(let root) = session.options.access.files {
            text += "\nsafe mode: scripts read and write files only inside \(root) and load no plugins."
        }
        text += "\nType :help for help, Tab to complete, Ctrl-C to cancel, Ctrl-D to quit."
        return text
    }

    /// `help`, `quit` and `exit` typed alone, as newcomers type them: the help, or leaving. A
    /// variable of that name is shown instead, as usual. Returns whether the line was answered.
    func answerBareWord(_ line: String) -> Bool {
        let word = line.trimmingBlanks()
        guard ["help", "quit", "exit"].contains(word), session.value(of: word) == nil else { return false }
        if word == "help" {
            write(generalHelp() + "\n")
        } else {
            hasQuit = true
        }
        return true
    }

    private func submitPending(indent: Int) {
        let source = pending.joined(separator: "\n")
        pending = []
        submit(source, indent: indent)
    }

    // MARK: Completion

    /// The completion of `line` at its end, in the context of any unfinished input.
    public func complete(_ line: String) -> Completion {
        completer.complete(line, pending: pending.joined(separator: "\n"))
    }

    // MARK: Output

    func write(_ text: String) { configuration.write(text) }
    func writeError(_ text: String) { configuration.writeError(text) }
}

/// Notes whether the session printed anything (so the caret is not drawn under stale input).
final class OutputMonitor {
    var wrote = false
}
