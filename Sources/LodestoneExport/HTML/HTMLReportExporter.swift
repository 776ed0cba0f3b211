import LodestoneKernel

/// Writes the HTML report (see ``HTMLReport``): one self-contained file a teacher can print, for
/// a run, several runs, an ensemble, a sweep or a table. `options.signals` picks the charted
/// signals (an ensemble's band signals; a sweep's charted signals).
public struct HTMLReportExporter: Exporter {
    /// `html`.
    public let format = "html"
    /// `html`, `htm`.
    public let fileExtensions = ["html", "htm"]
    /// One line for listings.
    public let summary = "self-contained HTML report: scenario, parameters, metrics, charts, sources (runs, ensembles, sweeps)"

    /// Creates the exporter.
    public init() {}

    /// Writes `payload` to `path` atomically.
    public func write(_ payload: ExportPayload, to path: String, options: ExportOptions) throws {
        try AtomicFile.write(try render(payload, options: options), to: path, overwrite: options.overwrite)
    }

    /// The HTML page for `payload`: the report, a link that downloads its data as CSV (the CSV
    /// export of the same value, inline as a `data:` URI), its provenance (``ExportProvenance``)
    /// and the small script of ``ReportScript`` (values on hover, legends that hide lines).
    public func render(_ payload: ExportPayload, options: ExportOptions = ExportOptions()) throws -> String {
        var page = try body(payload, options: options)
        if let link = try? Self.downloadLink(payload, options: options),
            let headline = page.range(of: "<section id=\"headline\">") ?? page.range(of: "<section id=\"table\">"),
            let end = page.range(of: "</section>\n", range: headline.upperBound..<page.endIndex)
        {
            page.replaceSubrange(end.lowerBound..<end.lowerBound, with: link)
        }
        let section = ExportProvenance(payload, script: options.script).htmlSection
            + "<script>\n\(ReportScript.javascript)\n</script>\n"
        guard let end = page.range(of: "<footer>") ?? page.range(of: "</body>") else { return page + section }
        return page.replacingCharacters(in: end.lowerBound..<end.lowerBound, with: section)
    }

    /// `<p class="download">` with a link whose `data:` URI holds the CSV of `payload` (its series,
    /// or an ensemble's bands); nil when there is nothing to write as CSV.
    static func downloadLink(_ payload: ExportPayload, options: ExportOptions) throws -> String {
        let metricIDs: Set<String>
        switch payload {
        case .run(let result): metricIDs = Set(result.metrics.map(\.id) + result.metrics.map(\.name))
        case .runs(let runs): metricIDs = Set(runs.flatMap { $0.result.metrics.map(\.id) + $0.result.metrics.map(\.name) })
        case .ensemble(let ensemble): metricIDs = Set(ensemble.metrics.map(\.id) + ensemble.metrics.map(\.name))
        case .sweep, .table: metricIDs = []
        }
        var csvOptions = options
        csvOptions.signals = options.signals.filter { !metricIDs.contains(SignalLookup.normalize($0)) }
        let csv = try CSVExporter().render(payload, options: csvOptions)
        let rows = csv.reduce(0) { $1 == "\n" ? $0 + 1 : $0 } - 1
        let name = (payload.labelledRuns?.first?.result.scenario.name ?? "lodestone").filter { $0.isLetter || $0.isNumber || $0 == "-" }
        return "<p class=\"download\"><a download=\"\((name.isEmpty ? "lodestone" : name) + "-data.csv")\" href=\"data:text/csv;charset=utf-8,"
            + DataURI.percentEncoded(csv) + "\">Download the data</a> (CSV, \(rows) rows: run, month, module, signal, key, "
            + "value, unit, as a CSV export writes them).</p>\n"
    }

    private func body(_ payload: ExportPayload, options: ExportOptions) throws -> String {
        switch payload {
        case .table(let table): HTMLReport.render(table: table)
        case .run, .runs: try HTMLReport.render(runs: payload.labelledRuns ?? [], signals: options.signals)
        case .ensemble(let ensemble): try HTMLReport.render(ensemble: ensemble, signals: options.signals)
        case .sweep(let sweep): try HTMLReport.render(sweep: sweep, signals: options.signals)
        }
    }
}
