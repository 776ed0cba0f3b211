import LodestoneKernel
import LodestoneScript

/// Context-aware Tab completion over a session's state.
///
/// - names: variables, built-ins, modules and keywords; inside a call also its `label:`s;
/// - after `.`: the members of the value the name chain reads (`r.`, `m.stockpile.`);
/// - inside a string: signal ids for a run's, ensemble's or sweep's methods and for `plot`,
///   `bands:`, `signals:`; parameter paths for `param:`, `vary: {` and `grid: {`; keys inside
///   `m.stockpile.cover_days["`; regions and commodities for a scenario's `from:`, `to:`,
///   `commodity:`; file names for `data(`, `export(`, `file:` and paths that look like paths;
/// - meta-commands after `:`, and their arguments (help topics, modules, file names).
public final class Completer {
    /// The session whose names and values are completed.
    public let session: Session
    /// Lists files for file-name completion.
    var files: FileNames
    private var defaultDataset: Dataset?
    private var triedDefaultDataset = false

    /// Creates a completer over `session`; relative file names start at `baseDirectory` (the
    /// working directory when nil).
    public init(session: Session, baseDirectory: String? = nil) {
        self.session = session
        self.files = FileNames(baseDirectory: baseDirectory)
    }

    /// Completes `line` at its end (the text before the cursor). `pending` holds the earlier lines
    /// of an unfinished multi-line input, for context.
    public func complete(_ line: String, pending: String = "") -> Completion {
        if pending.isEmpty, let meta = completeMetaCommand(line) { return meta }
        let text = pending.isEmpty ? line : pending + "\n" + line
        return completeCode(text)
    }

    // MARK: Code

    private func completeCode(_ text: String) -> Completion {
        let scan = InputScanner(text)
        if scan.inComment { return .none }
        if let quote = scan.stringStart { return completeString(scan, quote: quote) }
        let (word, start) = scan.name(endingAt: scan.text.count)
        if let first = word.first, first.isNumber { return .none }
        if start > 0, scan.text[start - 1] == "." {
            return Completion(word: word, candidates: members(of: scan.chain(endingAt: start - 1)))
        }
        var candidates = session.globalNames + Keyword.allCases.map(\.rawValue)
        if let call = scan.open.last, call.character == "(" {
            candidates += labels(ofCallAt: call.offset, scan).map { $0 + ":" }
        }
        return Completion(word: word, candidates: candidates)
    }

    /// The members of the value a chain reads: a variable's, followed through fields, modules
    /// and parameters; a module name's methods.
    private func members(of chain: [String]) -> [String] {
        guard let root = chain.first else { return [] }
        guard var value = session.value(of: root) else {
            if session.moduleNames.contains(root), chain.count == 1 { return Session.memberNames(ofType: "module") }
            return []
        }
        for name in chain.dropFirst() {
            guard let next = session.memberValue(of: value, name: name) else { return [] }
            value = next
        }
        return session.memberNames(of: value)
    }

    /// The value a chain reads, or nil.
    private func value(of chain: [String]) -> Value? {
        guard let root = chain.first, var value = session.value(of: root) else { return nil }
        for name in chain.dropFirst() {
            guard let next = session.memberValue(of: value, name: name) else { return nil }
            value = next
        }
        return value
    }

    /// The argument labels of the call whose `(` is at `paren`.
    private func labels(ofCallAt paren: Int, _ scan: InputScanner) -> [String] {
        let chain = scan.chain(endingAt: scan.skippingBlanks(before: paren))
        guard let name = chain.last else { return [] }
        if chain.count == 1 {
            return session.builtinSignatures.first { $0.name == name }?.labels ?? []
        }
        guard let receiver = value(of: Array(chain.dropLast())) else { return [] }
        return session.methodSignature(of: receiver, name: name)?.labels ?? []
    }

    // MARK: Strings

