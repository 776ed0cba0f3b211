/// The text of one script or REPL chunk, with its name and line table, shared by every token and
/// syntax node parsed from it so that errors can quote the line they point at.
public final class SourceFile: Sendable {
    /// The name shown in messages (`curbs.lode`, `<repl>`, `<command line>`).
    public let name: String
    /// The text as Unicode scalars; positions in a ``SourceRange`` index this array.
    public let scalars: [Unicode.Scalar]
    /// The line number of the first line (1 for a file; the REPL counts on across inputs).
    public let firstLine: Int
    /// Index in ``scalars`` where each line starts.
    private let lineStarts: [Int]

    /// Creates a source from its text; `firstLine` numbers its first line.
    public init(name: String, text: String, firstLine: Int = 1) {
        self.name = name
        self.firstLine = firstLine
        let scalars = Array(text.unicodeScalars)
        self.scalars = scalars
        var starts = [0]
        for (i, scalar) in scalars.enumerated() where scalar == "\n" { starts.append(i + 1) }
        self.lineStarts = starts
    }

    /// The text.
    public var text: String {
        var result = String.UnicodeScalarView()
        result.append(contentsOf: scalars)
        return String(result)
    }

    /// The 0-based line index of a position.
    func lineIndex(of position: Int) -> Int {
        var low = 0, high = lineStarts.count - 1
        while low < high {
            let mid = (low + high + 1) / 2
            if lineStarts[mid] <= position { low = mid } else { high = mid - 1 }
        }
        return low
    }

    /// The line number (from ``firstLine``) and column (from 1) of a position.
    public func lineAndColumn(of position: Int) -> (line: Int, column: Int) {
        let index = lineIndex(of: position)
        return (index + firstLine, position - lineStarts[index] + 1)
    }

    /// The text of the line holding `position`, without its newline.
    public func lineText(containing position: Int) -> String {
        let index = lineIndex(of: position)
        let start = lineStarts[index]
        var end = index + 1 < lineStarts.count ? lineStarts[index + 1] - 1 : scalars.count
        if end > start, end <= scalars.count, end - 1 >= start, scalars[end - 1] == "\r" { end -= 1 }
        var view = String.UnicodeScalarView()
        view.append(contentsOf: scalars[start..<max(start, end)])
        return String(view)
    }

    /// The scalars between two positions as a string.
    func slice(_ start: Int, _ end: Int) -> String {
        var view = String.UnicodeScalarView()
        view.append(contentsOf: scalars[max(0, start)..<min(end, scalars.count)])
        return String(view)
    }
}

/// A span of a ``SourceFile``: the half-open range of scalar positions `start..<end`.
public struct SourceRange: Sendable, CustomStringConvertible {
    /// The source the positions index.
    public let file: SourceFile
    /// The first position.
    public let start: Int
    /// One past the last position (equal to `start` for an empty span, such as end of input).
    public let end: Int

    /// Creates a range.
    public init(file: SourceFile, start: Int, end: Int) {
        self.file = file
        self.start = start
        self.end = max(start, end)
    }

    /// The range from the start of `self` to the end of `other`.
    func through(_ other: SourceRange) -> SourceRange {
        SourceRange(file: file, start: start, end: max(end, other.end))
    }

    /// The line (from the file's first line) and the column (from 1) of the start.
    public var lineAndColumn: (line: Int, column: Int) { file.lineAndColumn(of: start) }

    /// `file:line:column`.
    public var description: String {
        let (line, column) = lineAndColumn
        return "\(file.name):\(line):\(column)"
    }

    /// The source text the range covers.
    public var text: String { file.slice(start, end) }
}

/// Where a script's bytes stop being UTF-8 text (``SourceFile/text(utf8:)``).
public struct InvalidUTF8: Error, Sendable, Equatable, CustomStringConvertible {
    /// The line of the first invalid byte (from 1).
    public var line: Int
    /// Its column (from 1, counting characters).
    public var column: Int
    /// The byte.
    public var byte: UInt8

    /// Creates the error.
    public init(line: Int, column: Int, byte: UInt8) {
        self.line = line
        self.column = column
        self.byte = byte
    }

    /// `line 3, column 12 (byte 0xE9)`.
    public var description: String {
        let hex = String(byte, radix: 16, uppercase: true)
        return "line \(line), column \(column) (byte 0x\(hex.count == 1 ? "0" + hex : hex))"
    }
}

extension SourceFile {
    /// The bytes of a script file as text, or where they stop being UTF-8 — so that the message
    /// can point at the line to fix (a file saved as Latin-1 or Windows-1252). A UTF-8 byte-order
    /// mark at the start (Windows editors write one) is dropped; CRLF line ends are kept (the lexer
    /// reads them as line ends).
    public static func text(utf8 bytes: [UInt8]) throws(InvalidUTF8) -> String {
        var text = String.UnicodeScalarView()
        let bom = bytes.starts(with: [0xEF, 0xBB, 0xBF]) ? 3 : 0
        var iterator = bytes[bom...].makeIterator()
        var decoder = UTF8()
        var line = 1, column = 1, offset = bom
        while true {
            switch decoder.decode(&iterator) {
            case .scalarValue(let scalar):
                text.append(scalar)
                offset += UTF8.width(scalar)
                if scalar == "\n" {
                    line += 1
                    column = 1
                } else {
                    column += 1
                }
            case .emptyInput:
                return String(text)
            case .error:
                throw InvalidUTF8(line: line, column: column, byte: offset < bytes.count ? bytes[offset] : 0)
            }
        }
    }
}
