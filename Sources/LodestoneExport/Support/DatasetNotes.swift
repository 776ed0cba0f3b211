/// Paragraphs of a dataset's notes (its NOTES.md, ``LodestoneKernel/Dataset/notes``), for
/// reports that quote the part a citation refers to.
enum DatasetNotes {
    /// The paragraphs (blocks separated by blank lines) of `notes` that name `id` as a word
    /// (`jp-imports-2010`, also inside backticks), in order; of a table, its header and the rows
    /// that name it.
    static func paragraphs(_ notes: String, naming id: String) -> [String] {
        guard !id.isEmpty else { return [] }
        var paragraphs: [String] = []
        var current: [Substring] = []
        let lines: [Substring] = notes.split(separator: "\n", omittingEmptySubsequences: false) + [Substring("")]
        for line in lines {
            if line.allSatisfy({ $0 == " " }) {
                if !current.isEmpty { paragraphs.append(current.joined(separator: "\n")) }
                current = []
            } else {
                current.append(line)
            }
        }
        func names(_ text: Substring) -> Bool {
            text.split(whereSeparator: { !($0.isLetter || $0.isNumber || $0 == "-" || $0 == "_") }).contains { $0 == id }
        }
        return paragraphs.compactMap { paragraph in
            guard names(Substring(paragraph)) else { return nil }
            // A table: its header and the rows that name the id, not the whole table.
            let lines = paragraph.split(separator: "\n")
            guard lines.count > 3, lines.allSatisfy({ $0.hasPrefix("|") }) else { return paragraph }
            return (lines.prefix(2) + lines.dropFirst(2).filter(names)).joined(separator: "\n")
        }
    }
}
