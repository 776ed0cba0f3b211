import LodestoneKernel

/// Parses tokens into statements.
///
/// Newlines end statements, except inside `(…)`, `[…]` and record `{…}` literals, after a binary
/// operator, a comma or `=`, and before a line that starts with `.` (a continued method chain).
public struct Parser {
    let tokens: [Token]
    var position = 0
    var ignoreNewlines: [Bool] = [false]
    var depth = 0

    /// The deepest nesting of brackets and operators the parser accepts, so that hostile input
    /// cannot exhaust the stack.
    public static let maximumDepth = 200

    /// The highest expression the parser accepts (``Expr/height``): a flat chain such as
    /// `1 + 1 + … + 1` nests one level per operator, so it is limited too.
    public static let maximumHeight = 10_000

    /// Creates a parser over tokens that end with ``TokenKind/end``.
    public init(tokens: [Token]) { self.tokens = tokens }

    /// Parses a whole source.
    public static func parse(_ file: SourceFile) throws(ScriptError) -> [Stmt] {
        var parser = Parser(tokens: try Lexer.tokenize(file))
        return try parser.parseProgram()
    }

    // MARK: Token access

    mutating func peekToken() -> Token {
        if ignoreNewlines.last == true {
            while tokens[position].kind == .newline { position += 1 }
        }
        return tokens[position]
    }

    mutating func peek() -> TokenKind { peekToken().kind }

    func peekRaw(_ offset: Int = 0) -> TokenKind {
        tokens[min(position + offset, tokens.count - 1)].kind
    }

    @discardableResult
    mutating func advance() -> Token {
        let token = peekToken()
        if token.kind != .end { position += 1 }
        return token
    }

    var previousRange: SourceRange { tokens[max(0, position - 1)].range }

    mutating func skipNewlines() {
        while tokens[position].kind == .newline { position += 1 }
    }

    mutating func check(_ symbol: Symbol) -> Bool { peek() == .symbol(symbol) }

    mutating func match(_ symbol: Symbol) -> Bool {
        if check(symbol) {
            advance()
            return true
        }
        return false
    }

    mutating func matchKeyword(_ keyword: Keyword) -> Bool {
        if peek() == .keyword(keyword) {
            advance()
            return true
        }
        return false
    }

    mutating func expect(_ symbol: Symbol, _ context: String) throws(ScriptError) -> Token {
        let token = peekToken()
        guard token.kind == .symbol(symbol) else {
            throw ScriptError("expected `\(symbol.rawValue)` \(context), found \(token.kind.display)", at: token.range)
        }
        return advance()
    }

    mutating func identifier(_ what: String) throws(ScriptError) -> (String, SourceRange) {
        let token = peekToken()
        guard case .identifier(let name) = token.kind else {
            var message = "expected \(what), found \(token.kind.display)"
            if case .keyword(let word) = token.kind { message += " (`\(word.rawValue)` is a reserved word)" }
            throw ScriptError(message, at: token.range)
        }
        advance()
        return (name, token.range)
    }

    mutating func nested<T>(_ body: (inout Parser) throws(ScriptError) -> T) throws(ScriptError) -> T {
        depth += 1
        defer { depth -= 1 }
        guard depth <= Self.maximumDepth else {
            throw ScriptError("expression nested too deeply (more than \(Self.maximumDepth) levels); split it into several `let` statements", at: peekToken().range)
        }
        return try body(&self)
    }

    mutating func withNewlines<T>(
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

    mutating func skipSeparators() {
        while peekRaw() == .newline || peekRaw() == .symbol(.semicolon) { position += 1 }
    }

    mutating func endOfStatement() throws(ScriptError) {
        let kind = peekRaw()
        switch kind {
        case .newline, .symbol(.semicolon), .end, .symbol(.rightBrace): return
        default:
            if let typo = misspeltKeyword() { throw typo }
            throw ScriptError(
                "expected the end of the statement (a new line or `;`), found \(kind.display)", at: tokens[position].range)
        }
    }

    /// `lett x = 3`: a statement that is a lone name followed by another name, where the first
    /// is close to a keyword that starts a statement — the error names the keyword.
    func misspeltKeyword() -> ScriptError? {
        guard position >= 1, case .identifier(let word) = tokens[position - 1].kind, case .identifier = tokens[position].kind,
            position == 1 || [.newline, .symbol(.semicolon), .symbol(.leftBrace)].contains(tokens[position - 2].kind),
            let keyword = Suggestions.closest(to: word, among: ["let", "fn", "for", "if", "while", "return"])
        else { return nil }
        return ScriptError("unknown word `\(word)`; did you mean `\(keyword)`?", at: tokens[position - 1].range)
    }

    mutating func block(_ context: String) throws(ScriptError) -> [Stmt] {
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

    mutating func statement() throws(ScriptError) -> Stmt {
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

    mutating func ifStatement() throws(ScriptError) -> Stmt {
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

    mutating func function() throws(ScriptError) -> FunctionDeclaration {
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
}
