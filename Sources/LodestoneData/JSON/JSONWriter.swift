import LodestoneKernel

/// Formats JSON text that ``JSONReader`` (and any JSON reader) reads back exactly.
public enum JSONWriter {
    /// The string as a JSON string literal, with quotes, backslashes and control characters
    /// escaped; other characters are written as UTF-8.
    public static func quote(_ text: String) -> String { JSONText.quoted(text) }

    /// A finite number as JSON: integral values without a fraction (`5229`), others in the
    /// shortest form that reads back to the same `Double` (`0.1`, `1e-05`).
    public static func number(_ value: Double) -> String {
        if value == value.rounded(), abs(value) < 1e15 { return String(Int(value)) }
        return String(value)
    }
}
