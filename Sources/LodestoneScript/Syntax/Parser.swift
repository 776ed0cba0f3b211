/// Parses tokens into statements.
///
/// Newlines end statements, except inside `(…)`, `[…]` and record `{…}` literals, after a binary
/// operator, a comma or `=`, and before a line that starts with `.` (a continued method chain).
public struct Parser {
    private let tokens: [Token]
    private var position = 0
    private var ignoreNewlines: [Bool] = [false]
    private var depth = 0

    /// The deepest nesting of brackets and operators the parser accepts, so that hostile input
    /// cannot exhaust the stack.
    public static let maximumDepth = 200

    /// Creates a parser over tokens that end with ``TokenKind/end``.
    public init(tokens: [Token]) { self.tokens = tokens }

    /// Parses a whole source.
    public static func parse(_ file: SourceFile) throws(ScriptError) -> [Stmt] {
        var parser = Parser(tokens: try Lexer.tokenize(file))
        return try parser.parseProgram()
    }

    // MARK: Token access

    private mutating func peekToken() -> Token {
        if ignoreNewlines.last == true {
            while tokens[position].kind == .newline { position += 1 }
        }
        return tokens[position]
    }

    private mutating func peek() -> TokenKind { peekToken().kind }

    private func peekRaw(_ offset: Int = 0) -> TokenKind {
        tokens[min(position + offset, tokens.count - 1)].kind
    }

    @discardableResult
    private mutating func advance() -> Token {
        let token = peekToken()
        if token.kind != .end { position += 1 }
        return token
    }

    private var previousRange: SourceRange { tokens[max(0, position - 1)].range }

    private mutating func skipNewlines() {
        while tokens[position].kind == .newline { position += 1 }
    }

    private mutating func check(_ symbol: Symbol) -> Bool { peek() == .symbol(symbol) }

    private mutating func match(_ symbol: Symbol) -> Bool {
        if check(symbol) {
            advance()
            return true
        }
        return false
    }

    private mutating func matchKeyword(_ keyword: Keyword) -> Bool {
        if peek() == .keyword(keyword) {
            advance()
            return true
        }
        return false
    }

    private mutating func expect(_ symbol: Symbol, _ context: String) throws(ScriptError) -> Token {
        let token = peekToken()
        guard token.kind == .symbol(symbol) else {
            throw ScriptError("expected `\(symbol.rawValue)` \(context), found \(token.kind.display)", at: token.range)
        }
        return advance()
    }

    private mutating func identifier(_ what: String) throws(ScriptError) -> (String, SourceRange) {
        let token = peekToken()
        guard case .identifier(let name) = token.kind else {
            var message = "expected \(what), found \(token.kind.display)"
            if case .keyword(let word) = token.kind { message += " (`\(word.rawValue)` is a reserved word)" }
            throw ScriptError(message, at: token.range)
        }
        advance()
        return (name, token.range)
    }

    private mutating func nested<T>(_ body: (inout Parser) throws(ScriptError) -> T) throws(ScriptError) -> T {
        depth += 1
        defer { depth -= 1 }
        guard depth <= Self.maximumDepth else {
            throw ScriptError("expression nested too deeply (more than \(Self.maximumDepth) levels); split it into several `let` statements", at: peekToken().range)
        }
        return try body(&self)
    }

    private mutating func withNewlines<T>(
        ignored: Bool, _ body: (inout Parser) throws(ScriptError) -> T
    ) throws(ScriptError) -> T {
        ignoreNewlines.append(ignored)
        defer { ignoreNewlines.removeLast() }
        return try body(&self)
    }

    /// "; is a `]` missing …?" when the unexpected token is on a later line than the opener.
    static func missingCloser(_ closer: String, open: SourceRange, found: SourceRange) -> String {
        let (openLine, openColumn) = open.lineAndColumn
        guard found.lineAndColumn.line > openLine else { return "" }
        return " (is a `\(closer)` missing for the `\(open.text.prefix(1))` at line \(openLine), column \(openColumn)?)"
    }

