import LodestoneKernel
import LodestoneScript

/// How the shell shows an error.
///
/// When the error points into the line just typed and nothing was printed since, the caret goes
/// straight under the spot in that line (the prompt's width accounted for) and the message
/// follows; otherwise the error is rendered in full — `file:line:column`, the line quoted, the
/// caret under it — as scripts show errors (always the case without a terminal).
struct ErrorDisplay {
    /// Whether to colour the caret and message.
    var colour: Bool

    /// Where the typed input sits on the screen, when it is still right above the cursor.
    struct TypedInput {
        /// The chunk that ran.
        var source: SourceFile
        /// The columns taken by the prompt (and a command such as `:time `) before the last line.
        var indent: Int
        /// The terminal's width.
        var columns: Int
    }

    /// The text for `error` (ends with a newline).
    func text(_ error: ScriptError, typed: TypedInput?) -> String {
        if let typed, let caret = caretUnderInput(error, typed) { return caret }
        return error.render(colour: colour)
    }

    private func caretUnderInput(_ error: ScriptError, _ typed: TypedInput) -> String? {
        guard let range = error.range, range.file === typed.source else { return nil }
        let lastLine = typed.source.lineAndColumn(of: typed.source.scalars.count).line
        let (line, column) = range.lineAndColumn
        guard line == lastLine else { return nil }
        let lineText = typed.source.lineText(containing: range.start)
        let before = lineText.unicodeScalars.prefix(column - 1)
        guard before.allSatisfy({ $0.isASCII && $0 != "\t" && !MessageText.needsEscape($0) }) else { return nil }
        let lineLength = lineText.unicodeScalars.count
        let span = max(1, min(range.end - range.start, lineLength - (column - 1)))
        guard typed.indent + column - 1 + span <= typed.columns else { return nil }
        let red = colour ? "\u{1B}[1;31m" : "", green = colour ? "\u{1B}[1;32m" : ""
        let bold = colour ? "\u{1B}[1m" : "", reset = colour ? "\u{1B}[0m" : ""
        var out = String(repeating: " ", count: typed.indent + column - 1)
        out += green + "^" + String(repeating: "~", count: span - 1) + reset + "\n"
        out += "\(red)error:\(reset) \(bold)\(MessageText.escaped(error.message))\(reset)\n"
        for note in error.notes { out += "note: \(MessageText.escaped(note))\n" }
        return out
    }
}