    private func completeString(_ scan: InputScanner, quote: Int) -> Completion {
        let typed = scan.suffix(from: quote + 1)
        let before = scan.skippingBlanks(before: quote)
        var label = scan.label(before: quote)
        var anchor = quote
        var enclosing = scan.open
        // Inside `[…]`: an index (`p["JP`) or a list literal (`bands: ["…`).
        if let top = enclosing.last, top.character == "[" {
            let indexed = scan.skippingBlanks(before: top.offset)
            if indexed == top.offset, indexed > 0, InputScanner.isNameCharacter(scan.text[indexed - 1]) {
                if before == top.offset + 1 {
                    return Completion(word: typed, candidates: keys(of: value(of: scan.chain(endingAt: indexed))))
                }
                return .none
            }
            anchor = top.offset
            label = scan.label(before: anchor) ?? label
            enclosing.removeLast()
        }
        // Inside `{…}`: the keys of `vary:` and `grid:` records are parameter paths.
        if let top = enclosing.last, top.character == "{" {
            let recordLabel = scan.label(before: top.offset)
            let model = enclosing.dropLast().last.flatMap { scan.firstArgumentName(ofCallAt: $0.offset) }
            if recordLabel == "vary" || recordLabel == "grid" {
                return Completion(word: typed, candidates: parameterPaths(modelNamed: model))
            }
            return Completion(word: typed, candidates: fallback(typed))
        }
        guard let call = enclosing.last, call.character == "(" else {
            return Completion(word: typed, candidates: fallback(typed))
        }
        let chain = scan.chain(endingAt: scan.skippingBlanks(before: call.offset))
        let firstArgument = scan.firstArgumentName(ofCallAt: call.offset)
        return Completion(
            word: typed,
            candidates: stringCandidates(
                typed: typed, label: label, callee: chain, firstArgument: firstArgument,
                isFirstArgument: scan.skippingBlanks(before: anchor) == call.offset + 1))
    }

    private func stringCandidates(
        typed: String, label: String?, callee: [String], firstArgument: String?, isFirstArgument: Bool
    ) -> [String] {
        switch label {
        case "param": return parameterPaths(modelNamed: firstArgument)
        case "file", "path": return files.candidates(extending: typed)
        case "bands", "signals", "signal", "metrics": return signalIDs(named: firstArgument)
        case "from", "to": return knownCodes(\.regionCodes)
        case "commodity": return knownCodes(\.commodityCodes)
        case "data": return datasetNames() + files.candidates(extending: typed)
        default: break
        }
        guard let name = callee.last else { return fallback(typed) }
        if callee.count == 1 {
            switch name {
            case "data": return datasetNames() + files.candidates(extending: typed)
            case "export": return files.candidates(extending: typed)
            case "plugin": return pluginCandidates(typed)
            case "help": return helpTopics()
            case "plot", "compare": return isFirstArgument ? fallback(typed) : signalIDs(named: firstArgument)
            default: return fallback(typed)
            }
        }
        guard let receiver = value(of: Array(callee.dropLast())) else { return fallback(typed) }
        return signalIDs(of: receiver) ?? fallback(typed)
    }

    /// `plugin("`: the names of the plugins on the search path; for a typed path, the folders and
    /// shared libraries it leads to (not every file).
    private func pluginCandidates(_ typed: String) -> [String] {
        if typed.contains("/") || typed.hasPrefix(".") || typed.hasPrefix("~") {
            return files.candidates(extending: typed).filter { $0.hasSuffix("/") || $0.hasSuffix(".so") || $0.hasSuffix(".dylib") }
        }
        return session.registry.pluginNames?() ?? []
    }

    /// What a string completes to with no better clue: a path when it looks like one; else the
    /// signal ids of the runs and the parameter paths of the models held in variables.
    private func fallback(_ typed: String) -> [String] {
        if typed.hasPrefix(".") || typed.hasPrefix("/") || typed.hasPrefix("~") || typed.contains("/") {
            let paths = files.candidates(extending: typed)
            if !paths.isEmpty { return paths }
        }
        var out: [String] = []
        for name in session.variableNames {
            guard let value = session.value(of: name) else { continue }
            if let ids = signalIDs(of: value) { out += ids }
            if case .model(let model) = value { out += parameterPaths(of: model) }
        }
        return out.isEmpty ? files.candidates(extending: typed) : out
    }

    // MARK: Sources of candidates

    /// Signal and metric ids of a run, ensemble or sweep (a model's without running it).
    private func signalIDs(of value: Value) -> [String]? {
        switch value {
        case .run(let run): return session.signalIDs(of: run)
        case .ensemble(let ensemble):
            return ensemble.result.metrics.map(\.id) + ensemble.result.bandSignals.map(\.id)
        case .sweep(let sweep):
            return sweep.result.points.first.map { session.signalIDs(of: $0.result) } ?? []
        case .model(let model):
            guard
                let composition = try? Composition(
                    models: model.modules, dataset: model.dataset.dataset, scenario: Scenario("completion"),
                    parameters: model.parameters)
            else { return [] }
            return composition.signals.map(\.id) + composition.metrics.map(\.id)
        case .list(let items):
            return items.compactMap { signalIDs(of: $0) }.first
        case .record(let record):
            return record.fields.compactMap { signalIDs(of: $0.value) }.first
        default: return nil
        }
    }

