import Foundation
import LodestoneKernel

/// A scripting session: the variables, the registry of modules, data sources and exporters, and
/// the interpreter that runs `.lode` code against them.
///
/// A file runs as one chunk; the REPL keeps one session and runs each input as a chunk. Variables
/// survive errors: a chunk that fails keeps what its earlier statements defined.
///
/// ```swift
/// let session = Session(registry: registry)
/// try session.run("let m = model(trade, stockpile)\nm.trade.ramp_months = 3", file: "<repl>")
/// ```
public final class Session {
    /// How a session reports and limits what it does.
    public struct Options {
        /// Receives everything the script prints (each piece ends with a newline).
        public var output: (String) -> Void = { print($0, terminator: "") }
        /// Checked between runs and loop iterations; when it returns true, the script stops with a
        /// cancellation error (Ctrl-C in the REPL).
        public var isCancelled: CancellationCheck?
        /// The most statements, calls and loop iterations one chunk may take, so that an endless
        /// loop ends with an error.
        public var stepBudget: Int = 10_000_000
        /// The deepest nesting of script function calls (recursion guard).
        public var maximumCallDepth: Int = 200
        /// The seed of `run`, `montecarlo` and `sweep` when the script gives no `seed:`.
        public var defaultSeed: UInt64 = 1
        /// Parameter values applied to every model the script creates (`lodestone run --set`),
        /// as `module.name[key]` paths; a path whose module is not in the model is skipped.
        public var parameterOverrides: [(path: String, value: Double)] = []
        /// The directory relative data paths are resolved against (the script's directory); nil
        /// means the working directory.
        public var baseDirectory: String?
        /// Told how many runs of a `montecarlo` or `sweep` are done (for a progress line).
        public var progress: ProgressHandler?
        /// The directory relative `export` and `plot(…, file:)` paths are written to; nil means the
        /// working directory.
        public var outputDirectory: String?
        /// Draws a terminal chart; nil uses the session's own plain chart. A renderer that shows
        /// the chart another way (`lodestone serve` sends it as an SVG image) returns "".
        public var chartRenderer: ((Chart) -> String)?
        /// Describes a dataset for `describe(d)` (tables and citations); nil uses a short summary.
        public var datasetDescriber: ((Dataset) -> String)?
        /// Whether top-level expression statements print their value (not `none`).
        public var echoesExpressions = true
        /// Which files the script may read and write and whether it may load plugins
        /// (``AccessPolicy/safe(root:)`` for `--safe`).
        public var access: AccessPolicy = .unrestricted
        /// The most memory a `montecarlo` or `sweep` may plan to use (checked before its first
        /// run); `lodestone --max-memory` and `max_memory("…")` change it. Default: an eighth of
        /// physical memory.
        public var memoryBudget: MemoryBudget = .default
        /// Worker threads of a `montecarlo` or `sweep` that gives no `threads:` (`lodestone
        /// --threads`); nil: one per core. Results do not depend on it.
        public var threads: Int?
        /// The shard of every `montecarlo`, `sweep` and `sensitivity` that gives no `shard:`
        /// (`lodestone --shard 2/4`); nil: every run.
        public var shard: Shard?
        /// Creates the default options.
        public init() {}
    }

    /// The registry of modules, data sources and exporters (`plugin(…)` adds modules to it).
    public internal(set) var registry: Registry
    /// Plugins loaded by `plugin(…)`: spec → module names.
    var loadedPlugins: [String: [String]] = [:]
    /// The options.
    public var options: Options

    let globals = Scope(parent: nil)
    /// Scopes that outlived their call or block while functions made in them were still around.
    var lingering = LingeringScopes()
    var builtins: [String: Builtin] = [:]
    var steps = 0
    var callDepth = 0
    /// Sharded computations made so far: the next one's ``ShardTag/part``.
    var shardedParts = 0
    var datasets: [String: DatasetObject] = [:]

