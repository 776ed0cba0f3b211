import Foundation
import LodestoneKernel

/// Where an export comes from, recorded in every file Lodestone writes (see Docs/Exports.md,
/// "Provenance") and printed back by `lodestone provenance FILE`.
public struct ExportProvenance: Sendable, Equatable {
    /// A dataset a result used: its name and content hash (``Dataset/contentHash``, or `unknown`).
    public struct DatasetRecord: Sendable, Equatable {
        /// The dataset's name (`default`, a folder or file name).
        public var name: String
        /// `sha256:` and 64 hexadecimal digits, or `unknown` for a result built by hand.
        public var hash: String
        /// Creates a record.
        public init(name: String, hash: String) {
            self.name = name
            self.hash = hash
        }
    }

    /// The script an export came from.
    public struct ScriptRecord: Sendable, Equatable {
        /// The file name as given (`curb.lode`, `-e`, `<stdin>`, `<repl>`).
        public var name: String
        /// `sha256:` and the SHA-256 of the text's UTF-8 bytes.
        public var hash: String
        /// The whole text, when recorded.
        public var text: String?
        /// Creates a record.
        public init(name: String, hash: String, text: String?) {
            self.name = name
            self.hash = hash
            self.text = text
        }
        /// The record of a script that ran.
        public init(_ source: ScriptSource) { self.init(name: source.name, hash: source.hash, text: source.text) }
    }

    /// A parameter that differs from its default.
    public struct ParameterRecord: Sendable, Equatable {
        /// The run's label when several runs are exported, nil otherwise.
        public var run: String?
        /// `module.name[key]`.
        public var path: String
        /// The value used.
        public var value: Double
        /// The declared default.
        public var defaultValue: Double
        /// The unit symbol.
        public var unit: String
        /// Creates a record.
        public init(run: String?, path: String, value: Double, defaultValue: Double, unit: String) {
            self.run = run
            self.path = path
            self.value = value
            self.defaultValue = defaultValue
            self.unit = unit
        }
    }

    /// The Lodestone release that wrote the file (``LodestoneVersion/current``).
    public var lodestoneVersion: String
    /// What was exported: `run`, `runs`, `ensemble`, `sweep` or `table`.
    public var kind: String
    /// The datasets used, without duplicates.
    public var datasets: [DatasetRecord]
    /// The script, when known: its name, its hash (`sha256:…` of its UTF-8 text) and its text
    /// (nil where the format leaves it out: Markdown, SVG).
    public var script: ScriptRecord?
    /// The seeds, exactly, as decimal text (one per run; an ensemble's or sweep's own seed).
    public var seeds: [String]
    /// The parameters that differ from their defaults.
    public var parameters: [ParameterRecord]
    /// When the file was written: ISO 8601 in UTC (`SOURCE_DATE_EPOCH` fixes it, for
    /// reproducible files).
    public var created: String

    /// Creates a record.
    public init(
        lodestoneVersion: String = LodestoneVersion.current, kind: String, datasets: [DatasetRecord],
        script: ScriptRecord?, seeds: [String], parameters: [ParameterRecord], created: String
    ) {
        self.lodestoneVersion = lodestoneVersion
        self.kind = kind
        self.datasets = datasets
        self.script = script
        self.seeds = seeds
        self.parameters = parameters
        self.created = created
    }

    /// The provenance of `payload`, written now (or at `SOURCE_DATE_EPOCH`).
    public init(_ payload: ExportPayload, script: ScriptSource?, created: String = ExportProvenance.now()) {
        var datasets: [DatasetRecord] = []
        func add(_ name: String, _ dataset: Dataset?) {
            let record = DatasetRecord(name: name, hash: dataset?.contentHash ?? "unknown")
            if !datasets.contains(record) { datasets.append(record) }
        }
        var seeds: [String] = []
        var parameters: [ParameterRecord] = []
        func changes(_ set: ParameterSet, run: String?, excluding: Set<String> = []) {
            for change in RunFacts.changes(set) where !excluding.contains(change.path) {
                parameters.append(
                    ParameterRecord(
                        run: run, path: change.path, value: change.value, defaultValue: change.defaultValue,
                        unit: change.unit))
            }
        }
        let kind: String
        switch payload {
        case .run(let result):
            kind = "run"
            add(result.datasetName, result.dataset)
            seeds = [String(result.seed)]
            changes(result.parameters, run: nil)
        case .runs(let runs):
            kind = "runs"
            for (label, result) in runs {
                add(result.datasetName, result.dataset)
                seeds.append(String(result.seed))
                changes(result.parameters, run: label)
            }
        case .ensemble(let ensemble):
            kind = "ensemble"
            add(ensemble.datasetName, ensemble.dataset)
            seeds = [String(ensemble.request.seed)]
            changes(ensemble.parameters, run: nil)
        case .sweep(let sweep):
            kind = "sweep"
            if let first = sweep.points.first?.result {
                add(first.datasetName, first.dataset)
                seeds = [String(first.seed)]
                changes(first.parameters, run: nil, excluding: SweepFacts.sweptKeys(sweep))
            }
        case .table:
            kind = "table"
        }
        self.init(
            kind: kind, datasets: datasets, script: script.map(ScriptRecord.init), seeds: seeds, parameters: parameters,
            created: created)
    }

