/// Decides whether REPL input stops mid-statement.
enum IncompleteInput {
    /// True when brackets are open, or the last token is a binary operator, a comma, `=`, `.`,
    /// `..`, `step`, `let`, `else`, or a line ends in `\`.
    static func check(_ source: String) -> Bool {
        var trimmed = Substring(source)
        while let last = trimmed.last, last == " " || last == "\t" || last == "\n" || last == "\r" { trimmed = trimmed.dropLast() }
        if trimmed.hasSuffix("\\") { return true }
        let file = SourceFile(name: "<input>", text: source)
        var lexer = Lexer(file)
        var depth = 0
        var last: TokenKind?
        while true {
            let token: Token
            do { token = try lexer.next() } catch {
                // An unterminated string or a stray character is an error the parser reports.
                return false
            }
            switch token.kind {
            case .end:
                if depth > 0 { return true }
                guard let last else { return false }
                switch last {
                case .symbol(let symbol):
                    let continuing: Set<Symbol> = [
                        .comma, .dot, .dotDot, .dotDotLess, .assign, .equal, .notEqual, .less, .lessEqual, .greater,
                        .greaterEqual, .plus, .minus, .star, .slash, .percent, .caret, .bang, .ampAmp, .pipePipe,
                        .plusAssign, .minusAssign, .starAssign, .slashAssign, .colon,
                    ]
                    return continuing.contains(symbol)
                case .keyword(let keyword):
                    return [.and, .or, .not, .step, .let, .else, .in, .return].contains(keyword) && keyword != .return
                default:
                    return false
                }
            case .newline:
                continue
            case .symbol(.leftParen), .symbol(.leftBracket), .symbol(.leftBrace):
                depth += 1
            case .symbol(.rightParen), .symbol(.rightBracket), .symbol(.rightBrace):
                depth -= 1
                // More closers than openers: complete (the parser reports it).
                if depth < 0 { return false }
            default:
                break
            }
            last = token.kind
        }
    }
}
