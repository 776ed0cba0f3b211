import LodestoneKernel

/// What the REPL can offer for the word before the cursor.
public struct Completions: Sendable, Equatable {
    /// The partial word being completed (the text the REPL replaces).
    public var prefix: String
    /// Full replacements that start with ``prefix``, sorted.
    public var candidates: [String]
    /// Whether the word is inside a string literal (signal ids, parameter paths, file names).
    public var isInString: Bool
}

extension Session {
    /// Completions for the end of `line`: names (variables, built-ins, modules, keywords); after
    /// `value.`, its members (a model's modules, a module's parameters, a run's methods); inside a
    /// string, the signal and metric ids of the session's runs and ensembles and the parameter
    /// paths of its models.
    public func completions(for line: String) -> Completions {
        let scalars = Array(line.unicodeScalars)
        // Inside a string? Count unescaped quotes outside comments.
        var quote: Unicode.Scalar?
        var stringStart = 0
        var i = 0
        while i < scalars.count {
            let c = scalars[i]
            if let q = quote {
                if c == "\\" { i += 1 } else if c == q { quote = nil }
            } else if c == "\"" || c == "'" {
                quote = c
                stringStart = i + 1
            } else if c == "#" {
                return Completions(prefix: "", candidates: [], isInString: false)
            }
            i += 1
        }
        if quote != nil {
            var view = String.UnicodeScalarView()
            view.append(contentsOf: scalars[stringStart...])
            let prefix = String(view)
            return Completions(prefix: prefix, candidates: stringCandidates().filter { $0.hasPrefix(prefix) }, isInString: true)
        }
        // The trailing word and, if it follows a dot, the chain before it.
        var start = scalars.count
        while start > 0, Lexer.isIdentifierPart(scalars[start - 1]) { start -= 1 }
        var view = String.UnicodeScalarView()
        view.append(contentsOf: scalars[start...])
        let prefix = String(view)
        if start > 0, scalars[start - 1] == "." {
            var chainStart = start - 1
            while chainStart > 0, Lexer.isIdentifierPart(scalars[chainStart - 1]) || scalars[chainStart - 1] == "." {
                chainStart -= 1
            }
            var chain = String.UnicodeScalarView()
            chain.append(contentsOf: scalars[chainStart..<(start - 1)])
            guard let value = valueOfChain(String(chain)) else {
                return Completions(prefix: prefix, candidates: [], isInString: false)
            }
            return Completions(
                prefix: prefix, candidates: memberNames(of: value).filter { $0.hasPrefix(prefix) }, isInString: false)
        }
        let names = Set(globalNames + Keyword.allCases.map(\.rawValue))
        return Completions(prefix: prefix, candidates: names.filter { $0.hasPrefix(prefix) }.sorted(), isInString: false)
    }

    /// The value of `a.b.c` by variable lookup and member access only (no calls).
    private func valueOfChain(_ chain: String) -> Value? {
        let parts = chain.split(separator: ".", omittingEmptySubsequences: false).map(String.init)
        guard let first = parts.first, !first.isEmpty else { return nil }
        if let month = Month(chain) { return .month(month) }
        var value: Value
        if let variable = globals.values[first] {
            value = variable
        } else if let model = registry.models.first(where: { $0.name == first }) {
            value = .module(ModuleObject(model: model))
        } else {
            return nil
        }
        let dummy = SourceRange(file: SourceFile(name: "<completion>", text: ""), start: 0, end: 0)
        for part in parts.dropFirst() {
            guard !part.isEmpty, let next = try? member(of: value, name: part, nameRange: dummy, baseRange: dummy),
                !{ if case .method = next { true } else { false } }()
            else { return nil }
            value = next
        }
        return value
    }

    private func stringCandidates() -> [String] {
        var ids = Set<String>()
        for value in globals.values.values {
            switch value {
            case .run(let run): ids.formUnion(signalIDs(of: run))
            case .ensemble(let e):
                ids.formUnion(e.result.metrics.map(\.id))
                ids.formUnion(e.result.bandSignals.map(\.id))
            case .sweep(let s):
                if let run = s.result.points.first?.result { ids.formUnion(signalIDs(of: run)) }
            case .model(let m):
                ids.formUnion(parameterPaths(of: m))
                ids.formUnion(m.parameters.entries.map(\.path))
            default: break
            }
        }
        return ids.sorted()
    }
}
