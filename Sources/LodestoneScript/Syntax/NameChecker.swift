import LodestoneKernel

/// Resolves every name of a program without running it (`lodestone check`): unknown variables
/// and functions, and unknown named arguments of built-in functions.
struct NameChecker {
    private var scopes: [Set<String>]
    private let builtins: [String: Signature]
    private(set) var errors: [ScriptError] = []
    private var deferred: [[(FunctionDeclaration, Int)]] = []

    init(known: Set<String>, builtins: [String: Signature]) {
        self.scopes = [known.union(builtins.keys)]
        self.builtins = builtins
    }

    private func isKnown(_ name: String) -> Bool { scopes.contains { $0.contains(name) } }

    private var visible: [String] { scopes.flatMap { $0 }.sorted() }

    private mutating func define(_ name: String) { scopes[scopes.count - 1].insert(name) }

    private mutating func report(_ message: String, _ range: SourceRange) {
        errors.append(ScriptError(message, at: range))
    }

    mutating func check(_ program: [Stmt]) {
        block(program, newScope: false)
    }

    private mutating func block(_ statements: [Stmt], newScope: Bool = true, defining names: [String] = []) {
        if newScope { scopes.append(Set(names)) }
        deferred.append([])
        for statement in statements {
            if case .function(let declaration) = statement.kind, let name = declaration.name { define(name) }
        }
        for statement in statements { self.statement(statement) }
        // Function bodies see every name of the enclosing block, as at run time.
        let bodies = deferred.removeLast()
        let savedScopes = scopes
        for (declaration, depth) in bodies {
            scopes = Array(savedScopes.prefix(depth))
            block(declaration.body, defining: declaration.parameters.map(\.name))
        }
        scopes = savedScopes
        if newScope { scopes.removeLast() }
    }

    private mutating func function(_ declaration: FunctionDeclaration) {
        for parameter in declaration.parameters {
            if let value = parameter.defaultValue { expression(value) }
        }
        deferred[deferred.count - 1].append((declaration, scopes.count))
    }

    private mutating func statement(_ statement: Stmt) {
        switch statement.kind {
        case .let(let name, _, let value):
            expression(value)
            define(name)
        case .assign(let target, _, let value):
            expression(value)
            if case .identifier(let name) = target.kind {
                if !isKnown(name) {
                    report(
                        "unknown name `\(name)`" + NameHint.hint(for: name, among: visible)
                            + "; declare a new variable with `let \(name) = …`", target.range)
                }
            } else {
                expression(target)
            }
        case .expression(let expr):
            expression(expr)
        case .if(let condition, let then, let orElse):
            expression(condition)
            block(then)
            if let orElse { block(orElse) }
        case .for(let name, _, let sequence, let body):
            expression(sequence)
            block(body, defining: [name])
        case .while(let condition, let body):
            expression(condition)
            block(body)
        case .function(let declaration):
            function(declaration)
        case .return(let value):
            if let value { expression(value) }
        case .break, .continue:
            break
        }
    }

    private mutating func expression(_ expr: Expr) {
        switch expr.kind {
        case .number, .string, .bool, .none, .month:
            break
        case .identifier(let name):
            if !isKnown(name) { report("unknown name `\(name)`" + NameHint.hint(for: name, among: visible), expr.range) }
        case .list(let items):
            for item in items { expression(item) }
        case .record(let fields):
            for field in fields { expression(field.value) }
        case .unary(_, let operand):
            expression(operand)
        case .binary(_, let left, let right):
            expression(left)
            expression(right)
        case .range(let lower, let upper, _, let step):
            expression(lower)
            expression(upper)
            if let step { expression(step) }
        case .member(let base, _, _):
            expression(base)
        case .index(let base, let index):
            expression(base)
            expression(index)
        case .call(let callee, let arguments):
            expression(callee)
            if case .identifier(let name) = callee.kind, let signature = builtins[name],
                scopes.dropFirst().allSatisfy({ !$0.contains(name) })
            {
                for argument in arguments {
                    if let label = argument.label, !signature.labels.contains(label) {
                        report(
                            "unknown argument `\(label):` for `\(name)`"
                                + (NameHint.closest(to: label, among: signature.labels).map { "; did you mean `\($0):`?" } ?? "")
                                + (signature.labels.isEmpty ? "" : " (arguments: \(signature.labels.map { "\($0):" }.joined(separator: ", ")))"),
                            argument.labelRange)
                    }
                }
            }
            for argument in arguments { expression(argument.value) }
        case .function(let declaration):
            function(declaration)
        }
    }
}
