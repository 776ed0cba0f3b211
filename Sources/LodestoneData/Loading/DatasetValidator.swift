import LodestoneKernel

/// The checks every dataset passes, whatever its form (CSV directory, JSON file, embedded
/// texts, or a ``Dataset`` built in code), and the conversion of checked rows into a ``Dataset``.
///
/// It reports, each at the cell's `file:line:column`: an unknown region or commodity (with a
/// "did you mean"), a negative or non-numeric tonnes, days or price, an importer that consumes
/// a commodity it imports none of (its import shares cannot be formed), an unknown source id, a
/// holder other than `state`/`private`, a duplicate row (same key columns), an empty required
/// cell, and a table without rows that needs some. Front ends add the missing file or column
/// and the unknown extra column (a warning).
public enum DatasetValidator {
    /// Checks a dataset built in code. Locations refer to the CSV files ``DatasetWriter`` would
    /// write for it (`NAME/imports.csv:LINE:COLUMN`).
    public static func validate(_ dataset: Dataset) -> DataLoadReport {
        let files = Dictionary(uniqueKeysWithValues: DatasetWriter.csvFiles(dataset).map { ($0.name, $0.text) })
        return CSVTablesLoader.load(
            name: dataset.name, description: dataset.description, prefix: dataset.name,
            read: { table throws(DataError) in files[table.fileName] })
    }

    /// Checks what a front end read and builds the dataset when nothing is wrong.
    static func validate(_ raw: RawDataset, name: String, description: String) -> DataLoadReport {
        var checker = Checker(raw: raw)
        let dataset = checker.run(name: name, description: description)
        var fileRank: [String: Int] = [:]
        for table in DataTable.allCases {
            if let file = raw.tables[table]?.location.file, fileRank[file] == nil { fileRank[file] = fileRank.count }
        }
        let errors = sorted(raw.errors + checker.errors, rank: fileRank)
        let warnings = sorted(raw.warnings, rank: fileRank)
        return DataLoadReport(
            dataset: errors.isEmpty ? dataset : nil, errors: errors, warnings: warnings,
            rowLocations: checker.rowLocations)
    }

    /// Sorts problems by file (table order), line and column, keeping the order of equal places.
    private static func sorted(_ problems: [DataError], rank: [String: Int]) -> [DataError] {
        problems.enumerated().sorted { a, b in
            let ka = (rank[a.element.location.file] ?? -1, a.element.location.line, a.element.location.column)
            let kb = (rank[b.element.location.file] ?? -1, b.element.location.line, b.element.location.column)
            return ka != kb ? ka < kb : a.offset < b.offset
        }.map(\.element)
    }
}

/// One pass of checks over a ``RawDataset``, collecting errors.
private struct Checker {
    let raw: RawDataset
    var errors: [DataError] = []
    var rowLocations: [DataTable: [String: SourceLocation]] = [:]
    /// Codes defined by each defining table, in table order; nil when the table is unreadable.
    var regionCodes: [String]?
    var commodityCodes: [String]?
    var sourceIDs: [String]?

    init(raw: RawDataset) { self.raw = raw }

