import LodestoneKernel

/// The outcome of reading and validating a dataset: the dataset if it is sound, every error
/// found, every warning, and where each row was read.
///
/// A dataset with any error is rejected whole: ``dataset`` is nil, never half-loaded.
public struct DataLoadReport: Sendable {
    /// The validated dataset, or nil when ``errors`` is not empty.
    public var dataset: Dataset?
    /// Every problem that rejects the dataset, in file order (table order, then line and column).
    public var errors: [DataError]
    /// Problems that do not reject it (an unknown extra column, which is ignored).
    public var warnings: [DataError]
    /// Where each row was read, by table and row key (`JP/DyTb`, `CN>JP/DyTb`, `JP/DyTb/state`).
    public var rowLocations: [DataTable: [String: SourceLocation]]

    /// Creates a report.
    public init(
        dataset: Dataset?, errors: [DataError], warnings: [DataError],
        rowLocations: [DataTable: [String: SourceLocation]] = [:]
    ) {
        self.dataset = dataset
        self.errors = errors
        self.warnings = warnings
        self.rowLocations = rowLocations
    }

    /// The dataset, or the first error.
    public func get() throws(DataError) -> Dataset {
        if let first = errors.first { throw first }
        guard let dataset else {
            throw DataError(SourceLocation(file: "<dataset>", line: 1, column: 1), "the dataset could not be read")
        }
        return dataset
    }

    /// Errors then warnings as a compiler prints them, one per line
    /// (`imports.csv:3:12: error: …`, `imports.csv:1:20: warning: …`).
    public var diagnostics: String {
        (errors.map(\.description) + warnings.map(\.warningDescription)).joined(separator: "\n")
    }
}

extension DataError {
    /// `file:line:column: warning: message`, for problems reported as warnings.
    public var warningDescription: String { "\(location): warning: \(MessageText.escaped(message))" }
}

/// A data source that can report everything it found (all errors, warnings, row locations),
/// not only the first error. ``DataSource/load()`` is then ``loadReport()`` followed by
/// ``DataLoadReport/get()``.
public protocol ReportingDataSource: DataSource {
    /// Reads and validates the dataset, collecting every error and warning.
    func loadReport() -> DataLoadReport
}

extension ReportingDataSource {
    /// Reads and validates the dataset; throws the first ``DataError`` found, its message saying
    /// how many more there are (`lodestone data PATH` lists them all).
    public func load() throws -> Dataset {
        let report = loadReport()
        guard var first = report.errors.first else { return try report.get() }
        let more = report.errors.count - 1
        if more > 0 {
            first.message += " (and \(more) more problem\(more == 1 ? "" : "s"); `lodestone data \(name)` lists them all)"
        }
        throw first
    }
}
