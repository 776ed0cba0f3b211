import LodestoneKernel

/// The `stockpile` module's parameters (DESIGN §3.2), keyed by importer/commodity (`JP/DyTb`).
public enum StockpileParameters {
    /// `i/c` keys for the dataset's importers and commodities, importer-major.
    public static func keys(for dataset: Dataset) -> [String] {
        dataset.importers.flatMap { i in dataset.commodityCodes.map { "\(i)/\($0)" } }
    }

    /// The declarations, with cover defaults from the dataset's stockpile rows.
    public static func declarations(for dataset: Dataset) -> [ParameterDeclaration] {
        let pairs = dataset.importers.flatMap { i in dataset.commodityCodes.map { (i, $0) } }
        let keys = pairs.map { "\($0.0)/\($0.1)" }
        let state = pairs.map { dataset.coverDays(region: $0.0, commodity: $0.1, holder: .state) }
        let privateDays = pairs.map { dataset.coverDays(region: $0.0, commodity: $0.1, holder: .private) }
        let cover = zip(state, privateDays).map { $0 + $1 }
        let stateShare = zip(state, cover).map { $1 > 0 ? $0 / $1 : 0 }
        func keyed(_ name: String, _ unit: UnitSymbol, _ value: Double, _ range: ClosedRange<Double>, _ doc: String)
            -> ParameterDeclaration
        {
            ParameterDeclaration(name, unit: unit, keys: keys, defaults: keys.map { _ in value }, range: range, doc: doc)
        }
        return [
            ParameterDeclaration(
                "cover_days", unit: .days, keys: keys, defaults: cover, range: 0...3650,
                doc: "Initial stock of both pools, in days of baseline consumption (default: stockpiles.csv)"),
            ParameterDeclaration(
                "state_share", unit: .dimensionless, keys: keys, defaults: stateShare, range: 0...1,
                doc: "Share of the cover held by the state pool; the rest is private (default: stockpiles.csv)"),
            keyed(
                "target_days", .days, -1, -1...3650,
                "Stock rebuilt to after a shortfall, in days of D0; −1 = the same as cover_days"),
            keyed("floor_days", .days, 0, 0...3650, "Stock never released below, in days of D0"),
            keyed(
                "release_trigger", .dimensionless, 0, 0...1,
                "Share of demand that must be unmet before anything is released"),
            keyed(
                "max_release_days", .days, .infinity, 0...Double.infinity,
                "Most released per month, in days of D0"),
            keyed(
                "release_lag_months", .months, 0, 0...1200,
                "Months of shortfall before the private pool is released"),
            keyed(
                "state_release_lag_months", .months, 0, 0...1200,
                "Months of shortfall before the state pool is released"),
            keyed(
                "rebuild_days", .days, 2, 0...3650,
                "Refill per month when there is no shortfall, in days of D0"),
            keyed(
                "rebuild_tolerance", .dimensionless, 0, 0...1,
                "Shortfall, as a share of demand, that does not stop rebuilding (0: any shortfall does)"),
            keyed(
                "destock_days", .days, 2, 0...3650,
                "Private stock above the target sold back per month, in days of D0: late deliveries do not pile up (v1: 0)"),
        ]
    }
}
