import LodestoneKernel

/// Writes an SVG line chart of a run (or several runs overlaid): the signals in
/// `options.signals` (exact ids or family names; default: up to four module signals that change
/// during the run, headline signals first), one panel per unit, scenario events marked, readable in black and white.
/// An ensemble is drawn as quantile bands (90 % and 50 %) with the median of each band signal
/// (default: all of them; see ``EnsembleChart``), a
/// sweep as one line per point labelled with its swept values. `options.title` replaces the
/// default title. Tables are not supported.
public struct SVGChartExporter: Exporter {
    /// `svg`.
    public let format = "svg"
    /// `svg`.
    public let fileExtensions = ["svg"]
    /// One line for listings.
    public let summary = "SVG line chart of chosen signals with events, units and a legend"

    /// Creates the exporter.
    public init() {}

    /// Writes `payload` to `path` atomically.
    public func write(_ payload: ExportPayload, to path: String, options: ExportOptions) throws {
        try AtomicFile.write(try render(payload, options: options), to: path, overwrite: options.overwrite)
    }

    /// The SVG document for `payload`, with its provenance in a `<metadata>` element.
    public func render(_ payload: ExportPayload, options: ExportOptions = ExportOptions()) throws -> String {
        let svg = try chart(payload, options: options)
        let metadata = ExportProvenance(payload, script: options.script).svgMetadata
        guard let title = svg.range(of: "</title>\n") else { return svg }
        return svg.replacingCharacters(in: title.upperBound..<title.upperBound, with: metadata)
    }

    private func chart(_ payload: ExportPayload, options: ExportOptions) throws -> String {
        switch payload {
        case .run, .runs:
            return SVGChart.render(try RunChart.make(runs: payload.labelledRuns ?? [], signals: options.signals, title: options.title))
        case .ensemble(let ensemble):
            _ = try EnsembleFacts.requiredBandColumns(ensemble, options.signals, format: "an SVG chart")
            return SVGChart.render(try EnsembleChart.make(ensemble, signals: options.signals, title: options.title))
        case .sweep(let sweep):
            return SVGChart.render(try EnsembleChart.make(sweep, signals: options.signals, title: options.title))
        case .table:
            throw ExportError.unsupported(format: format, payload: payload.kindDescription)
        }
    }
}