    // MARK: Statements

    /// Parses statements until the end of the input.
    public mutating func parseProgram() throws(ScriptError) -> [Stmt] {
        var statements: [Stmt] = []
        while true {
            skipSeparators()
            if peek() == .end { return statements }
            if check(.rightBrace) {
                throw ScriptError("unexpected `}` with no open `{`", at: peekToken().range)
            }
            statements.append(try statement())
            try endOfStatement()
        }
    }

    private mutating func skipSeparators() {
        while peekRaw() == .newline || peekRaw() == .symbol(.semicolon) { position += 1 }
    }

    private mutating func endOfStatement() throws(ScriptError) {
        let kind = peekRaw()
        switch kind {
        case .newline, .symbol(.semicolon), .end, .symbol(.rightBrace): return
        default:
            throw ScriptError(
                "expected the end of the statement (a new line or `;`), found \(kind.display)", at: tokens[position].range)
        }
    }

    private mutating func block(_ context: String) throws(ScriptError) -> [Stmt] {
        try withNewlines(ignored: false) { (p: inout Parser) throws(ScriptError) -> [Stmt] in
            let open = p.peekToken()
            guard open.kind == .symbol(.leftBrace) else {
                throw ScriptError("expected `{` \(context), found \(open.kind.display)", at: open.range)
            }
            p.advance()
            return try p.nested { (p: inout Parser) throws(ScriptError) -> [Stmt] in
                var body: [Stmt] = []
                while true {
                    p.skipSeparators()
                    if p.peekRaw() == .symbol(.rightBrace) {
                        p.position += 1
                        return body
                    }
                    if p.peekRaw() == .end {
                        throw ScriptError("missing `}` to close the `{` \(context)", at: open.range)
                    }
                    body.append(try p.statement())
                    try p.endOfStatement()
                }
            }
        }
    }

    private mutating func statement() throws(ScriptError) -> Stmt {
        let start = peekToken()
        switch start.kind {
        case .keyword(.let):
            advance()
            let (name, nameRange) = try identifier("a name after `let`")
            guard match(.assign) else {
                throw ScriptError(
                    "expected `=` after `let \(name)`, found \(peekToken().kind.display)", at: peekToken().range)
            }
            skipNewlines()
            let value = try expression()
            return Stmt(kind: .let(name: name, nameRange: nameRange, value: value), range: start.range.through(value.range))
        case .keyword(.if):
            return try ifStatement()
        case .keyword(.for):
            advance()
            let (name, nameRange) = try identifier("a loop variable after `for`")
            guard matchKeyword(.in) else {
                throw ScriptError("expected `in` after `for \(name)`, found \(peekToken().kind.display)", at: peekToken().range)
            }
            let sequence = try expression()
            let body = try block("of the `for` loop")
            return Stmt(
                kind: .for(name: name, nameRange: nameRange, sequence: sequence, body: body),
                range: start.range.through(previousRange))
        case .keyword(.while):
            advance()
            let condition = try expression()
            let body = try block("of the `while` loop")
            return Stmt(kind: .while(condition: condition, body: body), range: start.range.through(previousRange))
        case .keyword(.fn):
            if case .identifier = peekRaw(1) {
                let declaration = try function()
                return Stmt(kind: .function(declaration), range: declaration.range)
            }
        case .keyword(.return):
            advance()
            switch peekRaw() {
            case .newline, .end, .symbol(.semicolon), .symbol(.rightBrace):
                return Stmt(kind: .return(nil), range: start.range)
            default:
                let value = try expression()
                return Stmt(kind: .return(value), range: start.range.through(value.range))
            }
        case .keyword(.break):
            advance()
            return Stmt(kind: .break, range: start.range)
        case .keyword(.continue):
            advance()
            return Stmt(kind: .continue, range: start.range)
        case .keyword(.else):
            throw ScriptError("`else` without an `if` (put it on the same line as the `}` before it)", at: start.range)
        default:
            break
        }
        let expr = try expression()
        let operators: [Symbol: BinaryOperator?] = [
            .assign: nil, .plusAssign: .add, .minusAssign: .subtract, .starAssign: .multiply, .slashAssign: .divide,
        ]
        if case .symbol(let symbol) = peekRaw(), let op = operators[symbol] {
            let opToken = advance()
            switch expr.kind {
            case .identifier, .member, .index: break
            default:
                throw ScriptError(
                    "cannot assign to this expression: the left of `\(symbol.rawValue)` must be a name, a field, an index or a parameter path",
                    at: expr.range)
            }
            skipNewlines()
            _ = opToken
            let value = try expression()
            return Stmt(kind: .assign(target: expr, operator: op, value: value), range: expr.range.through(value.range))
        }
        return Stmt(kind: .expression(expr), range: expr.range)
    }

