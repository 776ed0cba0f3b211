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

    /// The HTML page for `payload`, ending with its provenance (``ExportProvenance``).
    public func render(_ payload: ExportPayload, options: ExportOptions = ExportOptions()) throws -> String {
        let page = try body(payload, options: options)
        let section = ExportProvenance(payload, script: options.script).htmlSection
        guard let end = page.range(of: "<footer>") ?? page.range(of: "</body>") else { return page + section }
        return page.replacingCharacters(in: end.lowerBound..<end.lowerBound, with: section)
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
