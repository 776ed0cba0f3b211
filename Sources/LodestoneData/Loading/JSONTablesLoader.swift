import LodestoneKernel

/// The JSON front end: reads one object with an array of row objects per table into raw tables
/// (checking shapes and field names) and hands them to ``DatasetValidator``.
///
/// Messages name the JSON path (`imports[3].tonnes_per_year`) and locations give the line and
/// column of the value in the file.
enum JSONTablesLoader {
    /// Loads a dataset from JSON text; `file` names it in messages.
    static func load(text: String, file: String, name: String, description: String) -> DataLoadReport {
        var raw = RawDataset(form: .json)
        do {
            let root = try JSONReader.parse(text, file: file)
            read(root, file: file, into: &raw)
        } catch {
            raw.errors.append(error)
        }
        return DatasetValidator.validate(raw, name: name, description: description)
    }

    private static func location(_ file: String, _ node: JSONNode) -> SourceLocation {
        SourceLocation(file: file, line: node.line, column: node.column)
    }

    private static func read(_ root: JSONNode, file: String, into raw: inout RawDataset) {
        let tableNames = DataTable.allCases.map(\.rawValue)
        guard case .object(let members) = root.value else {
            raw.errors.append(
                DataError(
                    location(file, root),
                    "expected an object with one array per table (\(tableNames.joined(separator: ", "))), "
                        + "found \(root.kindDescription)"))
            return
        }
        let unknown = members.filter { DataTable(rawValue: $0.key) == nil }
        var misspelt: Set<String> = []
        for table in DataTable.allCases {
            guard let member = members.first(where: { $0.key == table.rawValue }) else {
                let fields = table.columns.joined(separator: ", ")
                if let guess = Suggestions.closest(to: table.rawValue, among: unknown.map(\.key)),
                    let found = unknown.first(where: { $0.key == guess }), !misspelt.contains(guess)
                {
                    misspelt.insert(guess)
                    raw.errors.append(
                        DataError(
                            SourceLocation(file: file, line: found.keyLine, column: found.keyColumn),
                            "missing table `\(table.rawValue)`: found \"\(guess)\" here; did you mean \"\(table.rawValue)\"?"))
                } else {
                    raw.errors.append(
                        DataError(
                            location(file, root),
                            "missing table `\(table.rawValue)`; expected \"\(table.rawValue)\": an array of objects "
                                + "with the fields \(fields)"))
                }
                continue
            }
            if let rawTable = readTable(table, member.value, file: file, into: &raw) { raw.tables[table] = rawTable }
        }
        for member in unknown where !misspelt.contains(member.key) {
            raw.warnings.append(
                DataError(
                    SourceLocation(file: file, line: member.keyLine, column: member.keyColumn),
                    "unknown table \"\(member.key)\" is ignored (tables: \(tableNames.joined(separator: ", ")))"))
        }
    }

    private static func readTable(_ table: DataTable, _ node: JSONNode, file: String, into raw: inout RawDataset)
        -> RawTable?
    {
        guard case .array(let elements) = node.value else {
            raw.errors.append(
                DataError(
                    location(file, node),
                    "\(table.rawValue): expected an array of objects with the fields "
                        + "\(table.columns.joined(separator: ", ")), found \(node.kindDescription)"))
            return nil
        }
        var rows: [RawRow] = []
        var warned: Set<String> = []
        for (index, element) in elements.enumerated() {
            let path = "\(table.rawValue)[\(index)]"
            guard case .object(let members) = element.value else {
                raw.errors.append(
                    DataError(
                        location(file, element),
                        "\(path): expected an object with the fields \(table.columns.joined(separator: ", ")), "
                            + "found \(element.kindDescription)"))
                continue
            }
            var cells: [String: RawCell] = [:]
            let unknown = members.filter { !table.columns.contains($0.key) }
            var complete = true
            for column in table.columns {
                guard let member = members.first(where: { $0.key == column }) else {
                    if table.optionalColumns.contains(column) {
                        cells[column] = RawCell(value: .null, location: location(file, element))
                        continue
                    }
                    complete = false
                    raw.errors.append(
                        DataError(
                            location(file, element),
                            "\(path): missing field `\(column)`" + Suggestions.hint(for: column, among: unknown.map(\.key))))
                    continue
                }
                let value: RawCell.Value =
                    switch member.value.value {
                    case .string(let text): .text(text)
                    case .number(let number): .number(number)
                    case .null: .null
                    default: .other(member.value.kindDescription)
                    }
                cells[column] = RawCell(value: value, location: location(file, member.value))
            }
            for member in unknown where !warned.contains(member.key) {
                warned.insert(member.key)
                raw.warnings.append(
                    DataError(
                        SourceLocation(file: file, line: member.keyLine, column: member.keyColumn),
                        "\(path).\(member.key): unknown field `\(member.key)` is ignored "
                            + "(\(table.rawValue) rows have \(table.columns.joined(separator: ", ")))"))
            }
            if complete { rows.append(RawRow(cells: cells, location: location(file, element), path: path)) }
        }
        return RawTable(table: table, location: location(file, node), rows: rows)
    }
}
