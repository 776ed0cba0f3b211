import Foundation
import LodestoneScript

/// The statements of a session that ran without error, in order, for `:save`.
///
/// `ans` is the shell's, not the language's: when a saved statement reads `ans`, the expression
/// that set it is saved as `let ans = …` so that the script runs on its own.
public struct Transcript: Sendable {
    /// One saved statement.
    public struct Entry: Sendable, Equatable {
        /// The statement's source text (several lines for a block).
        public var text: String
        /// Whether it is an expression whose value became `ans`.
        public var setsAnswer: Bool
        /// Whether it reads the name `ans`.
        public var readsAnswer: Bool
    }

    /// The statements, in the order they ran.
    public private(set) var entries: [Entry] = []

    /// An empty transcript.
    public init() {}

    /// Records a statement that ran; `setsAnswer` when its value became `ans`.
    public mutating func record(_ statement: Stmt, setsAnswer: Bool) {
        record(text: Self.replacingFiles(statement), setsAnswer: setsAnswer)
    }

    /// The statement's text; an `export(…)` or a `plot(…)` to a file gets `overwrite: true`, so
    /// that the saved script runs again over the files it wrote the first time.
    static func replacingFiles(_ statement: Stmt) -> String {
        let text = statement.range.text
        guard case .expression(let expression) = statement.kind, case .call(let callee, let arguments) = expression.kind,
            case .identifier(let name) = callee.kind, name == "export" || name == "plot",
            !arguments.contains(where: { $0.label == "overwrite" })
        else { return text }
        if name == "plot" {
            let writesFile = arguments.contains { argument in
                if argument.label == "file" { return true }
                guard argument.label == nil, case .string(let path) = argument.value.kind else { return false }
                return path.contains(".") && !path.contains("[") && !path.contains(" ")
            }
            guard writesFile else { return text }
        }
        var scalars = Array(text.unicodeScalars)
        let close = expression.range.end - 1 - statement.range.start
        guard close > 0, close < scalars.count, scalars[close] == ")" else { return text }
        scalars.insert(contentsOf: (arguments.isEmpty ? "overwrite: true" : ", overwrite: true").unicodeScalars, at: close)
        return String(String.UnicodeScalarView(scalars))
    }

    /// Records a statement given as text.
    public mutating func record(text: String, setsAnswer: Bool) {
        entries.append(Entry(text: text, setsAnswer: setsAnswer, readsAnswer: Self.reads("ans", in: text)))
    }

    /// The transcript as a runnable script, with a header comment.
    public func script(header: String = "# Lodestone session saved with :save") -> String {
        var needsLet = Set<Int>()
        var lastAnswer: Int?
        for (i, entry) in entries.enumerated() {
            if entry.readsAnswer, let j = lastAnswer { needsLet.insert(j) }
            if entry.setsAnswer { lastAnswer = i }
        }
        var out = header.isEmpty ? "" : header + "\n"
        for (i, entry) in entries.enumerated() {
            out += (needsLet.contains(i) ? "let ans = " : "") + entry.text + "\n"
        }
        return out
    }

    /// Whether `text` uses the name `name` (not inside a string or comment, not as a member).
    static func reads(_ name: String, in text: String) -> Bool {
        guard text.contains(name) else { return false }
        var tokens: [Token] = []
        var lexer = Lexer(SourceFile(name: "", text: text))
        while let token = try? lexer.next(), token.kind != .end { tokens.append(token) }
        for (i, token) in tokens.enumerated() where token.kind == .identifier(name) {
            if i > 0, tokens[i - 1].kind == .symbol(.dot) { continue }
            return true
        }
        return false
    }
}
