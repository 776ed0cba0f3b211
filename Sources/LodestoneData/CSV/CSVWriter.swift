/// Formats CSV text that ``CSVReader`` (and any RFC 4180 reader) reads back exactly.
public enum CSVWriter {
    /// The field as CSV: quoted when it contains a comma, a quote, a line break or leading or
    /// trailing spaces, with quotes doubled.
    public static func escape(_ field: String) -> String {
        let needsQuotes =
            field.contains(where: { $0 == "," || $0 == "\"" || $0 == "\n" || $0 == "\r" || $0 == "\r\n" })
            || field.first == " " || field.last == " "
        guard needsQuotes else { return field }
        var quoted = "\""
        for character in field {
            quoted.append(character)
            if character == "\"" { quoted.append("\"") }
        }
        return quoted + "\""
    }

    /// Rows as CSV text with LF line breaks and a final line break.
    public static func text(header: [String], rows: [[String]]) -> String {
        var out = header.map(escape).joined(separator: ",") + "\n"
        for row in rows { out += row.map(escape).joined(separator: ",") + "\n" }
        return out
    }
}