    private mutating func ifStatement() throws(ScriptError) -> Stmt {
        let start = advance()
        let condition = try expression()
        let then = try block("of the `if`")
        var orElse: [Stmt]?
        // `else` may follow on the next line after the closing brace.
        var look = position
        while tokens[look].kind == .newline { look += 1 }
        if tokens[look].kind == .keyword(.else) {
            position = look + 1
            if peekRaw() == .keyword(.if) {
                orElse = [try ifStatement()]
            } else {
                orElse = try block("of the `else`")
            }
        }
        return Stmt(kind: .if(condition: condition, then: then, orElse: orElse), range: start.range.through(previousRange))
    }

    private mutating func function() throws(ScriptError) -> FunctionDeclaration {
        let start = advance()  // fn
        var name: String?
        var nameRange = start.range
        if case .identifier = peek() {
            let (n, r) = try identifier("a function name")
            name = n
            nameRange = r
        }
        let parameters = try withNewlines(ignored: true) { (p: inout Parser) throws(ScriptError) -> [FunctionParameter] in
            _ = try p.expect(.leftParen, "before the parameters of `fn`")
            var parameters: [FunctionParameter] = []
            while !p.check(.rightParen) {
                let (pname, prange) = try p.identifier("a parameter name")
                if parameters.contains(where: { $0.name == pname }) {
                    throw ScriptError("parameter `\(pname)` appears twice", at: prange)
                }
                var defaultValue: Expr?
                if p.match(.assign) {
                    defaultValue = try p.expression()
                } else if parameters.last?.defaultValue != nil {
                    throw ScriptError("parameter `\(pname)` needs a default value because the one before it has one", at: prange)
                }
                parameters.append(FunctionParameter(name: pname, range: prange, defaultValue: defaultValue))
                if !p.match(.comma) { break }
            }
            _ = try p.expect(.rightParen, "after the parameters")
            return parameters
        }
        let body = try block("of the function")
        return FunctionDeclaration(
            name: name, parameters: parameters, body: body, range: start.range.through(previousRange), nameRange: nameRange)
    }

    // MARK: Expressions

    /// Parses one expression.
    public mutating func expression() throws(ScriptError) -> Expr {
        try nested { (p: inout Parser) throws(ScriptError) -> Expr in try p.orExpression() }
    }

    private mutating func binaryContinue() { skipNewlines() }

    private mutating func orExpression() throws(ScriptError) -> Expr {
        var left = try andExpression()
        while peek() == .keyword(.or) || check(.pipePipe) {
            advance()
            binaryContinue()
            let right = try andExpression()
            left = Expr(kind: .binary(.or, left, right), range: left.range.through(right.range))
        }
        return left
    }

    private mutating func andExpression() throws(ScriptError) -> Expr {
        var left = try notExpression()
        while peek() == .keyword(.and) || check(.ampAmp) {
            advance()
            binaryContinue()
            let right = try notExpression()
            left = Expr(kind: .binary(.and, left, right), range: left.range.through(right.range))
        }
        return left
    }

