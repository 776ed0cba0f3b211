import Foundation
import LodestoneKernel
import LodestoneScript

extension REPL {
    /// Runs a meta-command line (`:params stockpile`). Returns false when the command is unknown
    /// or its argument is wrong (an error was shown).
    @discardableResult
    public func runMetaCommand(_ line: String) -> Bool {
        let trimmed = line.trimmingBlanks()
        let body = trimmed.dropFirst()
        let nameEnd = body.firstIndex { $0 == " " || $0 == "\t" } ?? body.endIndex
        let name = String(body[..<nameEnd])
        let argument = String(body[nameEnd...]).trimmingBlanks()
        guard let command = MetaCommand(named: name) else {
            let names = MetaCommand.allCases.map(\.rawValue)
            let hint = Suggestions.closest(to: name, among: names).map { "; did you mean `:\($0)`?" } ?? ""
            return fail("unknown command `:\(name)`\(hint) (commands: \(names.map { ":" + $0 }.joined(separator: ", ")))")
        }
        switch command {
        case .help: return help(argument)
        case .modules: write(modulesText() + "\n")
        case .params:
            guard let text = parametersText(module: argument) else { return false }
            write(text + "\n")
        case .signals:
            guard let text = signalsText(argument) else { return false }
            write(text + "\n")
        case .vars: write(variablesText() + "\n")
        case .load: return load(argument)
        case .save: return save(argument)
        case .time: return time(argument, indent: REPLConfiguration.prompt.count + (line.count - argument.count))
        case .safe: return safe(argument)
        case .quit: hasQuit = true
        }
        return true
    }

    func fail(_ message: String) -> Bool {
        let red = configuration.colour ? "\u{1B}[1;31m" : "", reset = configuration.colour ? "\u{1B}[0m" : ""
        writeError("\(red)error:\(reset) \(message)\n")
        return false
    }

    // MARK: :modules, :params, :signals, :vars

    func modulesText() -> String {
        let models = session.registry.models
        let width = models.map(\.name.count).max() ?? 0
        var lines = models.map { $0.name.padded(to: width) + "  " + $0.summary }
        lines.append("(:params MODULE lists its parameters, :signals MODULE its signals, :help MODULE both)")
        return lines.joined(separator: "\n")
    }

    /// The module named `name`, or nil after showing an error naming the known ones.
    func module(named name: String, command: String) -> (any Model)? {
        let names = session.moduleNames
        guard !name.isEmpty else {
            _ = fail("\(command) needs a module name, e.g. `\(command) \(names.first ?? "trade")` (modules: \(names.joined(separator: ", ")))")
            return nil
        }
        guard let model = session.registry.models.first(where: { $0.name == name }) else {
            _ = fail("unknown module `\(name)`" + Suggestions.hint(for: name, among: names) + " (modules: \(names.joined(separator: ", ")))")
            return nil
        }
        return model
    }

    func defaultDataset() -> Dataset? { try? session.registry.dataSource("default").load() }

    /// `:params MODULE`: a table of the module's parameters on the default dataset.
    func parametersText(module name: String) -> String? {
        guard let model = module(named: name, command: ":params") else { return nil }
        guard let dataset = defaultDataset() else {
            _ = fail("cannot load the default dataset to list the parameters of `\(name)`")
            return nil
        }
        let parameters = model.parameters(for: dataset)
        var rows: [[ResultTable.Cell]] = []
        for p in parameters {
            let distinct = Set(p.defaults)
            let value: ResultTable.Cell = distinct.count == 1 ? .number(p.defaults[0]) : .text("per key")
            rows.append([
                .text("\(model.name).\(p.name)"), .text(p.keys.isEmpty ? "" : "\(p.keys.count) (e.g. \(p.keys[0]))"),
                value, .text(p.unit.symbol), .text(ParameterSet.format(p.range)),
            ])
        }
        let table = ResultTable(columns: ["parameter", "keys", "default", "unit", "range"], rows: rows)
        // The meaning takes what is left of the line, shortened to fit.
        var lines = ValueFormatter.table(table).split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        let used = lines.map(\.count).max() ?? 0
        let room = reader.columns.map { max(20, $0 - used - 3) } ?? Int.max
        for (i, line) in lines.enumerated() {
            let meaning: String
            switch i {
            case 0: meaning = "meaning"
            case 1: meaning = "-------"
            default:
                let doc = i - 2 < parameters.count ? parameters[i - 2].doc : ""
                meaning = doc.count > room ? String(doc.prefix(room - 1)) + "…" : doc
            }
            lines[i] = line.padded(to: used) + "  " + meaning
        }
        return lines.joined(separator: "\n") + "\n(set one: m.\(model.name).NAME = value, or m.\(model.name).NAME[\"KEY\"] = value; :help \(model.name).NAME explains it)"
    }

