/// A forgiving scan of unfinished input for completion: where strings and brackets are open at
/// the cursor, and small look-behinds (the name chain before a position, the `label:` before
/// an argument). Works on `Character` offsets into the text before the cursor.
struct InputScanner {
    /// An open bracket: which one and where.
    struct OpenBracket: Equatable {
        /// `(`, `[` or `{`.
        let character: Character
        /// Its offset.
        let offset: Int
    }

    /// The text before the cursor.
    let text: [Character]
    /// The brackets still open at the cursor, outermost first.
    private(set) var open: [OpenBracket] = []
    /// The offset of the opening quote when the cursor is inside a string.
    private(set) var stringStart: Int?
    /// Whether the cursor is inside a `#` comment.
    private(set) var inComment = false

    /// Scans `text`.
    init(_ text: String) {
        self.text = Array(text)
        var quote: Character?
        var i = 0
        while i < self.text.count {
            let c = self.text[i]
            if inComment {
                if c == "\n" { inComment = false }
            } else if let q = quote {
                if c == "\\" {
                    i += 1
                } else if c == q {
                    quote = nil
                    stringStart = nil
                } else if c == "\n" {
                    quote = nil
                    stringStart = nil
                }
            } else {
                switch c {
                case "\"", "'":
                    quote = c
                    stringStart = i
                case "#": inComment = true
                case "(", "[", "{": open.append(OpenBracket(character: c, offset: i))
                case ")", "]", "}": if !open.isEmpty { open.removeLast() }
                default: break
                }
            }
            i += 1
        }
    }

    /// Whether `c` may appear in a name.
    static func isNameCharacter(_ c: Character) -> Bool { c == "_" || c.isLetter || c.isNumber }

    /// The name fragment that ends at `end` (exclusive), and where it starts.
    func name(endingAt end: Int) -> (name: String, start: Int) {
        var start = end
        while start > 0, Self.isNameCharacter(text[start - 1]) { start -= 1 }
        return (String(text[start..<end]), start)
    }

    /// The offset just past the last non-blank character before `end`, skipping spaces and tabs.
    func skippingBlanks(before end: Int) -> Int {
        var i = end
        while i > 0, text[i - 1] == " " || text[i - 1] == "\t" { i -= 1 }
        return i
    }

    /// The dotted name chain `a.b.c` that ends at `end` (exclusive), outermost first; empty when
    /// the text there is not a plain chain of names (a call or an index ends it).
    func chain(endingAt end: Int) -> [String] {
        var names: [String] = []
        var i = end
        while true {
            let (name, start) = self.name(endingAt: i)
            guard !name.isEmpty, let first = name.first, !first.isNumber else { return [] }
            names.insert(name, at: 0)
            if start > 0, text[start - 1] == "." {
                i = start - 1
                if i > 0, text[i - 1] == "." { return [] }  // a range `a..b`
                continue
            }
            return names
        }
    }

    /// The `label:` written just before `end` (skipping blanks), or nil.
    func label(before end: Int) -> String? {
        let colon = skippingBlanks(before: end)
        guard colon > 0, text[colon - 1] == ":" else { return nil }
        let nameEnd = skippingBlanks(before: colon - 1)
        let (name, _) = self.name(endingAt: nameEnd)
        return name.isEmpty ? nil : name
    }

    /// The first argument of the call whose `(` is at `paren`, when it is a plain name.
    func firstArgumentName(ofCallAt paren: Int) -> String? {
        var i = paren + 1
        while i < text.count, text[i] == " " || text[i] == "\t" || text[i] == "\n" { i += 1 }
        var name = ""
        while i < text.count, Self.isNameCharacter(text[i]) {
            name.append(text[i])
            i += 1
        }
        while i < text.count, text[i] == " " || text[i] == "\t" { i += 1 }
        guard !name.isEmpty, i < text.count, text[i] == "," || text[i] == ")" else { return nil }
        return name
    }

    /// The text from `start` to the end.
    func suffix(from start: Int) -> String { String(text[min(start, text.count)...]) }
}
