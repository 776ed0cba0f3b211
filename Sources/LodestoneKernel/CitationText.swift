/// Citations as a reader sees them: without paths of Lodestone's source tree (a reader of a
/// report or of `describe` has no `shared/reference/` or `Data/` folder), and with references to
/// the dataset's NOTES.md pointing at the notes the report or description quotes instead.
extension Citation {
    /// Path prefixes of the source tree that mean nothing to a reader.
    static let sourceTreePrefixes = ["shared/reference/", "Data/", "Examples/", "Docs/", "Sources/", "Scripts/"]

    /// Whether the citation refers to the dataset's notes (`see NOTES.md`).
    public var refersToNotes: Bool { Self.find("NOTES", in: Substring(citation)) != nil }

    /// The citation text for readers: parenthesised references to files of the source tree are
    /// left out (`… 2009 (inautonews.com; shared/reference/sources/x.csv, row 2009)` becomes
    /// `… 2009 (inautonews.com)`), and `NOTES.md` (with `in this folder`) is replaced by `notes`,
    /// the phrase saying where the reader finds them (`the dataset's notes, quoted below`).
    public func readerText(notes: String) -> String {
        var text = Self.withoutSourcePaths(citation)
        for phrase in ["`NOTES.md` in this folder", "NOTES.md in this folder", "`NOTES.md`", "NOTES.md"] {
            text = Self.replacing(phrase, with: notes, in: text)
        }
        return text
    }

    /// Whether `item` names a file of the source tree.
    static func namesSourcePath(_ item: Substring) -> Bool {
        let words = item.split(whereSeparator: { $0 == " " || $0 == "`" || $0 == "(" })
        return words.contains { word in sourceTreePrefixes.contains { word.hasPrefix($0) } }
    }

    /// `text` with every `; `-separated item of a parenthesis that names a source-tree file left
    /// out (a parenthesis left empty is removed with the space before it), and any other word
    /// that is such a path left out.
    static func withoutSourcePaths(_ text: String) -> String {
        var out = ""
        var rest = Substring(text)
        while let open = rest.firstIndex(of: "("), let close = rest[open...].firstIndex(of: ")") {
            out += rest[..<open]
            let inside = rest[rest.index(after: open)..<close]
            let kept = inside.split(separator: ";").map { $0.drop { $0 == " " } }.filter { !namesSourcePath($0) }
            if kept.isEmpty {
                while out.last == " " { out.removeLast() }
            } else {
                out += "(" + kept.joined(separator: "; ") + ")"
            }
            rest = rest[rest.index(after: close)...]
        }
        out += rest
        let words = out.split(separator: " ", omittingEmptySubsequences: false)
        guard words.contains(where: { namesSourcePath($0) }) else { return out }
        return words.filter { !namesSourcePath($0) }.joined(separator: " ")
    }

    /// `text` with every occurrence of `target` replaced by `replacement`.
    static func replacing(_ target: String, with replacement: String, in text: String) -> String {
        var out = ""
        var rest = Substring(text)
        while let range = find(target, in: rest) {
            out += rest[..<range.lowerBound] + replacement
            rest = rest[range.upperBound...]
        }
        return out + rest
    }

    /// The first occurrence of `target` in `text` (the kernel does without Foundation's search).
    static func find(_ target: String, in text: Substring) -> Range<Substring.Index>? {
        guard let first = target.first else { return nil }
        var i = text.startIndex
        while let start = text[i...].firstIndex(of: first) {
            if text[start...].hasPrefix(target) {
                return start..<text.index(start, offsetBy: target.count)
            }
            i = text.index(after: start)
        }
        return nil
    }
}
