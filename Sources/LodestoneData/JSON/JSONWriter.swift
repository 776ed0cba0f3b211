/// Formats JSON text that ``JSONReader`` (and any JSON reader) reads back exactly.
public enum JSONWriter {
    /// The string as a JSON string literal, with quotes, backslashes and control characters
    /// escaped; other characters are written as UTF-8.
    public static func quote(_ text: String) -> String {
        var out = "\""
        for scalar in text.unicodeScalars {
            switch scalar {
            case "\"": out += "\\\""
            case "\\": out += "\\\\"
            case "\n": out += "\\n"
            case "\r": out += "\\r"
            case "\t": out += "\\t"
            case _ where scalar.value < 0x20:
                let digits = String(scalar.value, radix: 16, uppercase: true)
                out += "\\u" + String(repeating: "0", count: 4 - digits.count) + digits
            default: out.unicodeScalars.append(scalar)
            }
        }
        return out + "\""
    }

    /// A finite number as JSON: integral values without a fraction (`5229`), others in the
    /// shortest form that reads back to the same `Double` (`0.1`, `1e-05`).
    public static func number(_ value: Double) -> String {
        if value == value.rounded(), abs(value) < 1e15 { return String(Int(value)) }
        return String(value)
    }
}
