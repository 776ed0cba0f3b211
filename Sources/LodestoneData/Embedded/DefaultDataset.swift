import LodestoneKernel

/// The embedded default dataset, `data("default")`: the 2024 baseline, embedded from
/// `shared/reference/baseline-2024` (importers JP, US, ROW; commodities NdPr, DyTb, Other),
/// with every row's citation and the assumption flags (rows citing `assumption`).
///
/// The CSV texts are compiled into the library (see `Scripts/embed-dataset.py`) and read
/// through the same loader and checks as a CSV directory, with file names `default/imports.csv`.
public enum DefaultDataset {
    /// The name users write: `data("default")`.
    public static let name = "default"

    /// A one-line description.
    public static let summary =
        "2024 baseline: importers JP, US, ROW; commodities NdPr, DyTb, Other"

    /// The data source for the embedded dataset, named `default`.
    public static let source = EmbeddedCSVSource(
        name: name, description: summary, files: Baseline2024.files.map { ($0.name, $0.text) }, notes: Baseline2024.notes)

    /// The reference notes (NOTES.md): how every derived or assumed number was put together,
    /// and the ranges worth exploring. Printed by `lodestone data --describe`.
    public static var notes: String { Baseline2024.notes }

    /// The embedded CSV texts by file name (`imports.csv`), as shipped.
    public static var files: [(name: String, text: String)] { Baseline2024.files }

    /// The loaded default dataset with its warnings and row locations (read once, then shared).
    public static var report: DataLoadReport { cachedReport }

    private static let cachedReport = source.loadReport()
}

/// A dataset given as CSV texts in memory (the embedded default, tests, plugins), checked like
/// a CSV directory whose files are named `NAME/file.csv` in messages.
public struct EmbeddedCSVSource: ReportingDataSource {
    /// The name shown in messages and used as the file prefix (`default`).
    public var name: String
    /// A one-line description given to the dataset.
    public var description: String
    /// File name (`imports.csv`) and text pairs; a missing table file is an error.
    public var files: [(name: String, text: String)]
    /// The dataset's notes (``Dataset/notes``).
    public var notes: String

    /// Creates a source from file texts and notes.
    public init(name: String, description: String = "", files: [(name: String, text: String)], notes: String = "") {
        self.name = name
        self.description = description
        self.files = files
        self.notes = notes
    }

    /// Reads and validates the texts.
    public func loadReport() -> DataLoadReport {
        let files = self.files
        var report = CSVTablesLoader.load(
            name: name, description: description, prefix: name,
            read: { table throws(DataError) in files.first { $0.name == table.fileName }?.text })
        report.dataset?.notes = notes
        return report
    }
}
