import LodestoneKernel

extension Session {
    // MARK: Budget and cancellation

    /// Counts one unit of work; stops runaway loops and honours cancellation.
    func tick(_ range: SourceRange) throws(ScriptError) {
        steps += 1
        if steps > options.stepBudget {
            throw ScriptError(
                "the script took more than \(options.stepBudget) steps; is there a loop that never ends?", at: range)
        }
        if steps & 0xFF == 0 || steps < 4 { try checkCancelled(range) }
    }

    func checkCancelled(_ range: SourceRange?) throws(ScriptError) {
        if let isCancelled = options.isCancelled, isCancelled() {
            throw ScriptError("cancelled", at: range, isCancellation: true)
        }
    }

    // MARK: Statements

    func hoistFunctions(_ statements: [Stmt], into scope: Scope) {
        for statement in statements {
            if case .function(let declaration) = statement.kind, let name = declaration.name {
                scope.values[name] = .function(Closure(declaration: declaration, scope: scope))
            }
        }
    }

    func execute(block: [Stmt], in scope: Scope) throws(ScriptError) -> Flow {
        hoistFunctions(block, into: scope)
        for statement in block {
            let flow = try execute(statement, in: scope)
            if case .normal = flow { continue }
            return flow
        }
        return .normal
    }

    /// Runs a block in a new scope inside `parent`, with `binding` (a `for` loop's variable)
    /// defined in it.
    func execute(
        block: [Stmt], inNewScopeOf parent: Scope, binding: (name: String, value: Value)? = nil
    ) throws(ScriptError) -> Flow {
        var scope = Scope(parent: parent)
        defer { close(&scope) }
        // Room for the names the block defines at its top level, made once: a loop body's scope
        // (made every iteration) otherwise grew its table twice, once per name.
        var names = binding == nil ? 0 : 1
        for i in block.indices {
            switch block[i].kind {
            case .let, .function: names += 1
            default: break
            }
        }
        if names > 1 { scope.values.reserveCapacity(names) }
        if let binding { scope.values[binding.name] = binding.value }
        return try execute(block: block, in: scope)
    }

    /// Lets go of a call's or a block's scope, its code being done: frees it now if only the
    /// functions made in it refer to it, and otherwise remembers it when a function made in it may
    /// still refer to it (see ``LingeringScopes``).
    func close(_ scope: inout Scope) {
        guard scope.isCaptured, !Scope.dropOwnFunctions(&scope) else { return }
        lingering.add(scope)
    }

    func execute(_ statement: Stmt, in scope: Scope) throws(ScriptError) -> Flow {
        try tick(statement.range)
        switch statement.kind {
        case .let(let name, _, let value):
            scope.values[name] = try evaluate(value, in: scope)
        case .assign(let target, let op, let valueExpr):
            try assign(to: target, operator: op, valueExpr: valueExpr, in: scope)
        case .expression(let expr):
            _ = try evaluate(expr, in: scope)
        case .if(let condition, let then, let orElse):
            if try testCondition(condition, in: scope, context: "if") {
                return try execute(block: then, inNewScopeOf: scope)
            } else if let orElse {
                return try execute(block: orElse, inNewScopeOf: scope)
            }
        case .while(let conditionExpr, let body):
            while try testCondition(conditionExpr, in: scope, context: "while") {
                try tick(statement.range)
                try checkCancelled(statement.range)
                let flow = try execute(block: body, inNewScopeOf: scope)
                switch flow {
                case .normal, .continued: continue
                case .broke: return .normal
                case .returned: return flow
                }
            }
        case .for(let name, _, let sequenceExpr, let body):
            let sequence = try evaluate(sequenceExpr, in: scope)
            let items = try iterate(sequence, range: sequenceExpr.range)
            for item in items {
                try tick(statement.range)
                try checkCancelled(statement.range)
                let flow = try execute(block: body, inNewScopeOf: scope, binding: (name, item))
                switch flow {
                case .normal, .continued: continue
                case .broke: return .normal
                case .returned: return flow
                }
            }
        case .function(let declaration):
            if let name = declaration.name, scope.values[name] == nil {
                scope.values[name] = .function(Closure(declaration: declaration, scope: scope))
            }
        case .return(let expr):
            let value = try expr.map { (e) throws(ScriptError) -> Value in try evaluate(e, in: scope) } ?? .none
            return .returned(value, statement.range)
        case .break:
            return .broke(statement.range)
        case .continue:
            return .continued(statement.range)
        }
        return .normal
    }

