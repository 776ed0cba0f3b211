/// Lays out completion candidates in columns, as shells list them.
enum CandidateList {
    /// The most candidates listed; the rest are counted.
    static let limit = 200

    /// `candidates` in columns that fit `width`, filled down then across; ends with a newline.
    static func format(_ candidates: [String], width: Int) -> String {
        let shown = Array(candidates.prefix(limit))
        let cell = (shown.map(\.count).max() ?? 0) + 2
        let columns = max(1, min(shown.count, (max(width, cell)) / cell))
        let rows = (shown.count + columns - 1) / columns
        var out = ""
        for row in 0..<rows {
            var line = ""
            for column in 0..<columns {
                let index = column * rows + row
                guard index < shown.count else { break }
                let item = shown[index]
                line += column == columns - 1 || index + rows >= shown.count
                    ? item : item + String(repeating: " ", count: cell - item.count)
            }
            out += line + "\n"
        }
        if candidates.count > shown.count { out += "… and \(candidates.count - shown.count) more\n" }
        return out
    }
}
