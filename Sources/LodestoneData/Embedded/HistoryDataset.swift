import LodestoneKernel

/// The embedded pre-shock dataset, `data("history-2009")`: the world of 2009, before the 2010
/// rare-earth crisis (importers JP and ROW; exporters CN, ROW, and MY and US whose capacity comes
/// on line in 2012), for the 2010–2012 backcast (`Docs/Validation.md`). Built from
/// `Data/history-2009/` by `Scripts/embed-dataset.py`; its NOTES.md gives every derivation.
public enum HistoryDataset {
    /// The name users write: `data("history-2009")`.
    public static let name = "history-2009"

    /// A one-line description.
    public static let summary = "2009 pre-shock world: importers JP, ROW; commodities NdPr, DyTb, Other"

    /// The data source for the embedded dataset, named `history-2009`.
    public static let source = EmbeddedCSVSource(
        name: name, description: summary, files: History2009.files.map { ($0.name, $0.text) },
        notes: History2009.notes)

    /// NOTES.md: how every derived or assumed number was put together.
    public static var notes: String { History2009.notes }
}
