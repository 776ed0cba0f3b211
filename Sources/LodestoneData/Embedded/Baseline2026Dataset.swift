import LodestoneKernel

/// The embedded early-2026 dataset, `data("baseline-2026")`: the world just before China's
/// January 2026 measures against Japan (importers JP, US, EU, KR, ROW; exporters CN, MY (Lynas,
/// with its 2025 heavy-rare-earth circuit), VN, IN, US (MP Materials), ROW; commodities NdPr, Dy,
/// Tb, HREE, Other) with 2025–2026 prices. Built from `Data/baseline-2026/` by
/// `Scripts/embed-dataset.py`; its NOTES.md gives every derivation. It is the default dataset
/// (``DefaultDataset``: `data("default")`, and `model(…)` without `data:`). The 2025–2026 controls,
/// offtakes and later capacity are scenario events: `Examples/scenarios-2025.lode`.
public enum Baseline2026Dataset {
    /// The name users write: `data("baseline-2026")`.
    public static let name = "baseline-2026"

    /// A one-line description.
    public static let summary =
        "the world as of early 2026: importers JP, US, EU, KR, ROW; commodities NdPr, Dy, Tb, HREE, Other"

    /// The data source for the embedded dataset, named `baseline-2026`.
    public static let source = EmbeddedCSVSource(
        name: name, description: summary, files: Baseline2026.files.map { ($0.name, $0.text) },
        notes: Baseline2026.notes)

    /// NOTES.md: how every derived or assumed number was put together.
    public static var notes: String { Baseline2026.notes }

    /// The seven CSV files' texts, in table order, as embedded.
    public static var files: [(name: String, text: String)] { Baseline2026.files }

    /// The loaded dataset with its warnings and row locations (read once, then shared).
    public static var report: DataLoadReport { cachedReport }

    private static let cachedReport = source.loadReport()
}
