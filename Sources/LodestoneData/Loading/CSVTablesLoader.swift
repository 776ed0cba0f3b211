import LodestoneKernel

/// The CSV front end: reads the seven files' texts into raw tables (checking headers and field
/// counts) and hands them to ``DatasetValidator``. Used by ``CSVDirectorySource`` and by the
/// embedded default dataset.
enum CSVTablesLoader {
    /// Loads a dataset whose file texts come from `read` (nil: the file does not exist).
    /// `prefix` is prepended to file names in messages (`default` → `default/imports.csv`).
    static func load(
        name: String, description: String, prefix: String,
        read: (DataTable) throws(DataError) -> String?
    ) -> DataLoadReport {
        var raw = RawDataset(form: .csv)
        for table in DataTable.allCases {
            let file = prefix.isEmpty ? table.fileName : prefix + "/" + table.fileName
            do {
                guard let text = try read(table) else {
                    raw.errors.append(
                        DataError(
                            SourceLocation(file: file, line: 1, column: 1),
                            "missing file \(table.fileName); expected a CSV file with the header "
                                + "`\(table.columns.joined(separator: ","))`"))
                    continue
                }
                let records = try CSVReader.records(in: text, file: file)
                if let rawTable = readTable(table, records: records, file: file, into: &raw) {
                    raw.tables[table] = rawTable
                }
            } catch {
                raw.errors.append(error)
            }
        }
        return DatasetValidator.validate(raw, name: name, description: description)
    }

    /// Checks the header and field counts; nil when a column is missing (after reporting it).
    private static func readTable(
        _ table: DataTable, records: [CSVRecord], file: String, into raw: inout RawDataset
    ) -> RawTable? {
        let expected = table.columns.joined(separator: ",")
        guard let header = records.first else {
            raw.errors.append(
                DataError(SourceLocation(file: file, line: 1, column: 1), "empty file; expected the header `\(expected)`"))
            return nil
        }
        let names = header.fields.map { $0.text.trimmed }
        if names.count == 1, let only = header.fields.first, let separator = [";", "\t", "|"].first(where: { only.text.contains($0) }) {
            let shown = separator == "\t" ? "tabs" : "`\(separator)`"
            raw.errors.append(
                DataError(
                    SourceLocation(file: file, line: only.line, column: only.column),
                    "the header `\(only.text)` separates its fields with \(shown); Lodestone reads CSV files separated by commas: "
                        + "save the file as CSV with `,` between fields (the header must be `\(expected)`)"))
            return nil
        }
        var unknown: [CSVField] = []
        var seen: Set<String> = []
        var sound = true
        for (field, name) in zip(header.fields, names) {
            let location = SourceLocation(file: file, line: field.line, column: field.column)
            if seen.contains(name) {
                raw.errors.append(DataError(location, "duplicate column `\(name)` in the header"))
                sound = false
            }
            seen.insert(name)
            if !table.columns.contains(name) { unknown.append(field) }
        }
        var misspelt: Set<Int> = []
        for column in table.columns where !seen.contains(column) {
            sound = false
            let candidates = unknown.filter { !misspelt.contains($0.column) }
            if let guess = Suggestions.closest(to: column, among: candidates.map { $0.text.trimmed }),
                let field = candidates.first(where: { $0.text.trimmed == guess })
            {
                misspelt.insert(field.column)
                raw.errors.append(
                    DataError(
                        SourceLocation(file: file, line: field.line, column: field.column),
                        "missing column `\(column)`: found `\(guess)` here; did you mean `\(column)`? "
                            + "(the header must be `\(expected)`)"))
            } else {
                raw.errors.append(
                    DataError(
                        SourceLocation(file: file, line: header.line, column: 1),
                        "missing column `\(column)`; the header must be `\(expected)` (found `\(names.joined(separator: ","))`)"))
            }
        }
        for field in unknown where !misspelt.contains(field.column) {
            raw.warnings.append(
                DataError(
                    SourceLocation(file: file, line: field.line, column: field.column),
                    "unknown column `\(field.text.trimmed)` is ignored (\(table.fileName) has `\(expected)`)"))
        }
        guard sound else { return nil }

        var rows: [RawRow] = []
        for record in records.dropFirst() {
            guard record.fields.count == names.count else {
                let found = record.fields.count
                let location =
                    found < names.count
                    ? SourceLocation(file: file, line: record.endLine, column: record.endColumn)
                    : SourceLocation(file: file, line: record.fields[names.count].line, column: record.fields[names.count].column)
                let hint = found > names.count ? "; put a field that contains a comma in double quotes" : ""
                raw.errors.append(
                    DataError(
                        location,
                        "expected \(names.count) fields (`\(names.joined(separator: ","))`), found \(found)\(hint)"))
                continue
            }
            var cells: [String: RawCell] = [:]
            for (field, name) in zip(record.fields, names) where table.columns.contains(name) {
                cells[name] = RawCell(
                    value: .text(field.text), location: SourceLocation(file: file, line: field.line, column: field.column))
            }
            rows.append(
                RawRow(cells: cells, location: SourceLocation(file: file, line: record.line, column: 1), path: nil))
        }
        return RawTable(table: table, location: SourceLocation(file: file, line: header.line, column: 1), rows: rows)
    }
}
