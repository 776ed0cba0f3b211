import LodestoneKernel

// Why a hand-written reader: the CSV packages available to this project do not report the line
// and column of every field, and every data error must name `file:line:column` (DESIGN §8).
// RFC 4180 is small enough that a reader which tracks positions is shorter than an adapter.

/// One field of a CSV record with the place it starts.
public struct CSVField: Hashable, Sendable {
    /// The field's text, unquoted (`""` inside quotes becomes `"`).
    public var text: String
    /// The line the field starts on, from 1 (for a quoted field, the line of its opening quote).
    public var line: Int
    /// The column the field starts at, from 1, counted in Unicode scalars.
    public var column: Int
    /// Whether the field was written in double quotes.
    public var isQuoted: Bool

    /// Creates a field.
    public init(text: String, line: Int, column: Int, isQuoted: Bool = false) {
        self.text = text
        self.line = line
        self.column = column
        self.isQuoted = isQuoted
    }
}

/// One CSV record (a row): its fields and where it ends.
public struct CSVRecord: Hashable, Sendable {
    /// The fields, in order.
    public var fields: [CSVField]
    /// The line the record starts on, from 1.
    public var line: Int { fields.first?.line ?? endLine }
    /// The line of the record's last character (before its line break).
    public var endLine: Int
    /// The column just after the record's last character, from 1: where a missing field would go.
    public var endColumn: Int

    /// Creates a record.
    public init(fields: [CSVField], endLine: Int, endColumn: Int) {
        self.fields = fields
        self.endLine = endLine
        self.endColumn = endColumn
    }
}

/// A reader for RFC 4180 CSV text that keeps the line and column of every field.
///
/// Accepted: comma separators; fields in double quotes with `""` for a quote and embedded commas
/// and line breaks; LF, CRLF or CR line breaks; a leading UTF-8 byte-order mark; a missing final
/// line break. Blank lines are skipped. A quote inside an unquoted field, text after a closing
/// quote and an unterminated quoted field are errors located at the offending character.
public enum CSVReader {
    /// Splits `text` into records. `file` names the text in errors.
    public static func records(in text: String, file: String) throws(DataError) -> [CSVRecord] {
        var scanner = CSVScanner(text: text, file: file)
        return try scanner.readAll()
    }
}

/// The state machine behind ``CSVReader``: one pass over Unicode scalars.
struct CSVScanner {
    private let scalars: [Unicode.Scalar]
    private let file: String
    private var index = 0
    private var line = 1
    private var column = 1

    init(text: String, file: String) {
        var scalars = Array(text.unicodeScalars)
        if scalars.first == "\u{FEFF}" { scalars.removeFirst() }
        self.scalars = scalars
        self.file = file
    }

    private var current: Unicode.Scalar? { index < scalars.count ? scalars[index] : nil }

    /// Moves past one scalar, or past a whole CRLF, keeping line and column.
    private mutating func advance() {
        guard let scalar = current else { return }
        index += 1
        if scalar == "\r" {
            if current == "\n" { index += 1 }
            line += 1
            column = 1
        } else if scalar == "\n" {
            line += 1
            column = 1
        } else {
            column += 1
        }
    }

    private func isLineBreak(_ scalar: Unicode.Scalar?) -> Bool { scalar == "\n" || scalar == "\r" }

    mutating func readAll() throws(DataError) -> [CSVRecord] {
        var records: [CSVRecord] = []
        while current != nil {
            let record = try readRecord()
            let isBlank =
                record.fields.count == 1 && !record.fields[0].isQuoted
                && record.fields[0].text.allSatisfy { $0 == " " || $0 == "\t" }
            if !isBlank { records.append(record) }
            if isLineBreak(current) { advance() }
        }
        return records
    }

    /// Reads fields up to (not past) the next line break outside quotes, or the end.
    private mutating func readRecord() throws(DataError) -> CSVRecord {
        var fields: [CSVField] = []
        while true {
            fields.append(try readField())
            if current == "," {
                advance()
                continue
            }
            return CSVRecord(fields: fields, endLine: line, endColumn: column)
        }
    }

    private mutating func readField() throws(DataError) -> CSVField {
        let startLine = line, startColumn = column
        if current == "\"" {
            advance()
            var text = String.UnicodeScalarView()
            while true {
                guard let scalar = current else {
                    throw DataError(
                        SourceLocation(file: file, line: startLine, column: startColumn),
                        "unterminated quoted field: the quote opened here is never closed (write `\"\"` for a quote inside a field)"
                    )
                }
                if scalar == "\"" {
                    advance()
                    if current == "\"" {
                        text.append("\"")
                        advance()
                        continue
                    }
                    break
                }
                if scalar == "\r" {
                    // A CRLF or CR inside quotes is one line break of the field's text.
                    text.append("\n")
                } else {
                    text.append(scalar)
                }
                advance()
            }
            if let next = current, next != ",", !isLineBreak(next) {
                throw DataError(
                    SourceLocation(file: file, line: line, column: column),
                    "unexpected `\(Character(next))` after a closing quote; expected `,` or the end of the line")
            }
            return CSVField(text: String(text), line: startLine, column: startColumn, isQuoted: true)
        }
        var text = String.UnicodeScalarView()
        while let scalar = current, scalar != ",", !isLineBreak(scalar) {
            if scalar == "\"" {
                throw DataError(
                    SourceLocation(file: file, line: line, column: column),
                    "a `\"` inside an unquoted field; put the whole field in quotes and write the quote as `\"\"`")
            }
            text.append(scalar)
            advance()
        }
        return CSVField(text: String(text), line: startLine, column: startColumn)
    }
}
