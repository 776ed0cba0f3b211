import LodestoneKernel

// Why a hand-written reader: Foundation's JSON decoders do not say where a value sits in the
// text, and data errors must name `file:line:column` (DESIGN §8). This small RFC 8259 reader
// keeps the position of every value and of every object key.

/// A JSON value with the line and column (from 1, in Unicode scalars) where it starts.
public struct JSONNode: Sendable, Equatable {
    /// The kinds of JSON value.
    public indirect enum Value: Sendable, Equatable {
        /// An object's members in document order.
        case object([Member])
        /// An array's elements.
        case array([JSONNode])
        /// A string.
        case string(String)
        /// A number, as a `Double`.
        case number(Double)
        /// `true` or `false`.
        case bool(Bool)
        /// `null`.
        case null
    }

    /// One `"key": value` pair of an object.
    public struct Member: Sendable, Equatable {
        /// The key.
        public var key: String
        /// Where the key's opening quote is.
        public var keyLine: Int
        /// Where the key's opening quote is.
        public var keyColumn: Int
        /// The value.
        public var value: JSONNode

        /// Creates a member.
        public init(key: String, keyLine: Int, keyColumn: Int, value: JSONNode) {
            self.key = key
            self.keyLine = keyLine
            self.keyColumn = keyColumn
            self.value = value
        }
    }

    /// The value.
    public var value: Value
    /// The line the value starts on, from 1.
    public var line: Int
    /// The column the value starts at, from 1.
    public var column: Int

    /// Creates a node.
    public init(value: Value, line: Int, column: Int) {
        self.value = value
        self.line = line
        self.column = column
    }

    /// A word for the value's kind in messages (`an object`, `a number`).
    public var kindDescription: String {
        switch value {
        case .object: "an object"
        case .array: "an array"
        case .string: "a string"
        case .number: "a number"
        case .bool: "a boolean"
        case .null: "null"
        }
    }
}

/// Reads JSON text into ``JSONNode``s that keep their positions.
public enum JSONReader {
    /// Parses one JSON value (with nothing but white space after it). `file` names the text in
    /// errors. Duplicate keys in an object are an error.
    public static func parse(_ text: String, file: String) throws(DataError) -> JSONNode {
        var scanner = JSONScanner(text: text, file: file)
        return try scanner.parseDocument()
    }
}

/// The recursive-descent parser behind ``JSONReader``.
struct JSONScanner {
    private let scalars: [Unicode.Scalar]
    private let file: String
    private var index = 0
    private var line = 1
    private var column = 1
    private var depth = 0
    private static let maximumDepth = 512

    init(text: String, file: String) {
        var scalars = Array(text.unicodeScalars)
        if scalars.first == "\u{FEFF}" { scalars.removeFirst() }
        self.scalars = scalars
        self.file = file
    }

    private var current: Unicode.Scalar? { index < scalars.count ? scalars[index] : nil }

    private mutating func advance() {
        guard let scalar = current else { return }
        index += 1
        if scalar == "\n" {
            line += 1
            column = 1
        } else {
            column += 1
        }
    }

    private func error(_ message: String, line: Int? = nil, column: Int? = nil) -> DataError {
        DataError(SourceLocation(file: file, line: line ?? self.line, column: column ?? self.column), message)
    }

    private var found: String {
        guard let scalar = current else { return "the end of the file" }
        if scalar == "\n" || scalar == "\r" { return "a line break" }
        return "`\(Character(scalar))`"
    }

    private mutating func skipWhiteSpace() {
        while let scalar = current, scalar == " " || scalar == "\t" || scalar == "\n" || scalar == "\r" {
            advance()
        }
    }

    mutating func parseDocument() throws(DataError) -> JSONNode {
        skipWhiteSpace()
        let node = try parseValue()
        skipWhiteSpace()
        if current != nil { throw error("unexpected \(found) after the end of the JSON value") }
        return node
    }