    /// `:signals [MODULE|RUN]`: the modules' signals and metrics, or every id of a run variable.
    func signalsText(_ argument: String) -> String? {
        if !argument.isEmpty, let value = session.value(of: argument) {
            switch value {
            case .run(let run):
                return session.signalIDs(of: run).joined(separator: "\n")
            case .ensemble(let ensemble):
                return (ensemble.result.metrics.map(\.id) + ensemble.result.bandSignals.map(\.id)).joined(separator: "\n")
            default:
                if !session.moduleNames.contains(argument) {
                    _ = fail("`\(argument)` is \(value.typeDescription); :signals takes a module name or a run variable")
                    return nil
                }
            }
        }
        let models: [any Model]
        if argument.isEmpty {
            models = session.registry.models
        } else {
            guard let model = module(named: argument, command: ":signals") else { return nil }
            models = [model]
        }
        guard let dataset = defaultDataset() else { return "" }
        var lines: [String] = []
        for model in models {
            guard let interface = try? model.interface(in: ModelContext(dataset: dataset, scenario: Scenario("signals")))
            else { continue }
            lines.append("\(model.name):")
            if interface.outputs.isEmpty, interface.metrics.isEmpty {
                lines.append("  (none in an empty scenario: its signals follow the scenario's events; :signals RUN lists a run's)")
            }
            for output in interface.outputs {
                let name = output.name.contains(".") ? output.name : "\(model.name).\(output.name)"
                let keys = output.keys.isEmpty ? "" : "[\(output.keys[0])]" + (output.keys.count > 1 ? " (\(output.keys.count) keys)" : "")
                lines.append("  \(name)\(keys)  \(output.unit.symbol)" + (output.doc.isEmpty ? "" : " — \(output.doc)"))
            }
            for metric in interface.metrics {
                let keys = metric.keys.isEmpty ? "" : "[\(metric.keys[0])]" + (metric.keys.count > 1 ? " (\(metric.keys.count) keys)" : "")
                lines.append("  \(model.name).\(metric.name)\(keys)  metric" + (metric.doc.isEmpty ? "" : " — \(metric.doc)"))
            }
        }
        lines = lines.map(fitted)
        lines.append("(read one with r.series(\"ID\") or r.metric(\"ID\"); Tab completes ids inside the quotes)")
        return lines.joined(separator: "\n")
    }

    /// `:vars`: name, type and a short value of every variable.
    func variablesText() -> String {
        let names = session.variableNames
        guard !names.isEmpty else { return "no variables yet (let x = … makes one)" }
        let width = names.map(\.count).max() ?? 0
        let types = names.map { session.value(of: $0)?.typeName ?? "" }
        let typeWidth = types.map(\.count).max() ?? 0
        return zip(names, types).map { name, type in
            var value = session.value(of: name).map(ValueFormatter.inline) ?? ""
            if value.count > 60 { value = String(value.prefix(59)) + "…" }
            return name.padded(to: width) + "  " + type.padded(to: typeWidth) + "  " + value
        }.joined(separator: "\n")
    }

    /// A line shortened with `…` to the terminal's width (unchanged without a terminal).
    func fitted(_ line: String) -> String {
        guard let columns = reader.columns, line.count > columns else { return line }
        return String(line.prefix(max(1, columns - 1))) + "…"
    }

    // MARK: :load, :save, :time

    /// The file a `:load` or `:save` argument names (quotes removed, `~` expanded, relative to
    /// the shell's folder), as ``FilePaths/absolute(_:relativeTo:)`` gives every path its meaning.
    func path(_ argument: String) -> String {
        var path = argument
        if path.count >= 2, path.first == "\"", path.last == "\"" { path = String(path.dropFirst().dropLast()) }
        return FilePaths.absolute(path, relativeTo: configuration.baseDirectory)
    }

    /// The path to open for `argument` under the session's access policy (in safe mode, with
    /// links and `..` resolved: exactly the path checked), or the denial.
    func permittedPath(_ argument: String, for operation: AccessPolicy.Operation) -> Result<String, PathDenial> {
        session.options.access.permittedPath(path(argument), for: operation, shown: argument)
    }