    func testCondition(_ expr: Expr, in scope: Scope, context: String) throws(ScriptError) -> Bool {
        let value = try evaluate(expr, in: scope)
        guard case .bool(let b) = value else {
            throw ScriptError(
                "the `\(context)` condition must be true or false, got \(ValueFormatter.describeForError(value))"
                    + (value.typeName == "number" ? " (compare it, e.g. `x > 0`)" : ""),
                at: expr.range)
        }
        return b
    }

    /// The elements a `for` loop visits.
    func iterate(_ value: Value, range: SourceRange) throws(ScriptError) -> [Value] {
        switch value {
        case .list(let items): return items
        case .range(let r): return try elements(of: r, at: range)
        case .record(let r): return r.keys.map { .string($0) }
        case .string(let s): return s.map { .string(String($0)) }
        case .table(let t): return t.rows.map { .record(Self.rowRecord(t, $0)) }
        case .parameter:
            return try iterate(materialize(value, at: range), range: range)
        default:
            throw ScriptError(
                "cannot loop over \(ValueFormatter.describeForError(value)); `for` needs a list, a range, a record or a table",
                at: range)
        }
    }

    static func rowRecord(_ table: ResultTable, _ row: [ResultTable.Cell]) -> Record {
        var record = Record()
        for (j, column) in table.columns.enumerated() where j < row.count {
            record[column] = cellValue(row[j])
        }
        return record
    }

    static func cellValue(_ cell: ResultTable.Cell) -> Value {
        switch cell {
        case .number(let x): .number(x)
        case .text(let s): Month(s).map(Value.month) ?? .string(s)
        case .none: .none
        }
    }

    /// The elements of a range (numbers or months), at most ``maximumElements``.
    func elements(of r: RangeValue, at range: SourceRange) throws(ScriptError) -> [Value] {
        let limit = Self.maximumElements
        switch (r.lower, r.upper) {
        case (.number(let a), .number(let b)):
            let step = r.step ?? 1
            guard step != 0, step.isFinite else { throw ScriptError("a range's `step` must not be 0", at: range) }
            guard a.isFinite, b.isFinite else { throw ScriptError("a range's bounds must be finite numbers", at: range) }
            let span = (b - a) / step
            if span < 0 || span.isNaN { return [] }
            // Checked as a Double first: a span such as 0..1e300 does not fit in an Int.
            guard span.isFinite, span < Double(limit) else {
                throw ScriptError(
                    "the range has about \(ValueFormatter.rounded(span.rounded(.down) + 1)) elements; the most a range may have is \(limit) (use a larger `step`, or a smaller range)",
                    at: range)
            }
            let tolerance = 1e-9 * max(1, abs(span))
            var count = Int((span + tolerance).rounded(.down)) + 1
            if !r.inclusive, abs(a + Double(count - 1) * step - b) <= 1e-9 * max(1, abs(b)) { count -= 1 }
            guard count <= limit else {
                throw ScriptError("the range has \(count) elements; the most a range may have is \(limit)", at: range)
            }
            var out: [Value] = []
            out.reserveCapacity(max(0, count))
            for i in 0..<max(0, count) {
                // A long range takes a while to build: let Ctrl-C stop it.
                if i & 0xFFFF == 0xFFFF { try checkCancelled(range) }
                out.append(.number(a + Double(i) * step))
            }
            return out
        case (.month(let a), .month(let b)):
            let stepValue = r.step ?? 1
            guard stepValue != 0, stepValue == stepValue.rounded(), abs(stepValue) <= 1e6 else {
                throw ScriptError(
                    "a range of months steps by a whole number of months other than 0 (at most 1000000), got \(ValueFormatter.number(stepValue))",
                    at: range)
            }
            let step = Int(stepValue)
            let span = (b - a) / step
            if span < 0 { return [] }
            guard span < limit else {
                throw ScriptError("the range has about \(span + 1) elements; the most a range may have is \(limit)", at: range)
            }
            var out: [Value] = []
            out.reserveCapacity(span + 1)
            var m = a
            while step > 0 ? (r.inclusive ? m <= b : m < b) : (r.inclusive ? m >= b : m > b) {
                out.append(.month(m))
                m = m + step
            }
            return out
        default:
            throw ScriptError(
                "a range needs two numbers or two months, got \(r.lower.typeDescription) and \(r.upper.typeDescription)",
                at: range)
        }
    }

