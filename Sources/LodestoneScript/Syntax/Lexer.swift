import LodestoneKernel

/// Turns source text into tokens.
///
/// Numbers take `_` separators and exponents (`1_000`, `2.5e3`); a `%` written right after a
/// number makes a percentage (`25%` is 0.25). `YYYY-MM` written without spaces is a month.
/// Strings use double or single quotes with `\n`, `\t`, `\"`, `\'`, `\\` escapes. `#` starts a
/// comment that runs to the end of the line.
public struct Lexer {
    private let file: SourceFile
    private let s: [Unicode.Scalar]
    private var i = 0

    /// Creates a lexer over a source.
    public init(_ file: SourceFile) {
        self.file = file
        self.s = file.scalars
    }

    /// Every token of the source, ending with ``TokenKind/end``.
    public static func tokenize(_ file: SourceFile) throws(ScriptError) -> [Token] {
        var lexer = Lexer(file)
        var tokens: [Token] = []
        while true {
            let token = try lexer.next()
            tokens.append(token)
            if token.kind == .end { return tokens }
        }
    }

    private func peek(_ offset: Int = 0) -> Unicode.Scalar? {
        i + offset < s.count ? s[i + offset] : nil
    }

    private func range(_ start: Int) -> SourceRange { SourceRange(file: file, start: start, end: i) }

    private static func isDigit(_ c: Unicode.Scalar?) -> Bool { c.map { ("0"..."9").contains($0) } ?? false }
    static func isIdentifierStart(_ c: Unicode.Scalar?) -> Bool {
        guard let c else { return false }
        return c == "_" || c.properties.isAlphabetic
    }
    static func isIdentifierPart(_ c: Unicode.Scalar?) -> Bool {
        guard let c else { return false }
        return isIdentifierStart(c) || isDigit(c) || c.properties.numericType != nil
    }

    /// The next token.
    public mutating func next() throws(ScriptError) -> Token {
        while let c = peek() {
            if c == " " || c == "\t" || c == "\r" || (c == "\u{FEFF}" && i == 0) {
                // A byte-order mark at the start (a script saved by Windows tools) is no character.
                i += 1
            } else if c == "#" {
                while let d = peek(), d != "\n" { i += 1 }
            } else if c == "\\", peek(1) == "\n" {
                i += 2
            } else if c == "\\", peek(1) == "\r", peek(2) == "\n" {
                // A line continuation before a Windows line end (CRLF).
                i += 3
            } else {
                break
            }
        }
        let start = i
        guard let c = peek() else { return Token(kind: .end, range: range(start)) }
        if c == "\n" {
            i += 1
            return Token(kind: .newline, range: range(start))
        }
        if Self.isDigit(c) { return try number() }
        if Self.isIdentifierStart(c) {
            while Self.isIdentifierPart(peek()) { i += 1 }
            let word = file.slice(start, i)
            if let keyword = Keyword(rawValue: word) { return Token(kind: .keyword(keyword), range: range(start)) }
            return Token(kind: .identifier(word), range: range(start))
        }
        if c == "\"" || c == "'" { return try string(quote: c) }
        for length in [3, 2, 1] {
            guard i + length <= s.count else { continue }
            if let symbol = Symbol(rawValue: file.slice(i, i + length)) {
                i += length
                return Token(kind: .symbol(symbol), range: range(start))
            }
        }
        i += 1
        if c == "\u{201C}" || c == "\u{201D}" || c == "\u{2018}" || c == "\u{2019}" {
            throw ScriptError("curly quote `\(c)`: write strings with straight quotes \"…\"", at: range(start))
        }
        throw ScriptError("unexpected character `\(c)`" + Self.hint(forUnexpected: c), at: range(start))
    }

    /// What to write instead of a character that starts no token.
    static func hint(forUnexpected c: Unicode.Scalar) -> String {
        switch c {
        case "&": "; write `and` (or `&&`)"
        case "|": "; write `or` (or `||`)"
        case "?": "; there is no `c ? a : b`: use an `if` statement, `if c { x = a } else { x = b }`"
        case "`": "; strings go in double quotes \"…\""
        default: "; it means nothing in .lode (operators: + - * / % ^ == != < <= > >= and or not; # starts a comment)"
        }
    }

    private mutating func digits(allowUnderscore: Bool = true) -> String {
        var text = ""
        while let c = peek() {
            if Self.isDigit(c) {
                text.unicodeScalars.append(c)
            } else if c == "_", allowUnderscore, Self.isDigit(peek(1)), !text.isEmpty {
                // separator between digits
            } else {
                break
            }
            i += 1
        }
        return text
    }

    private mutating func number() throws(ScriptError) -> Token {
        let start = i
        // A month: exactly four digits, '-', exactly two digits, not followed by more of a number.
        if (0..<4).allSatisfy({ Self.isDigit(peek($0)) }), peek(4) == "-", Self.isDigit(peek(5)),
            Self.isDigit(peek(6)), !Self.isDigit(peek(7)), !Self.isIdentifierPart(peek(7)),
            !(peek(7) == "." && Self.isDigit(peek(8))), peek(7) != "%"
        {
            i += 7
            let text = file.slice(start, i)
            guard let month = Month(text) else {
                throw ScriptError(
                    "invalid month `\(text)`: the month must be 01…12 (write `\(text.replacingDash())` with spaces for a subtraction)",
                    at: range(start))
            }
            return Token(kind: .month(month), range: range(start))
        }
        var text = digits()
        if peek() == ".", Self.isDigit(peek(1)) {
            i += 1
            text += "." + digits()
        }
        if peek() == "e" || peek() == "E" {
            let sign = peek(1) == "+" || peek(1) == "-"
            if Self.isDigit(peek(sign ? 2 : 1)) {
                text += "e"
                if sign { text.unicodeScalars.append(peek(1)!) }
                i += sign ? 2 : 1
                text += digits()
            }
        }
        if Self.isIdentifierPart(peek()) {
            while Self.isIdentifierPart(peek()) { i += 1 }
            throw ScriptError(
                "invalid number `\(file.slice(start, i))`: a name cannot start with a digit", at: range(start))
        }
        guard var value = Double(text), value.isFinite else {
            throw ScriptError(
                "number `\(file.slice(start, i))` is too large (the largest is about 1.8e308)", at: range(start))
        }
        if peek() == "%" {
            i += 1
            value /= 100
        }
        return Token(kind: .number(value), range: range(start))
    }

    private mutating func string(quote: Unicode.Scalar) throws(ScriptError) -> Token {
        let start = i
        i += 1
        var value = String.UnicodeScalarView()
        while true {
            guard let c = peek(), c != "\n" else {
                throw ScriptError(
                    "unterminated string: add a closing \(quote) before the end of the line",
                    at: SourceRange(file: file, start: start, end: start + 1))
            }
            i += 1
            if c == quote { break }
            if c == "\\" {
                guard let e = peek(), e != "\n" else { continue }
                i += 1
                switch e {
                case "n": value.append("\n")
                case "t": value.append("\t")
                case "\\": value.append("\\")
                case "\"": value.append("\"")
                case "'": value.append("'")
                case "0": value.append("\0")
                default:
                    throw ScriptError(
                        "unknown escape `\\\(e)` in a string (use \\n, \\t, \\\", \\' or \\\\)",
                        at: SourceRange(file: file, start: i - 2, end: i))
                }
            } else {
                value.append(c)
            }
        }
        return Token(kind: .string(String(value)), range: range(start))
    }
}

extension String {
    fileprivate func replacingDash() -> String {
        var out = ""
        for c in self { out += c == "-" ? " - " : String(c) }
        return out
    }
}
