/// Units in words for chart titles and axes: `t/month` is read "tonnes per month (t/month)".
enum UnitWords {
    /// The words for the units Lodestone declares (``LodestoneKernel/UnitSymbol``); others are
    /// shown as their symbol.
    static let names: [String: String] = [
        "t": "tonnes", "t/month": "tonnes per month", "t/year": "tonnes per year", "t/yr": "tonnes per year",
        "USD/kg": "US dollars per kilogram", "USD": "US dollars", "days": "days", "months": "months",
        "month": "month", "1/month": "probability per month", "1/year": "per year",
    ]

    /// An axis title: the unit in words with its symbol (`tonnes per month (t/month)`); a
    /// dimensionless unit is `share or index (dimensionless)`; a unit without words its symbol.
    static func axisTitle(_ unit: String) -> String {
        if unit == "1" { return "share or index (dimensionless)" }
        if unit.isEmpty { return "value" }
        guard let words = names[unit] else { return unit }
        return words == unit ? unit : "\(words) (\(unit))"
    }
}
