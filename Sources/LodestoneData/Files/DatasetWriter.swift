import LodestoneKernel

/// Writes a ``Dataset`` as a CSV directory or a JSON file that the matching source reads back
/// to an identical dataset: the way to start one's own dataset from the default.
///
/// Every file is written atomically (a temporary file in the same directory, then a rename), so
/// a failure never leaves a half-written file. Existing files are an error unless `overwrite`.
public enum DatasetWriter {
    /// The seven CSV files' names and texts, in table order.
    public static func csvFiles(_ dataset: Dataset) -> [(name: String, text: String)] {
        DataTable.allCases.map { table in
            (table.fileName, CSVWriter.text(header: table.columns, rows: table.cells(of: dataset)))
        }
    }

    /// The dataset as one JSON object with an array per table, one row object per line.
    public static func jsonText(_ dataset: Dataset) -> String {
        var out = "{\n"
        for (tableIndex, table) in DataTable.allCases.enumerated() {
            out += "  \(JSONWriter.quote(table.rawValue)): ["
            let rows = table.cells(of: dataset)
            for (rowIndex, row) in rows.enumerated() {
                let fields = zip(table.columns, row).map { column, cell in
                    let value = table.isNumeric(column) ? cell : JSONWriter.quote(cell)
                    return "\(JSONWriter.quote(column)): \(value)"
                }
                out += (rowIndex == 0 ? "\n" : ",\n") + "    {" + fields.joined(separator: ", ") + "}"
            }
            out += rows.isEmpty ? "]" : "\n  ]"
            out += tableIndex == DataTable.allCases.count - 1 ? "\n" : ",\n"
        }
        return out + "}\n"
    }

    /// Writes the seven CSV files (and `NOTES.md` when `notes` is given) into `directory`,
    /// creating it if needed.
    public static func writeCSVDirectory(
        _ dataset: Dataset, to directory: String, notes: String? = nil, overwrite: Bool = false
    ) throws(ExportError) {
        var files = csvFiles(dataset)
        if let notes { files.append(("NOTES.md", notes)) }
        if !overwrite {
            for file in files where FileSystem.kind(of: FileSystem.join(directory, file.name)) != .missing {
                throw .exists(FileSystem.join(directory, file.name))
            }
        }
        try FileSystem.createDirectory(atPath: directory)
        for file in files {
            try FileSystem.writeAtomically(file.text, toPath: FileSystem.join(directory, file.name))
        }
    }

    /// Writes the dataset as one JSON file at `path`.
    public static func writeJSON(_ dataset: Dataset, to path: String, overwrite: Bool = false) throws(ExportError) {
        switch FileSystem.kind(of: path) {
        case .directory: throw .writeFailed(path: path, reason: "it is a directory")
        case .file where !overwrite: throw .exists(path)
        default: break
        }
        try FileSystem.writeAtomically(jsonText(dataset), toPath: path)
    }
}
