import LodestoneKernel

/// Writes CSV: runs in long form (`month,signal,value`, one row per month and signal; several
/// runs add a leading `run` column with each run's label), ensembles as
/// `month,signal,quantile,value` (quantile `p5`, `p25`, `p50`, `p75`, `p95` and `mean` of each
/// band signal), sweeps with a leading column per swept parameter
/// (`<path>,…,month,signal,value`), and tables as plain CSV.
///
/// Fields are quoted per RFC 4180 when needed. Values are written so that they read back to the
/// same `Double`; NaN is an empty field and infinities are `inf`/`-inf`. `options.signals` limits
/// the signals (exact ids or family names such as `stockpile.level`).
public struct CSVExporter: Exporter {
    /// `csv`.
    public let format = "csv"
    /// `csv`.
    public let fileExtensions = ["csv"]
    /// One line for listings.
    public let summary = "CSV, long form: month,signal,value (runs) or the table's columns"

    /// Creates the exporter.
    public init() {}

    /// Writes `payload` to `path` atomically.
    public func write(_ payload: ExportPayload, to path: String, options: ExportOptions) throws {
        let text = try render(payload, options: options)
        try AtomicFile.write(text, to: path, overwrite: options.overwrite)
    }

    /// The CSV text for `payload`.
    public func render(_ payload: ExportPayload, options: ExportOptions = ExportOptions()) throws -> String {
        switch payload {
        case .table(let table): return Self.render(table)
        case .ensemble(let ensemble): return try Self.render(ensemble, signals: options.signals)
        case .sweep(let sweep): return try Self.render(sweep, signals: options.signals)
        case .run, .runs:
            let runs = payload.labelledRuns ?? []
            let labelled = runs.count > 1 || runs.first?.label != nil
            var out = (labelled ? "run," : "") + "month,signal,value\n"
            for (label, result) in runs {
                let columns = try SignalSelection.columns(result, options.signals)
                let prefix = labelled ? TextEscaping.csv(label ?? "") + "," : ""
                let ids = columns.map { TextEscaping.csv(result.signals[$0].id) }
                let width = result.signals.count
                for t in 0..<result.months {
                    let month = (result.start + t).description
                    for (n, j) in columns.enumerated() {
                        out += prefix + month + "," + ids[n] + "," + NumberText.plain(result.values[t * width + j]) + "\n"
                    }
                }
            }
            return out
        }
    }

    /// A table as CSV: a header of column titles, then one line per row (`none` cells empty).
    static func render(_ table: ResultTable) -> String {
        var out = table.columns.map(TextEscaping.csv).joined(separator: ",") + "\n"
        for row in table.rows {
            out += row.map { cell in
                switch cell {
                case .number(let x): NumberText.plain(x)
                case .text(let s): TextEscaping.csv(s)
                case .none: ""
                }
            }.joined(separator: ",") + "\n"
        }
        return out
    }
}
