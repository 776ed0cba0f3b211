import LodestoneKernel

extension Session {
    /// Function groups in the order `help()` lists them.
    static let helpGroups: [(title: String, names: [String])] = [
        (
            "Models and runs",
            ["data", "model", "scenario", "scenarios", "run", "montecarlo", "sweep", "compare", "plot", "export", "plugin", "max_memory"]
        ),
        ("Analysis (what drives a result, what must be true, what fits the record)", ["sensitivity", "discover", "calibrate"]),
        ("Distributions (for montecarlo's vary:)", ["uniform", "normal", "triangular", "choice"]),
        ("Values", ["print", "help", "describe", "type", "str", "repr", "num", "len", "list", "map", "filter", "sort", "month", "table"]),
        ("Math", ["abs", "sqrt", "floor", "ceil", "exp", "log", "round", "sum", "mean", "min", "max", "quantile"]),
    ]

    static let typesWithMembers = [
        "scenario", "run", "model", "ensemble", "sweep", "sensitivity", "discovery", "calibration", "table", "dataset", "module",
        "record", "month",
    ]

    /// The analysis functions and the type of value each returns: `help` on either explains both.
    static let analysisResults: [(function: String, result: String)] = [
        ("sensitivity", "sensitivity"), ("discover", "discovery"), ("calibrate", "calibration"),
    ]

    static let syntaxHelp = """
        Syntax:
          # a comment                          newlines (or ;) end statements; open brackets continue them
          let x = 1_000                        numbers: 2.5e3, 25% (= 0.25); strings "…"; true, false, none
          x = x + 1; x += 1                    assignment; months: 2026-03, 2026-03 + 12, m2 - m1
          [1, 2, 3]  xs[0]  xs[-1]  xs[1..2]   lists from 0; records {"k": 1, name: 2}  r.k  r["k"]
          1..5  1..<5  0..1 step 25%           ranges (also of months)
          m.stockpile.cover_days["JP"] = 90    parameter paths are assignable
          if x > 1 { … } else if … { … } else { … }
          for d in [30, 60] { … }   while c { … }   break   continue
          fn f(a, b = 2) { return a + b }      the last expression is also returned; fn (x) { x * 2 } is a value
          + - * / % ^   == != < <= > >=   and or not
        """

    func helpText(_ topic: Value?, range: SourceRange) throws(ScriptError) -> String {
        guard let topic else { return generalHelp() }
        switch topic {
        case .none: return generalHelp()
        case .builtin(let b) where Self.analysisResults.contains { $0.function == b.signature.name }:
            return try helpText(named: b.signature.name, range: range)
        case .builtin(let b): return Self.functionHelp(b.signature, prefix: "")
        case .method(let m): return Self.functionHelp(m.method.signature, prefix: "\(m.receiver.typeName).")
        case .function(let f):
            let d = f.declaration
            let params = d.parameters.map { $0.defaultValue == nil ? $0.name : "\($0.name) = \($0.defaultValue!.range.text)" }
            return "fn \(d.name ?? "")(\(params.joined(separator: ", "))), defined at \(d.range)"
        case .module(let m): return describe(module: m.model)
        case .string(let name): return try helpText(named: name, range: range)
        default: return typeHelp(topic.typeName)
        }
    }

    private func generalHelp() -> String {
        var out = "Lodestone scripts: help(topic) explains one thing, e.g. help(run), help(\"restrict\"), help(\"run\") for a run's methods, help(\"syntax\").\n"
        var listed = Set<String>()
        for (title, names) in Self.helpGroups {
            out += "\n\(title):\n"
            let signatures = names.compactMap { builtins[$0]?.signature }
            let width = min(44, signatures.map(\.usage.count).max() ?? 0)
            for signature in signatures {
                listed.insert(signature.name)
                out += "  " + signature.usage.padded(to: width) + "  " + signature.summary + "\n"
            }
        }
        let others = builtins.keys.filter { !listed.contains($0) }.sorted()
        if !others.isEmpty {
            out += "\nOther:\n"
            for name in others { out += "  \(builtins[name]!.signature.usage)  \(builtins[name]!.signature.summary)\n" }
        }
        out += "\nTypes with methods: \(Self.typesWithMembers.joined(separator: ", ")) (help(\"run\") lists a run's)\n"
        out += "Modules: \(registry.models.map(\.name).joined(separator: ", ")) (describe(trade) lists parameters and signals)"
        return out
    }