    mutating func run(name: String, description: String) -> Dataset {
        regionCodes = definedCodes(.regions, column: "code")
        commodityCodes = definedCodes(.commodities, column: "code")
        sourceIDs = definedCodes(.sources, column: "id")

        var regions: [Region] = []
        var commodities: [Commodity] = []
        var consumption: [RegionQuantity] = []
        var flows: [TradeFlow] = []
        var capacities: [RegionQuantity] = []
        var stockpiles: [StockpileCover] = []
        var sources: [Citation] = []
        for table in DataTable.allCases {
            guard let rawTable = raw.tables[table] else { continue }
            checkNotEmpty(rawTable)
            var seen: [String: RawRow] = [:]
            for row in rawTable.rows {
                guard let cells = checkedCells(row, table: table) else { continue }
                let key = table.key { cells[$0] ?? "" }
                if let first = seen[key] {
                    duplicate(row, of: first, table: table, cells: cells)
                    continue
                }
                seen[key] = row
                rowLocations[table, default: [:]][key] = row.location
                let text = { (column: String) in cells[column] ?? "" }
                let number = { (column: String) in Double(text(column)) ?? 0 }
                switch table {
                case .regions:
                    regions.append(Region(code: text("code"), name: text("name")))
                case .commodities:
                    commodities.append(
                        Commodity(
                            code: text("code"), name: text("name"),
                            priceUSDPerKilogram: number("price_usd_per_kg"), source: text("source")))
                case .consumption, .capacity:
                    let quantity = RegionQuantity(
                        region: text("region"), commodity: text("commodity"),
                        tonnesPerYear: number("tonnes_per_year"), source: text("source"))
                    if table == .consumption { consumption.append(quantity) } else { capacities.append(quantity) }
                case .imports:
                    flows.append(
                        TradeFlow(
                            importer: text("importer"), exporter: text("exporter"), commodity: text("commodity"),
                            tonnesPerYear: number("tonnes_per_year"), source: text("source")))
                case .stockpiles:
                    stockpiles.append(
                        StockpileCover(
                            region: text("region"), commodity: text("commodity"),
                            holder: StockHolder(rawValue: text("holder")) ?? .private, days: number("days"),
                            source: text("source")))
                case .sources:
                    sources.append(Citation(id: text("id"), citation: text("citation"), url: text("url")))
                }
            }
        }
        checkSharesCanBeFormed(flows: flows)
        return Dataset(
            name: name, description: description, regions: regions, commodities: commodities,
            consumption: consumption, flows: flows, capacities: capacities, stockpiles: stockpiles,
            sources: sources)
    }

    // MARK: Cells

    /// The codes a defining table gives (those whose own cell is well formed).
    private func definedCodes(_ table: DataTable, column: String) -> [String]? {
        guard let rawTable = raw.tables[table] else { return nil }
        var codes: [String] = []
        for row in rawTable.rows {
            if case .text(let text)? = row.cells[column]?.value {
                let code = text.trimmed
                if !code.isEmpty, !codes.contains(code) { codes.append(code) }
            }
        }
        return codes
    }

    /// The row's cells as checked text (numbers in their shortest exact form), or nil after
    /// reporting every problem in the row.
    private mutating func checkedCells(_ row: RawRow, table: DataTable) -> [String: String]? {
        var cells: [String: String] = [:]
        var sound = true
        for column in table.columns {
            guard let cell = row.cells[column] else {
                sound = false
                continue
            }
            if let value = check(cell, column: column, row: row, table: table) {
                cells[column] = value
            } else {
                sound = false
            }
        }
        return sound ? cells : nil
    }

    private mutating func fail(_ cell: RawCell, _ message: String) {
        errors.append(DataError(cell.location, message))
    }

    /// Checks one cell; returns its text, or nil after reporting the problem.
    private mutating func check(_ cell: RawCell, column: String, row: RawRow, table: DataTable) -> String? {
        let label = row.label(column)
        if table.isNumeric(column) { return checkNumber(cell, column: column, label: label, table: table) }
        let text: String
        switch cell.value {
        case .text(let value): text = value.trimmed
        case .null where table.optionalColumns.contains(column): text = ""
        case .number: return failed(cell, "\(label): expected text in double quotes, found a number")
        case .null: return failed(cell, "\(label): expected text in double quotes, found null")
        case .other(let kind): return failed(cell, "\(label): expected text in double quotes, found \(kind)")
        }
        if text.isEmpty {
            if table.optionalColumns.contains(column) { return "" }
            return failed(cell, "\(label): empty; \(expectation(column: column, table: table))")
        }
        switch (table, column) {
        case (.regions, "code"), (.commodities, "code"):
            guard text.allSatisfy({ $0.isLetter || $0.isNumber || $0 == "_" || $0 == "-" }) else {
                let kind = table == .regions ? "region" : "commodity"
                return failed(
                    cell,
                    "\(label): the \(kind) code `\(text)` may contain only letters, digits, `_` and `-` "
                        + "(codes appear in signal keys such as `CN>JP/DyTb`)")
            }
            return text
        case (_, "region"), (_, "importer"), (_, "exporter"):
            return reference(cell, text, label: label, kind: "region", among: regionCodes, definedIn: .regions)
        case (_, "commodity"):
            return reference(cell, text, label: label, kind: "commodity", among: commodityCodes, definedIn: .commodities)
        case (_, "source"):
            return reference(cell, text, label: label, kind: "source id", among: sourceIDs, definedIn: .sources)
        case (.stockpiles, "holder"):
            guard StockHolder(rawValue: text) != nil else {
                let holders = StockHolder.allCases.map(\.rawValue).sorted()
                return failed(
                    cell,
                    "\(label): `\(text)` is not a holder; expected `state` (the national reserve) or `private` (industry inventories)"
                        + Suggestions.hint(for: text, among: holders))
            }
            return text
        default:
            return text
        }
    }