    /// The datasets this session has loaded so far (`data(…)`, `model(…, data:)`), by spec:
    /// completion offers their codes besides the default dataset's.
    public var loadedDatasets: [Dataset] { datasets.sorted { $0.key < $1.key }.map(\.value.dataset) }
    let nestingCache = NestingCache()
    /// Everything the session has run, in order: the script that exports record as their
    /// provenance (a file's text; in the REPL every input so far).
    public internal(set) var script: ScriptSource?

    /// Creates a session over a registry (built-in modules, exporters and the `default` data
    /// source registered by the host).
    public init(registry: Registry, options: Options = Options()) {
        self.registry = registry
        self.options = options
        for builtin in Self.standardBuiltins() { builtins[builtin.signature.name] = builtin }
    }

    deinit {
        // Top-level functions hold the global scope, which holds them: empty it so that the
        // variables are freed with the session, and the scopes that may be in a cycle with a
        // function made in them likewise. On a large stack, because freeing a deeply nested list
        // recurses.
        let globals = self.globals
        var lingering = self.lingering
        guard !globals.values.isEmpty || lingering.count > 0 else { return }
        LargeStack.run {
            globals.values.removeAll()
            lingering.emptyAll()
        }
    }

    // MARK: Running

    /// The largest script Lodestone runs, in bytes (16 MB); `lodestone run`, stdin and `:load`
    /// refuse larger files before reading them.
    public static let maximumSourceBytes = 16 << 20

    /// `12.5 MB`, for messages about file sizes.
    public static func sizeDescription(_ bytes: Int) -> String { megabytes(bytes) }

    /// The message for a script file that does not exist: `no such file: NAME`, with the closest
    /// `.lode` file in the same directory when one is a plausible typo.
    ///
    /// - Parameters:
    ///   - shown: the path as the user wrote it.
    ///   - path: the path resolved against the directory the file was looked for in.
    public static func missingScriptMessage(_ shown: String, at path: String) -> String {
        let directory = FilePaths.folder(of: path)
        let name = FilePaths.lastComponent(of: path)
        let scripts = ((try? FileManager.default.contentsOfDirectory(atPath: directory.isEmpty ? "." : directory)) ?? [])
            .filter { $0.hasSuffix(".lode") }.sorted()
        guard let close = Suggestions.closest(to: name, among: scripts) else { return "no such file: \(shown)" }
        let prefix = FilePaths.folder(of: shown)
        return "no such file: \(shown); did you mean `\(prefix.isEmpty ? close : prefix + "/" + close)`?"
    }

    /// An error when `file` is larger than ``maximumSourceBytes``.
    func checkSize(_ file: SourceFile) throws(ScriptError) {
        // Scalars are at least one byte each: only a long text needs counting its bytes.
        guard file.scalars.count > Self.maximumSourceBytes / 4 else { return }
        let bytes = file.scalars.reduce(0) { $0 + UTF8.width($1) }
        guard bytes > Self.maximumSourceBytes else { return }
        throw ScriptError(
            "\(file.name) is \(Self.megabytes(bytes)) of code; a script may be at most \(Self.megabytes(Self.maximumSourceBytes)) (keep data in data files and load them with data(\"…\"))",
            at: nil)
    }

    /// Runs a chunk of source and returns the value of its last statement when that is an
    /// expression (nil otherwise). Top-level expression statements print their value when
    /// ``Options/echoesExpressions`` is on.
    @discardableResult
    public func run(_ source: String, file: String, firstLine: Int = 1) throws(ScriptError) -> Value? {
        try run(SourceFile(name: file, text: source, firstLine: firstLine))
    }

    /// Runs a parsed source (see ``run(_:file:firstLine:)``).
    @discardableResult
    public func run(_ file: SourceFile) throws(ScriptError) -> Value? {
        try LargeStack.run { () throws(ScriptError) -> Value? in try runOnCurrentThread(file) }
    }

