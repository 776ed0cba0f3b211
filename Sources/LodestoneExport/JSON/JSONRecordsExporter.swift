import LodestoneKernel

/// Writes the tidy rows of the CSV export as one JSON document in the Table Schema layout that
/// `pandas.read_json(path, orient="table")` loads with its column types:
/// `{"kind": "records", "provenance", "schema": {"fields": [{"name", "type"}, …]}, "data":
/// [{column: value}, …], "metrics": [{column: value}, …]}`.
///
/// `data` holds the rows of `NAME.csv` (`run`, `month`, `module`, `signal`, `key`, `value`,
/// `unit`; `quantile` for an ensemble's bands; the swept parameters for a sweep), `metrics` the
/// rows of `NAME.metrics.csv` (load them with `pandas.DataFrame(document["metrics"])`). Chosen
/// with `format: "records"`; there is no file extension for it.
public struct JSONRecordsExporter: Exporter {
    /// `records`.
    public let format = "records"
    /// None: choose it with `format: "records"`.
    public let fileExtensions: [String] = []
    /// One line for listings.
    public let summary = "JSON records (Table Schema) of the tidy CSV rows, for pandas.read_json(orient=\"table\")"

    /// Creates the exporter.
    public init() {}

    /// Writes `payload` to `path` atomically.
    public func write(_ payload: ExportPayload, to path: String, options: ExportOptions) throws {
        try AtomicFile.write(try render(payload, options: options), to: path, overwrite: options.overwrite)
    }

    /// The JSON text for `payload`: the CSV exporter's rows, typed by the CSV metadata's columns.
    public func render(_ payload: ExportPayload, options: ExportOptions = ExportOptions()) throws -> String {
        let csv = CSVExporter()
        // One source of truth for the rows: the CSV exporter's text, split again.
        let rows = Self.parseCSV(try csv.render(payload, options: options))
        let metrics = csv.renderMetrics(payload).map(Self.parseCSV)
        let types = Self.numberColumns(payload)
        var members: [(String, JSONValue)] = [
            ("kind", .string("records")),
            ("provenance", ExportProvenance(payload, script: options.script).json()),
        ]
        guard let header = rows.first else { return JSONValue.object(members).rendered() }
        members.append(
            (
                "schema",
                .object([
                    (
                        "fields",
                        .array(
                            header.map { name -> JSONValue in
                                .object([("name", .string(name)), ("type", .string(types.data.contains(name) ? "number" : "string"))])
                            })
                    )
                ])
            ))
        members.append(("data", Self.records(rows, numbers: types.data)))
        if let metrics { members.append(("metrics", Self.records(metrics, numbers: types.metrics))) }
        return JSONValue.object(members).rendered()
    }

    /// The rows after the header as objects, numbers in `numbers` as JSON numbers (null if empty).
    private static func records(_ rows: [[String]], numbers: Set<String>) -> JSONValue {
        guard let header = rows.first else { return .array([]) }
        return .array(
            rows.dropFirst().map { row in
                .object(
                    zip(header, row).map { name, field in
                        guard numbers.contains(name) else { return (name, .string(field)) }
                        return (name, field.isEmpty ? .null : .finite(Double(field) ?? .nan))
                    })
            })
    }

    /// The numeric columns of the data rows and the metric rows.
    private static func numberColumns(_ payload: ExportPayload) -> (data: Set<String>, metrics: Set<String>) {
        var data: Set<String> = ["value"]
        var metrics: Set<String> = ["value", "probability", "mean", "p5", "p50", "p95"]
        if case .sweep(let sweep) = payload {
            data.formUnion(sweep.paths)
            metrics.formUnion(sweep.paths)
        }
        if let columns = payload.tableColumns { data = Set(columns.filter(\.isNumber).map(\.title)) }
        return (data, metrics)
    }

    /// Splits CSV text written by ``CSVExporter`` into fields (RFC 4180 quoting).
    static func parseCSV(_ text: String) -> [[String]] {
        var rows: [[String]] = []
        var row: [String] = []
        var field = ""
        var quoted = false
        var pendingQuote = false
        for c in text {
            if quoted {
                if pendingQuote {
                    pendingQuote = false
                    if c == "\"" { field.append("\""); continue }
                    quoted = false
                } else if c == "\"" {
                    pendingQuote = true
                    continue
                } else {
                    field.append(c)
                    continue
                }
            }
            switch c {
            case "\"": quoted = true
            case ",": row.append(field); field = ""
            case "\n": row.append(field); rows.append(row); row = []; field = ""
            default: field.append(c)
            }
        }
        if !field.isEmpty || !row.isEmpty { row.append(field); rows.append(row) }
        return rows
    }
}
