import LodestoneKernel

/// The columns every tidy CSV row and JSON record shares: a signal split into its module, its
/// name within the module and its key, with its unit.
struct SignalParts {
    /// The namespace before the first dot (`trade`; `scenario` for the scenario's signals).
    let module: String
    /// The name within the module (`price`).
    let signal: String
    /// The key (`DyTb`, `JP/DyTb`, `CN>JP/DyTb`), empty for an unkeyed signal.
    let key: String
    /// The unit symbol (`USD/kg`; `1` for a share).
    let unit: String

    /// The parts of a qualified name (`trade.price`) with its key and unit.
    init(name: String, key: String, unit: String) {
        if let dot = name.firstIndex(of: ".") {
            module = String(name[..<dot])
            signal = String(name[name.index(after: dot)...])
        } else {
            module = ""
            signal = name
        }
        self.key = key
        self.unit = unit
    }

    /// The parts of a signal.
    init(_ info: SignalInfo) { self.init(name: info.name, key: info.key, unit: info.unit.symbol) }

    /// The parts of a metric (its unit: the quantity's, or `month`).
    init(_ metric: MetricInfo) { self.init(name: metric.name, key: metric.key, unit: RunFacts.unit(of: metric.kind)) }
}

extension MetricKind {
    /// `quantity` or `month`, as exports write it.
    var exportName: String {
        switch self {
        case .quantity: "quantity"
        case .month: "month"
        }
    }
}