    /// `:load FILE`: runs a script in this session.
    func load(_ argument: String) -> Bool {
        guard !argument.isEmpty else { return fail(":load needs a file, e.g. `:load curbs.lode`") }
        let file: String
        switch permittedPath(argument, for: .read) {
        case .failure(let denial): return fail(":load: \(denial.message)")
        case .success(let permitted): file = permitted
        }
        switch FilePaths.kind(of: file) {
        case .missing: return fail(":load: " + Session.missingScriptMessage(argument, at: file))
        case .directory: return fail(":load: \(argument) is a directory, not a .lode script")
        case .file: break
        default: return fail(":load: " + (FilePaths.readProblem(file, shown: argument) ?? "cannot read \(argument)"))
        }
        if let size = try? FileManager.default.attributesOfItem(atPath: file)[.size] as? Int, size > Session.maximumSourceBytes {
            return fail(":load: \(argument) is \(Session.sizeDescription(size)); a script may be at most \(Session.sizeDescription(Session.maximumSourceBytes))")
        }
        guard let data = FileManager.default.contents(atPath: file) else {
            return fail(":load: cannot read \(argument): \(FilePaths.openError(file))")
        }
        let text: String
        do { text = try SourceFile.text(utf8: [UInt8](data)) } catch {
            return fail(":load: \(argument) is not UTF-8 text at \(error); save it as UTF-8")
        }
        // Data paths in the script are relative to the script's directory, as with `lodestone run`.
        let saved = session.options.baseDirectory
        let directory = FilePaths.folder(of: file)
        session.options.baseDirectory = directory.isEmpty ? saved : directory
        defer { session.options.baseDirectory = saved }
        let outcome = submit(text, file: argument)
        return outcome.error == nil
    }

    /// `:save FILE`: writes the transcript atomically (a temporary file renamed into place).
    func save(_ argument: String) -> Bool {
        guard !argument.isEmpty else { return fail(":save needs a file, e.g. `:save session.lode`") }
        let file: String
        switch permittedPath(argument, for: .write) {
        case .failure(let denial): return fail(":save: \(denial.message)")
        case .success(let permitted): file = permitted
        }
        let script = transcript.script()
        do {
            try AtomicWrite.write(Array(script.utf8), to: file)
        } catch {
            return fail(":save: cannot write \(argument): \(error.reason)")
        }
        let count = transcript.entries.count
        write("saved \(count) statement\(count == 1 ? "" : "s") to \(argument)\n")
        return true
    }

    /// `:safe on|off`: turns safe mode on (files only inside the folder the shell started in, no
    /// plugins) or off; `:safe` alone says which it is.
    func safe(_ argument: String) -> Bool {
        let root = configuration.baseDirectory ?? FileManager.default.currentDirectoryPath
        switch argument.lowercased() {
        case "on":
            session.options.access = .safe(root: root)
        case "off":
            session.options.access = .unrestricted
        case "":
            break
        default:
            return fail(":safe takes `on` or `off` (or nothing, to show the mode), got `\(argument)`")
        }
        switch session.options.access.files {
        case .within(let directory):
            write("safe mode is on: scripts read and write files only inside \(directory), and load no plugins (`:safe off` ends it)\n")
        case .nowhere:
            write("safe mode is on: scripts read and write no files and load no plugins\n")
        case .anywhere:
            write("safe mode is off: scripts may read and write any file you can, and load plugins (`:safe on` starts it)\n")
        }
        return true
    }

    /// `:time EXPR`: runs the input and reports the wall-clock time.
    func time(_ argument: String, indent: Int) -> Bool {
        guard !argument.isEmpty else { return fail(":time needs something to run, e.g. `:time run(m, s)`") }
        let clock = ContinuousClock()
        let start = clock.now
        let outcome = submit(argument, indent: indent)
        let elapsed = clock.now - start
        let seconds = Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) * 1e-18
        write("time: \(Self.formatSeconds(seconds))\n")
        return outcome.error == nil
    }

    static func formatSeconds(_ seconds: Double) -> String {
        if seconds < 1e-3 { return "\(ValueFormatter.rounded((seconds * 1e6 * 10).rounded() / 10)) µs" }
        if seconds < 1 { return "\(ValueFormatter.rounded((seconds * 1e3 * 10).rounded() / 10)) ms" }
        return "\(ValueFormatter.rounded((seconds * 100).rounded() / 100)) s"
    }
}

extension String {
    func padded(to width: Int) -> String {
        count >= width ? self : self + String(repeating: " ", count: width - count)
    }

    func trimmingBlanks() -> String {
        var s = Substring(self)
        while let c = s.first, c == " " || c == "\t" { s = s.dropFirst() }
        while let c = s.last, c == " " || c == "\t" { s = s.dropLast() }
        return String(s)
    }
}
