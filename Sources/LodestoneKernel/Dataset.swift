/// Where a value came from: a file, a line and a column (1-based), for error messages and
/// provenance.
public struct SourceLocation: Hashable, Sendable, CustomStringConvertible, Codable {
    /// The file's path or name (`consumption.csv`, `script.lode`, `<repl>`).
    public var file: String
    /// The line, from 1.
    public var line: Int
    /// The column, from 1.
    public var column: Int

    /// Creates a location.
    public init(file: String, line: Int, column: Int) {
        self.file = file
        self.line = line
        self.column = column
    }

    /// `file:line:column`.
    public var description: String { "\(file):\(line):\(column)" }
}

/// A region: a country (ISO 3166-1 alpha-2 code) or `ROW`, the rest of the world.
public struct Region: Hashable, Sendable, Codable {
    /// The code, for example `JP`.
    public var code: String
    /// The display name, for example `Japan`.
    public var name: String
    /// Creates a region.
    public init(code: String, name: String) {
        self.code = code
        self.name = name
    }
}

/// A traded commodity with its baseline price.
public struct Commodity: Hashable, Sendable, Codable {
    /// The code, for example `DyTb`.
    public var code: String
    /// The display name.
    public var name: String
    /// Baseline price p0, USD per kg of oxide.
    public var priceUSDPerKilogram: Double
    /// The id of the citation in the dataset's sources.
    public var source: String
    /// Creates a commodity.
    public init(code: String, name: String, priceUSDPerKilogram: Double, source: String) {
        self.code = code
        self.name = name
        self.priceUSDPerKilogram = priceUSDPerKilogram
        self.source = source
    }
}

/// A yearly quantity for one region and commodity: consumption or export capacity.
public struct RegionQuantity: Hashable, Sendable, Codable {
    /// The region code.
    public var region: String
    /// The commodity code.
    public var commodity: String
    /// Tonnes of oxide per year.
    public var tonnesPerYear: Double
    /// The citation id.
    public var source: String
    /// Creates a row.
    public init(region: String, commodity: String, tonnesPerYear: Double, source: String) {
        self.region = region
        self.commodity = commodity
        self.tonnesPerYear = tonnesPerYear
        self.source = source
    }
}

/// A baseline trade flow from an exporter to an importer.
public struct TradeFlow: Hashable, Sendable, Codable {
    /// The importing region.
    public var importer: String
    /// The exporting region.
    public var exporter: String
    /// The commodity code.
    public var commodity: String
    /// Tonnes of oxide per year.
    public var tonnesPerYear: Double
    /// The citation id.
    public var source: String
    /// Creates a flow.
    public init(importer: String, exporter: String, commodity: String, tonnesPerYear: Double, source: String) {
        self.importer = importer
        self.exporter = exporter
        self.commodity = commodity
        self.tonnesPerYear = tonnesPerYear
        self.source = source
    }
}

/// Who holds a stockpile: industry (`private`) or the national reserve (`state`).
public enum StockHolder: String, Hashable, Sendable, Codable, CaseIterable {
    /// Industry inventories, released first.
    case `private`
    /// The national reserve (Japan: JOGMEC), released after `state_release_lag_months`.
    case state
}

/// A stockpile's size in days of baseline consumption.
public struct StockpileCover: Hashable, Sendable, Codable {
    /// The region code.
    public var region: String
    /// The commodity code.
    public var commodity: String
    /// The holder.
    public var holder: StockHolder
    /// Days of baseline consumption held.
    public var days: Double
    /// The citation id.
    public var source: String
    /// Creates a row.
    public init(region: String, commodity: String, holder: StockHolder, days: Double, source: String) {
        self.region = region
        self.commodity = commodity
        self.holder = holder
        self.days = days
        self.source = source
    }
}

/// A citation: where a number comes from.
public struct Citation: Hashable, Sendable, Codable {
    /// The id other rows cite (`usgs-mcs-2025`; `assumption` marks a judgement call).
    public var id: String
    /// The full citation text.
    public var citation: String
    /// A link, possibly empty.
    public var url: String
    /// Creates a citation.
    public init(id: String, citation: String, url: String) {
        self.id = id
        self.citation = citation
        self.url = url
    }
    /// Whether the rows citing it are Lodestone assumptions rather than published figures.
    public var isAssumption: Bool { id == "assumption" || id.hasPrefix("assumption") }
}

