/// What a line reader returns.
public enum LineInput: Equatable, Sendable {
    /// A line, without its newline.
    case line(String)
    /// Ctrl-C while typing: the line (and any unfinished input) is dropped.
    case interrupt
    /// End of input (Ctrl-D on an empty line, or the end of a pipe).
    case end
}

/// Reads the shell's input line by line: libedit on a terminal (``LibEditLineReader``), plain
/// lines from a pipe or a list in tests (``PlainLineReader``).
public protocol LineReader: AnyObject {
    /// Whether a person is typing at a terminal (prompts shown, caret placed under typed input).
    var isInteractive: Bool { get }
    /// The terminal's width in columns, or nil when unknown.
    var columns: Int? { get }
    /// Reads one line after showing `prompt` (plain text; the reader may colour it).
    func readLine(prompt: String) -> LineInput
    /// Adds a line to the history (ignored by readers without one).
    func addHistory(_ line: String)
    /// Installs the completion used for Tab (ignored by readers without editing).
    func setCompletion(_ complete: @escaping (_ line: String) -> Completion)
    /// Saves the history and releases the terminal; call once when the shell ends.
    func close()
}
