import LodestoneKernel

/// A dataset stored as a directory of the seven CSV files of DESIGN §3.5 (`regions.csv`,
/// `commodities.csv`, `consumption.csv`, `imports.csv`, `capacity.csv`, `stockpiles.csv`,
/// `sources.csv`).
///
/// Every file is read, checked by ``DatasetValidator`` and either accepted whole or rejected
/// with errors naming `directory/file.csv:line:column`. A `NOTES.md` beside them becomes the
/// dataset's notes (``Dataset/notes``).
public struct CSVDirectorySource: ReportingDataSource {
    /// The directory as given (`data/2010/`).
    public var path: String

    /// A source reading the CSV files in the directory at `path`.
    public init(path: String) { self.path = path }

    /// The directory as given.
    public var name: String { path }

    /// Reads and validates the seven files.
    public func loadReport() -> DataLoadReport {
        let directory = FileSystem.trimmingTrailingSlashes(path)
        let datasetName = directory.split(separator: "/").last.map(String.init) ?? directory
        guard FileSystem.kind(of: directory) == .directory else {
            let found = FileSystem.kind(of: directory) == .file ? "a file" : "nothing"
            let error = DataError(
                SourceLocation(file: path, line: 1, column: 1),
                "expected a directory of CSV files (\(DataTable.allCases.map(\.fileName).joined(separator: ", "))), "
                    + "found \(found)")
            return DataLoadReport(dataset: nil, errors: [error], warnings: [])
        }
        var report = CSVTablesLoader.load(
            name: datasetName, description: "CSV directory \(path)", prefix: directory,
            read: { table throws(DataError) in
                let file = FileSystem.join(directory, table.fileName)
                return try FileSystem.readText(atPath: file, display: file)
            })
        // The directory's NOTES.md, if any, is the dataset's notes (reports quote it).
        let notes = FileSystem.join(directory, "NOTES.md")
        if FileSystem.kind(of: notes) == .file, let text = try? FileSystem.readText(atPath: notes, display: notes) {
            report.dataset?.notes = text
        }
        return report
    }
}

/// A dataset stored as one JSON file: an object with one array per table (keys `regions`,
/// `commodities`, `consumption`, `imports`, `capacity`, `stockpiles`, `sources`) whose row
/// objects have the CSV column names as fields. Numbers may be JSON numbers or numeric strings.
///
/// Errors name the file, the line and column of the value, and its JSON path
/// (`data.json:40:26: error: imports[3].tonnes_per_year: …`).
public struct JSONFileSource: ReportingDataSource {
    /// The file as given (`data/2024.json`).
    public var path: String

    /// A source reading the JSON file at `path`.
    public init(path: String) { self.path = path }

    /// The file as given.
    public var name: String { path }

    /// Reads and validates the file.
    public func loadReport() -> DataLoadReport {
        let base = path.split(separator: "/").last.map(String.init) ?? path
        let datasetName = base.lowercased().hasSuffix(".json") ? String(base.dropLast(5)) : base
        do {
            guard let text = try FileSystem.readText(atPath: path, display: path) else {
                let error = DataError(
                    SourceLocation(file: path, line: 1, column: 1),
                    "no such file; expected a JSON file with one array per table")
                return DataLoadReport(dataset: nil, errors: [error], warnings: [])
            }
            return JSONTablesLoader.load(text: text, file: path, name: datasetName, description: "JSON file \(path)")
        } catch {
            return DataLoadReport(dataset: nil, errors: [error], warnings: [])
        }
    }
}
