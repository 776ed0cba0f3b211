// The expression grammar of `Parser`, from `or` (lowest precedence) down to primaries; see
// the table in Docs/Language.md, "Operators".

extension Parser {
    /// Parses one expression.
    public mutating func expression() throws(ScriptError) -> Expr {
        try nested { (p: inout Parser) throws(ScriptError) -> Expr in try p.orExpression() }
    }

    mutating func binaryContinue() { skipNewlines() }

    /// `expr`, or the error "expression too long" when it is more than ``maximumHeight`` levels
    /// high: a chain such as `1 + 1 + … + 1` or `a.b.b.….b` nests one level per operator, and the
    /// interpreter (and Swift, freeing it) recurses once per level.
    func limitHeight(_ expr: Expr) throws(ScriptError) -> Expr {
        guard expr.height <= Self.maximumHeight else {
            throw ScriptError(
                "expression too long: more than \(Self.maximumHeight) operators, calls or members in a chain; "
                    + "split it into several `let` statements, or add up a list with `sum([…])`",
                at: previousRange)
        }
        return expr
    }

    mutating func orExpression() throws(ScriptError) -> Expr {
        var left = try andExpression()
        while peek() == .keyword(.or) || check(.pipePipe) {
            advance()
            binaryContinue()
            let right = try andExpression()
            left = try limitHeight(Expr(kind: .binary(.or, left, right), range: left.range.through(right.range)))
        }
        return left
    }

    mutating func andExpression() throws(ScriptError) -> Expr {
        var left = try notExpression()
        while peek() == .keyword(.and) || check(.ampAmp) {
            advance()
            binaryContinue()
            let right = try notExpression()
            left = try limitHeight(Expr(kind: .binary(.and, left, right), range: left.range.through(right.range)))
        }
        return left
    }

    mutating func notExpression() throws(ScriptError) -> Expr {
        if peek() == .keyword(.not) {
            let start = advance()
            let operand = try nested { (p: inout Parser) throws(ScriptError) -> Expr in try p.notExpression() }
            return Expr(kind: .unary(.not, operand), range: start.range.through(operand.range))
        }
        return try comparison()
    }

    mutating func comparison() throws(ScriptError) -> Expr {
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

    mutating func rangeExpression() throws(ScriptError) -> Expr {
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

    mutating func additive() throws(ScriptError) -> Expr {
        var left = try multiplicative()
        while true {
            let op: BinaryOperator
            if check(.plus) { op = .add } else if check(.minus) { op = .subtract } else { return left }
            advance()
            binaryContinue()
            let right = try multiplicative()
            left = try limitHeight(Expr(kind: .binary(op, left, right), range: left.range.through(right.range)))
        }
    }

    mutating func multiplicative() throws(ScriptError) -> Expr {
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
            left = try limitHeight(Expr(kind: .binary(op, left, right), range: left.range.through(right.range)))
        }
    }

    mutating func unary() throws(ScriptError) -> Expr {
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

    mutating func power() throws(ScriptError) -> Expr {
        let base = try postfix()
        guard check(.caret) else { return base }
        advance()
        binaryContinue()
        let exponent = try nested { (p: inout Parser) throws(ScriptError) -> Expr in try p.unary() }
        return Expr(kind: .binary(.power, base, exponent), range: base.range.through(exponent.range))
    }

    mutating func postfix() throws(ScriptError) -> Expr {
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
                expr = try limitHeight(Expr(kind: .member(expr, name: name, nameRange: token.range), range: expr.range.through(token.range)))
            } else if check(.leftParen) {
                let arguments = try self.arguments()
                expr = try limitHeight(Expr(kind: .call(expr, arguments), range: expr.range.through(previousRange)))
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
                expr = try limitHeight(Expr(kind: .index(expr, index), range: expr.range.through(previousRange)))
            } else {
                return expr
            }
            if depth > Self.maximumDepth { break }
        }
        return expr
    }

    mutating func arguments() throws(ScriptError) -> [CallArgument] {
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

    mutating func primary() throws(ScriptError) -> Expr {
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

    mutating func record() throws(ScriptError) -> Expr {
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
