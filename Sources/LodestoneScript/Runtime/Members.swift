import LodestoneKernel

/// The properties and methods of one value type.
struct MemberTable: Sendable {
    var properties: [String: Property] = [:]
    var methods: [String: Method] = [:]

    init(properties: [Property] = [], methods: [Method] = []) {
        for property in properties { self.properties[property.name] = property }
        for method in methods { self.methods[method.signature.name] = method }
    }

    var names: [String] { (Array(properties.keys) + Array(methods.keys)).sorted() }
}

extension Session {
    /// The member table of a type name (`run`, `scenario`).
    static func members(of typeName: String) -> MemberTable {
        switch typeName {
        case "scenario": scenarioMembers
        case "run": runMembers
        case "model": modelMembers
        case "table": tableMembers
        case "dataset": datasetMembers
        case "module": moduleMembers
        case "month": monthMembers
        case "record": recordMembers
        case "ensemble": ensembleMembers
        case "sweep": sweepMembers
        case "sensitivity": sensitivityMembers
        case "discovery": discoveryMembers
        case "calibration": calibrationMembers
        default: MemberTable()
        }
    }

    /// Every method name of every type, to explain `series(…)` written without a receiver.
    static let methodNames: Set<String> = {
        var names = Set<String>()
        for type in ["scenario", "run", "model", "table", "dataset", "module", "month", "record", "ensemble", "sweep", "sensitivity", "discovery", "calibration"] {
            names.formUnion(members(of: type).methods.keys)
        }
        return names
    }()

    /// Helper to declare a method.
    static func method(
        _ name: String, positional: [Signature.Parameter] = [], variadic: Signature.Parameter? = nil,
        named: [Signature.Parameter] = [], summary: String,
        _ body: @escaping @Sendable (Session, Value, Arguments) throws(ScriptError) -> Value
    ) -> Method {
        Method(
            signature: Signature(name, positional: positional, variadic: variadic, named: named, summary: summary),
            body: body)
    }

    /// Helper to declare a property.
    static func property(
        _ name: String, _ summary: String, _ get: @escaping @Sendable (Session, Value) throws(ScriptError) -> Value
    ) -> Property {
        Property(name: name, summary: summary, get: get)
    }

    /// `base.name`: a record field, a model's module, a module's parameter, a property, or a
    /// method bound to `base`.
    func member(of base: Value, name: String, nameRange: SourceRange, baseRange: SourceRange) throws(ScriptError) -> Value {
        switch base {
        case .record(let record):
            if let value = record[name] { return value }
        case .model(let model):
            if model.moduleNames.contains(name) { return .moduleParameters(model, module: name) }
        case .moduleParameters(let model, let module):
            let path = "\(module).\(name)"
            guard model.parameters.entry(path) != nil else {
                let names = model.parameters.entries.filter { $0.module == module }.map(\.declaration.name)
                throw ScriptError(
                    "unknown parameter `\(name)` of module `\(module)`" + NameHint.hint(for: name, among: names)
                        + " (parameters: \(names.joined(separator: ", ")))",
                    at: nameRange)
            }
            return .parameter(ParameterView(model: model, path: path, selector: nil))
        case .parameter(let view):
            throw ScriptError(
                "`\(view.fullPath)` is a parameter; select a key with [\"…\"], not `.\(name)`", at: nameRange)
        default:
            break
        }
        let table = Self.members(of: base.typeName)
        if let property = table.properties[name] { return try property.get(self, base) }
        if let method = table.methods[name] { return .method(BoundMethod(receiver: base, method: method)) }
        var candidates = table.names
        var extra = ""
        switch base {
        case .record(let record):
            candidates += record.keys
            extra = record.keys.isEmpty ? "" : " (keys: \(record.keys.prefix(12).joined(separator: ", ")))"
            throw ScriptError(
                "the record has no field `\(name)`" + NameHint.hint(for: name, among: candidates) + extra, at: nameRange)
        case .model(let model):
            candidates += model.moduleNames
            extra = " (modules: \(model.moduleNames.joined(separator: ", ")))"
            if registry.models.contains(where: { $0.name == name }) {
                throw ScriptError(
                    "the model has no module `\(name)`; add it: `model(\((model.moduleNames + [name]).joined(separator: ", ")))`",
                    at: nameRange)
            }
        default: break
        }
        let what = table.names.isEmpty ? "" : " (members: \(table.names.joined(separator: ", ")))"
        throw ScriptError(
            "\(base.typeDescription) has no member `\(name)`" + NameHint.hint(for: name, among: candidates)
                + (extra.isEmpty ? what : extra),
            at: nameRange)
    }

    /// The names that may follow `value.` (for completion).
    public func memberNames(of value: Value) -> [String] {
        var names = Self.members(of: value.typeName).names
        switch value {
        case .record(let record): names += record.keys
        case .model(let model): names += model.moduleNames
        case .moduleParameters(let model, let module):
            names += model.parameters.entries.filter { $0.module == module }.map(\.declaration.name)
        default: break
        }
        return Array(Set(names)).sorted()
    }

    /// Every parameter path of a model (`stockpile.cover_days[JP/DyTb]`), for completion.
    public func parameterPaths(of model: ModelObject) -> [String] {
        model.parameters.all.map(\.path)
    }

    /// Every signal and metric id of a run, for completion.
    public func signalIDs(of run: RunResult) -> [String] {
        run.signals.map(\.id) + run.metrics.map(\.id)
    }
}
