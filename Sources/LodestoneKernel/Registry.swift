/// Writes results somewhere: a file format (CSV, JSON, SVG, …) chosen by name or extension.
///
/// Implement ``write(_:to:options:)`` for the payloads the format supports and throw
/// ``ExportError/unsupported(format:payload:)`` for the others. Write atomically (to a temporary
/// file, then rename) so that a failure never leaves a partial file.
public protocol Exporter: Sendable {
    /// The format's name (`csv`, `json`, `svg`).
    var format: String { get }
    /// File extensions that select it (`["csv"]`).
    var fileExtensions: [String] { get }
    /// One line saying what it writes.
    var summary: String { get }
    /// Writes `payload` to `path`.
    func write(_ payload: ExportPayload, to path: String, options: ExportOptions) throws
}

/// What can be exported.
public enum ExportPayload: Sendable {
    /// One run.
    case run(RunResult)
    /// Several runs side by side (a sweep or a comparison), each with a label.
    case runs([(label: String, result: RunResult)])
    /// A table of named columns.
    case table(ResultTable)
    /// A Monte Carlo ensemble: quantile bands of its band signals and metric summaries.
    case ensemble(EnsembleResult)
    /// A sweep: one run per point of a parameter grid.
    case sweep(SweepResult)

    /// A short name of the payload's kind for messages (`a run`, `an ensemble`).
    public var kindDescription: String {
        switch self {
        case .run: "a run"
        case .runs: "several runs"
        case .table: "a table"
        case .ensemble: "an ensemble"
        case .sweep: "a sweep"
        }
    }
}

/// Options common to all exporters.
public struct ExportOptions: Sendable {
    /// Replace an existing file (otherwise an existing file is an error).
    public var overwrite: Bool
    /// Signals to include (empty: the exporter's choice, usually all).
    public var signals: [String]
    /// A title for formats that show one (charts); nil: the exporter's own (the scenario's name).
    public var title: String?
    /// The script that produced the value, recorded in the export's provenance (nil: unknown,
    /// for example when Swift code exports directly).
    public var script: ScriptSource?
    /// What an ensemble keeps in a database (`everything`, `metrics`, `bands`, `summary`; nil:
    /// everything); other formats ignore it.
    public var keep: String?
    /// Creates options.
    public init(
        overwrite: Bool = false, signals: [String] = [], title: String? = nil, script: ScriptSource? = nil,
        keep: String? = nil
    ) {
        self.overwrite = overwrite
        self.signals = signals
        self.title = title
        self.script = script
        self.keep = keep
    }
}

/// A script's name and text, as exports record it.
public struct ScriptSource: Sendable, Equatable {
    /// The file name as given (`curb.lode`, `-e`, `<stdin>`, `<repl>`).
    public var name: String
    /// The whole text that ran.
    public var text: String
    /// Creates a record.
    public init(name: String, text: String) {
        self.name = name
        self.text = text
    }
    /// `sha256:` and the SHA-256 of the text's UTF-8 bytes.
    public var hash: String { "sha256:" + SHA256.hex(text) }
}

/// A problem exporting, with the path and what to try.
public enum ExportError: Error, Sendable, Equatable, CustomStringConvertible {
    /// No exporter for that format or extension.
    case unknownFormat(String, known: [String])
    /// The format cannot write that kind of result.
    case unsupported(format: String, payload: String)
    /// The file exists and `overwrite` was not given.
    case exists(String)
    /// Writing failed.
    case writeFailed(path: String, reason: String)

    /// The text shown to users.
    public var description: String {
        switch self {
        case .unknownFormat(let name, let known):
            "unknown export format `\(name)`" + Suggestions.hint(for: name, among: known)
                + " (formats: \(known.joined(separator: ", ")))"
        case .unsupported(let format, let payload): "the \(format) exporter cannot write \(payload)"
        case .exists(let path): "\(path) exists; pass `overwrite: true` to replace it"
        case .writeFailed(let path, let reason): "cannot write \(path): \(reason)"
        }
    }
}

/// A table of named columns of text or numbers, for sweeps, comparisons and summaries.
public struct ResultTable: Sendable, Equatable {
    /// A cell.
    public enum Cell: Sendable, Equatable, CustomStringConvertible {
        /// A number.
        case number(Double)
        /// Text (months, labels).
        case text(String)
        /// No value.
        case none
        /// The text shown to users.
        public var description: String {
            switch self {
            case .number(let x): ParameterSet.format(x)
            case .text(let s): s
            case .none: "none"
            }
        }
    }
    /// Column titles.
    public var columns: [String]
    /// Rows of cells, one per column.
    public var rows: [[Cell]]
    /// Creates a table.
    public init(columns: [String], rows: [[Cell]]) {
        self.columns = columns
        self.rows = rows
    }
}

/// A problem registering a plugin or built-in.
public struct RegistryError: Error, Sendable, Equatable, CustomStringConvertible {
    /// The message.
    public let message: String
    /// Creates an error.
    public init(_ message: String) { self.message = message }
    /// The message.
    public var description: String { message }
}