    // MARK: Expressions

    /// Evaluates an expression to a plain value (parameter views become numbers or records).
    func evaluate(_ expr: Expr, in scope: Scope) throws(ScriptError) -> Value {
        let value = try evaluateRaw(expr, in: scope)
        if case .parameter = value { return try materialize(value, at: expr.range) }
        return value
    }

    /// A parameter view's current value: a number for one value, a record by key otherwise.
    func materialize(_ value: Value, at range: SourceRange) throws(ScriptError) -> Value {
        guard case .parameter(let view) = value else { return value }
        do {
            let values = try view.model.parameters.values(view.fullPath)
            let keyed = view.model.parameters.entry(view.path).map { !$0.declaration.keys.isEmpty } ?? false
            if !keyed || (view.selector != nil && values.count == 1) { return .number(values[0].value) }
            return .record(Record(values.map { ($0.key, Value.number($0.value)) }))
        } catch {
            throw ScriptError(error.message, at: range)
        }
    }

    func evaluateRaw(_ expr: Expr, in scope: Scope) throws(ScriptError) -> Value {
        switch expr.kind {
        case .number(let x): return .number(x)
        case .string(let s): return .string(s)
        case .bool(let b): return .bool(b)
        case .none: return .none
        case .month(let m): return .month(m)
        case .identifier(let name): return try lookup(name, at: expr.range, in: scope)
        case .list(let items):
            var values: [Value] = []
            values.reserveCapacity(items.count)
            for item in items { values.append(try evaluate(item, in: scope)) }
            try checkNesting(.list(values), levels: 0, at: expr.range)
            return .list(values)
        case .record(let fields):
            var record = Record()
            for field in fields { record[field.key] = try evaluate(field.value, in: scope) }
            try checkNesting(.record(record), levels: 0, at: expr.range)
            return .record(record)
        case .unary(let op, let operand):
            let value = try evaluate(operand, in: scope)
            return try unary(op, value, range: expr.range)
        case .binary(.and, let left, let right), .binary(.or, let left, let right):
            guard case .binary(let op, _, _) = expr.kind else { return .none }
            let l = try evaluate(left, in: scope)
            guard case .bool(let lb) = l else {
                throw ScriptError("`\(op.rawValue)` needs true or false on its left, got \(ValueFormatter.describeForError(l))", at: left.range)
            }
            if op == .and && !lb { return .bool(false) }
            if op == .or && lb { return .bool(true) }
            let r = try evaluate(right, in: scope)
            guard case .bool(let rb) = r else {
                throw ScriptError("`\(op.rawValue)` needs true or false on its right, got \(ValueFormatter.describeForError(r))", at: right.range)
            }
            return .bool(rb)
        case .binary(let op, let left, let right):
            let l = try evaluate(left, in: scope)
            let r = try evaluate(right, in: scope)
            return try binary(op, l, r, expr: expr, left: left.range, right: right.range)
        case .range(let lowerExpr, let upperExpr, let inclusive, let stepExpr):
            let lower = try evaluate(lowerExpr, in: scope)
            let upper = try evaluate(upperExpr, in: scope)
            var step: Double?
            if let stepExpr {
                let s = try evaluate(stepExpr, in: scope)
                guard case .number(let x) = s else {
                    throw ScriptError("a range's `step` must be a number, got \(ValueFormatter.describeForError(s))", at: stepExpr.range)
                }
                guard x != 0 else { throw ScriptError("a range's `step` must not be 0", at: stepExpr.range) }
                guard x.isFinite else {
                    throw ScriptError("a range's `step` must be a finite number, got \(ValueFormatter.number(x))", at: stepExpr.range)
                }
                step = x
            }
            switch (lower, upper) {
            case (.number, .number): break
            case (.month, .month):
                if let step, step != step.rounded() {
                    throw ScriptError("a range of months steps by whole months, got \(ValueFormatter.number(step))", at: stepExpr?.range ?? expr.range)
                }
            default:
                throw ScriptError(
                    "a range needs two numbers or two months, got \(ValueFormatter.describeForError(lower)) and \(ValueFormatter.describeForError(upper))",
                    at: expr.range)
            }
            return .range(RangeValue(lower: lower, upper: upper, inclusive: inclusive, step: step))
        case .member(let baseExpr, let name, let nameRange):
            let base = try evaluateRaw(baseExpr, in: scope)
            return try member(of: base, name: name, nameRange: nameRange, baseRange: baseExpr.range)
        case .index(let baseExpr, let indexExpr):
            let base = try evaluateRaw(baseExpr, in: scope)
            let index = try evaluate(indexExpr, in: scope)
            return try subscriptValue(base, index, baseRange: baseExpr.range, indexRange: indexExpr.range)
        case .call(let calleeExpr, let arguments):
            let callee = try evaluateRaw(calleeExpr, in: scope)
            var evaluated: [EvaluatedArgument] = []
            evaluated.reserveCapacity(arguments.count)
            for argument in arguments {
                evaluated.append(
                    EvaluatedArgument(argument.label, argument.labelRange, try evaluate(argument.value, in: scope), argument.value.range))
            }
            return try call(callee, evaluated, calleeRange: calleeExpr.range, callRange: expr.range)
        case .function(let declaration):
            return .function(Closure(declaration: declaration, scope: scope))
        }
    }