    private mutating func notExpression() throws(ScriptError) -> Expr {
        if peek() == .keyword(.not) {
            let start = advance()
            let operand = try nested { (p: inout Parser) throws(ScriptError) -> Expr in try p.notExpression() }
            return Expr(kind: .unary(.not, operand), range: start.range.through(operand.range))
        }
        return try comparison()
    }

    private mutating func comparison() throws(ScriptError) -> Expr {
        let left = try rangeExpression()
        let operators: [Symbol: BinaryOperator] = [
            .equal: .equal, .notEqual: .notEqual, .less: .less, .lessEqual: .lessEqual, .greater: .greater,
            .greaterEqual: .greaterEqual,
        ]
        guard case .symbol(let symbol) = peek(), let op = operators[symbol] else { return left }
        advance()
        binaryContinue()
        let right = try rangeExpression()
        if case .symbol(let next) = peek(), operators[next] != nil {
            throw ScriptError(
                "comparisons cannot be chained; write `a < b and b < c`", at: peekToken().range)
        }
        return Expr(kind: .binary(op, left, right), range: left.range.through(right.range))
    }

    private mutating func rangeExpression() throws(ScriptError) -> Expr {
        let left = try additive()
        let inclusive: Bool
        if check(.dotDot) {
            inclusive = true
        } else if check(.dotDotLess) {
            inclusive = false
        } else {
            return left
        }
        advance()
        binaryContinue()
        let right = try additive()
        var step: Expr?
        if matchKeyword(.step) {
            binaryContinue()
            step = try additive()
        }
        return Expr(
            kind: .range(left, right, inclusive: inclusive, step: step), range: left.range.through(step?.range ?? right.range))
    }

    private mutating func additive() throws(ScriptError) -> Expr {
        var left = try multiplicative()
        while true {
            let op: BinaryOperator
            if check(.plus) { op = .add } else if check(.minus) { op = .subtract } else { return left }
            advance()
            binaryContinue()
            let right = try multiplicative()
            left = Expr(kind: .binary(op, left, right), range: left.range.through(right.range))
        }
    }

    private mutating func multiplicative() throws(ScriptError) -> Expr {
        var left = try unary()
        while true {
            let op: BinaryOperator
            if check(.star) {
                op = .multiply
            } else if check(.slash) {
                op = .divide
            } else if check(.percent) {
                op = .remainder
            } else {
                return left
            }
            advance()
            binaryContinue()
            let right = try unary()
            left = Expr(kind: .binary(op, left, right), range: left.range.through(right.range))
        }
    }

    private mutating func unary() throws(ScriptError) -> Expr {
        if check(.minus) || check(.bang) {
            let start = advance()
            let operand = try nested { (p: inout Parser) throws(ScriptError) -> Expr in try p.unary() }
            let op: UnaryOperator = start.kind == .symbol(.minus) ? .negate : .not
            return Expr(kind: .unary(op, operand), range: start.range.through(operand.range))
        }
        if check(.plus) {
            throw ScriptError("unary `+` is not supported; write the number alone", at: peekToken().range)
        }
        return try power()
    }

    private mutating func power() throws(ScriptError) -> Expr {
        let base = try postfix()
        guard check(.caret) else { return base }
        advance()
        binaryContinue()
        let exponent = try nested { (p: inout Parser) throws(ScriptError) -> Expr in try p.unary() }
        return Expr(kind: .binary(.power, base, exponent), range: base.range.through(exponent.range))
    }

