import LodestoneKernel

/// An expression with the span it was parsed from.
public struct Expr: Sendable {
    /// What kind of expression.
    public let kind: ExprKind
    /// Where it is.
    public let range: SourceRange
    /// The length of the longest path from this expression down to a leaf (1 for a leaf): how
    /// deep the interpreter recurses to evaluate it, and Swift to free it.
    public let height: Int

    /// Creates an expression; its ``height`` is worked out from its direct parts.
    public init(kind: ExprKind, range: SourceRange) {
        self.kind = kind
        self.range = range
        self.height = 1 + kind.partHeight
    }
}

extension ExprKind {
    /// The greatest ``Expr/height`` among the direct sub-expressions (0 for a leaf; a function
    /// literal's body is made of statements, checked on their own).
    var partHeight: Int {
        switch self {
        case .number, .string, .bool, .none, .month, .identifier, .function: return 0
        case .list(let items): return items.lazy.map(\.height).max() ?? 0
        case .record(let fields): return fields.lazy.map(\.value.height).max() ?? 0
        case .unary(_, let operand): return operand.height
        case .binary(_, let left, let right): return max(left.height, right.height)
        case .range(let low, let high, _, let step): return max(low.height, high.height, step?.height ?? 0)
        case .member(let base, _, _): return base.height
        case .index(let base, let index): return max(base.height, index.height)
        case .call(let callee, let arguments): return max(callee.height, arguments.lazy.map(\.value.height).max() ?? 0)
        }
    }
}

/// The kinds of expression.
public indirect enum ExprKind: Sendable {
    /// A number literal (percentages already divided by 100).
    case number(Double)
    /// A string literal.
    case string(String)
    /// `true` or `false`.
    case bool(Bool)
    /// `none`.
    case none
    /// A month literal.
    case month(Month)
    /// A name.
    case identifier(String)
    /// `[a, b, c]`.
    case list([Expr])
    /// `{"key": value, name: value}`.
    case record([RecordField])
    /// `-x`, `not x`.
    case unary(UnaryOperator, Expr)
    /// `a + b` and friends.
    case binary(BinaryOperator, Expr, Expr)
    /// `a..b`, `a..<b`, with an optional `step s`.
    case range(Expr, Expr, inclusive: Bool, step: Expr?)
    /// `base.name`.
    case member(Expr, name: String, nameRange: SourceRange)
    /// `base[index]`.
    case index(Expr, Expr)
    /// `callee(arguments)`.
    case call(Expr, [CallArgument])
    /// `fn (params) { body }`.
    case function(FunctionDeclaration)
}

/// A field of a record literal.
public struct RecordField: Sendable {
    /// The key.
    public let key: String
    /// Where the key is.
    public let keyRange: SourceRange
    /// The value.
    public let value: Expr
}

/// A call argument, positional or named (`months: 12`).
public struct CallArgument: Sendable {
    /// The name before `:`, or nil for a positional argument.
    public let label: String?
    /// Where the label is (the value's range for a positional argument).
    public let labelRange: SourceRange
    /// The value.
    public let value: Expr
}

/// Prefix operators.
public enum UnaryOperator: String, Sendable {
    /// Arithmetic negation `-`.
    case negate = "-"
    /// Logical negation `not` / `!`.
    case not = "not"
}

/// Infix operators (`and`/`or` evaluate their right side only when needed).
public enum BinaryOperator: String, Sendable {
    /// Arithmetic.
    case add = "+", subtract = "-", multiply = "*", divide = "/", remainder = "%", power = "^"
    /// Comparisons.
    case equal = "==", notEqual = "!=", less = "<", lessEqual = "<=", greater = ">", greaterEqual = ">="
    /// Logic (short-circuit).
    case and = "and", or = "or"
}

/// A function's parameter, with an optional default value.
public struct FunctionParameter: Sendable {
    /// The name.
    public let name: String
    /// Where the name is.
    public let range: SourceRange
    /// The default, evaluated at each call where the argument is missing.
    public let defaultValue: Expr?
}

/// A function written in a script (`fn name(a, b) { … }` or `fn (x) { … }`).
public final class FunctionDeclaration: Sendable {
    /// The name; nil for an anonymous function.
    public let name: String?
    /// The parameters.
    public let parameters: [FunctionParameter]
    /// The body.
    public let body: [Stmt]
    /// Where the whole declaration is.
    public let range: SourceRange
    /// Where the name (or `fn`) is.
    public let nameRange: SourceRange

    init(name: String?, parameters: [FunctionParameter], body: [Stmt], range: SourceRange, nameRange: SourceRange) {
        self.name = name
        self.parameters = parameters
        self.body = body
        self.range = range
        self.nameRange = nameRange
    }
}

/// A statement with the span it was parsed from.
public struct Stmt: Sendable {
    /// What kind of statement.
    public let kind: StmtKind
    /// Where it is.
    public let range: SourceRange
}

/// The kinds of statement.
public indirect enum StmtKind: Sendable {
    /// `let name = value`.
    case `let`(name: String, nameRange: SourceRange, value: Expr)
    /// `target = value`, or `target += value` (operator given).
    case assign(target: Expr, operator: BinaryOperator?, value: Expr)
    /// An expression evaluated for its effect (and printed at the top level).
    case expression(Expr)
    /// `if condition { … } else { … }`; `else if` is an `if` inside `orElse`.
    case `if`(condition: Expr, then: [Stmt], orElse: [Stmt]?)
    /// `for name in sequence { … }`.
    case `for`(name: String, nameRange: SourceRange, sequence: Expr, body: [Stmt])
    /// `while condition { … }`.
    case `while`(condition: Expr, body: [Stmt])
    /// `fn name(params) { … }`.
    case function(FunctionDeclaration)
    /// `return` or `return value`.
    case `return`(Expr?)
    /// `break`.
    case `break`
    /// `continue`.
    case `continue`
}
