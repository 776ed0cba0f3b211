import LodestoneKernel

extension Session {
    /// `scenarios("2025-controls")`: a library of ready-made scenario pieces, as a record of
    /// functions; each returns a small scenario (the piece) that `s.add(piece)` composes into a
    /// scenario of the user's own. `scenarios()` lists the libraries.
    static let scenarioLibraryBuiltins: [Builtin] = [
        builtin(
            "scenarios",
            positional: [.init("library", "a library name such as \"2025-controls\" (none: the list of libraries)")],
            summary: "a library of ready-made scenario pieces (a record of functions); compose them with s.add(…)"
        ) { session, args throws(ScriptError) in
            let libraries = session.registry.scenarioLibraries
            guard let name = try args.string("library") else { return .list(libraries.map { .string($0.name) }) }
            guard let library = libraries.first(where: { $0.name == name }) else {
                let names = libraries.map(\.name)
                throw ScriptError(
                    "unknown scenario library `\(name)`" + Suggestions.hint(for: name, among: names)
                        + " (libraries: \(names.isEmpty ? "none" : names.joined(separator: ", ")))",
                    at: args.range("library"))
            }
            return .record(Record(library.pieces.map { ($0.name, .builtin(pieceBuiltin($0, of: library))) }))
        }
    ]

    /// A piece as a function of its named arguments, returning the piece as a scenario.
    static func pieceBuiltin(_ piece: ScenarioPiece, of library: ScenarioLibrary) -> Builtin {
        let named = piece.arguments.map { argument in
            Signature.Parameter(argument.name, argument.doc + " (default " + Self.defaultText(argument.kind) + ")")
        }
        return builtin(piece.name, named: named, summary: piece.summary) { _, args throws(ScriptError) in
            var numbers: [String: Double] = [:]
            var months: [String: Month] = [:]
            for argument in piece.arguments {
                switch argument.kind {
                case .number(_, let range):
                    if let x = try args.number(argument.name, in: range) { numbers[argument.name] = x }
                case .months:
                    if let n = try args.integer(argument.name, minimum: 0) { numbers[argument.name] = Double(n) }
                case .month:
                    if let m = try args.month(argument.name) { months[argument.name] = m }
                }
            }
            var scenario = Scenario("\(library.name): \(piece.name)")
            for event in piece.events(numbers: numbers, months: months) { scenario.add(event) }
            return .scenario(ScenarioObject(scenario))
        }
    }

    /// An argument's default as `help` shows it.
    static func defaultText(_ kind: ScenarioPiece.Argument.Kind) -> String {
        switch kind {
        case .number(let value, _): ParameterSet.format(value)
        case .month(let month): month.description
        case .months(let count): "\(count)"
        }
    }

    /// `help("scenarios")`: every library, its pieces with their arguments, and how to compose them.
    func scenarioLibrariesHelp() -> String {
        let libraries = registry.scenarioLibraries
        var out = "scenarios(\"NAME\"): a library of ready-made scenario pieces, each a function returning a small"
        out += "\nscenario; compose pieces into your own with s.add(…) and vary their arguments:"
        out += "\n  let lib = scenarios(\"2025-controls\")"
        out += "\n  let s = scenario(\"my 2026\")"
        out += "\n  s.add(lib.january_2026_japan(severity: 0.5))"
        if libraries.isEmpty { return out + "\n\n(no library is registered)" }
        for library in libraries {
            out += "\n\n\(library.name) (codes of data(\"\(library.dataset)\")): \(library.doc)"
            for piece in library.pieces {
                let arguments = piece.arguments.map { "\($0.name): \(Self.defaultText($0.kind))" }
                out += "\n\n  \(piece.name)(\(arguments.joined(separator: ", ")))"
                out += "\n    \(piece.summary)."
                out += "\n    " + piece.doc
                for argument in piece.arguments { out += "\n    \(argument.name): \(argument.doc)" }
            }
        }
        return out
    }
}
