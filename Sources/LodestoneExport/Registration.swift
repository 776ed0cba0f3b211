import LodestoneKernel

/// Every file exporter of this module, in the order they are listed to users: CSV, JSON, JSON
/// records, Markdown, SQLite, SVG chart and HTML report. (The terminal chart is not a file format; the
/// REPL's `plot` uses ``TerminalChart`` directly.)
public let builtInExporters: [any Exporter] = [
    CSVExporter(), JSONExporter(), JSONRecordsExporter(), MarkdownExporter(), SQLiteExporter(), SVGChartExporter(),
    HTMLReportExporter(),
]

/// Registers every built-in exporter, and ``SVGFigure`` as the registry's figure writer; call it as `LodestoneExport.registerAll(in: &registry)`.
/// Fails if an exporter for one of their formats is already registered.
public func registerAll(in registry: inout Registry) throws {
    for exporter in builtInExporters { try registry.register(exporter: exporter) }
    registry.figureWriter = { figure, path, overwrite in try SVGFigure.write(figure, to: path, overwrite: overwrite) }
}
