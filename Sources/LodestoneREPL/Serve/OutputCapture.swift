import LodestoneKernel
import LodestoneScript

/// Collects what one execution shows, in order, for the reply of `execute`: text written (joined
/// while it goes to the same stream), charts, values; and the diagnostics the shell would write
/// to standard error, which the reply carries as its error instead.
final class OutputCapture {
    private(set) var outputs: [ServeMessage.Output] = []
    /// Diagnostics written since ``reset()``: an error rendered as the terminal shows it, or a
    /// meta-command's complaint.
    private(set) var diagnostics = ""

    /// Forgets the previous execution's outputs.
    func reset() {
        outputs = []
        diagnostics = ""
    }

    /// Text written to `stdout` or `stderr`; appended to the last output when it is the same stream.
    func stream(_ name: String, _ text: String) {
        guard !text.isEmpty else { return }
        if let last = outputs.last, last.type == "stream", last.name == name {
            outputs[outputs.count - 1].text = (last.text ?? "") + text
        } else {
            outputs.append(.stream(name, text))
        }
    }

    /// A chart (or another rich display).
    func display(_ data: [String: String]) { outputs.append(.display(data)) }

    /// A value the code showed.
    func result(_ data: [String: String]) { outputs.append(.result(data)) }

    /// A diagnostic.
    func diagnostic(_ text: String) { diagnostics += text }
}

/// Renders values as rich outputs. LodestoneREPL knows no exporter: the executable supplies
/// LodestoneExport's SVG chart and HTML table.
public struct RichRenderers {
    /// A chart by MIME type: `text/plain` and, for notebooks, `image/svg+xml`.
    public var chart: (Chart) -> [String: String]
    /// A table as an HTML fragment (`<table>…</table>`); nil sends tables as text only.
    public var tableHTML: ((ResultTable) -> String)?

    /// Creates renderers; by default charts are plain text and tables have no HTML.
    public init(
        chart: @escaping (Chart) -> [String: String] = { ["text/plain": $0.plainText()] },
        tableHTML: ((ResultTable) -> String)? = nil
    ) {
        self.chart = chart
        self.tableHTML = tableHTML
    }

    /// A value by MIME type: the text the shell prints, and HTML for a table.
    func data(for value: Value, text: String) -> [String: String] {
        var data = ["text/plain": text]
        if case .table(let table) = value, let tableHTML { data["text/html"] = tableHTML(table) }
        return data
    }
}
