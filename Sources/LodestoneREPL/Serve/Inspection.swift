import LodestoneScript

extension REPL {
    /// The dotted name to inspect at `cursor` in `scalars`: the function being called when the
    /// cursor is inside a call's brackets (`run(m, |` → `run`, as IPython does), else the name
    /// around the cursor (`m.stockpile.cover_days`, `:save`).
    static func name(in scalars: [Unicode.Scalar], at cursor: Int) -> String {
        let before = InputScanner(String(String.UnicodeScalarView(scalars[..<cursor])))
        if let call = before.open.last(where: { $0.character == "(" }) {
            let callee = before.chain(endingAt: before.skippingBlanks(before: call.offset))
            if !callee.isEmpty { return callee.joined(separator: ".") }
        }
        func isNamePart(_ s: Unicode.Scalar) -> Bool { s == "_" || s == "." || s.properties.isAlphabetic || ("0"..."9").contains(s) }
        var start = cursor, end = cursor
        while start > 0, isNamePart(scalars[start - 1]) { start -= 1 }
        while end < scalars.count, isNamePart(scalars[end]) { end += 1 }
        if start > 0, scalars[start - 1] == ":", start == 1 || scalars[start - 2] == "\n" || scalars[start - 2] == " " {
            start -= 1
        }
        var name = String(String.UnicodeScalarView(scalars[start..<end]))
        while name.hasPrefix(".") { name.removeFirst() }
        while name.hasSuffix(".") { name.removeLast() }
        return name
    }

    /// `:help` on `name`, or for a variable (or a chain of members from one) its type and value
    /// followed by the help on its type; nil when there is nothing to say.
    public func inspection(of name: String) -> String? {
        guard !name.isEmpty else { return nil }
        if let text = helpText(for: name) { return text }
        let parts = name.split(separator: ".").map(String.init)
        if let root = parts.first, var value = session.value(of: root) {
            var followed = true
            for part in parts.dropFirst() {
                guard let next = session.memberValue(of: value, name: part) else {
                    followed = false
                    break
                }
                value = next
            }
            if followed {
                let text = "\(name): \(value.typeName) = \(ValueFormatter.inline(value))"
                return helpText(for: value.typeName).map { text + "\n\n" + $0 } ?? text
            }
        }
        if parts.count > 1, let last = parts.last { return helpText(for: last) }
        return nil
    }
}
