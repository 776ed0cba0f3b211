import LodestoneKernel

/// The embedded 2024 dataset, `data("baseline-2024")`: the default until issue 17, embedded from
/// `Data/baseline-2024` (the tables of `shared/reference/baseline-2024`, with notes worded for
/// readers; importers JP, US, ROW; commodities NdPr, DyTb, Other), with
/// every row's citation and the assumption flags (rows citing `assumption`). The `v1` golden
/// outputs and the examples whose numbers are fixed name it explicitly.
///
/// The CSV texts are compiled into the library (see `Scripts/embed-dataset.py`) and read through
/// the same loader and checks as a CSV directory, with file names `baseline-2024/imports.csv`.
public enum Baseline2024Dataset {
    /// The name users write: `data("baseline-2024")`.
    public static let name = "baseline-2024"

    /// A one-line description.
    public static let summary =
        "2024 baseline: importers JP, US, ROW; commodities NdPr, DyTb, Other"

    /// The data source for the embedded dataset, named `baseline-2024`.
    public static let source = EmbeddedCSVSource(
        name: name, description: summary, files: Baseline2024.files.map { ($0.name, $0.text) }, notes: Baseline2024.notes)

    /// The reference notes (NOTES.md): how every derived or assumed number was put together,
    /// and the ranges worth exploring. Printed by `lodestone data --describe baseline-2024`.
    public static var notes: String { Baseline2024.notes }

    /// The embedded CSV texts by file name (`imports.csv`), as shipped.
    public static var files: [(name: String, text: String)] { Baseline2024.files }

    /// The loaded dataset with its warnings and row locations (read once, then shared).
    public static var report: DataLoadReport { cachedReport }

    private static let cachedReport = source.loadReport()
}
