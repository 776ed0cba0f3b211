import LodestoneKernel

/// A data specification that names nothing loadable (`data("nope/")`).
public struct DataSpecError: Error, Sendable, Equatable, CustomStringConvertible {
    /// The specification as given.
    public var spec: String
    /// What is wrong and what was expected.
    public var message: String
    /// Creates an error.
    public init(spec: String, message: String) {
        self.spec = spec
        self.message = message
    }
    /// The message.
    public var description: String { message }
}

/// Turns what a user writes in `data("…")` or `--data` into a ``DataSource``.
public enum DataSources {
    /// The forms ``resolve(_:relativeTo:)`` accepts, for help texts.
    public static let forms =
        "`default` (the embedded baseline-2026), `baseline-2024`, `history-2009`, a directory of CSV files (`data/`), or a JSON file (`data.json`)"

    /// The embedded datasets by the names users write, the default first: `default` (which is
    /// `baseline-2026`), `baseline-2026`, `baseline-2024` and `history-2009`.
    public static var embedded: [(name: String, source: EmbeddedCSVSource)] {
        [
            (DefaultDataset.name, DefaultDataset.source), (Baseline2026Dataset.name, Baseline2026Dataset.source),
            (Baseline2024Dataset.name, Baseline2024Dataset.source), (HistoryDataset.name, HistoryDataset.source),
        ]
    }

    /// Registers every embedded dataset under its name (``embedded``), so that each is known to
    /// the registry (completion, `data(…)` in safe mode) as `default` is.
    public static func registerEmbedded(in registry: inout Registry) {
        for (name, source) in embedded { registry.register(dataSource: source, as: name) }
    }

    /// The data source a specification names:
    /// - `default`, `baseline-2026`, `baseline-2024`, `history-2009`: an embedded dataset
    ///   (``embedded``; `default` is ``DefaultDataset/source``, the `baseline-2026` set);
    /// - a path ending in `/`, or naming a directory: a ``CSVDirectorySource``;
    /// - a path ending in `.json`: a ``JSONFileSource``.
    ///
    /// A relative path is taken relative to `relativeTo` (a directory, e.g. the script's),
    /// or to the current directory when it is nil. The path must exist.
    public static func resolve(_ spec: String, relativeTo base: String? = nil) throws(DataSpecError) -> any DataSource {
        let trimmed = spec.trimmed
        if let named = embedded.first(where: { $0.name == trimmed }) { return named.source }
        guard !trimmed.isEmpty else {
            throw DataSpecError(spec: spec, message: "empty data specification; expected \(forms)")
        }
        let path: String
        if trimmed.hasPrefix("/") {
            path = trimmed
        } else if let base, !base.isEmpty {
            path = FileSystem.join(base, trimmed)
        } else {
            path = trimmed
        }
        let kind = FileSystem.kind(of: FileSystem.trimmingTrailingSlashes(path))
        let shown = path == trimmed ? "`\(trimmed)`" : "`\(trimmed)` (\(path))"
        switch FilePaths.kind(of: FileSystem.trimmingTrailingSlashes(path)) {
        case .linkLoop, .namedPipe, .special, .inaccessible:
            // Not "no such directory": say what is there (a loop of links, a named pipe, …).
            if let problem = FilePaths.readProblem(FileSystem.trimmingTrailingSlashes(path), shown: shown) {
                throw DataSpecError(spec: spec, message: problem)
            }
        default: break
        }
        if trimmed.hasSuffix("/") {
            switch kind {
            case .directory: return CSVDirectorySource(path: path)
            case .file: throw DataSpecError(spec: spec, message: "\(shown) is a file, not a directory of CSV files")
            case .missing: throw DataSpecError(spec: spec, message: "no such directory \(shown)\(defaultHint(trimmed))")
            }
        }
        if trimmed.lowercased().hasSuffix(".json") {
            switch kind {
            case .file: return JSONFileSource(path: path)
            case .directory: throw DataSpecError(spec: spec, message: "\(shown) is a directory, not a JSON file")
            case .missing: throw DataSpecError(spec: spec, message: "no such file \(shown)")
            }
        }
        switch kind {
        case .directory: return CSVDirectorySource(path: path)
        case .file:
            throw DataSpecError(
                spec: spec, message: "\(shown) is neither a directory of CSV files nor a .json file; expected \(forms)")
        case .missing:
            let hint = defaultHint(trimmed)
            throw DataSpecError(
                spec: spec, message: "no such file or directory \(shown)" + (hint.isEmpty ? "; expected \(forms)" : hint))
        }
    }

    private static func defaultHint(_ spec: String) -> String {
        let names = embedded.map(\.name)
        guard let near = names.min(by: { Suggestions.editDistance(spec.lowercased(), $0) < Suggestions.editDistance(spec.lowercased(), $1) }),
            Suggestions.editDistance(spec.lowercased(), near) <= 2
        else { return "" }
        return "; did you mean `\(near)`?"
    }
}
