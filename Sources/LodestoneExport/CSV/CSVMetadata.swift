import LodestoneKernel

/// The metadata file written beside a CSV export (`NAME.csv-metadata.json`, where the W3C's "CSV
/// on the Web" looks for it): the tables with their columns' names and types (`string`,
/// `number`, `gYearMonth` for months) and what each holds, and the export's provenance.
enum CSVMetadata {
    /// A column: its name, CSVW datatype and description.
    typealias Column = (name: String, datatype: String, description: String)

    /// The metadata document for `payload` written to `file` (and `metricsFile`).
    static func document(
        _ payload: ExportPayload, file: String, metricsFile: String?, tableColumns: [(title: String, isNumber: Bool)]?,
        provenance: ExportProvenance
    ) -> String {
        var tables: [JSONValue] = [
            table(file, description: description(payload), columns: columns(payload, tableColumns: tableColumns))
        ]
        if let metricsFile {
            tables.append(table(metricsFile, description: "One row per metric.", columns: metricColumns(payload)))
        }
        return JSONValue.object([
            ("@context", .string("http://www.w3.org/ns/csvw")),
            ("dc:creator", .string("Lodestone \(provenance.lodestoneVersion)")),
            ("dc:created", .string(provenance.created)),
            ("tables", .array(tables)),
            ("provenance", provenance.json()),
        ]).rendered()
    }

    private static func table(_ url: String, description: String, columns: [Column]) -> JSONValue {
        .object([
            ("url", .string(url)),
            ("dc:description", .string(description)),
            (
                "tableSchema",
                .object([
                    (
                        "columns",
                        .array(
                            columns.map {
                                .object([
                                    ("name", .string($0.name)), ("titles", .string($0.name)), ("datatype", .string($0.datatype)),
                                    ("dc:description", .string($0.description)),
                                ])
                            })
                    )
                ])
            ),
        ])
    }

    private static func description(_ payload: ExportPayload) -> String {
        switch payload {
        case .run, .runs: "One row per run, month and signal."
        case .ensemble: "For each month and band signal, its percentiles and mean over the runs."
        case .sweep: "One row per point of the sweep, month and signal."
        case .table: "A table."
        }
    }

    private static let run: Column = ("run", "string", "the run's label, or the scenario's name")
    private static let month: Column = ("month", "gYearMonth", "the month, YYYY-MM")
    private static let module: Column = ("module", "string", "the module that names the signal (`scenario` for the scenario's own)")
    private static let key: Column = ("key", "string", "the key: a region, a pair `CN>JP`, a commodity or a combination (`JP/DyTb`); empty when unkeyed")
    private static let unit: Column = ("unit", "string", "the unit of value (`1`: a share or ratio; `month`: months from the start)")

    private static func swept(_ payload: ExportPayload) -> [Column] {
        guard case .sweep(let sweep) = payload else { return [] }
        return sweep.paths.map { ($0, "number", "the swept parameter's value at this point") }
    }

    private static func columns(_ payload: ExportPayload, tableColumns: [(title: String, isNumber: Bool)]?) -> [Column] {
        if let tableColumns {
            return tableColumns.map { ($0.title, $0.isNumber ? "number" : "string", "") }
        }
        let signal: Column = ("signal", "string", "the signal's name within its module")
        var columns = [run] + swept(payload) + [month, module, signal, key]
        if case .ensemble = payload {
            columns.append(("quantile", "string", "p5, p25, p50, p75, p95 (percentiles over the runs) or mean"))
        }
        return columns + [("value", "number", "the value; empty when missing"), unit]
    }

    private static func metricColumns(_ payload: ExportPayload) -> [Column] {
        let metric: Column = ("metric", "string", "the metric's name within its module")
        let kind: Column = ("kind", "string", "quantity, or month for the month something first happened")
        if case .ensemble = payload {
            let statistics = ["mean", "p5", "p50", "p95"]
            return [run, module, metric, key, kind, unit, ("probability", "number", "the share of runs in which it happened, 0…1")]
                + statistics.map { ($0, "number", "over the runs; for a month metric in months from the start") }
                + statistics.map { ($0 + "_month", "gYearMonth", "for a month metric: the month; empty for none") }
        }
        return [run] + swept(payload) + [
            module, metric, key, kind,
            ("value", "number", "the quantity, or for a month metric the months from the start; empty for none"),
            ("month", "gYearMonth", "for a month metric: the month; empty for none"), unit,
        ]
    }
}
