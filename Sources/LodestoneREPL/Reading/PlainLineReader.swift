/// Reads plain lines without editing, prompts or history: standard input when it is a pipe or
/// a file, or a list of lines in tests.
public final class PlainLineReader: LineReader {
    private let next: () -> String?
    /// Whether prompts are echoed (off for pipes, as scripts have none).
    public let echoesPrompt: Bool
    private let write: (String) -> Void

    /// Reads from `next` until it returns nil; with `echoesPrompt`, writes each prompt with `write`.
    public init(echoesPrompt: Bool = false, write: @escaping (String) -> Void = { _ in }, next: @escaping () -> String?) {
        self.next = next
        self.echoesPrompt = echoesPrompt
        self.write = write
    }

    /// Reads the given lines in order, then ends.
    public convenience init(lines: [String]) {
        var remaining = lines[...]
        self.init { remaining.popFirst() }
    }

    /// Reads standard input.
    public static func standardInput() -> PlainLineReader {
        PlainLineReader { Swift.readLine(strippingNewline: true) }
    }

    /// False: nobody watches a prompt.
    public var isInteractive: Bool { false }
    /// Unknown.
    public var columns: Int? { nil }

    /// The next line, or ``LineInput/end``.
    public func readLine(prompt: String) -> LineInput {
        if echoesPrompt { write(prompt) }
        guard let line = next() else { return .end }
        return .line(line)
    }

    /// Ignored.
    public func addHistory(_ line: String) {}
    /// Ignored.
    public func setCompletion(_ complete: @escaping (String) -> Completion) {}
    /// Nothing to release.
    public func close() {}
}
