import LodestoneKernel

extension HTMLReport {
    /// A table as an HTML fragment — one `<table>`, numbers for people (six significant digits,
    /// grouped), no page around it — for a notebook to show inline (`lodestone serve`).
    public static func fragment(table: ResultTable) -> String { htmlTable(table, readable: true) }
}
