import LodestoneKernel

/// What an ensemble keeps in a database (`export(e, "x.db", keep: …)`); its metric summary, varied
/// parameters, base parameters, events and sources are always kept. Runs and sweeps ignore it.
enum SQLiteKeep: String, CaseIterable {
    /// Per-run metrics and draws, and the bands (the default).
    case everything
    /// Per-run metrics and draws, no bands.
    case metrics
    /// The bands, no per-run rows.
    case bands
    /// Only the summary: one row per metric.
    case summary

    /// The choice named by `text` (nil: everything); another name is an error naming `path`.
    init(_ text: String?, path: String) throws(ExportError) {
        guard let text else {
            self = .everything
            return
        }
        guard let keep = SQLiteKeep(rawValue: text) else {
            let names = Self.allCases.map(\.rawValue)
            throw ExportError.writeFailed(
                path: path,
                reason: "`keep:` is one of \(names.joined(separator: ", ")), not `\(text)`" + Suggestions.hint(for: text, among: names))
        }
        self = keep
    }

    /// Whether the per-run metrics and draws are kept.
    var keepsRuns: Bool { self == .everything || self == .metrics }
    /// Whether the bands are kept.
    var keepsBands: Bool { self == .everything || self == .bands }
}
