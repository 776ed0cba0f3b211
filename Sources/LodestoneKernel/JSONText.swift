/// JSON string literals, for every target that writes JSON by hand (the dataset writer, the JSON
/// exporter). Written here once, since those targets do not depend on each other.
public enum JSONText {
    /// The string as a JSON string literal: quotes, backslashes and control characters escaped
    /// (`\n`, `\r`, `\t`, others as `\u001f`); every other character written as it is, so that
    /// the UTF-8 text reads back to the same string.
    public static func quoted(_ text: String) -> String {
        var out = "\""
        for scalar in text.unicodeScalars {
            switch scalar {
            case "\"": out += "\\\""
            case "\\": out += "\\\\"
            case "\n": out += "\\n"
            case "\r": out += "\\r"
            case "\t": out += "\\t"
            case _ where scalar.value < 0x20:
                let digits = String(scalar.value, radix: 16)
                out += "\\u" + String(repeating: "0", count: 4 - digits.count) + digits
            default: out.unicodeScalars.append(scalar)
            }
        }
        return out + "\""
    }
}