    private func runOnCurrentThread(_ file: SourceFile) throws(ScriptError) -> Value? {
        try runTopLevel(file) { _, value in
            if let value, options.echoesExpressions, !value.isNone { options.output(ValueFormatter.display(value) + "\n") }
        }
    }

    /// Parses `file` and runs its statements in the global scope, calling `onStatement` after each
    /// (with the value of an expression statement, nil for others); returns the last statement's
    /// value if it was an expression. Shared by ``run(_:)`` and the REPL's `runStatements`.
    func runTopLevel(
        _ file: SourceFile, onStatement: (_ statement: Stmt, _ value: Value?) -> Void
    ) throws(ScriptError) -> Value? {
        try checkSize(file)
        let program = try Parser.parse(file)
        record(file)
        steps = 0
        callDepth = 0
        var last: Value?
        hoistFunctions(program, into: globals)
        for statement in program {
            last = nil
            if case .expression(let expr) = statement.kind {
                let value = try evaluate(expr, in: globals)
                last = value
                onStatement(statement, value)
                continue
            }
            switch try execute(statement, in: globals) {
            case .normal: break
            case .returned(_, let range):
                throw ScriptError("`return` outside a function", at: range)
            case .broke(let range):
                throw ScriptError("`break` outside a loop", at: range)
            case .continued(let range):
                throw ScriptError("`continue` outside a loop", at: range)
            }
            onStatement(statement, nil)
        }
        return last
    }

    /// Adds a parsed chunk to ``script`` (the first chunk names it).
    private func record(_ file: SourceFile) {
        let text = file.text
        if let previous = script {
            script = ScriptSource(name: previous.name, text: previous.text + (previous.text.hasSuffix("\n") ? "" : "\n") + text)
        } else {
            script = ScriptSource(name: file.name, text: text)
        }
    }

    /// Whether `source` ends in the middle of a statement — an open bracket, a trailing operator,
    /// comma or `=` — so that the REPL should read another line before running it.
    public static func isIncomplete(_ source: String) -> Bool {
        IncompleteInput.check(source)
    }

    /// Parses `source` and resolves every name without running anything; returns the problems
    /// found (empty when the script is fine).
    public func check(_ source: String, file: String) -> [ScriptError] {
        LargeStack.run { checkOnCurrentThread(source, file: file) }
    }

    private func checkOnCurrentThread(_ source: String, file: String) -> [ScriptError] {
        let sourceFile = SourceFile(name: file, text: source)
        let program: [Stmt]
        do { program = try Parser.parse(sourceFile) } catch { return [error] }
        var checker = NameChecker(
            known: Set(globals.allNames).union(registry.models.map(\.name)),
            builtins: builtins.mapValues(\.signature))
        checker.check(program)
        return checker.errors
    }

    // MARK: Introspection (for the REPL)

    /// The session's variables, sorted.
    public var variableNames: [String] { globals.values.keys.sorted() }

    /// The value of a variable, or nil.
    public func value(of name: String) -> Value? { globals.values[name] }

    /// Defines or replaces a variable.
    public func setValue(_ value: Value, for name: String) { globals.values[name] = value }

    /// The built-in function names, sorted.
    public var builtinNames: [String] { builtins.keys.sorted() }

    /// The built-in functions' signatures, sorted by name.
    public var builtinSignatures: [Signature] { builtins.values.map(\.signature).sorted { $0.name < $1.name } }

    /// The registered module names.
    public var moduleNames: [String] { registry.models.map(\.name) }

    /// Every name visible at the top level: variables, built-ins and modules, sorted.
    public var globalNames: [String] { Set(variableNames + builtinNames + moduleNames).sorted() }
}

/// How a statement finished.
enum Flow {
    case normal
    case returned(Value, SourceRange)
    case broke(SourceRange)
    case continued(SourceRange)
}

extension Value {
    var isNone: Bool { if case .none = self { true } else { false } }
}