    private mutating func postfix() throws(ScriptError) -> Expr {
        var expr = try primary()
        while true {
            // A line that starts with `.` continues a method chain.
            if peekRaw() == .newline {
                var look = position
                while tokens[look].kind == .newline { look += 1 }
                if tokens[look].kind == .symbol(.dot) { position = look }
            }
            if check(.dot) {
                advance()
                let token = peekToken()
                let name: String
                switch token.kind {
                case .identifier(let n): name = n
                case .keyword(let k): name = k.rawValue
                default:
                    throw ScriptError("expected a name after `.`, found \(token.kind.display)", at: token.range)
                }
                advance()
                expr = Expr(kind: .member(expr, name: name, nameRange: token.range), range: expr.range.through(token.range))
            } else if check(.leftParen) {
                let arguments = try self.arguments()
                expr = Expr(kind: .call(expr, arguments), range: expr.range.through(previousRange))
            } else if check(.leftBracket) {
                let index = try withNewlines(ignored: true) { (p: inout Parser) throws(ScriptError) -> Expr in
                    let open = p.advance()
                    if p.check(.rightBracket) {
                        throw ScriptError("expected an index inside `[]`", at: open.range.through(p.peekToken().range))
                    }
                    let index = try p.expression()
                    if p.peek() == .end { throw ScriptError("missing `]` to close this index", at: open.range) }
                    _ = try p.expect(.rightBracket, "to close the index")
                    return index
                }
                expr = Expr(kind: .index(expr, index), range: expr.range.through(previousRange))
            } else {
                return expr
            }
            if depth > Self.maximumDepth { break }
        }
        return expr
    }

    private mutating func arguments() throws(ScriptError) -> [CallArgument] {
        try withNewlines(ignored: true) { (p: inout Parser) throws(ScriptError) -> [CallArgument] in
            try p.nested { (p: inout Parser) throws(ScriptError) -> [CallArgument] in
                let open = p.advance()
                var arguments: [CallArgument] = []
                while !p.check(.rightParen) {
                    if p.peek() == .end {
                        throw ScriptError("missing `)` to close the call", at: open.range)
                    }
                    let token = p.peekToken()
                    var label: String?
                    switch token.kind {
                    case .identifier(let name) where p.peekRaw(1) == .symbol(.colon): label = name
                    case .keyword(let word) where p.peekRaw(1) == .symbol(.colon): label = word.rawValue
                    default: break
                    }
                    if let label {
                        p.advance()
                        p.advance()
                        if arguments.contains(where: { $0.label == label }) {
                            throw ScriptError("argument `\(label):` is given twice", at: token.range)
                        }
                        let value = try p.expression()
                        arguments.append(CallArgument(label: label, labelRange: token.range, value: value))
                    } else {
                        if let named = arguments.last(where: { $0.label != nil }) {
                            throw ScriptError(
                                "positional argument after the named argument `\(named.label ?? ""):`; put positional arguments first",
                                at: token.range)
                        }
                        let value = try p.expression()
                        arguments.append(CallArgument(label: nil, labelRange: value.range, value: value))
                    }
                    if !p.match(.comma) {
                        if !p.check(.rightParen) {
                            let found = p.peekToken()
                            if found.kind == .end { throw ScriptError("missing `)` to close the call", at: open.range) }
                            throw ScriptError(
                                "expected `,` or `)` in the argument list, found \(found.kind.display)"
                                    + Parser.missingCloser(")", open: open.range, found: found.range), at: found.range)
                        }
                        break
                    }
                }
                p.advance()
                return arguments
            }
        }
    }

