import LodestoneKernel

/// The dataset flattened into the arrays the trade equations index: commodities c, exporters s,
/// importers i. Built once per instance; never touched by name in the monthly step.
struct TradeWorld: Sendable {
    let commodities: [String]
    let exporters: [String]
    let importers: [String]
    /// `s>i/c` keys, index `(s * I + i) * C + c` (the kernel's `scenario.restriction` order).
    let pairKeys: [String]
    /// `i/c` keys, index `i * C + c`.
    let importerKeys: [String]
    /// `s/c` keys, index `s * C + c`.
    let exporterKeys: [String]
    /// Baseline demand D0, t/month, `[i * C + c]`.
    let baselineDemand: [Double]
    /// Baseline share of i's imports from s, `[(s * I + i) * C + c]`.
    let baselineShare: [Double]
    /// Baseline flows, t/month, `[(s * I + i) * C + c]`.
    let baselineFlow: [Double]
    /// Export capacity K, t/month, `[s * C + c]`.
    let capacity: [Double]
    /// Baseline price p0, USD/kg, `[c]`.
    let basePrice: [Double]
    /// Whether the scenario gives the exporter capacity or a contract for the commodity (a
    /// `new_capacity` or `offtake` event), `[s * C + c]`: its pairs can then carry supply.
    let gainsCapacity: [Bool]

    init(_ dataset: Dataset, scenario: Scenario = Scenario("")) {
        let commodities = dataset.commodityCodes
        let exporters = dataset.exporters
        let importers = dataset.importers
        self.commodities = commodities
        self.exporters = exporters
        self.importers = importers
        var pairKeys: [String] = []
        var share: [Double] = []
        var flow: [Double] = []
        for s in exporters {
            for i in importers {
                for c in commodities {
                    pairKeys.append("\(s)>\(i)/\(c)")
                    share.append(dataset.baselineShare(exporter: s, importer: i, commodity: c))
                    flow.append(
                        dataset.flows.filter { $0.exporter == s && $0.importer == i && $0.commodity == c }
                            .reduce(0) { $0 + $1.tonnesPerYear } / 12)
                }
            }
        }
        self.pairKeys = pairKeys
        baselineShare = share
        baselineFlow = flow
        importerKeys = importers.flatMap { i in commodities.map { "\(i)/\($0)" } }
        exporterKeys = exporters.flatMap { s in commodities.map { "\(s)/\($0)" } }
        baselineDemand = importers.flatMap { i in
            commodities.map { dataset.baselineDemand(importer: i, commodity: $0) }
        }
        capacity = exporters.flatMap { s in commodities.map { dataset.capacity(exporter: s, commodity: $0) } }
        basePrice = dataset.commodities.map(\.priceUSDPerKilogram)
        var gains: Set<String> = []
        for event in scenario.events {
            switch event {
            case .newCapacity(let region, let commodity, _, _): gains.insert("\(region)/\(commodity)")
            case .offtake(let from, _, let commodity, _, _, _): gains.insert("\(from)/\(commodity)")
            default: continue
            }
        }
        gainsCapacity = exporterKeys.map { gains.contains($0) }
    }
}
