import LodestoneKernel
import LodestoneScript

/// How the shell shows a value: as the language prints it (tables as tables, runs as their
/// summary), with a sparkline under a list of numbers, long lists and tables shortened.
struct ValueDisplay {
    /// Lists longer than this show their first and last items.
    static let listLimit = 24
    /// Tables longer than this show their first rows.
    static let tableRowLimit = 40

    /// Draws a sparkline.
    var sparkline: ([Double]) -> String
    /// Whether to dim the sparkline's caption.
    var colour: Bool

    /// The text for `value` (no trailing newline).
    func text(_ value: Value) -> String {
        switch value {
        case .list(let items) where items.count >= 2:
            let numbers = items.compactMap { item -> Double? in
                if case .number(let x) = item { return x }
                return nil
            }
            guard numbers.count == items.count else { return ValueFormatter.display(value) }
            return list(numbers.map(ValueFormatter.rounded)) + "\n" + caption(numbers)
        case .table(let table) where table.rows.count > Self.tableRowLimit:
            let head = ResultTable(columns: table.columns, rows: Array(table.rows.prefix(Self.tableRowLimit - 5)))
            return ValueFormatter.table(head)
                + "\n… \(table.rows.count - head.rows.count) more rows (\(table.rows.count) in all; print(t) or export(t, \"t.csv\") shows every row)"
        default:
            return ValueFormatter.display(value)
        }
    }

    /// Numbers (already formatted, six significant digits) on one line, eliding the middle of a
    /// long list.
    private func list(_ items: [String]) -> String {
        guard items.count > Self.listLimit else { return "[" + items.joined(separator: ", ") + "]" }
        return "[" + (items.prefix(12) + ["… \(items.count - 18) more …"] + items.suffix(6)).joined(separator: ", ") + "]"
    }

    /// The sparkline with the count, minimum and maximum.
    private func caption(_ numbers: [Double]) -> String {
        let finite = numbers.filter(\.isFinite)
        let dim = colour ? "\u{1B}[2m" : "", reset = colour ? "\u{1B}[0m" : ""
        // Values beyond ±1e300 are drawn at that bound, so that `max − min` stays finite for any
        // sparkline (the host's included).
        let drawable = numbers.map { $0.isFinite ? min(max($0, -1e300), 1e300) : $0 }
        var text = sparkline(drawable) + "  " + dim + "\(numbers.count) values"
        if let low = finite.min(), let high = finite.max() {
            text += ", min \(ValueFormatter.rounded(low)), max \(ValueFormatter.rounded(high))"
        }
        return text + reset
    }
}
