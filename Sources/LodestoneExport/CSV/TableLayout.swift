import LodestoneKernel

/// How a ``ResultTable`` is laid out in data files, so that every column has one type: a column
/// holding both numbers and text (`e.table()`'s percentiles: tonnes for quantities, months for
/// month metrics) is split into a number column under its title and a text column under
/// `TITLE_month` (every text a `YYYY-MM` month) or `TITLE_text`.
struct TableLayout {
    /// For each column of the table: whether it is split, and the suffix of its text column.
    private let splits: [String?]
    /// The titles written.
    let titles: [String]
    /// The titles with whether each column holds numbers.
    let typedTitles: [(title: String, isNumber: Bool)]

    init(_ table: ResultTable) {
        var splits: [String?] = []
        var typed: [(String, Bool)] = []
        for (c, title) in table.columns.enumerated() {
            let cells = table.rows.map { c < $0.count ? $0[c] : .none }
            let texts = cells.compactMap { cell -> String? in if case .text(let s) = cell { s } else { nil } }
            let hasNumbers = cells.contains { if case .number = $0 { true } else { false } }
            if hasNumbers, !texts.isEmpty {
                let suffix = texts.allSatisfy { Month($0) != nil } ? "_month" : "_text"
                splits.append(suffix)
                typed += [(title, true), (title + suffix, false)]
            } else {
                splits.append(nil)
                typed.append((title, texts.isEmpty && hasNumbers))
            }
        }
        self.splits = splits
        typedTitles = typed
        titles = typed.map(\.0)
    }

    /// A row's cells in the written columns.
    func cells(_ row: [ResultTable.Cell]) -> [ResultTable.Cell] {
        var out: [ResultTable.Cell] = []
        for (c, split) in splits.enumerated() {
            let cell = c < row.count ? row[c] : .none
            guard split != nil else { out.append(cell); continue }
            if case .number = cell { out += [cell, .none] } else { out += [.none, cell] }
        }
        return out
    }
}
