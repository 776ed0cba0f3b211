import LodestoneKernel

/// The kinds of token in a `.lode` script.
public enum TokenKind: Equatable, Sendable {
    /// A name (`cover_days`).
    case identifier(String)
    /// A reserved word (`let`, `fn`, `if`, …).
    case keyword(Keyword)
    /// A number; `25%` arrives already divided by 100.
    case number(Double)
    /// A month literal `2026-03`.
    case month(Month)
    /// A string literal with escapes resolved.
    case string(String)
    /// An operator or punctuation mark.
    case symbol(Symbol)
    /// The end of a line (statements end here unless a bracket is open).
    case newline
    /// The end of the input.
    case end

    /// How the token reads in messages (`` `let` ``, `a number`, `the end of the line`).
    public var display: String {
        switch self {
        case .identifier(let name): "`\(name)`"
        case .keyword(let word): "`\(word.rawValue)`"
        case .number: "a number"
        case .month(let month): "the month `\(month)`"
        case .string: "a string"
        case .symbol(let symbol): "`\(symbol.rawValue)`"
        case .newline: "the end of the line"
        case .end: "the end of the input"
        }
    }
}

/// Reserved words.
public enum Keyword: String, CaseIterable, Sendable {
    /// Statement words.
    case `let`, fn, `return`, `if`, `else`, `for`, `in`, `while`, `break`, `continue`
    /// Value and operator words.
    case `true`, `false`, none, and, or, not, step
}

/// Operators and punctuation.
public enum Symbol: String, CaseIterable, Sendable {
    /// Brackets.
    case leftParen = "(", rightParen = ")", leftBracket = "[", rightBracket = "]"
    /// Braces and separators.
    case leftBrace = "{", rightBrace = "}", comma = ",", colon = ":", semicolon = ";"
    /// Member access, ranges and assignment.
    case dot = ".", dotDot = "..", dotDotLess = "..<", assign = "="
    /// Comparisons.
    case equal = "==", notEqual = "!=", less = "<", lessEqual = "<=", greater = ">", greaterEqual = ">="
    /// Arithmetic.
    case plus = "+", minus = "-", star = "*", slash = "/", percent = "%", caret = "^"
    /// Logic.
    case bang = "!", ampAmp = "&&", pipePipe = "||"
    /// Compound assignment.
    case plusAssign = "+=", minusAssign = "-=", starAssign = "*=", slashAssign = "/="
}

/// One token with the span of source it came from.
public struct Token: Sendable {
    /// What it is.
    public let kind: TokenKind
    /// Where it is.
    public let range: SourceRange
}
