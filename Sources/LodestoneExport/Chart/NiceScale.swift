import Foundation

/// An axis range rounded outward to "nice" numbers (1, 2 or 5 × 10ⁿ steps) with its ticks, as
/// in Heckbert's "Nice numbers for graph labels" (Graphics Gems, 1990).
///
/// Used by the SVG chart, the HTML report and the terminal chart so their axes agree.
public struct NiceScale: Sendable, Equatable {
    /// The lowest tick (≤ the data's minimum).
    public let lower: Double
    /// The highest tick (≥ the data's maximum).
    public let upper: Double
    /// The distance between ticks.
    public let step: Double

    /// A scale covering `minimum...maximum` with at most about `maxTicks` ticks.
    public init(minimum: Double, maximum: Double, maxTicks: Int = 6) {
        var low = minimum.isFinite ? minimum : 0
        var high = maximum.isFinite ? maximum : 1
        if low > high { swap(&low, &high) }
        if low == high {
            let pad = low == 0 ? 1 : abs(low) * 0.1
            low -= pad
            high += pad
        }
        let range = Self.niceNumber(high - low, round: false)
        let step = Self.niceNumber(range / Double(max(1, maxTicks - 1)), round: true)
        self.step = step
        self.lower = (low / step).rounded(.down) * step
        self.upper = (high / step).rounded(.up) * step
    }

    /// A scale for data values: NaN and infinities are ignored; zero is included when the data
    /// are all of one sign and reach at least halfway towards it (stock levels start from 0,
    /// prices near 100 do not).
    public init<S: Sequence>(data: S, maxTicks: Int = 6) where S.Element == Double {
        var low = Double.infinity
        var high = -Double.infinity
        for value in data where value.isFinite {
            low = min(low, value)
            high = max(high, value)
        }
        if low > high { (low, high) = (0, 1) }
        if low >= 0, low <= 0.5 * high { low = 0 }
        if high <= 0, high >= 0.5 * low { high = 0 }
        if low == 0, high == 0 { high = 1 }
        self.init(minimum: low, maximum: high, maxTicks: maxTicks)
    }

    /// The tick values from ``lower`` to ``upper``.
    public var ticks: [Double] {
        let count = Int(((upper - lower) / step).rounded()) + 1
        return (0..<max(1, count)).map { i in
            let value = lower + Double(i) * step
            return abs(value) < step * 1e-9 ? 0 : value
        }
    }

    /// A nice number near `x`: rounded to 1, 2, 5 or 10 × 10ⁿ when `round`, else the smallest of
    /// those ≥ `x`.
    public static func niceNumber(_ x: Double, round: Bool) -> Double {
        guard x > 0, x.isFinite else { return 1 }
        let exponent = log10(x).rounded(.down)
        let power = pow(10, exponent)
        let fraction = x / power
        let nice: Double
        if round {
            nice = fraction < 1.5 ? 1 : fraction < 3 ? 2 : fraction < 7 ? 5 : 10
        } else {
            nice = fraction <= 1 ? 1 : fraction <= 2 ? 2 : fraction <= 5 ? 5 : 10
        }
        return nice * power
    }

    /// A tick label with as many decimals as the step needs, thousands grouped, and millions or
    /// billions abbreviated (`1,500`, `0.25`, `2.5M`, `3B`).
    public func label(_ value: Double) -> String {
        let largest = max(abs(lower), abs(upper))
        if largest >= 1e9 { return Self.scaled(value / 1e9, step: step / 1e9) + "B" }
        if largest >= 1e6 { return Self.scaled(value / 1e6, step: step / 1e6) + "M" }
        return Self.scaled(value, step: step)
    }

    private static func scaled(_ value: Double, step: Double) -> String {
        let decimals = step >= 1 ? 0 : Int(-(log10(step) + 1e-9).rounded(.down))
        return NumberText.fixed(value, decimals: max(0, min(12, decimals)))
    }
}

/// A linear map from data values to drawing coordinates (the range may be reversed, as for a
/// y axis that grows upward on a screen whose y grows downward).
public struct LinearScale: Sendable, Equatable {
    /// The data value mapped to ``rangeStart``.
    public let domainStart: Double
    /// The data value mapped to ``rangeEnd``.
    public let domainEnd: Double
    /// The coordinate of ``domainStart``.
    public let rangeStart: Double
    /// The coordinate of ``domainEnd``.
    public let rangeEnd: Double

    /// Creates a scale mapping `domain` onto `range` (first to first, last to last).
    public init(domain: (Double, Double), range: (Double, Double)) {
        domainStart = domain.0
        domainEnd = domain.1
        rangeStart = range.0
        rangeEnd = range.1
    }

    /// The coordinate of `value` (the range's middle when the domain is a single point).
    public func callAsFunction(_ value: Double) -> Double {
        let span = domainEnd - domainStart
        guard span != 0 else { return (rangeStart + rangeEnd) / 2 }
        return rangeStart + (value - domainStart) / span * (rangeEnd - rangeStart)
    }
}
