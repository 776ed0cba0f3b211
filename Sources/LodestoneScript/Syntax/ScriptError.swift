import LodestoneKernel

/// An error in a script — a syntax error, an unknown name, a wrong argument, a failed run — with
/// the place it points at.
///
/// ``render(colour:)`` formats it the way every Lodestone tool prints errors:
///
/// ```text
/// curbs.lode:3:15: error: unknown name `stokpile`; did you mean `stockpile`?
/// let m = model(stokpile)
///               ^~~~~~~~
/// ```
public struct ScriptError: Error, Sendable, CustomStringConvertible {
    /// What went wrong and what was expected, without the location.
    public var message: String
    /// The span the error points at; nil for errors with no place in the script.
    public var range: SourceRange?
    /// Extra lines printed after the caret (`note: …`).
    public var notes: [String]
    /// Whether the error is a request to stop (Ctrl-C) rather than a mistake.
    public var isCancellation: Bool

    /// Creates an error pointing at `range`.
    public init(_ message: String, at range: SourceRange?, notes: [String] = [], isCancellation: Bool = false) {
        self.message = message
        self.range = range
        self.notes = notes
        self.isCancellation = isCancellation
    }

    /// `file:line:column: error: message` (no source line). Control and bidirectional-formatting
    /// characters in the message are escaped (``MessageText/escaped(_:)``).
    public var description: String {
        if let range { return "\(range): error: \(MessageText.escaped(message))" }
        return "error: \(MessageText.escaped(message))"
    }

    /// The full diagnostic: the `file:line:column: error:` line, the source line, a caret line
    /// under the span, then any notes; with ANSI colours when `colour` is true. Ends with a newline.
    /// A long line is cut to ``MessageText/maximumQuotedLine`` characters around the column, and
    /// control characters in the message and the line are escaped.
    public func render(colour: Bool = false) -> String {
        let bold = colour ? "\u{1B}[1m" : "", red = colour ? "\u{1B}[1;31m" : ""
        let green = colour ? "\u{1B}[1;32m" : "", reset = colour ? "\u{1B}[0m" : ""
        let message = MessageText.escaped(message)
        let notes = notes.map(MessageText.escaped)
        guard let range else {
            return "\(red)error:\(reset) \(bold)\(message)\(reset)\n" + notes.map { "note: \($0)\n" }.joined()
        }
        var out = "\(bold)\(range):\(reset) \(red)error:\(reset) \(bold)\(message)\(reset)\n"
        let line = range.file.lineText(containing: range.start)
        let (_, column) = range.lineAndColumn
        let quoted = MessageText.quotedLine(line, column: column, length: range.end - range.start)
        out += quoted.line + "\n"
        if let caret = quoted.caret.firstIndex(of: "^") {
            out += quoted.caret[..<caret] + green + quoted.caret[caret...] + reset + "\n"
        }
        for note in notes { out += "note: \(note)\n" }
        return out
    }
}