    private mutating func primary() throws(ScriptError) -> Expr {
        let token = peekToken()
        switch token.kind {
        case .number(let value):
            advance()
            return Expr(kind: .number(value), range: token.range)
        case .string(let value):
            advance()
            return Expr(kind: .string(value), range: token.range)
        case .month(let value):
            advance()
            return Expr(kind: .month(value), range: token.range)
        case .keyword(.true), .keyword(.false):
            advance()
            return Expr(kind: .bool(token.kind == .keyword(.true)), range: token.range)
        case .keyword(.none):
            advance()
            return Expr(kind: .none, range: token.range)
        case .identifier(let name):
            advance()
            return Expr(kind: .identifier(name), range: token.range)
        case .keyword(.fn):
            let declaration = try function()
            return Expr(kind: .function(declaration), range: declaration.range)
        case .symbol(.leftParen):
            return try withNewlines(ignored: true) { (p: inout Parser) throws(ScriptError) -> Expr in
                p.advance()
                let inner = try p.expression()
                guard p.check(.rightParen) else {
                    let found = p.peekToken()
                    if found.kind == .end { throw ScriptError("missing `)` to close this `(`", at: token.range) }
                    throw ScriptError("expected `)`, found \(found.kind.display)", at: found.range)
                }
                p.advance()
                return Expr(kind: inner.kind, range: token.range.through(p.previousRange))
            }
        case .symbol(.leftBracket):
            return try withNewlines(ignored: true) { (p: inout Parser) throws(ScriptError) -> Expr in
                try p.nested { (p: inout Parser) throws(ScriptError) -> Expr in
                    p.advance()
                    var items: [Expr] = []
                    while !p.check(.rightBracket) {
                        if p.peek() == .end { throw ScriptError("missing `]` to close this list", at: token.range) }
                        items.append(try p.expression())
                        if !p.match(.comma) {
                            if !p.check(.rightBracket) {
                                let found = p.peekToken()
                                if found.kind == .end { throw ScriptError("missing `]` to close this list", at: token.range) }
                                throw ScriptError(
                                    "expected `,` or `]` in the list, found \(found.kind.display)"
                                        + Parser.missingCloser("]", open: token.range, found: found.range), at: found.range)
                            }
                            break
                        }
                    }
                    p.advance()
                    return Expr(kind: .list(items), range: token.range.through(p.previousRange))
                }
            }
        case .symbol(.leftBrace):
            return try record()
        case .end:
            throw ScriptError("unexpected end of input: expected a value", at: token.range)
        case .newline:
            throw ScriptError("expected a value before the end of the line", at: token.range)
        case .keyword(let word):
            throw ScriptError("expected a value, found the reserved word `\(word.rawValue)`", at: token.range)
        case .symbol(let symbol):
            throw ScriptError("expected a value, found `\(symbol.rawValue)`", at: token.range)
        }
    }

    private mutating func record() throws(ScriptError) -> Expr {
        try withNewlines(ignored: true) { (p: inout Parser) throws(ScriptError) -> Expr in
            try p.nested { (p: inout Parser) throws(ScriptError) -> Expr in
                let open = p.advance()
                var fields: [RecordField] = []
                while !p.check(.rightBrace) {
                    let keyToken = p.peekToken()
                    let key: String
                    switch keyToken.kind {
                    case .string(let k): key = k
                    case .identifier(let k): key = k
                    case .end: throw ScriptError("missing `}` to close this record", at: open.range)
                    default:
                        throw ScriptError(
                            "expected a record key (a string or a name), found \(keyToken.kind.display)", at: keyToken.range)
                    }
                    p.advance()
                    if fields.contains(where: { $0.key == key }) {
                        throw ScriptError("key \"\(key)\" appears twice in the record", at: keyToken.range)
                    }
                    _ = try p.expect(.colon, "after the record key")
                    let value = try p.expression()
                    fields.append(RecordField(key: key, keyRange: keyToken.range, value: value))
                    if !p.match(.comma) {
                        if !p.check(.rightBrace) {
                            let found = p.peekToken()
                            if found.kind == .end { throw ScriptError("missing `}` to close this record", at: open.range) }
                            throw ScriptError(
                                "expected `,` or `}` in the record, found \(found.kind.display)"
                                    + Parser.missingCloser("}", open: open.range, found: found.range), at: found.range)
                        }
                        break
                    }
                }
                p.advance()
                return Expr(kind: .record(fields), range: open.range.through(p.previousRange))
            }
        }
    }
}
