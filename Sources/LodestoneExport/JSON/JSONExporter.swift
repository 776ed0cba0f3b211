import LodestoneKernel

/// Writes JSON in the schema of `Docs/export.schema.json`. Every document starts with `"kind"`
/// (`run`, `runs`, `ensemble`, `sweep`, `table`) and `"provenance"` (``ExportProvenance``). A run
/// is `{"kind": "run", "provenance", "scenario", "dataset", "start", "months", "month_labels":
/// ["YYYY-MM", …], "seed", "modules", "parameters": {path: value}, "events": [{kind, summary,
/// start}], "series": {signal: [values]}, "units": {signal: unit}, "metrics": {id: number |
/// "YYYY-MM" | null}, "metric_units": {id: unit}, "sources": [{id, citation, url, assumption}]}`;
/// several runs are `{"kind": "runs", "provenance", "runs": [{"label", …run…}]}`; a table
/// `{"kind": "table", "provenance", "columns": […], "rows": [[…]]}`; an ensemble `{"kind":
/// "ensemble", …, "vary", "bands": {signal: {"p5": [...], …, "mean"}}, "metrics": {id: {"p5",
/// "p50", "p95", "mean", "probability", "unit"}}}` and a sweep `{"kind": "sweep", …, "points":
/// [{"values", "metrics", "series"}]}` (details in JSONEnsemble.swift). For a flat table that
/// `pandas.read_json` loads, see ``JSONRecordsExporter``.
///
/// Non-finite numbers are `null`. `options.signals` limits the series written.
public struct JSONExporter: Exporter {
    /// `json`.
    public let format = "json"
    /// `json`.
    public let fileExtensions = ["json"]
    /// One line for listings.
    public let summary = "JSON: scenario, parameters, events, series, metrics and sources"

    /// Creates the exporter.
    public init() {}

    /// Writes `payload` to `path` atomically.
    public func write(_ payload: ExportPayload, to path: String, options: ExportOptions) throws {
        try AtomicFile.write(try render(payload, options: options), to: path, overwrite: options.overwrite)
    }

    /// The JSON text for `payload`, with its provenance (written now).
    public func render(_ payload: ExportPayload, options: ExportOptions = ExportOptions()) throws -> String {
        let provenance = ExportProvenance(payload, script: options.script).json()
        let body: JSONValue
        switch payload {
        case .run(let result):
            body = try Self.object(result, label: nil, signals: options.signals)
        case .runs(let runs):
            let items = try runs.map { try Self.object($0.result, label: $0.label, signals: options.signals) }
            body = .object([("runs", .array(items))])
        case .table(let table):
            body = Self.object(table)
        case .ensemble(let ensemble):
            body = try Self.object(ensemble, signals: options.signals)
        case .sweep(let sweep):
            body = try Self.object(sweep, signals: options.signals)
        }
        return Self.document(kind: payload.exportKind, provenance: provenance, body).rendered()
    }

    /// `body`'s members after `"kind"` and `"provenance"` (a `kind` already in `body` is dropped).
    static func document(kind: String, provenance: JSONValue, _ body: JSONValue) -> JSONValue {
        guard case .object(let members) = body else { return body }
        return .object([("kind", .string(kind)), ("provenance", provenance)] + members.filter { $0.0 != "kind" })
    }

    /// `count` month labels from `start` (`["2026-01", "2026-02", …]`).
    static func monthLabels(_ start: Month, _ count: Int) -> JSONValue {
        .array((0..<max(0, count)).map { .string((start + $0).description) })
    }

    /// One run as a JSON object.
    static func object(_ result: RunResult, label: String?, signals: [String]) throws -> JSONValue {
        let columns = try SignalSelection.columns(result, signals)
        var members: [(String, JSONValue)] = []
        if let label { members.append(("label", .string(label))) }
        members += [
            ("scenario", .string(result.scenario.name)),
            ("dataset", .string(result.datasetName)),
            ("start", .string(result.start.description)),
            ("months", .number(Double(result.months))),
            ("month_labels", monthLabels(result.start, result.months)),
            ("seed", .unsigned(result.seed)),
            ("modules", .array(result.modules.map(JSONValue.string))),
            ("parameters", .object(result.parameters.all.map { ($0.path, .finite($0.value)) })),
            ("events", events(result.scenario)),
            (
                "series",
                .object(
                    columns.map { j in
                        (result.signals[j].id, .array(SignalSelection.series(result, j).map(JSONValue.finite)))
                    })
            ),
            ("units", .object(columns.map { (result.signals[$0].id, .string(result.signals[$0].unit.symbol)) })),
            ("metrics", .object(RunFacts.metrics(result).map { ($0.id, value($0.value)) })),
            ("metric_units", .object(RunFacts.metrics(result).map { ($0.id, .string($0.unit)) })),
            ("sources", .array(result.sources.map(object))),
        ]
        return .object(members)
    }

    /// A scenario's events as `[{kind, summary, start}]`.
    static func events(_ scenario: Scenario) -> JSONValue {
        .array(
            scenario.events.map { event in
                .object([
                    ("kind", .string(event.kind)), ("summary", .string(event.summary)),
                    ("start", .string(event.start.description)),
                ])
            })
    }

    /// A metric value: a number, a month string, or null.
    static func value(_ metric: MetricValue) -> JSONValue {
        switch metric {
        case .number(let x): .finite(x)
        case .month(let month): .string(month.description)
        case .none: .null
        }
    }

    /// A citation as `{id, citation, url, assumption}`.
    static func object(_ citation: Citation) -> JSONValue {
        .object([
            ("id", .string(citation.id)), ("citation", .string(citation.citation)), ("url", .string(citation.url)),
            ("assumption", .bool(citation.isAssumption)),
        ])
    }

    /// A table as `{"columns": [...], "rows": [[...]]}` (`none` cells are null).
    static func object(_ table: ResultTable) -> JSONValue {
        .object([
            ("columns", .array(table.columns.map(JSONValue.string))),
            (
                "rows",
                .array(
                    table.rows.map { row in
                        .array(
                            row.map { cell in
                                switch cell {
                                case .number(let x): .finite(x)
                                case .text(let s): .string(s)
                                case .none: .null
                                }
                            })
                    })
            ),
        ])
    }

    /// Quantile bands of one signal as `{"p5": [...], "p50": [...], …}`, ready for ensembles.
    static func object(_ band: QuantileBand) -> JSONValue {
        .object(band.quantiles.map { ("p" + NumberText.plain($0.probability * 100), .array($0.values.map(JSONValue.finite))) })
    }
}
