import LodestoneKernel

extension Session {
    typealias Transform = (Value?) throws(ScriptError) -> Value

    /// `target = value` or `target op= value`: variables, record fields, list elements and model
    /// parameter paths.
    func assign(to target: Expr, operator op: BinaryOperator?, valueExpr: Expr, in scope: Scope) throws(ScriptError) {
        let rhs = try evaluate(valueExpr, in: scope)
        let transform: Transform = { (old: Value?) throws(ScriptError) -> Value in
            guard let op else { return rhs }
            guard let old else {
                throw ScriptError("`\(target.range.text)` has no value yet to apply `\(op.rawValue)=` to", at: target.range)
            }
            return try self.binary(
                op, old, rhs, expr: Expr(kind: .number(0), range: target.range.through(valueExpr.range)),
                left: target.range, right: valueExpr.range)
        }
        try update(target, in: scope, isCompound: op != nil, valueRange: valueExpr.range, transform)
    }

    private func update(
        _ target: Expr, in scope: Scope, isCompound: Bool, valueRange: SourceRange, _ transform: Transform
    ) throws(ScriptError) {
        switch target.kind {
        case .identifier(let name):
            guard let old = scope.lookup(name) else {
                if builtins[name] != nil || registry.models.contains(where: { $0.name == name }) {
                    throw ScriptError(
                        "`\(name)` is built in; define your own variable with `let \(name) = …`", at: target.range)
                }
                throw ScriptError(
                    "unknown name `\(name)`" + NameHint.hint(for: name, among: scope.allNames.sorted())
                        + "; declare a new variable with `let \(name) = …`",
                    at: target.range)
            }
            _ = scope.assign(name, try transform(old))
        case .member(let baseExpr, let name, let nameRange):
            let base = try evaluateRaw(baseExpr, in: scope)
            switch base {
            case .moduleParameters(let model, let module):
                let path = "\(module).\(name)"
                guard model.parameters.entry(path) != nil else {
                    let names = model.parameters.entries.filter { $0.module == module }.map(\.declaration.name)
                    throw ScriptError(
                        "unknown parameter `\(name)` of module `\(module)`" + NameHint.hint(for: name, among: names)
                            + " (parameters: \(names.joined(separator: ", ")))",
                        at: nameRange)
                }
                try setParameter(
                    ParameterView(model: model, path: path, selector: nil), isCompound: isCompound, target: target,
                    keyRange: nil, valueRange: valueRange, transform)
            case .model(let model):
                if model.moduleNames.contains(name) {
                    throw ScriptError(
                        "cannot assign to the module `\(name)` of a model; assign to one of its parameters, e.g. `\(baseExpr.range.text).\(name).\(model.parameters.entries.first { $0.module == name }?.declaration.name ?? "name") = …`",
                        at: target.range)
                }
                throw ScriptError(
                    "cannot assign to `\(name)` of a model" + NameHint.hint(for: name, among: model.moduleNames)
                        + " (modules: \(model.moduleNames.joined(separator: ", ")))",
                    at: nameRange)
            case .scenario(let scenario) where name == "name":
                let value = try transform(.string(scenario.scenario.name))
                guard case .string(let s) = value else {
                    throw ScriptError("a scenario's name must be a string, got \(ValueFormatter.describeForError(value))", at: valueRange)
                }
                scenario.scenario.name = s
            case .record:
                let levels = Self.accessDepth(target)
                try update(baseExpr, in: scope, isCompound: false, valueRange: valueRange) { (container: Value?) throws(ScriptError) -> Value in
                    guard case .record(var record) = container else { return container ?? .none }
                    let value = try transform(record[name])
                    try self.checkNesting(value, levels: levels, at: valueRange)
                    record[name] = value
                    return .record(record)
                }
            default:
                throw ScriptError(
                    "cannot set `\(name)` on \(ValueFormatter.describeForError(base)); only records, and parameters of models, have assignable fields",
                    at: target.range)
            }
        case .index(let baseExpr, let indexExpr):
            let base = try evaluateRaw(baseExpr, in: scope)
            let index = try evaluate(indexExpr, in: scope)
            switch (base, index) {
            case (.parameter(let view), .string(let selector)) where view.selector == nil:
                try setParameter(
                    ParameterView(model: view.model, path: view.path, selector: selector), isCompound: isCompound,
                    target: target, keyRange: indexExpr.range, valueRange: valueRange, transform)
            case (.list(let items), .number):
                let p = try position(index, count: items.count, range: indexExpr.range, what: "list")
                let levels = Self.accessDepth(target)
                try update(baseExpr, in: scope, isCompound: false, valueRange: valueRange) { (container: Value?) throws(ScriptError) -> Value in
                    guard case .list(var list) = container, p < list.count else { return container ?? .none }
                    let value = try transform(list[p])
                    try self.checkNesting(value, levels: levels, at: valueRange)
                    list[p] = value
                    return .list(list)
                }
            case (.record, .string(let key)):
                let levels = Self.accessDepth(target)
                try update(baseExpr, in: scope, isCompound: false, valueRange: valueRange) { (container: Value?) throws(ScriptError) -> Value in
                    guard case .record(var record) = container else { return container ?? .none }
                    let value = try transform(record[key])
                    try self.checkNesting(value, levels: levels, at: valueRange)
                    record[key] = value
                    return .record(record)
                }
            default:
                _ = try subscriptValue(base, index, baseRange: baseExpr.range, indexRange: indexExpr.range)
                throw ScriptError(
                    "cannot assign to an element of \(ValueFormatter.describeForError(base)); only lists, records and model parameters can be changed in place",
                    at: target.range)
            }
        default:
            throw ScriptError("cannot assign to this expression: the left of `=` must be a name, a field, an index or a parameter path", at: target.range)
        }
    }

