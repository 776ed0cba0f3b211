import LodestoneKernel

/// Builds small datasets in code for tests, in tonnes per month.
///
/// ```swift
/// var world = WorldBuilder(commodities: ["X": 10])
/// world.flow(from: "CN", to: "JP", "X", perMonth: 60)
/// world.flow(from: "MY", to: "JP", "X", perMonth: 40)
/// world.capacity("MY", "X", perMonth: 100)
/// let dataset = world.build()
/// ```
public struct WorldBuilder: Sendable {
    private var commodities: [(code: String, price: Double)]
    private var flows: [TradeFlow] = []
    private var capacities: [RegionQuantity] = []
    private var consumption: [RegionQuantity] = []
    private var stockpiles: [StockpileCover] = []
    private var regionOrder: [String] = []

    /// Starts a world with these commodities and baseline prices (USD/kg), in code order.
    public init(commodities: KeyValuePairs<String, Double>) {
        self.commodities = commodities.map { ($0.key, $0.value) }
    }

    private mutating func note(_ region: String) {
        if !regionOrder.contains(region) { regionOrder.append(region) }
    }

    /// Adds a baseline flow.
    public mutating func flow(from exporter: String, to importer: String, _ commodity: String, perMonth: Double) {
        note(exporter)
        note(importer)
        flows.append(
            TradeFlow(importer: importer, exporter: exporter, commodity: commodity, tonnesPerYear: perMonth * 12, source: "test"))
    }

    /// Sets an exporter's capacity.
    public mutating func capacity(_ exporter: String, _ commodity: String, perMonth: Double) {
        note(exporter)
        capacities.append(RegionQuantity(region: exporter, commodity: commodity, tonnesPerYear: perMonth * 12, source: "test"))
    }

    /// Sets an importer's consumption (otherwise its total imports).
    public mutating func consumption(_ region: String, _ commodity: String, perMonth: Double) {
        note(region)
        consumption.append(RegionQuantity(region: region, commodity: commodity, tonnesPerYear: perMonth * 12, source: "test"))
    }

    /// Adds a stockpile row.
    public mutating func stock(_ region: String, _ commodity: String, _ holder: StockHolder, days: Double) {
        note(region)
        stockpiles.append(StockpileCover(region: region, commodity: commodity, holder: holder, days: days, source: "test"))
    }

    /// The dataset.
    public func build(name: String = "test") -> Dataset {
        Dataset(
            name: name, description: "a test world", regions: regionOrder.map { Region(code: $0, name: $0) },
            commodities: commodities.map {
                Commodity(code: $0.code, name: $0.code, priceUSDPerKilogram: $0.price, source: "test")
            }, consumption: consumption, flows: flows, capacities: capacities, stockpiles: stockpiles,
            sources: [Citation(id: "test", citation: "made up for a test", url: "")])
    }
}

/// Ready-made worlds for tests and for the conformance kit.
public enum Fixtures {
    /// A miniature of the default world: CN, MY, VN export NdPr and DyTb to JP, US and ROW;
    /// JP holds 42 + 18 days of stock. Numbers are round, not sourced.
    public static var miniature: Dataset {
        var world = WorldBuilder(commodities: ["NdPr": 56, "DyTb": 370])
        world.flow(from: "CN", to: "JP", "NdPr", perMonth: 200)
        world.flow(from: "MY", to: "JP", "NdPr", perMonth: 180)
        world.flow(from: "VN", to: "JP", "NdPr", perMonth: 20)
        world.flow(from: "CN", to: "JP", "DyTb", perMonth: 30)
        world.flow(from: "VN", to: "JP", "DyTb", perMonth: 2)
        world.flow(from: "CN", to: "US", "NdPr", perMonth: 10)
        world.flow(from: "MY", to: "US", "NdPr", perMonth: 20)
        world.flow(from: "CN", to: "US", "DyTb", perMonth: 5)
        world.flow(from: "CN", to: "ROW", "NdPr", perMonth: 125)
        world.flow(from: "MY", to: "ROW", "NdPr", perMonth: 330)
        world.flow(from: "CN", to: "ROW", "DyTb", perMonth: 25)
        world.capacity("CN", "NdPr", perMonth: 450)
        world.capacity("CN", "DyTb", perMonth: 80)
        world.capacity("MY", "NdPr", perMonth: 875)
        world.capacity("VN", "NdPr", perMonth: 33)
        world.capacity("VN", "DyTb", perMonth: 3)
        for c in ["NdPr", "DyTb"] {
            world.stock("JP", c, .state, days: 42)
            world.stock("JP", c, .private, days: 18)
        }
        return world.build(name: "miniature")
    }

    /// A curb of China's DyTb exports to Japan after an incident: the question Lodestone was
    /// built for, at miniature scale.
    public static var curbScenario: Scenario {
        var scenario = Scenario("curb")
        scenario.add(.incident(from: "CN", to: "JP", severity: 0.8, at: Month(2026, 1)))
        scenario.add(
            .restrict(from: "CN", to: "JP", commodity: "DyTb", share: 1, start: Month(2026, 2), months: 12))
        return scenario
    }
}