    static func functionHelp(_ signature: Signature, prefix: String) -> String {
        var out = prefix + signature.usage + "\n  " + signature.summary
        var parameters = signature.positional.map { ($0.name, $0.expects) }
        if let variadic = signature.variadic { parameters.append(("\(variadic.name)…", variadic.expects)) }
        parameters += signature.named.map { ("\($0.name):", $0.expects) }
        let width = parameters.map(\.0.count).max() ?? 0
        for (name, expects) in parameters { out += "\n  " + name.padded(to: width) + "  " + expects }
        return out
    }

    private func typeHelp(_ type: String) -> String {
        let table = Self.members(of: type)
        guard !table.names.isEmpty else { return "\(Value.article(type)) has no methods; help() lists the functions" }
        var out = "\(Value.article(type).capitalizedFirst) has:"
        let properties = table.properties.values.sorted { $0.name < $1.name }
        let methods = table.methods.values.sorted { $0.signature.name < $1.signature.name }
        let width = max(properties.map(\.name.count).max() ?? 0, methods.map(\.signature.usage.count).max() ?? 0) + 2
        for p in properties { out += "\n  ." + p.name.padded(to: width - 1) + p.summary }
        for m in methods { out += "\n  ." + m.signature.usage.padded(to: width - 1) + m.signature.summary }
        return out
    }

    private func helpText(named name: String, range: SourceRange) throws(ScriptError) -> String {
        if let analysis = Self.analysisResults.first(where: { $0.function == name || $0.result == name }),
            let builtin = builtins[analysis.function]
        {
            return Self.functionHelp(builtin.signature, prefix: "") + "\n\nIt returns \(Value.article(analysis.result)). "
                + typeHelp(analysis.result)
        }
        if name == "scenarios", let builtin = builtins[name] {
            return Self.functionHelp(builtin.signature, prefix: "") + "\n\n" + scenarioLibrariesHelp()
        }
        if let builtin = builtins[name] {
            let function = Self.functionHelp(builtin.signature, prefix: "")
            return Self.typesWithMembers.contains(name) ? function + "\n\n" + typeHelp(name) : function
        }
        if Self.typesWithMembers.contains(name) { return typeHelp(name) }
        if let model = registry.models.first(where: { $0.name == name }) { return describe(module: model) }
        if name == "syntax" || Keyword(rawValue: name) != nil { return Self.syntaxHelp }
        if name == "presets" || name == "preset" { return presetsHelp() }
        let owners = Self.typesWithMembers.filter { Self.members(of: $0).methods[name] != nil }
        if !owners.isEmpty {
            return owners.map { Self.functionHelp(Self.members(of: $0).methods[name]!.signature, prefix: "\($0).") }
                .joined(separator: "\n\n")
        }
        let candidates = builtinNames + Self.typesWithMembers + moduleNames + Array(Self.methodNames) + ["syntax", "presets"]
        throw ScriptError(
            "no help on \(ValueFormatter.quoted(name))" + NameHint.hint(for: name, among: candidates)
                + "; help() lists the topics",
            at: range)
    }

    // MARK: describe

    func describe(_ value: Value, range: SourceRange) throws(ScriptError) -> String {
        switch value {
        case .dataset(let d):
            return options.datasetDescriber?(d.dataset) ?? ValueFormatter.describe(dataset: d)
        case .module(let m):
            return describe(module: m.model)
        case .model(let m):
            return ValueFormatter.describe(model: m) + "\n\n" + ValueFormatter.table(ValueFormatter.parameterTable(m, module: nil))
        case .run(let r):
            var out = ValueFormatter.summary(of: r, limit: 1000) + "\n\nsignals (r.series(\"…\")):"
            var families: [String] = []
            for signal in r.signals where !families.contains(signal.name) { families.append(signal.name) }
            for family in families {
                let members = r.signals.filter { $0.name == family }
                let first = members[0]
                out += "\n  \(family)" + (first.key.isEmpty ? "" : "[…] (\(members.count) keys, e.g. \(first.id))")
                    + " — \(first.unit)" + (first.doc.isEmpty ? "" : ": \(first.doc)")
            }
            out += "\nmetrics (r.metric(\"…\")):"
            var metricFamilies: [String] = []
            for metric in r.metrics where !metricFamilies.contains(metric.name) { metricFamilies.append(metric.name) }
            for family in metricFamilies {
                let members = r.metrics.filter { $0.name == family }
                out += "\n  \(family)" + (members[0].key.isEmpty ? "" : "[…] (\(members.count) keys)")
                    + (members[0].doc.isEmpty ? "" : ": \(members[0].doc)")
            }
            return out
        case .table(let t):
            return "table with \(t.rows.count) row\(t.rows.count == 1 ? "" : "s"); columns: \(t.columns.joined(separator: ", "))"
        default:
            return ValueFormatter.display(value)
        }
    }