/// The names Lodestone knows: model modules, data sources and exporters.
///
/// Built-in modules register here at start-up exactly as runtime plugins do, so everything that
/// lists modules (`:modules`, `model(…)`, completion) treats them alike.
public struct Registry: Sendable {
    /// Registered models by name, in registration order.
    public private(set) var models: [any Model] = []
    /// Registered exporters, in registration order.
    public private(set) var exporters: [any Exporter] = []
    /// Registered named data sources (`default`).
    public private(set) var dataSources: [String: any DataSource] = [:]
    /// Registered libraries of scenario pieces (`2025-controls`), in registration order.
    public private(set) var scenarioLibraries: [ScenarioLibrary] = []

    /// An empty registry.
    public init() {}

    /// Registers a model; a second model with the same name is an error.
    public mutating func register(model: any Model) throws(RegistryError) {
        guard model.name.allSatisfy({ $0.isLetter || $0.isNumber || $0 == "_" }), !model.name.isEmpty
        else { throw RegistryError("`\(model.name)` is not a valid module name (letters, digits and _ only)") }
        guard model.name != ScenarioSignals.module else {
            throw RegistryError("`\(model.name)` is reserved for the kernel's scenario signals; choose another module name")
        }
        guard !models.contains(where: { $0.name == model.name }) else {
            throw RegistryError("a module named `\(model.name)` is already registered")
        }
        models.append(model)
    }

    /// Registers an exporter; a second one with the same format is an error.
    public mutating func register(exporter: any Exporter) throws(RegistryError) {
        guard !exporters.contains(where: { $0.format == exporter.format }) else {
            throw RegistryError("an exporter for `\(exporter.format)` is already registered")
        }
        exporters.append(exporter)
    }

    /// Turns a user's data spec (`default`, `dir/`, `file.json`) into a source; set by the host
    /// (the executable installs LodestoneData's resolver), so that the scripting layer needs no
    /// dependency on the data target.
    public var dataSourceResolver: (@Sendable (_ spec: String) throws -> any DataSource)?

    /// Writes a ``Figure`` to a file whose format its extension names (`svg`), honouring
    /// `overwrite` as exporters do; set by the host (LodestoneExport's `registerAll` installs its
    /// SVG figures), so that the scripting layer can `plot(a, "a.svg")` without depending on it.
    public var figureWriter: (@Sendable (_ figure: Figure, _ path: String, _ overwrite: Bool) throws -> Void)?

    /// Loads a runtime plugin (`industry`, or a path to `libNAME.so`) and returns its models; set
    /// by the host (the executable installs LodestonePluginKit's loader), so that the scripting
    /// layer can offer `plugin("NAME")` without depending on the plugin kit. See ``loadPlugin(_:)``.
    public var pluginLoader: (@Sendable (_ spec: String) throws -> [any Model])?

    /// The plugin names `plugin("NAME")` can load (`industry`): what the loader finds on its
    /// search path, for completion; set by the host with ``pluginLoader``.
    public var pluginNames: (@Sendable () -> [String])?

    /// Registers a named data source (`default`).
    public mutating func register(dataSource: any DataSource, as name: String) {
        dataSources[name] = dataSource
    }

    /// Registers a library of scenario pieces; a second library with the same name replaces the first.
    public mutating func register(scenarioLibrary library: ScenarioLibrary) {
        scenarioLibraries.removeAll { $0.name == library.name }
        scenarioLibraries.append(library)
    }

    /// The data source for a spec: a registered name first, then the host's resolver.
    public func dataSource(_ spec: String) throws -> any DataSource {
        if let source = dataSources[spec] { return source }
        if let resolver = dataSourceResolver { return try resolver(spec) }
        throw RegistryError(
            "unknown dataset `\(spec)`" + Suggestions.hint(for: spec, among: dataSources.keys.sorted())
                + " (named datasets: \(dataSources.keys.sorted().joined(separator: ", ")))")
    }

    /// The model named `name`, or an error with a suggestion.
    public func model(named name: String) throws(RegistryError) -> any Model {
        if let model = models.first(where: { $0.name == name }) { return model }
        let names = models.map(\.name)
        throw RegistryError(
            "unknown module `\(name)`" + Suggestions.hint(for: name, among: names)
                + " (modules: \(names.joined(separator: ", ")))")
    }

    /// The exporter for a format name or a path's extension.
    public func exporter(format: String?, path: String) throws(ExportError) -> any Exporter {
        let known = exporters.map(\.format)
        if let format {
            if let exporter = exporters.first(where: { $0.format == format.lowercased() }) { return exporter }
            throw .unknownFormat(format, known: known)
        }
        // The extension of the file name only: a dot in a directory (`out.d/report`) is not one.
        let file = path.split(separator: "/").last ?? Substring(path)
        let parts = file.split(separator: ".", omittingEmptySubsequences: false)
        let ext = parts.count > 1 ? String(parts[parts.count - 1]).lowercased() : ""
        if let exporter = exporters.first(where: { $0.fileExtensions.contains(ext) }) { return exporter }
        throw .unknownFormat(ext.isEmpty ? path : ext, known: known)
    }
}
