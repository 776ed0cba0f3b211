import LodestoneKernel

extension ModelConformance.Balance {
    /// Trade's balance for every importer/commodity key: `imports + shortfall = demand + surplus`
    /// (Docs/Models.md). The kit adds it by itself for a module that produces one of the market's
    /// open inputs with `trade` among its companions.
    public static var market: Self {
        Self("trade: imports + shortfall = demand + surplus", tolerance: 1e-6) { result in
            var residuals: [Double] = []
            for signal in result.signals where signal.name == "trade.demand" {
                let key = "[\(signal.key)]"
                let demand = try result.series("trade.demand" + key)
                let imports = try result.series("trade.imports" + key)
                let shortfall = try result.series("trade.shortfall" + key)
                let surplus = try result.series("trade.surplus" + key)
                for t in demand.indices {
                    residuals.append((imports[t] + shortfall[t] - demand[t] - surplus[t]) / max(1, demand[t]))
                }
            }
            return residuals
        }
    }
}

extension ModelConformance {
    /// The open inputs the model produces: its outputs that a companion reads as a summed input
    /// (``InputDeclaration/isSummed``), by qualified name.
    public func openInputsProduced() -> [String] {
        let context = ModelContext(dataset: dataset, scenario: scenario)
        guard let interface = try? model.interface(in: context) else { return [] }
        var summed = Set<String>()
        for companion in companions {
            guard let theirs = try? companion.interface(in: context) else { continue }
            for input in theirs.inputs where input.isSummed { summed.insert(input.signal) }
        }
        return interface.outputs.map(\.name).filter { summed.contains($0) }
    }

    /// The balances to check: the declared ones, and the market's own when the model produces an
    /// open input of `trade`.
    public func balancesToCheck(open: [String]) -> [Balance] {
        let feedsTrade = companions.contains { $0.name == "trade" } && open.contains { $0.hasPrefix("market.") }
        return balances + (feedsTrade && !balances.contains { $0.name == Balance.market.name } ? [.market] : [])
    }

    /// Open inputs that must not be negative (supply) hold values ≥ 0 in every month of `result`.
    func openInputFindings(_ result: RunResult, open: [String], label: String) -> [ConformanceFinding] {
        var findings: [ConformanceFinding] = []
        let width = max(1, result.signals.count)
        for name in open where nonNegativeOpenInputs.contains(name) {
            for signal in result.signals where signal.name == name {
                let months = result.values.count / width
                guard let t = (0..<months).first(where: { result.values[$0 * width + signal.slot] < 0 }) else { continue }
                findings.append(
                    .init(
                        .openInputs,
                        "`\(model.name)` (\(label)): \(signal.id) is \(result.values[t * width + signal.slot]) in \(result.start + t); supply offered to the market cannot be negative (lower demand through `market.demand_adjustment` instead)"
                    ))
                break
            }
        }
        return findings
    }
}