    private mutating func parseValue() throws(DataError) -> JSONNode {
        let startLine = line, startColumn = column
        func node(_ value: JSONNode.Value) -> JSONNode { JSONNode(value: value, line: startLine, column: startColumn) }
        switch current {
        case "{": return node(try parseObject())
        case "[": return node(try parseArray())
        case "\"": return node(.string(try parseString()))
        case "t": try expectWord("true"); return node(.bool(true))
        case "f": try expectWord("false"); return node(.bool(false))
        case "n": try expectWord("null"); return node(.null)
        case let scalar? where scalar == "-" || ("0"..."9").contains(scalar): return node(.number(try parseNumber()))
        default: throw error("expected a JSON value (object, array, string, number, true, false or null), found \(found)")
        }
    }

    private mutating func expectWord(_ word: String) throws(DataError) {
        let startLine = line, startColumn = column
        for expected in word.unicodeScalars {
            guard current == expected else {
                throw error("expected `\(word)`", line: startLine, column: startColumn)
            }
            advance()
        }
    }

    private mutating func enter() throws(DataError) {
        depth += 1
        if depth > Self.maximumDepth { throw error("JSON nested more than \(Self.maximumDepth) levels deep") }
    }

    private mutating func parseObject() throws(DataError) -> JSONNode.Value {
        try enter()
        defer { depth -= 1 }
        advance()  // {
        var members: [JSONNode.Member] = []
        var seen: [String: Int] = [:]
        skipWhiteSpace()
        if current == "}" {
            advance()
            return .object([])
        }
        while true {
            skipWhiteSpace()
            guard current == "\"" else { throw error("expected a key in double quotes, found \(found)") }
            let keyLine = line, keyColumn = column
            let key = try parseString()
            if let previous = seen[key] {
                throw error("duplicate key \"\(key)\" (first given on line \(previous))", line: keyLine, column: keyColumn)
            }
            seen[key] = keyLine
            skipWhiteSpace()
            guard current == ":" else { throw error("expected `:` after the key \"\(key)\", found \(found)") }
            advance()
            skipWhiteSpace()
            let value = try parseValue()
            members.append(JSONNode.Member(key: key, keyLine: keyLine, keyColumn: keyColumn, value: value))
            skipWhiteSpace()
            if current == "," {
                advance()
                continue
            }
            if current == "}" {
                advance()
                return .object(members)
            }
            throw error("expected `,` or `}` after an object member, found \(found)" + quoteHint(after: value))
        }
    }

    private mutating func parseArray() throws(DataError) -> JSONNode.Value {
        try enter()
        defer { depth -= 1 }
        advance()  // [
        var elements: [JSONNode] = []
        skipWhiteSpace()
        if current == "]" {
            advance()
            return .array([])
        }
        while true {
            skipWhiteSpace()
            let element = try parseValue()
            elements.append(element)
            skipWhiteSpace()
            if current == "," {
                advance()
                continue
            }
            if current == "]" {
                advance()
                return .array(elements)
            }
            throw error("expected `,` or `]` after an array element, found \(found)" + quoteHint(after: element))
        }
    }

    /// After a string, a letter where a separator belongs usually means that the string took in
    /// the text up to the next `"`: an earlier string lacks its closing quote.
    private func quoteHint(after value: JSONNode) -> String {
        guard case .string = value.value, let scalar = current, scalar.properties.isAlphabetic else { return "" }
        return "; is a closing `\"` missing in the string before it?"
    }

    private mutating func parseString() throws(DataError) -> String {
        let startLine = line, startColumn = column
        advance()  // opening quote
        var text = String.UnicodeScalarView()
        while true {
            guard let scalar = current else {
                throw error("unterminated string: the quote opened here is never closed", line: startLine, column: startColumn)
            }
            switch scalar {
            case "\"":
                advance()
                return String(text)
            case "\\":
                advance()
                text.append(try parseEscape())
            case "\n", "\r":
                throw error("a line break inside a string; write it as `\\n`")
            case _ where scalar.value < 0x20:
                throw error("a control character (U+\(hex(scalar.value))) inside a string; escape it as `\\u\(hex(scalar.value))`")
            default:
                text.append(scalar)
                advance()
            }
        }
    }