    func lookup(_ name: String, at range: SourceRange, in scope: Scope) throws(ScriptError) -> Value {
        if let value = scope.lookup(name) { return value }
        if let builtin = builtins[name] { return .builtin(builtin) }
        if let model = registry.models.first(where: { $0.name == name }) { return .module(ModuleObject(model: model)) }
        let candidates = scope.allNames.union(builtins.keys).union(registry.models.map(\.name))
        var message = "unknown name `\(name)`" + NameHint.hint(for: name, among: candidates.sorted())
        if NameHint.closest(to: name, among: candidates) == nil {
            if Self.methodNames.contains(name) {
                message += " (`\(name)` is a method: call it on a value, e.g. `x.\(name)(…)`)"
            } else if name.first?.isUppercase == true || name.count <= 3 {
                message += " (to write text, put it in quotes: \"\(name)\")"
            }
        }
        throw ScriptError(message, at: range)
    }

    // MARK: Calls


    func call(
        _ callee: Value, _ arguments: [EvaluatedArgument], calleeRange: SourceRange, callRange: SourceRange
    ) throws(ScriptError) -> Value {
        try tick(callRange)
        switch callee {
        case .builtin(let builtin):
            let bound = try Arguments.bind(arguments, to: builtin.signature, callee: builtin.signature.name, callRange: callRange)
            return try builtin.body(self, bound)
        case .method(let method):
            let name = method.method.signature.name
            let bound = try Arguments.bind(arguments, to: method.method.signature, callee: name, callRange: callRange)
            return try method.method.body(self, method.receiver, bound)
        case .function(let closure):
            return try callFunction(closure, arguments, callRange: callRange)
        case .module(let module):
            throw ScriptError(
                "`\(module.model.name)` is a module, not a function; compose it with `model(\(module.model.name), …)`",
                at: calleeRange)
        default:
            throw ScriptError(
                "cannot call \(ValueFormatter.describeForError(callee)): `\(calleeRange.text)` is not a function", at: calleeRange)
        }
    }