    /// A module's parameters (on the default dataset), signals and metrics, as `describe(trade)` prints them.
    public func describe(module: any Model) -> String {
        var out = "module \(module.name): \(module.summary)"
        guard let dataset = try? loadDataset("default", at: SourceRange(file: SourceFile(name: "", text: ""), start: 0, end: 0)).dataset
        else { return out }
        let parameters = module.parameters(for: dataset)
        out += "\n\nparameters (set them on a model: m.\(module.name).NAME = …):"
        let width = parameters.map(\.name.count).max() ?? 0
        for p in parameters {
            let value: String
            if p.keys.isEmpty {
                value = ValueFormatter.number(p.defaults[0])
            } else {
                let distinct = Set(p.defaults)
                value = distinct.count == 1 ? "\(ValueFormatter.number(p.defaults[0])) for each of \(p.keys.count) keys" : "per key (\(p.keys.count) keys, e.g. \(p.keys[0]))"
            }
            out += "\n  " + p.name.padded(to: width) + "  " + value + " \(p.unit), range \(ParameterSet.format(p.range))"
            if !p.doc.isEmpty { out += "\n  " + String(repeating: " ", count: width) + "  " + p.doc }
        }
        var context = ModelContext(dataset: dataset, scenario: Scenario("describe"))
        var note = ""
        if let idle = try? module.interface(in: context), idle.outputs.isEmpty,
            let from = dataset.exporters.first, let to = dataset.importers.first(where: { $0 != from })
        {
            // Some modules (diplomacy) produce signals only for the pairs a scenario names: show
            // them for one pair.
            var scenario = Scenario("describe")
            scenario.add(.incident(from: from, to: to, severity: 0.5, at: Month(2026, 1)))
            context = ModelContext(dataset: dataset, scenario: scenario)
            note = " (keyed by the pairs a scenario names in incidents and talks; shown for \(from)>\(to))"
        }
        if let interface = try? module.interface(in: context) {
            out += "\n\nsignals\(note):"
            for output in interface.outputs {
                let name = output.name.contains(".") ? output.name : "\(module.name).\(output.name)"
                out += "\n  \(name)" + (output.keys.isEmpty ? "" : "[…]") + " — \(output.unit)" + (output.doc.isEmpty ? "" : ": \(output.doc)")
            }
            if !interface.metrics.isEmpty {
                out += "\n\nmetrics:"
                for metric in interface.metrics {
                    out += "\n  \(module.name).\(metric.name)" + (metric.keys.isEmpty ? "" : "[…]") + (metric.doc.isEmpty ? "" : ": \(metric.doc)")
                }
            }
        }
        let presets = module.presets(for: dataset)
        if !presets.isEmpty {
            out += "\n\npresets (model(…, preset: NAME)):"
            for preset in presets { out += "\n  \(preset.name)  \(preset.doc)" + Self.settings(of: preset) }
        }
        return out
    }

    /// ` — sets a = 1, b = 2`, or nothing for a preset that sets nothing.
    static func settings(of preset: Preset) -> String {
        preset.values.isEmpty
            ? "" : " — sets " + preset.values.map { "\($0.path) = \(ValueFormatter.number($0.value))" }.joined(separator: ", ")
    }

    /// `help("presets")`: every module's named parameter sets.
    func presetsHelp() -> String {
        var out = "Presets are named parameter sets that modules ship: model(trade, stockpile, preset: \"v1\")"
        out += "\nsets every module that knows the name; the others keep their defaults."
        out += "\nThe defaults are the market model v3 (`v3` names them); `v2` is v3 without the expected-scarcity"
        out += "\npremium (the stock-cover term instead: the defaults until v3); `v1` restores Lodestone 1's equations."
        guard let dataset = try? loadDataset("default", at: SourceRange(file: SourceFile(name: "", text: ""), start: 0, end: 0)).dataset
        else { return out }
        var names: [String] = []
        for model in registry.models {
            for preset in model.presets(for: dataset) where !names.contains(preset.name) { names.append(preset.name) }
        }
        for name in names {
            out += "\n\n\(name):"
            for model in registry.models {
                guard let preset = model.presets(for: dataset).first(where: { $0.name == name }) else { continue }
                out += "\n  \(model.name): \(preset.doc)" + Self.settings(of: preset)
            }
        }
        return out
    }
}

extension String {
    func padded(to width: Int) -> String {
        count >= width ? self : self + String(repeating: " ", count: width - count)
    }

    var capitalizedFirst: String { prefix(1).uppercased() + dropFirst() }
}
