import LodestoneKernel

/// The seven tables of a dataset (DESIGN §3.5), in the order files are read and errors reported.
public enum DataTable: String, CaseIterable, Sendable, Hashable {
    /// `regions.csv`: `code,name`.
    case regions
    /// `commodities.csv`: `code,name,price_usd_per_kg,source`.
    case commodities
    /// `consumption.csv`: `region,commodity,tonnes_per_year,source`.
    case consumption
    /// `imports.csv`: `importer,exporter,commodity,tonnes_per_year,source`.
    case imports
    /// `capacity.csv`: `region,commodity,tonnes_per_year,source`.
    case capacity
    /// `stockpiles.csv`: `region,commodity,holder,days,source`.
    case stockpiles
    /// `sources.csv`: `id,citation,url`.
    case sources

    /// The CSV file name (`imports.csv`); the JSON key is ``rawValue``.
    public var fileName: String { rawValue + ".csv" }

    /// The columns (CSV header, JSON field names), in file order.
    public var columns: [String] {
        switch self {
        case .regions: ["code", "name"]
        case .commodities: ["code", "name", "price_usd_per_kg", "source"]
        case .consumption, .capacity: ["region", "commodity", "tonnes_per_year", "source"]
        case .imports: ["importer", "exporter", "commodity", "tonnes_per_year", "source"]
        case .stockpiles: ["region", "commodity", "holder", "days", "source"]
        case .sources: ["id", "citation", "url"]
        }
    }

    /// The columns that identify a row: two rows with equal keys are duplicates.
    public var keyColumns: [String] {
        switch self {
        case .regions, .commodities: ["code"]
        case .consumption, .capacity: ["region", "commodity"]
        case .imports: ["importer", "exporter", "commodity"]
        case .stockpiles: ["region", "commodity", "holder"]
        case .sources: ["id"]
        }
    }

    /// The numeric column, if the table has one.
    public var valueColumn: String? {
        switch self {
        case .regions, .sources: nil
        case .commodities: "price_usd_per_kg"
        case .consumption, .imports, .capacity: "tonnes_per_year"
        case .stockpiles: "days"
        }
    }

    /// The unit of ``valueColumn`` as users read it.
    public var valueUnit: String {
        switch self {
        case .regions, .sources: ""
        case .commodities: "USD/kg"
        case .consumption, .imports, .capacity: "t/yr"
        case .stockpiles: "days"
        }
    }

    /// Columns that may be empty (everything else must have text).
    var optionalColumns: Set<String> { self == .sources ? ["url"] : [] }

    /// Whether the column holds a number.
    func isNumeric(_ column: String) -> Bool { column == valueColumn }

    /// The key of a row as used by provenance look-ups and messages: `JP/DyTb`, `CN>JP/DyTb`,
    /// `JP/DyTb/state`, `DyTb`, `usgs-mcs-2025`.
    func key(_ value: (String) -> String) -> String {
        switch self {
        case .regions, .commodities: value("code")
        case .consumption, .capacity: value("region") + "/" + value("commodity")
        case .imports: value("exporter") + ">" + value("importer") + "/" + value("commodity")
        case .stockpiles: value("region") + "/" + value("commodity") + "/" + value("holder")
        case .sources: value("id")
        }
    }
}

extension DataTable {
    /// The rows of this table in `dataset`, as text cells in ``columns`` order (numbers in
    /// their shortest exact form), in table order.
    public func cells(of dataset: Dataset) -> [[String]] {
        let number = JSONWriter.number
        switch self {
        case .regions:
            return dataset.regions.map { [$0.code, $0.name] }
        case .commodities:
            return dataset.commodities.map { [$0.code, $0.name, number($0.priceUSDPerKilogram), $0.source] }
        case .consumption:
            return dataset.consumption.map { [$0.region, $0.commodity, number($0.tonnesPerYear), $0.source] }
        case .imports:
            return dataset.flows.map {
                [$0.importer, $0.exporter, $0.commodity, number($0.tonnesPerYear), $0.source]
            }
        case .capacity:
            return dataset.capacities.map { [$0.region, $0.commodity, number($0.tonnesPerYear), $0.source] }
        case .stockpiles:
            return dataset.stockpiles.map { [$0.region, $0.commodity, $0.holder.rawValue, number($0.days), $0.source] }
        case .sources:
            return dataset.sources.map { [$0.id, $0.citation, $0.url] }
        }
    }
}