    private mutating func failed(_ cell: RawCell, _ message: String) -> String? {
        fail(cell, message)
        return nil
    }

    private func expectation(column: String, table: DataTable) -> String {
        switch column {
        case "code": "expected a \(table == .regions ? "region" : "commodity") code"
        case "region", "importer", "exporter": "expected a region code from \(raw.name(of: .regions))"
        case "commodity": "expected a commodity code from \(raw.name(of: .commodities))"
        case "source": "expected a source id from \(raw.name(of: .sources)) (`assumption` for a judgement call)"
        case "holder": "expected `state` or `private`"
        case "id": "expected a source id such as `usgs-mcs-2025`"
        case "name": "expected a display name"
        case "citation": "expected the citation text"
        default: "expected text"
        }
    }

    private mutating func reference(
        _ cell: RawCell, _ code: String, label: String, kind: String, among codes: [String]?, definedIn: DataTable
    ) -> String? {
        guard let codes, !codes.contains(code) else { return code }
        let listed = codes.count <= 12 ? codes.joined(separator: ", ") : codes.prefix(12).joined(separator: ", ") + ", …"
        return failed(
            cell,
            "\(label): unknown \(kind) `\(code)`" + Suggestions.hint(for: code, among: codes)
                + " (\(raw.name(of: definedIn)) defines \(listed.isEmpty ? "none" : listed))")
    }

    private mutating func checkNumber(_ cell: RawCell, column: String, label: String, table: DataTable) -> String? {
        let (noun, expected) =
            switch column {
            case "days": ("days", "a number of days such as `60` or `42.5`")
            case "price_usd_per_kg": ("price", "a price in USD/kg such as `56` or `8.8`")
            default: ("tonnes per year", "a number of tonnes per year such as `1200` or `2.5e3`")
            }
        let value: Double
        switch cell.value {
        case .number(let number): value = number
        case .text(let text):
            let text = text.trimmed
            guard let number = StrictNumber.parse(text) else {
                let shown = text.isEmpty ? "an empty cell" : "`\(text)`"
                let hint = text.contains(",") ? " (write numbers without thousands separators)" : ""
                return failed(cell, "\(label): expected \(expected), found \(shown)\(hint)")
            }
            value = number
        case .null: return failed(cell, "\(label): expected \(expected), found null")
        case .other(let kind): return failed(cell, "\(label): expected \(expected), found \(kind)")
        }
        if value < 0 {
            return failed(cell, "\(label): negative \(noun) (\(JSONWriter.number(value))); expected a number ≥ 0")
        }
        // Bounds far above any real mineral (world iron ore is about 2.5e9 t a year, gold about
        // 1e5 USD/kg), so that totals over rows and products with prices stay finite numbers.
        let (bound, boundText, unit) =
            switch column {
            case "days": (DataLimits.maximumDays, "1e9", "days")
            case "price_usd_per_kg": (DataLimits.maximumPrice, "1e12", "USD/kg")
            default: (DataLimits.maximumTonnes, "1e20", "t/yr")
            }
        if value > bound {
            return failed(
                cell,
                "\(label): \(JSONWriter.number(value)) \(unit) is too large; expected at most \(boundText) \(unit) "
                    + "(larger values overflow the model's totals; check the unit)")
        }
        if column == "price_usd_per_kg", value == 0 {
            return failed(cell, "\(label): a price of 0 USD/kg; the baseline price p0 must be greater than 0")
        }
        return JSONWriter.number(value)
    }

    // MARK: Rows and tables

