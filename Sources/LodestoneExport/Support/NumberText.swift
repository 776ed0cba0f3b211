import Foundation

/// How numbers are written into files.
enum NumberText {
    /// A number for data files: integers without a fraction (`5`), others in the shortest form that
    /// reads back to the same `Double` (`0.1`, `1e-05`); `inf`/`-inf`; NaN as the empty string.
    static func plain(_ value: Double) -> String {
        if value.isNaN { return "" }
        if value.isInfinite { return value < 0 ? "-inf" : "inf" }
        if value == value.rounded(), abs(value) < 1e15 { return String(Int(value)) }
        return String(value)
    }

    /// A number for people: up to `digits` significant digits, thousands grouped (`12,345`,
    /// `0.0123`, `∞`).
    static func readable(_ value: Double, digits: Int = 4) -> String {
        if value.isNaN { return "none" }
        if value.isInfinite { return value < 0 ? "-∞" : "∞" }
        if value == 0 { return "0" }
        let magnitude = Int(log10(abs(value)).rounded(.down))
        let decimals = max(0, digits - 1 - magnitude)
        return fixed(value, decimals: min(decimals, 12), trimZeros: true)
    }

    /// `value` with exactly `decimals` digits after the point (trailing zeros removed when
    /// `trimZeros`), thousands grouped with commas.
    static func fixed(_ value: Double, decimals: Int, trimZeros: Bool = false) -> String {
        let scale = pow10(decimals)
        let rounded = (abs(value) * scale).rounded()
        if !rounded.isFinite || rounded > 9e17 { return String(value) }
        let units = UInt64(rounded)
        let whole = units / UInt64(scale)
        var fraction = decimals > 0 ? String(units % UInt64(scale)) : ""
        if decimals > 0 { fraction = String(repeating: "0", count: decimals - fraction.count) + fraction }
        if trimZeros { while fraction.hasSuffix("0") { fraction.removeLast() } }
        let negative = value < 0 && units > 0
        return (negative ? "-" : "") + grouped(whole) + (fraction.isEmpty ? "" : "." + fraction)
    }

    /// `1234567` → `1,234,567`.
    static func grouped(_ value: UInt64) -> String {
        let digits = Array(String(value))
        var out = ""
        for (i, digit) in digits.enumerated() {
            if i > 0, (digits.count - i) % 3 == 0 { out += "," }
            out.append(digit)
        }
        return out
    }

    /// 10^n for small non-negative n.
    static func pow10(_ n: Int) -> Double {
        var x = 1.0
        for _ in 0..<max(0, n) { x *= 10 }
        return x
    }
}
