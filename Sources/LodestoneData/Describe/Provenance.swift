import LodestoneKernel

/// Where one number of a dataset comes from: its value, the citation it names, and whether that
/// citation is a Lodestone assumption rather than a published figure.
public struct Provenance: Sendable, Equatable {
    /// The table (`imports`).
    public var table: DataTable
    /// The row key: `DyTb` (commodities), `JP/DyTb` (consumption, capacity), `CN>JP/DyTb`
    /// (imports: exporter>importer/commodity), `JP/DyTb/state` (stockpiles).
    public var key: String
    /// The number: USD/kg for commodities, t/yr for consumption, imports and capacity, days for
    /// stockpiles (see ``unit``).
    public var value: Double
    /// The unit of ``value`` (`USD/kg`, `t/yr`, `days`).
    public var unit: String
    /// The cited source id.
    public var sourceID: String
    /// The citation, if the dataset defines the id (a validated dataset always does).
    public var citation: Citation?
    /// Where the row was read (`default/imports.csv:5:1`), when known.
    public var location: SourceLocation?

    /// Whether the number is a Lodestone assumption (it cites `assumption`).
    public var isAssumption: Bool { citation?.isAssumption ?? Citation(id: sourceID, citation: "", url: "").isAssumption }

    /// Creates a record.
    public init(
        table: DataTable, key: String, value: Double, unit: String, sourceID: String, citation: Citation?,
        location: SourceLocation? = nil
    ) {
        self.table = table
        self.key = key
        self.value = value
        self.unit = unit
        self.sourceID = sourceID
        self.citation = citation
        self.location = location
    }

    /// One line: `imports CN>JP/DyTb = 380 t/yr — assumption: Lodestone assumption; …`.
    public var summary: String {
        let flag = isAssumption ? " [assumption]" : ""
        let notes = "the dataset's notes (`lodestone data --describe` prints them)"
        let text = citation.map { $0.readerText(notes: notes) + ($0.url.isEmpty ? "" : " <\($0.url)>") } ?? "(no such source)"
        let place = location.map { " (\($0))" } ?? ""
        return "\(table.rawValue) \(key) = \(JSONWriter.number(value)) \(unit)\(flag)\(place) — \(sourceID): \(text)"
    }
}

extension Dataset {
    /// Every number of one table with its provenance, in table order (empty for `regions` and
    /// `sources`, which hold no numbers).
    public func provenance(in table: DataTable) -> [Provenance] {
        func record(_ key: String, _ value: Double, _ source: String) -> Provenance {
            Provenance(
                table: table, key: key, value: value, unit: table.valueUnit, sourceID: source,
                citation: citation(source))
        }
        switch table {
        case .regions, .sources: return []
        case .commodities: return commodities.map { record($0.code, $0.priceUSDPerKilogram, $0.source) }
        case .consumption: return consumption.map { record("\($0.region)/\($0.commodity)", $0.tonnesPerYear, $0.source) }
        case .capacity: return capacities.map { record("\($0.region)/\($0.commodity)", $0.tonnesPerYear, $0.source) }
        case .imports:
            return flows.map { record("\($0.exporter)>\($0.importer)/\($0.commodity)", $0.tonnesPerYear, $0.source) }
        case .stockpiles:
            return stockpiles.map {
                record("\($0.region)/\($0.commodity)/\($0.holder.rawValue)", $0.days, $0.source)
            }
        }
    }

    /// Where the number of `table` with row `key` comes from (`provenance(.imports, key:
    /// "CN>JP/DyTb")`), or nil if the table has no such row. ``provenance(in:)`` lists the keys.
    public func provenance(_ table: DataTable, key: String) -> Provenance? {
        provenance(in: table).first { $0.key == key }
    }

    /// Every number that cites an assumption, across all tables.
    public var assumptions: [Provenance] {
        DataTable.allCases.flatMap { provenance(in: $0) }.filter(\.isAssumption)
    }
}

extension DataLoadReport {
    /// Like ``Dataset/provenance(_:key:)``, with the place the row was read.
    public func provenance(_ table: DataTable, key: String) -> Provenance? {
        guard var record = dataset?.provenance(table, key: key) else { return nil }
        record.location = rowLocations[table]?[key]
        return record
    }
}
