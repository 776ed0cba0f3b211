/// Signals, parameters and units in words for chart titles, shared by the SVG charts and the
/// terminal's `plot`: `stockpile.days_of_cover` is titled `Days of cover (days)`.
public enum ChartWords {
    /// A panel's title: the distinct `names` in order, comma-separated, then the unit
    /// (``unitSuffix(_:)``): `Days of cover (days)`, `Shortfall, Demand (t/month)`.
    public static func panelTitle(_ names: [String], unit: String) -> String {
        var distinct: [String] = []
        for name in names where !distinct.contains(name) { distinct.append(name) }
        return distinct.joined(separator: ", ") + unitSuffix(unit)
    }

    /// The unit as a title's suffix: ` (t/month)`, or "" for a dimensionless (`1`) or missing one.
    public static func unitSuffix(_ unit: String) -> String {
        unit.isEmpty || unit == UnitSymbol.dimensionless.symbol ? "" : " (\(unit))"
    }

    /// A name in words with its key, for a title that names one signal or parameter:
    /// `Days of cover, JP/Dy`; just the words when the key is empty.
    public static func withKey(_ words: String, _ key: String) -> String {
        key.isEmpty ? words : words + ", " + key
    }

    /// A parameter path (`stockpile.cover_days[JP/Dy]`, `trade.ramp_months`) in words with its
    /// key and unit, the unit read from `parameters` (`Stockpile cover days, JP/Dy (days)`);
    /// a path `parameters` does not declare is named in words without a unit.
    public static func parameter(_ path: String, in parameters: ParameterSet?) -> String {
        let name = String(path.prefix { $0 != "[" })
        var key = String(path.dropFirst(name.count))
        if key.hasPrefix("["), key.hasSuffix("]") { key = String(key.dropFirst().dropLast()) }
        key = String(key.filter { $0 != "\"" })
        let unit = parameters?.entries.first { $0.path == name }?.declaration.unit.symbol ?? ""
        return withKey(SignalInfo.words(forName: name), key) + unitSuffix(unit)
    }
}

extension SignalInfo {
    /// The signal in words with its key (`Days of cover, JP/Dy`), for a title naming it alone.
    public var wordsWithKey: String { ChartWords.withKey(words, key) }
}

extension SweepResult {
    /// The sweep's name in words for chart titles: its parameters in words with keys and units,
    /// `Sweep of Stockpile cover days, JP/Dy (days)` (``title`` names them by path).
    public var titleInWords: String {
        let parameters = points.first?.result.parameters
        return "Sweep of " + paths.map { ChartWords.parameter($0, in: parameters) }.joined(separator: " × ")
    }
}