    private mutating func checkNotEmpty(_ rawTable: RawTable) {
        let needsRows: Set<DataTable> = [.regions, .commodities, .imports]
        guard rawTable.rows.isEmpty, needsRows.contains(rawTable.table) else { return }
        let purpose =
            switch rawTable.table {
            case .regions: "a dataset needs at least one region"
            case .commodities: "a dataset needs at least one commodity"
            default: "a dataset needs at least one trade flow (baseline shares come from imports)"
            }
        errors.append(DataError(rawTable.location, "\(raw.name(of: rawTable.table)) has no rows; \(purpose)"))
    }

    private mutating func duplicate(_ row: RawRow, of first: RawRow, table: DataTable, cells: [String: String]) {
        let keyText = table.keyColumns.map { cells[$0] ?? "" }.joined(separator: ", ")
        let columns = table.keyColumns.joined(separator: ", ")
        let location = row.cells[table.keyColumns[0]]?.location ?? row.location
        errors.append(
            DataError(
                location,
                "duplicate row: (\(columns)) = (\(keyText)) is already given \(first.origin); "
                    + "keep one row per \(columns)"))
    }

    /// An importer that consumes a commodity must import some of it, or share0 has no denominator.
    private mutating func checkSharesCanBeFormed(flows: [TradeFlow]) {
        guard let consumptionTable = raw.tables[.consumption], raw.tables[.imports] != nil else { return }
        var imported: [String: Double] = [:]
        for flow in flows { imported[flow.importer + "/" + flow.commodity, default: 0] += flow.tonnesPerYear }
        for row in consumptionTable.rows {
            guard case .text(let regionText)? = row.cells["region"]?.value,
                case .text(let commodityText)? = row.cells["commodity"]?.value,
                let amount = row.cells["tonnes_per_year"].flatMap(Self.number), amount > 0,
                let cell = row.cells["region"]
            else { continue }
            let region = regionText.trimmed, commodity = commodityText.trimmed
            let key = region + "/" + commodity
            guard (imported[key] ?? 0) <= 0, regionCodes?.contains(region) ?? true,
                commodityCodes?.contains(commodity) ?? true
            else { continue }
            let found = imported[key] == nil ? "has no \(commodity) imports" : "imports 0 t of \(commodity)"
            fail(
                cell,
                "\(row.label("region")): \(region) consumes \(JSONWriter.number(amount)) t/yr of \(commodity) but "
                    + "\(found) in \(raw.name(of: .imports)), so its import shares cannot be formed; add its "
                    + "suppliers (a domestic producer imports from itself, e.g. `\(region),\(region),\(commodity),…`) "
                    + "or set its consumption to 0")
        }
    }

    private static func number(_ cell: RawCell) -> Double? {
        switch cell.value {
        case .number(let value): value
        case .text(let text): StrictNumber.parse(text.trimmed)
        default: nil
        }
    }
}

/// Decimal numbers as data files write them: an optional sign, digits, an optional fraction and
/// an optional exponent (`1200`, `-0.5`, `.5`, `2.5e3`). No `inf`, `nan`, hex or separators.
enum StrictNumber {
    static func parse(_ text: String) -> Double? {
        var scalars = Substring(text).unicodeScalars[...]
        if scalars.first == "+" || scalars.first == "-" { scalars = scalars.dropFirst() }
        var digits = 0
        func skipDigits() {
            while let scalar = scalars.first, ("0"..."9").contains(scalar) {
                scalars = scalars.dropFirst()
                digits += 1
            }
        }
        skipDigits()
        if scalars.first == "." {
            scalars = scalars.dropFirst()
            skipDigits()
        }
        guard digits > 0 else { return nil }
        if scalars.first == "e" || scalars.first == "E" {
            scalars = scalars.dropFirst()
            if scalars.first == "+" || scalars.first == "-" { scalars = scalars.dropFirst() }
            digits = 0
            skipDigits()
            guard digits > 0 else { return nil }
        }
        guard scalars.isEmpty, let value = Double(text), value.isFinite else { return nil }
        return value
    }
}

extension String {
    /// The text without leading and trailing spaces and tabs.
    var trimmed: String {
        var scalars = Substring(self)
        while let first = scalars.first, first == " " || first == "\t" { scalars = scalars.dropFirst() }
        while let last = scalars.last, last == " " || last == "\t" { scalars = scalars.dropLast() }
        return String(scalars)
    }
}