    func callFunction(_ closure: Closure, _ arguments: [EvaluatedArgument], callRange: SourceRange) throws(ScriptError) -> Value {
        let declaration = closure.declaration
        let name = declaration.name ?? "fn"
        // Counted before the default arguments are evaluated: a default that calls the function
        // itself (`fn f(x = f()) {…}`) is a recursion too.
        callDepth += 1
        defer { callDepth -= 1 }
        guard callDepth <= options.maximumCallDepth else {
            throw ScriptError(
                "too many nested calls (more than \(options.maximumCallDepth)) in `\(name)`: does its recursion ever stop?",
                at: callRange)
        }
        var scope = Scope(parent: closure.scope)
        defer { close(&scope) }
        var next = 0
        for argument in arguments {
            if let label = argument.label {
                guard declaration.parameters.contains(where: { $0.name == label }) else {
                    let names = declaration.parameters.map(\.name)
                    throw ScriptError(
                        "unknown argument `\(label):` for `\(name)`"
                            + (NameHint.closest(to: label, among: names).map { "; did you mean `\($0):`?" } ?? "")
                            + " (parameters: \(names.joined(separator: ", ")))",
                        at: argument.labelRange)
                }
                guard scope.values[label] == nil else {
                    throw ScriptError("argument `\(label)` of `\(name)` is given twice", at: argument.labelRange)
                }
                scope.values[label] = argument.value
            } else {
                guard next < declaration.parameters.count else {
                    let count = declaration.parameters.count
                    throw ScriptError(
                        "`\(name)` takes \(count) argument\(count == 1 ? "" : "s") (\(declaration.parameters.map(\.name).joined(separator: ", "))), got \(arguments.count)",
                        at: argument.range)
                }
                scope.values[declaration.parameters[next].name] = argument.value
                next += 1
            }
        }
        for parameter in declaration.parameters where scope.values[parameter.name] == nil {
            guard let defaultValue = parameter.defaultValue else {
                throw ScriptError(
                    "`\(name)` needs the argument `\(parameter.name)` (parameters: \(declaration.parameters.map(\.name).joined(separator: ", ")))",
                    at: callRange)
            }
            scope.values[parameter.name] = try evaluate(defaultValue, in: scope)
        }
        do {
            return try runBody(declaration, in: scope)
        } catch {
            // Say where the failing function was called from (the innermost few calls).
            var error = error
            if !error.isCancellation, error.notes.count < 3 {
                error.notes.append("in `\(name)`, called at \(callRange)")
            }
            throw error
        }
    }

    private func runBody(_ declaration: FunctionDeclaration, in scope: Scope) throws(ScriptError) -> Value {
        hoistFunctions(declaration.body, into: scope)
        for (i, statement) in declaration.body.enumerated() {
            // The value of a final expression statement is the function's result.
            if i == declaration.body.count - 1, case .expression(let expr) = statement.kind {
                try tick(statement.range)
                return try evaluate(expr, in: scope)
            }
            switch try execute(statement, in: scope) {
            case .normal: continue
            case .returned(let value, _): return value
            case .broke(let range): throw ScriptError("`break` outside a loop", at: range)
            case .continued(let range): throw ScriptError("`continue` outside a loop", at: range)
            }
        }
        return .none
    }

    /// Calls a function value from a built-in (`map`, `filter`, `sort`).
    func invoke(_ function: Value, _ values: [Value], at range: SourceRange) throws(ScriptError) -> Value {
        try call(function, values.map { EvaluatedArgument(nil, range, $0, range) }, calleeRange: range, callRange: range)
    }
}

/// An argument of a call, evaluated: its label (nil when given by position), where the label and
/// the value are written, and the value. A struct rather than a tuple: a tuple holding a `Value`
/// and two ranges was copied through the runtime's generic tuple copy (about 300 instructions).
struct EvaluatedArgument {
    let label: String?
    let labelRange: SourceRange
    let value: Value
    let range: SourceRange

    init(_ label: String?, _ labelRange: SourceRange, _ value: Value, _ range: SourceRange) {
        self.label = label
        self.labelRange = labelRange
        self.value = value
        self.range = range
    }
}