    /// The current time as ISO 8601 in UTC, or the time `SOURCE_DATE_EPOCH` (seconds since 1970)
    /// gives, so that files can be made reproducible.
    public static func now() -> String {
        let formatter = ISO8601DateFormatter()
        formatter.timeZone = TimeZone(identifier: "UTC")
        if let text = ProcessInfo.processInfo.environment["SOURCE_DATE_EPOCH"], let seconds = Double(text), seconds.isFinite {
            return formatter.string(from: Date(timeIntervalSince1970: seconds))
        }
        return formatter.string(from: Date())
    }

    /// The record as JSON: `{"lodestone", "kind", "created", "datasets": [{"name", "hash"}],
    /// "script": {"name", "hash", "text"} | null, "seeds": ["…"], "parameters": [{"run"?, "path",
    /// "value", "default", "unit"}]}`. `includeScriptText: false` leaves the text out.
    func json(includeScriptText: Bool = true) -> JSONValue {
        let script: JSONValue =
            self.script.map { script in
                var members: [(String, JSONValue)] = [("name", .string(script.name)), ("hash", .string(script.hash))]
                if includeScriptText, let text = script.text { members.append(("text", .string(text))) }
                return .object(members)
            } ?? .null
        return .object([
            ("lodestone", .string(lodestoneVersion)),
            ("kind", .string(kind)),
            ("created", .string(created)),
            ("datasets", .array(datasets.map { .object([("name", .string($0.name)), ("hash", .string($0.hash))]) })),
            ("script", script),
            ("seeds", .array(seeds.map(JSONValue.string))),
            (
                "parameters",
                .array(
                    parameters.map { change in
                        .object(
                            (change.run.map { [("run", JSONValue.string($0))] } ?? []) + [
                                ("path", .string(change.path)), ("value", .finite(change.value)),
                                ("default", .finite(change.defaultValue)), ("unit", .string(change.unit)),
                            ])
                    })
            ),
        ])
    }

    /// The number of lines of `text` (a final line break ends the last line, it starts no new one).
    static func lineCount(_ text: String) -> Int {
        text.isEmpty ? 0 : text.split(separator: "\n", omittingEmptySubsequences: false).count - (text.hasSuffix("\n") ? 1 : 0)
    }

    /// The record as the lines `lodestone provenance` prints.
    public var text: String {
        var lines = ["lodestone   \(lodestoneVersion)", "kind        \(kind)"]
        for dataset in datasets { lines.append("dataset     \(dataset.name) (\(dataset.hash))") }
        if !seeds.isEmpty { lines.append("seed        " + seeds.joined(separator: ", ")) }
        if parameters.isEmpty { lines.append("parameters  all at their defaults") }
        for (i, change) in parameters.enumerated() {
            let label = change.run.map { "\($0): " } ?? ""
            lines.append(
                (i == 0 ? "parameters  " : "            ") + label + change.path + " = " + NumberText.plain(change.value)
                    + " (default " + NumberText.plain(change.defaultValue) + (change.unit == "1" ? "" : " " + change.unit) + ")")
        }
        if let script {
            let size = script.text.map { text in
                let count = Self.lineCount(text)
                return ", \(count) line\(count == 1 ? "" : "s")"
            } ?? ""
            lines.append("script      \(script.name) (\(script.hash)\(size))")
        } else {
            lines.append("script      unknown")
        }
        lines.append("created     \(created)")
        return lines.joined(separator: "\n") + "\n"
    }
}
