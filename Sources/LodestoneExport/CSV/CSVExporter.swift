import LodestoneKernel

/// Writes tidy CSV (RFC 4180 fields; lines end with LF): one row per month and signal with the
/// columns `run,month,module,signal,key,value,unit` (an ensemble's bands add `quantile`; a sweep
/// adds a column per swept parameter), the metrics in their own file, and a metadata file that
/// describes the columns and records the provenance:
///
/// - `NAME.csv`: the series (see ``render(_:options:)``);
/// - `NAME.metrics.csv`: the metrics (see ``renderMetrics(_:)``), for runs, ensembles and sweeps;
/// - `NAME.csv-metadata.json`: the CSV on the Web (W3C CSVW) description of both files — column
///   names, types and units — and the provenance (``ExportProvenance``).
///
/// Months are ISO 8601 (`2026-01`). Values are written so that they read back to the same
/// `Double`; a missing or non-finite value is an empty field. `options.signals` limits the
/// signals (exact ids or family names such as `stockpile.level`). A table is written as it is,
/// except that a column mixing numbers and months is split in two (`p50` numbers, `p50_month`).
public struct CSVExporter: Exporter {
    /// `csv`.
    public let format = "csv"
    /// `csv`.
    public let fileExtensions = ["csv"]
    /// One line for listings.
    public let summary = "tidy CSV: run,month,module,signal,key,value,unit; metrics and metadata beside it"

    /// Creates the exporter.
    public init() {}

    /// Writes the series, the metrics and the metadata (see the type's description) atomically;
    /// every destination is checked before anything is written.
    public func write(_ payload: ExportPayload, to path: String, options: ExportOptions) throws {
        let main = try render(payload, options: options)
        let names = Self.companionPaths(path)
        let metrics = renderMetrics(payload)
        let provenance = ExportProvenance(payload, script: options.script)
        let metadata = CSVMetadata.document(
            payload, file: Self.fileName(path), metricsFile: metrics == nil ? nil : Self.fileName(names.metrics),
            tableColumns: payload.tableColumns, provenance: provenance)
        // The file asked for first, so that an error names it.
        var files: [(path: String, text: String)] = [(path, main)]
        if let metrics { files.append((names.metrics, metrics)) }
        files.append((names.metadata, metadata))
        try AtomicFile.writeAll(files, overwrite: options.overwrite)
    }

    /// The metrics file and the metadata file that go with `path`: `run.csv` →
    /// `run.metrics.csv` and `run.csv-metadata.json`.
    public static func companionPaths(_ path: String) -> (metrics: String, metadata: String) {
        let base = path.lowercased().hasSuffix(".csv") ? String(path.dropLast(4)) : path
        return (base + ".metrics.csv", path + "-metadata.json")
    }

    static func fileName(_ path: String) -> String { String(path.split(separator: "/").last ?? Substring(path)) }

    /// The series CSV for `payload` (the main file).
    public func render(_ payload: ExportPayload, options: ExportOptions = ExportOptions()) throws -> String {
        switch payload {
        case .table(let table): return Self.render(table)
        case .ensemble(let ensemble): return try Self.render(ensemble, signals: options.signals)
        case .sweep(let sweep): return try Self.render(sweep, signals: options.signals)
        case .run, .runs:
            var out = "run,month,module,signal,key,value,unit\n"
            for (label, result) in payload.labelledRuns ?? [] {
                let columns = try SignalSelection.columns(result, options.signals)
                let prefix = TextEscaping.csv(label ?? result.scenario.name) + ","
                out += Self.seriesRows(result, columns: columns, prefix: prefix)
            }
            return out
        }
    }

    /// The rows `month,module,signal,key,value,unit` of `columns` of `result`, each after `prefix`.
    static func seriesRows(_ result: RunResult, columns: [Int], prefix: String) -> String {
        let parts = columns.map { j in
            let p = SignalParts(result.signals[j])
            return (lead: [p.module, p.signal, p.key].map(TextEscaping.csv).joined(separator: ","), unit: TextEscaping.csv(p.unit))
        }
        let width = result.signals.count
        var out = ""
        for t in 0..<result.months {
            let month = (result.start + t).description
            for (n, j) in columns.enumerated() {
                out += prefix + month + "," + parts[n].lead + "," + Self.number(result.values[t * width + j]) + "," + parts[n].unit + "\n"
            }
        }
        return out
    }

    /// A number for a CSV field: exact, or empty when missing or not finite.
    static func number(_ value: Double) -> String { value.isFinite ? NumberText.plain(value) : "" }

    /// The metrics CSV for `payload`, or nil for a table:
    /// `run,module,metric,key,kind,value,month,unit` per run and metric (a sweep adds its swept
    /// parameters after `run`); for an ensemble, one row per metric with its summary over the
    /// runs: `run,module,metric,key,kind,unit,probability,mean,p5,p50,p95,mean_month,…,p95_month`.
    public func renderMetrics(_ payload: ExportPayload) -> String? {
        switch payload {
        case .table: return nil
        case .ensemble(let ensemble): return Self.metrics(ensemble)
        case .sweep(let sweep):
            var out = (["run"] + sweep.paths + ["module", "metric", "key", "kind", "value", "month", "unit"]).map(TextEscaping.csv)
                .joined(separator: ",") + "\n"
            for point in sweep.points {
                let prefix = ([TextEscaping.csv(SweepFacts.label(sweep, point))] + point.values.map(Self.number)).joined(separator: ",") + ","
                out += Self.metricRows(point.result, prefix: prefix)
            }
            return out
        case .run, .runs:
            var out = "run,module,metric,key,kind,value,month,unit\n"
            for (label, result) in payload.labelledRuns ?? [] {
                out += Self.metricRows(result, prefix: TextEscaping.csv(label ?? result.scenario.name) + ",")
            }
            return out
        }
    }

    /// One row per metric of a run: `module,metric,key,kind,value,month,unit`; a month metric's
    /// value is the months from the run's start and its month `YYYY-MM` (both empty for none).
    static func metricRows(_ result: RunResult, prefix: String) -> String {
        var out = ""
        for (info, row) in zip(result.metrics, RunFacts.metrics(result)) {
            let parts = SignalParts(info)
            let month = if case .month(let m) = row.value { m.description } else { "" }
            out += prefix + [parts.module, parts.signal, parts.key, info.kind.exportName].map(TextEscaping.csv).joined(separator: ",")
            out += "," + Self.number(row.raw) + "," + month + "," + TextEscaping.csv(parts.unit) + "\n"
        }
        return out
    }

    /// A table as CSV: a header of column titles, then one line per row (`none` cells empty). A
    /// column holding both numbers and text becomes two: the numbers under its title, the text
    /// under `TITLE_month` (when every text is a month) or `TITLE_text`.
    static func render(_ table: ResultTable) -> String {
        let layout = TableLayout(table)
        var out = layout.titles.map(TextEscaping.csv).joined(separator: ",") + "\n"
        for row in table.rows {
            out += layout.cells(row).map { cell in
                switch cell {
                case .number(let x): number(x)
                case .text(let s): TextEscaping.csv(s)
                case .none: ""
                }
            }.joined(separator: ",") + "\n"
        }
        return out
    }
}

extension ExportPayload {
    /// A table's columns as written (mixed columns split, see ``TableLayout``); nil otherwise.
    var tableColumns: [(title: String, isNumber: Bool)]? {
        guard case .table(let table) = self else { return nil }
        return TableLayout(table).typedTitles
    }
}