    /// Signal ids of the variable `name` when it holds a run, ensemble, sweep or model; else of
    /// every such variable.
    private func signalIDs(named name: String?) -> [String] {
        if let name, let value = session.value(of: name), let ids = signalIDs(of: value) { return ids }
        return session.variableNames.compactMap { session.value(of: $0).flatMap(signalIDs(of:)) }.flatMap { $0 }
    }

    /// Parameter paths of the model variable `name`; else of every model variable.
    private func parameterPaths(modelNamed name: String?) -> [String] {
        if let name, case .model(let model)? = session.value(of: name) { return parameterPaths(of: model) }
        var out: [String] = []
        for variable in session.variableNames {
            if case .model(let model)? = session.value(of: variable) { out += parameterPaths(of: model) }
        }
        return out
    }

    /// `stockpile.cover_days`, `stockpile.cover_days[JP]`, `stockpile.cover_days[JP/DyTb]`, ….
    func parameterPaths(of model: ModelObject) -> [String] {
        var out: [String] = []
        for entry in model.parameters.entries {
            out.append(entry.path)
            out += Self.selectors(entry.declaration.keys).map { "\(entry.path)[\($0)]" }
        }
        return out
    }

    /// The keys a parameter (or record) may be indexed with.
    private func keys(of value: Value?) -> [String] {
        switch value {
        case .parameter(let view)?:
            return Self.selectors(view.model.parameters.entry(view.path)?.declaration.keys ?? [])
        case .record(let record)?:
            return record.keys
        default:
            return []
        }
    }

    /// Keys and the region (or pair) parts of `REGION/COMMODITY` keys.
    static func selectors(_ keys: [String]) -> [String] {
        var out = keys
        for key in keys {
            if let slash = key.firstIndex(of: "/") { out.append(String(key[..<slash])) }
        }
        return Array(Set(out)).sorted()
    }

    /// The codes of the default dataset, then those of the datasets the session loaded, each once.
    private func knownCodes(_ codes: (Dataset) -> [String]) -> [String] {
        var seen = Set<String>()
        return ([defaultData()].compactMap { $0 } + session.loadedDatasets).flatMap(codes).filter { seen.insert($0).inserted }
    }

    /// The registered dataset names, `default` first (`default`, `baseline-2024`, …).
    private func datasetNames() -> [String] {
        let names = session.registry.dataSources.keys.sorted()
        return names.filter { $0 == "default" } + names.filter { $0 != "default" }
    }

    private func defaultData() -> Dataset? {
        if !triedDefaultDataset {
            triedDefaultDataset = true
            defaultDataset = try? session.registry.dataSource("default").load()
        }
        return defaultDataset
    }

    // MARK: Meta-commands

    /// Every `:help` topic: built-ins, modules, parameters (`module.name`), types, commands.
    public func helpTopics() -> [String] {
        var topics = session.builtinNames + session.moduleNames + Session.typeNamesWithMembers + ["syntax", "recipes"]
        topics += MetaCommand.allCases.map { ":" + $0.rawValue }
        if let dataset = defaultData() {
            for module in session.registry.models {
                topics += module.parameters(for: dataset).map { "\(module.name).\($0.name)" }
            }
        }
        return topics
    }

    private func completeMetaCommand(_ line: String) -> Completion? {
        let trimmed = line.drop { $0 == " " || $0 == "\t" }
        guard trimmed.first == ":" else { return nil }
        let body = trimmed.dropFirst()
        guard let space = body.firstIndex(where: { $0 == " " || $0 == "\t" }) else {
            return Completion(word: String(trimmed), candidates: MetaCommand.allCases.map { ":" + $0.rawValue })
        }
        let argument = String(body[space...].drop { $0 == " " || $0 == "\t" })
        switch MetaCommand(named: String(body[..<space])) {
        case .help?: return Completion(word: argument, candidates: helpTopics())
        case .params?: return Completion(word: argument, candidates: session.moduleNames)
        case .signals?:
            let runs = session.variableNames.filter { name in
                switch session.value(of: name) {
                case .run?, .ensemble?, .sweep?, .model?: true
                default: false
                }
            }
            return Completion(word: argument, candidates: session.moduleNames + runs)
        case .load?, .save?:
            let path = argument.hasPrefix("\"") ? String(argument.dropFirst()) : argument
            return Completion(word: path, candidates: files.candidates(extending: path))
        case .time?: return completeCode(argument)
        default: return Completion.none
        }
    }
}
