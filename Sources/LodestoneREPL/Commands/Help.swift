import LodestoneKernel
import LodestoneScript

extension REPL {
    /// `:help [topic]`.
    func help(_ topic: String) -> Bool {
        if topic.isEmpty {
            write(generalHelp() + "\n")
            return true
        }
        if let text = helpText(for: topic) {
            write(text + "\n")
            return true
        }
        let name = Self.topicName(topic)
        return fail("no help on `\(name)`" + Suggestions.hint(for: name, among: completer.helpTopics()) + "; :help lists the topics")
    }

    /// The text of `:help` without a topic: the commands, a first session, the topics.
    public func generalHelp() -> String {
        var out = "Commands:\n"
        let width = MetaCommand.allCases.map(\.usage.count).max() ?? 0
        for command in MetaCommand.allCases { out += "  " + command.usage.padded(to: width) + "  " + command.summary + "\n" }
        out += """

            A first session:
              let m = model(trade, stockpile, diplomacy)
              let s = scenario("curbs")
              s.restrict(from: "CN", to: "JP", commodity: "Dy", share: 100%, start: 2026-02, months: 12)
              let r = run(m, s)
              r.series("stockpile.days_of_cover[JP/Dy]")

            Topics: :help FUNCTION (:help run), :help MODULE (:help stockpile), :help MODULE.PARAMETER
            (:help stockpile.cover_days), :help TYPE (:help ensemble), :help syntax, :help :COMMAND (:help :save),
            :help recipes (worked patterns: a curb as a diplomatic lever, probability(…, by:), sweeps).
            Functions: \(session.builtinNames.joined(separator: ", ")).
            Modules: \(session.moduleNames.joined(separator: ", ")).

            Keys: Tab completes names, members after `.`, parameter paths and signal ids inside quotes;
            Up/Down search the history for lines starting with what is typed; Ctrl-R searches backwards;
            Ctrl-C cancels the line or a running ensemble; Ctrl-D quits. `ans` is the last value shown.
            """
        return out
    }

    /// The help on one topic: a command (`:save` or `save`), a built-in, a module, a parameter
    /// (`stockpile.cover_days` or `cover_days`), a type or method, `syntax`; nil when unknown.
    /// Commands, built-ins, modules and parameters come with an example.
    public func helpText(for topic: String) -> String? {
        let name = Self.topicName(topic)
        if name == "recipes" || name == "examples" { return Recipes.text }
        if name.hasPrefix(":") { return MetaCommand(named: String(name.dropFirst()))?.helpText }
        if session.builtinNames.contains(name), let text = session.helpText(topic: name) {
            return text + "\n  example: " + example(for: name)
        }
        if let command = MetaCommand(named: name) { return command.helpText }
        if let model = session.registry.models.first(where: { $0.name == name }) {
            return session.describe(module: model) + "\n\nexample: " + moduleExample(model)
        }
        if let text = parameterHelp(name) { return text }
        return session.helpText(topic: name)
    }

    /// `"run"`, `run()`, `run` → `run`.
    static func topicName(_ topic: String) -> String {
        var name = topic.trimmingBlanks()
        if name.count >= 2, name.first == "\"" || name.first == "'", name.last == name.first {
            name = String(name.dropFirst().dropLast())
        }
        if name.hasSuffix("()") { name.removeLast(2) }
        return name
    }

    /// A built-in's example: the hand-written one, or one made from its signature.
    func example(for name: String) -> String {
        if let example = Examples.builtins[name] { return example }
        guard let signature = session.builtinSignatures.first(where: { $0.name == name }) else { return "\(name)()" }
        let arguments = signature.positional.filter(\.isRequired).map(\.name) + signature.named.filter(\.isRequired).map { "\($0.name): …" }
        return "\(name)(\(arguments.joined(separator: ", ")))"
    }

    private func moduleExample(_ model: any Model) -> String {
        let others = session.moduleNames.filter { $0 != model.name }
        let modules = ([model.name] + others).joined(separator: ", ")
        guard let dataset = defaultDataset(), let parameter = model.parameters(for: dataset).first else {
            return "let m = model(\(modules))"
        }
        return "let m = model(\(modules)); " + Self.assignment(module: model.name, parameter)
    }

    /// `m.stockpile.cover_days["JP"] = 60`.
    static func assignment(module: String, _ parameter: ParameterDeclaration) -> String {
        let value = ValueFormatter.number(parameter.defaults.first ?? 0)
        guard let key = parameter.keys.first else { return "m.\(module).\(parameter.name) = \(value)" }
        let selector = key.split(separator: "/").first.map(String.init) ?? key
        return "m.\(module).\(parameter.name)[\"\(selector)\"] = \(value)"
    }

    /// Help on a parameter given as `module.name` or a bare `name` (every module that has it).
    func parameterHelp(_ name: String) -> String? {
        guard let dataset = defaultDataset() else { return nil }
        let parts = name.split(separator: ".", maxSplits: 1).map(String.init)
        var found: [(module: String, parameter: ParameterDeclaration)] = []
        for model in session.registry.models where parts.count == 1 || model.name == parts[0] {
            let wanted = parts.count == 1 ? parts[0] : parts[1]
            for parameter in model.parameters(for: dataset) where parameter.name == wanted {
                found.append((model.name, parameter))
            }
        }
        guard !found.isEmpty else { return nil }
        return found.map { module, p in
            var out = "parameter \(module).\(p.name) (\(p.unit.symbol)), range \(ParameterSet.format(p.range))"
            if !p.doc.isEmpty { out += "\n  \(p.doc)" }
            if p.keys.isEmpty {
                out += "\n  default \(ValueFormatter.number(p.defaults.first ?? 0))"
            } else {
                let distinct = Set(p.defaults)
                out += "\n  keyed by \(p.keys.count) key\(p.keys.count == 1 ? "" : "s"): \(p.keys.prefix(8).joined(separator: ", "))" + (p.keys.count > 8 ? ", …" : "")
                out += distinct.count == 1
                    ? "\n  default \(ValueFormatter.number(p.defaults[0])) for every key"
                    : "\n  defaults per key (" + zip(p.keys, p.defaults).prefix(4).map { "\($0)=\(ValueFormatter.number($1))" }.joined(separator: ", ") + (p.keys.count > 4 ? ", …" : "") + ")"
            }
            out += "\n  example: let m = model(\(module)); " + Self.assignment(module: module, p)
            return out
        }.joined(separator: "\n\n")
    }
}
