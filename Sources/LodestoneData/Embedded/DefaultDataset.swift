import LodestoneKernel

/// The default dataset, `data("default")` and what `model(…)` loads without `data:`: the
/// embedded early-2026 world, ``Baseline2026Dataset`` (`baseline-2026`). The 2024 set that was
/// the default before stays available by name as ``Baseline2024Dataset`` (`baseline-2024`).
public enum DefaultDataset {
    /// The name users write: `data("default")`.
    public static let name = "default"

    /// The name of the dataset the default stands for (`baseline-2026`).
    public static var datasetName: String { Baseline2026Dataset.name }

    /// A one-line description, with the date the data describe ("the world as of early 2026: …").
    public static var summary: String { Baseline2026Dataset.summary }

    /// The data source `default` resolves to (the `baseline-2026` source, whose name messages show).
    public static var source: EmbeddedCSVSource { Baseline2026Dataset.source }

    /// The default dataset's notes (its NOTES.md).
    public static var notes: String { Baseline2026Dataset.notes }

    /// The loaded default dataset with its warnings and row locations (read once, then shared).
    public static var report: DataLoadReport { Baseline2026Dataset.report }
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
