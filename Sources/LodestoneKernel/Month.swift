/// A calendar month, the time step of every Lodestone simulation.
///
/// Months are written `YYYY-MM` (for example `2026-03`). Adding an integer moves by that many
/// months (`Month(2026, 3) + 12 == Month(2027, 3)`); subtracting two months gives the number of
/// months between them.
public struct Month: Hashable, Comparable, Sendable, CustomStringConvertible, Codable {
    /// Months since January of year 0: `year * 12 + (month - 1)`.
    public let ordinal: Int

    /// Creates a month from its ordinal (`year * 12 + month - 1`).
    public init(ordinal: Int) { self.ordinal = ordinal }

    /// Creates a month from a year and a month number in 1...12.
    public init(_ year: Int, _ month: Int) {
        self.ordinal = year * 12 + (month - 1)
    }

    /// Parses `YYYY-MM`; returns `nil` for anything else (month outside 1...12 included).
    public init?(_ text: String) {
        let parts = text.split(separator: "-", omittingEmptySubsequences: false)
        // Digits only: `Int("+1")` would otherwise accept `2026-+1` and `+026-01`.
        guard parts.count == 2, parts[0].count == 4, parts[1].count == 2,
            parts.allSatisfy({ $0.allSatisfy { $0.isASCII && $0.isNumber } }),
            let year = Int(parts[0]), let month = Int(parts[1]), (1...12).contains(month)
        else { return nil }
        self.init(year, month)
    }

    /// The calendar year.
    public var year: Int { ordinal >= 0 ? ordinal / 12 : (ordinal - 11) / 12 }
    /// The month number, 1 (January) to 12 (December).
    public var month: Int { ordinal - year * 12 + 1 }

    /// The month as `YYYY-MM`.
    public var description: String {
        let m = month < 10 ? "0\(month)" : "\(month)"
        var y = String(year)
        while y.count < 4 { y = "0" + y }
        return "\(y)-\(m)"
    }

    /// The month `offset` months later (earlier when negative).
    public static func + (month: Month, offset: Int) -> Month { Month(ordinal: month.ordinal + offset) }
    /// The month `offset` months earlier.
    public static func - (month: Month, offset: Int) -> Month { Month(ordinal: month.ordinal - offset) }
    /// The number of months from `rhs` to `lhs`.
    public static func - (lhs: Month, rhs: Month) -> Int { lhs.ordinal - rhs.ordinal }
    /// Whether `lhs` comes before `rhs`.
    public static func < (lhs: Month, rhs: Month) -> Bool { lhs.ordinal < rhs.ordinal }

    /// Decodes a month from its `YYYY-MM` text.
    public init(from decoder: any Decoder) throws {
        let text = try decoder.singleValueContainer().decode(String.self)
        guard let month = Month(text) else {
            throw DecodingError.dataCorrupted(
                .init(codingPath: decoder.codingPath, debugDescription: "expected a month YYYY-MM, got \(text)"))
        }
        self = month
    }

    /// Encodes the month as `YYYY-MM` text.
    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(description)
    }
}

/// Calendar constants shared by the models.
public enum SimulationCalendar {
    /// Days per month used to convert "days of cover" to tonnes: 365.25 / 12.
    public static let daysPerMonth: Double = 365.25 / 12
}