    private func hex(_ value: UInt32) -> String {
        let digits = String(value, radix: 16, uppercase: true)
        return String(repeating: "0", count: max(0, 4 - digits.count)) + digits
    }

    /// Reads the escape after a backslash (the backslash already consumed).
    private mutating func parseEscape() throws(DataError) -> Unicode.Scalar {
        let escapeColumn = column - 1
        guard let scalar = current else { throw error("unterminated escape at the end of the file") }
        advance()
        switch scalar {
        case "\"": return "\""
        case "\\": return "\\"
        case "/": return "/"
        case "b": return "\u{08}"
        case "f": return "\u{0C}"
        case "n": return "\n"
        case "r": return "\r"
        case "t": return "\t"
        case "u":
            let high = try parseHex4(escapeColumn: escapeColumn)
            if (0xD800...0xDBFF).contains(high) {
                guard current == "\\", index + 1 < scalars.count, scalars[index + 1] == "u" else {
                    throw error("a lone UTF-16 high surrogate `\\u\(hex(high))`", column: escapeColumn)
                }
                advance()
                advance()
                let low = try parseHex4(escapeColumn: column - 2)
                guard (0xDC00...0xDFFF).contains(low),
                    let combined = Unicode.Scalar(0x10000 + ((high - 0xD800) << 10) + (low - 0xDC00))
                else { throw error("`\\u\(hex(high))` must be followed by a low surrogate", column: escapeColumn) }
                return combined
            }
            guard let result = Unicode.Scalar(high) else {
                throw error("a lone UTF-16 low surrogate `\\u\(hex(high))`", column: escapeColumn)
            }
            return result
        default:
            throw error(
                "unknown escape `\\\(Character(scalar))`; JSON knows \\\" \\\\ \\/ \\b \\f \\n \\r \\t \\uXXXX",
                column: escapeColumn)
        }
    }

    private mutating func parseHex4(escapeColumn: Int) throws(DataError) -> UInt32 {
        var value: UInt32 = 0
        for _ in 0..<4 {
            guard let scalar = current, let digit = hexDigit(scalar) else {
                throw error("`\\u` must be followed by four hexadecimal digits", column: escapeColumn)
            }
            value = value * 16 + digit
            advance()
        }
        return value
    }

    private func hexDigit(_ scalar: Unicode.Scalar) -> UInt32? {
        switch scalar {
        case "0"..."9": scalar.value - 48
        case "a"..."f": scalar.value - 87
        case "A"..."F": scalar.value - 55
        default: nil
        }
    }

    private mutating func parseNumber() throws(DataError) -> Double {
        let startColumn = column
        var text = ""
        func isDigit(_ scalar: Unicode.Scalar?) -> Bool { scalar.map { ("0"..."9").contains($0) } ?? false }
        func take() {
            if let scalar = current { text.unicodeScalars.append(scalar) }
            advance()
        }
        let bad = error("malformed number; expected digits like `12`, `-0.5` or `1.2e3`", column: startColumn)
        if current == "-" { take() }
        guard isDigit(current) else { throw bad }
        if current == "0" {
            take()
            if isDigit(current) { throw error("a number must not have a leading zero (write `7`, not `07`)", column: startColumn) }
        } else {
            while isDigit(current) { take() }
        }
        if current == "." {
            take()
            guard isDigit(current) else { throw bad }
            while isDigit(current) { take() }
        }
        if current == "e" || current == "E" {
            take()
            if current == "+" || current == "-" { take() }
            guard isDigit(current) else { throw bad }
            while isDigit(current) { take() }
        }
        guard let value = Double(text), value.isFinite else {
            throw error("the number \(text) is too large for a 64-bit floating-point value", column: startColumn)
        }
        return value
    }
}
