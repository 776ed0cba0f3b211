import LodestoneKernel

/// One cell as a front end (CSV or JSON) read it, before validation.
struct RawCell: Sendable {
    /// What the cell holds.
    enum Value: Sendable {
        /// Text: every CSV field, a JSON string.
        case text(String)
        /// A JSON number.
        case number(Double)
        /// JSON `null`.
        case null
        /// A JSON value of another kind, described (`an object`).
        case other(String)
    }
    var value: Value
    var location: SourceLocation
}

/// One row as read: its cells by column name and where it is.
struct RawRow: Sendable {
    var cells: [String: RawCell]
    /// Where the row starts (CSV: its first field; JSON: its object's `{`).
    var location: SourceLocation
    /// The JSON path of the row (`imports[3]`), or nil for CSV.
    var path: String?

    /// How messages name a cell: `tonnes_per_year` (CSV) or `imports[3].tonnes_per_year` (JSON).
    func label(_ column: String) -> String { path.map { "\($0).\(column)" } ?? column }

    /// Where messages say the row is: `on line 3` (CSV) or `at imports[0], line 12` (JSON).
    var origin: String {
        if let path { return "at \(path), line \(location.line)" }
        return "on line \(location.line)"
    }
}

/// A table as read by a front end. Front ends leave a table out when it cannot be read at all
/// (missing file, missing column), so the validator knows not to check references against it.
struct RawTable: Sendable {
    var table: DataTable
    /// Where the table is: a CSV file's header, a JSON array's `[`.
    var location: SourceLocation
    var rows: [RawRow]
}

/// What a front end read: the tables it could read, and the problems it found on the way.
struct RawDataset: Sendable {
    /// How messages name a table: `imports.csv` or the JSON key `imports`.
    enum Form: Sendable {
        /// A directory of CSV files (or embedded CSV texts).
        case csv
        /// One JSON object with an array per table.
        case json
    }
    var form: Form
    var tables: [DataTable: RawTable] = [:]
    var errors: [DataError] = []
    var warnings: [DataError] = []

    /// How messages name a table.
    func name(of table: DataTable) -> String {
        switch form {
        case .csv: table.fileName
        case .json: "the `\(table.rawValue)` table"
        }
    }
}
