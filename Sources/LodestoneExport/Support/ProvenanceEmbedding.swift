import LodestoneKernel

/// How the provenance is written into formats that are not JSON: a data block in HTML, a
/// comment in Markdown, a `<metadata>` element in SVG — each with the JSON of
/// ``ExportProvenance``, so that `lodestone provenance` reads them all the same way.
extension ExportProvenance {
    /// The marker before the JSON in HTML and Markdown (`id="lodestone-provenance"`, `lodestone-provenance`).
    static let marker = "lodestone-provenance"

    /// The JSON text, safe inside an HTML `<script>` data block and an HTML comment: `<` and `--`
    /// are written as JSON escapes (they only occur inside strings).
    func embeddedJSON(includeScriptText: Bool) -> String {
        json(includeScriptText: includeScriptText).rendered()
            .replacingOccurrences(of: "<", with: "\\u003c")
            .replacingOccurrences(of: "--", with: "-\\u002d")
    }

    /// One line for people: `Lodestone 0.1.0 · dataset default (sha256:…) · script x.lode (sha256:…) · seed 1 · written …`.
    var line: String {
        var parts = ["Lodestone \(lodestoneVersion)"]
        parts += datasets.map { "dataset \($0.name) (\($0.hash))" }
        parts.append(script.map { "script \($0.name) (\($0.hash))" } ?? "script unknown")
        if !seeds.isEmpty { parts.append("seed " + seeds.joined(separator: ", ")) }
        parts.append("written \(created)")
        return parts.joined(separator: " · ")
    }

    /// The HTML block: a `provenance` section with the line, the script's text folded, and the
    /// JSON in a `<script type="application/json">` data block (not run by browsers).
    var htmlSection: String {
        var out = "<section id=\"provenance\">\n<h2>Provenance</h2>\n<p class=\"note\">\(TextEscaping.xml(line))</p>\n"
        if let script, let text = script.text {
            let lines = Self.lineCount(text)
            out += "<details>\n<summary>The script that made this report (\(TextEscaping.xml(script.name)), \(lines) lines)</summary>\n"
            out += "<pre><code>\(TextEscaping.xml(text))</code></pre>\n</details>\n"
        }
        out += "<script type=\"application/json\" id=\"\(Self.marker)\">\n\(embeddedJSON(includeScriptText: true))</script>\n"
        return out + "</section>\n"
    }

    /// The Markdown section: the facts as a list, then the JSON in a comment.
    var markdownSection: String {
        var out = "\n## Provenance\n\n- **Lodestone:** \(lodestoneVersion)\n"
        for dataset in datasets { out += "- **Dataset:** \(TextEscaping.markdownCell(dataset.name)) (`\(dataset.hash)`)\n" }
        out += "- **Script:** " + (script.map { "\(TextEscaping.markdownCell($0.name)) (`\($0.hash)`)" } ?? "unknown") + "\n"
        if !seeds.isEmpty { out += "- **Seed:** \(seeds.joined(separator: ", "))\n" }
        out += "- **Written:** \(created)\n\n"
        return out + "<!-- \(Self.marker)\n\(embeddedJSON(includeScriptText: false))-->\n"
    }

    /// The SVG `<metadata>` element (the script's text left out).
    var svgMetadata: String {
        "<metadata id=\"\(Self.marker)\">\(TextEscaping.xml(json(includeScriptText: false).rendered()))</metadata>\n"
    }
}
