/// The unit of a signal, parameter or metric, written as a short symbol (`t/month`, `USD/kg`).
///
/// Units are compared by symbol when models are composed: an input whose unit differs from its
/// producer's is a composition error. Use ``UnitSymbol/dimensionless`` for shares and indices.
public struct UnitSymbol: Hashable, Sendable, CustomStringConvertible, ExpressibleByStringLiteral {
    /// The symbol, for example `t/month`.
    public let symbol: String

    /// Creates a unit from its symbol.
    public init(_ symbol: String) { self.symbol = symbol }
    /// Creates a unit from a literal symbol: `let unit: UnitSymbol = "t/month"`.
    public init(stringLiteral value: String) { self.symbol = value }
    /// The symbol.
    public var description: String { symbol }

    /// A pure number (share, fraction, index): symbol `1`.
    public static let dimensionless: UnitSymbol = "1"
    /// Tonnes of rare-earth oxide equivalent per month.
    public static let tonnesPerMonth: UnitSymbol = "t/month"
    /// Tonnes of rare-earth oxide equivalent.
    public static let tonnes: UnitSymbol = "t"
    /// US dollars per kilogram of oxide.
    public static let usdPerKilogram: UnitSymbol = "USD/kg"
    /// US dollars.
    public static let usd: UnitSymbol = "USD"
    /// Days (of consumption).
    public static let days: UnitSymbol = "days"
    /// Months.
    public static let months: UnitSymbol = "months"
    /// A calendar month (used for metrics such as `exhausted_at`).
    public static let month: UnitSymbol = "month"
    /// Probability per month.
    public static let perMonth: UnitSymbol = "1/month"
    /// Per year (rates such as substitution per year).
    public static let perYear: UnitSymbol = "1/year"
}