    /// A parameter takes finite numbers only: ±∞ or NaN comes from an overflowing calculation.
    static func checkFinite(_ x: Double, _ path: String, at range: SourceRange) throws(ScriptError) {
        guard x.isFinite else {
            throw ScriptError(
                "`\(path)` must be a finite number, got \(ValueFormatter.number(x)) (a calculation overflowed)", at: range)
        }
    }

    private func setParameter(
        _ view: ParameterView, isCompound: Bool, target: Expr, keyRange: SourceRange?, valueRange: SourceRange,
        _ transform: Transform
    ) throws(ScriptError) {
        if let keyRange {
            do { _ = try view.model.parameters.positions(view.fullPath) } catch {
                throw ScriptError(error.message, at: keyRange)
            }
        }
        let old: Value? = isCompound ? try materialize(.parameter(view), at: target.range) : nil
        let value = try transform(old)
        do {
            switch value {
            case .number(let x):
                try Self.checkFinite(x, view.fullPath, at: valueRange)
                try view.model.parameters.set(view.fullPath, to: x)
            case .record(let record) where view.selector == nil:
                var copy = view.model.parameters
                for (key, item) in record.fields {
                    guard case .number(let x) = item else {
                        throw ScriptError(
                            "`\(view.path)[\(key)]` must be a number, got \(ValueFormatter.describeForError(item))", at: valueRange)
                    }
                    try Self.checkFinite(x, "\(view.path)[\(key)]", at: valueRange)
                    try copy.set("\(view.path)[\(key)]", to: x)
                }
                view.model.parameters = copy
            default:
                throw ScriptError(
                    "parameter `\(view.fullPath)` takes a number\(view.selector == nil ? " (or a record of numbers by key)" : ""), got \(ValueFormatter.describeForError(value))",
                    at: valueRange)
            }
        } catch let error as ParameterError {
            throw ScriptError(error.message, at: error.message.contains("out of range") ? valueRange : target.range)
        } catch let error as ScriptError {
            throw error
        } catch {
            throw ScriptError("\(error)", at: target.range)
        }
    }
}
