/// Text from input (a path, a name, a line of a script or data file) made safe to show in a
/// message: control characters and the invisible bidirectional-formatting characters that can
/// reorder a terminal line (U+202E RIGHT-TO-LEFT OVERRIDE and friends) are written as escapes, and
/// an overlong line is cut to a window around the column an error points at.
public enum MessageText {
    /// The most characters of an input line a message quotes (the rest is cut, marked `…`).
    public static let maximumQuotedLine = 200

    /// Whether `scalar` is shown as an escape: C0 and C1 controls other than tab, DEL, the
    /// byte-order mark, and the bidirectional formatting characters.
    public static func needsEscape(_ scalar: Unicode.Scalar) -> Bool {
        switch scalar.value {
        case 0x09: return false
        case 0x00...0x1F, 0x7F...0x9F: return true
        case 0x061C, 0x200E, 0x200F, 0x202A...0x202E, 0x2066...0x2069, 0xFEFF: return true
        default: return false
        }
    }

    /// How `scalar` is shown: itself, or `\u{…}` (`\n`, `\r`, `\0` for the common ones).
    public static func shown(_ scalar: Unicode.Scalar) -> String {
        guard needsEscape(scalar) else { return String(scalar) }
        switch scalar {
        case "\n": return "\\n"
        case "\r": return "\\r"
        case "\0": return "\\0"
        default: return "\\u{" + String(scalar.value, radix: 16, uppercase: true) + "}"
        }
    }

    /// `text` with every character that ``needsEscape(_:)`` escaped; unchanged when none does.
    public static func escaped(_ text: String) -> String {
        guard text.unicodeScalars.contains(where: needsEscape) else { return text }
        var out = ""
        for scalar in text.unicodeScalars { out += shown(scalar) }
        return out
    }

    /// A line quoted in a message with a caret line under `column` (from 1) spanning `length`
    /// characters: at most ``maximumQuotedLine`` characters of the line around the column, `…`
    /// where it was cut, and escaped characters. Tabs before the column stay tabs in the caret line
    /// so that it lines up. Returns the two lines without newlines.
    public static func quotedLine(_ line: String, column: Int, length: Int) -> (line: String, caret: String) {
        let scalars = Array(line.unicodeScalars)
        let at = min(max(0, column - 1), scalars.count)
        var low = 0, high = scalars.count
        if scalars.count > maximumQuotedLine {
            low = max(0, at - maximumQuotedLine / 2)
            high = min(scalars.count, low + maximumQuotedLine)
            low = max(0, high - maximumQuotedLine)
        }
        var shownLine = low > 0 ? "…" : ""
        var pad = low > 0 ? " " : ""
        var caretWidth = 0
        let spanEnd = min(high, at + max(1, length))
        for i in low..<high {
            let text = shown(scalars[i])
            shownLine += text
            let width = text.unicodeScalars.count
            if i < at {
                pad += scalars[i] == "\t" ? "\t" : String(repeating: " ", count: width)
            } else if i < spanEnd {
                caretWidth += width
            }
        }
        if high < scalars.count { shownLine += "…" }
        let caret = "^" + String(repeating: "~", count: max(0, caretWidth - 1))
        return (shownLine, pad + caret)
    }
}