/// A closed world of regions, commodities, consumption, trade flows, export capacity and
/// stockpiles, with the citation of every number (DESIGN §3.5).
///
/// Every importer that draws on an exporter's capacity appears; `ROW` stands for the rest of
/// the world. Quantities are tonnes of oxide per year as read; models divide by 12.
public struct Dataset: Sendable, Equatable {
    /// A short name (`default`, a directory or file name).
    public var name: String
    /// A one-line description.
    public var description: String
    /// The regions.
    public var regions: [Region]
    /// The commodities with baseline prices.
    public var commodities: [Commodity]
    /// Consumption rows (D0 × 12). An importer without a row consumes its total imports.
    public var consumption: [RegionQuantity]
    /// Baseline trade flows.
    public var flows: [TradeFlow]
    /// Export capacity rows.
    public var capacities: [RegionQuantity]
    /// Stockpile rows.
    public var stockpiles: [StockpileCover]
    /// Citations by id.
    public var sources: [Citation]
    /// The dataset's notes (its NOTES.md; "" if it has none): how each derived or assumed number
    /// was put together. Reports quote them where a citation refers to them. Not part of
    /// ``contentHash``, which covers the tables.
    public var notes: String = ""

    /// Creates a dataset from its tables.
    public init(
        name: String, description: String = "", regions: [Region], commodities: [Commodity],
        consumption: [RegionQuantity], flows: [TradeFlow], capacities: [RegionQuantity],
        stockpiles: [StockpileCover], sources: [Citation]
    ) {
        self.name = name
        self.description = description
        self.regions = regions
        self.commodities = commodities
        self.consumption = consumption
        self.flows = flows
        self.capacities = capacities
        self.stockpiles = stockpiles
        self.sources = sources
    }

    /// Region codes in table order.
    public var regionCodes: [String] { regions.map(\.code) }
    /// Commodity codes in table order.
    public var commodityCodes: [String] { commodities.map(\.code) }

    /// Regions that import anything, in region-table order.
    public var importers: [String] {
        let set = Set(flows.map(\.importer))
        return regions.map(\.code).filter { set.contains($0) }
    }

    /// Regions that export anything or have export capacity, in region-table order.
    public var exporters: [String] {
        let set = Set(flows.map(\.exporter)).union(capacities.map(\.region))
        return regions.map(\.code).filter { set.contains($0) }
    }

    /// The citation with this id.
    public func citation(_ id: String) -> Citation? { sources.first { $0.id == id } }

    /// Baseline consumption D0 in tonnes per month for importer and commodity: the consumption
    /// row / 12, or the importer's total imports / 12 when there is no row.
    public func baselineDemand(importer: String, commodity: String) -> Double {
        if let row = consumption.first(where: { $0.region == importer && $0.commodity == commodity }) {
            return row.tonnesPerYear / 12
        }
        return flows.filter { $0.importer == importer && $0.commodity == commodity }
            .reduce(0) { $0 + $1.tonnesPerYear } / 12
    }

    /// The baseline share of the importer's imports of the commodity that comes from the
    /// exporter (0 when the importer imports none).
    public func baselineShare(exporter: String, importer: String, commodity: String) -> Double {
        let rows = flows.filter { $0.importer == importer && $0.commodity == commodity }
        let total = rows.reduce(0) { $0 + $1.tonnesPerYear }
        guard total > 0 else { return 0 }
        return rows.filter { $0.exporter == exporter }.reduce(0) { $0 + $1.tonnesPerYear } / total
    }

    /// The exporter's export capacity K for the commodity, tonnes per month (0 without a row).
    public func capacity(exporter: String, commodity: String) -> Double {
        capacities.filter { $0.region == exporter && $0.commodity == commodity }
            .reduce(0) { $0 + $1.tonnesPerYear } / 12
    }

    /// Days of cover held by one holder (0 without a row).
    public func coverDays(region: String, commodity: String, holder: StockHolder) -> Double {
        stockpiles.filter { $0.region == region && $0.commodity == commodity && $0.holder == holder }
            .reduce(0) { $0 + $1.days }
    }
}

/// A producer of a ``Dataset``: the embedded default data, a CSV directory, a JSON file, or a
/// plugin's source.
///
/// Implement ``load()`` to read and validate everything, and throw a ``DataError`` that names the
/// file, line and column of the first problem. A data source never returns a half-loaded dataset.
public protocol DataSource: Sendable {
    /// A short name shown in messages (`default`, `data/2010/`).
    var name: String { get }
    /// Reads and validates the dataset.
    func load() throws -> Dataset
}

/// A problem with input data, located at a file, line and column.
public struct DataError: Error, Sendable, CustomStringConvertible, Equatable {
    /// Where the problem is.
    public var location: SourceLocation
    /// What is wrong and what was expected.
    public var message: String
    /// Creates an error.
    public init(_ location: SourceLocation, _ message: String) {
        self.location = location
        self.message = message
    }
    /// `file:line:column: error: message`.
    public var description: String { "\(location): error: \(MessageText.escaped(message))" }
}
