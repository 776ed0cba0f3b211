import LodestoneKernel

/// An ensemble read back from a Lodestone database: what `lodestone summary` prints, exactly as
/// stored (numbers in their shortest exact form).
public struct StoredEnsemble: Sendable {
    /// The `runs` row id.
    public var id: Int64
    /// The scenario's name.
    public var scenario: String
    /// Runs completed and requested.
    public var completedRuns, requestedRuns: Int
    /// The seed, exactly, as decimal text.
    public var seedText: String
    /// First month, months per run.
    public var start: Month
    /// Months per run.
    public var months: Int
    /// What the database kept (`everything`, `metrics`, `bands`, `summary`).
    public var keep: String
    /// The shard (`2/4`) when the row is one shard's, else nil.
    public var shard: String?
    /// `metric_summaries`: per metric its id and probability, mean, p5, p50, p95 as text.
    public var summaries: [[String]]
    /// Per band signal and level (`p5`, `p50`, `p95`, `mean`), the value in the last month, as text.
    public var bands: [[String]]
    /// The design of a sensitivity analysis' runs, with its varied paths in design order.
    public var design: DesignInfo?
    /// The varied paths of the design, in its order.
    public var designParameters: [String]
    /// The analysed metric's kind is a month.
    public var designMetricIsMonth: Bool
    /// The analysed metric in every stored run, in run order (NaN: none).
    public var designSamples: [Double]
}

/// Reads the ensembles of a database.
public enum StoredEnsembles {
    /// Every ensemble row of the database at `path`, in row order; a file that is not a Lodestone
    /// database is an error naming it.
    public static func read(_ path: String) throws -> [StoredEnsemble] {
        switch FilePaths.kind(of: AtomicFile.resolve(path)) {
        case .file: break
        case .missing: throw ShardMerge.Failure("\(path) does not exist")
        default: throw ShardMerge.Failure("\(path) is not a file")
        }
        do {
            let database = try SQLiteDatabase(path: AtomicFile.resolve(path))
            defer { database.close() }
            guard try database.scalar("PRAGMA application_id").integer == SQLiteSchema.applicationID else {
                throw ShardMerge.Failure("\(path) is not a database Lodestone wrote")
            }
            let tables = Set(try database.query("SELECT name FROM sqlite_master WHERE type = 'table'").compactMap { $0[0].text })
            let rows = try database.query(
                "SELECT id, scenario, completed_runs, requested_runs, seed_text, start, months, keep FROM runs WHERE kind = 'ensemble' ORDER BY id")
            return try rows.map { row in
                let id = row[0].integer ?? 0
                var shard: String?
                if tables.contains("shards"), let found = try database.query(
                    "SELECT shard, shard_count FROM shards WHERE run_id = ?", [.integer(id)]).first
                {
                    shard = "\(found[0].description)/\(found[1].description)"
                }
                let summaries = try database.query(
                    "SELECT name, probability, coalesce(mean_month, mean), coalesce(p5_month, p5), coalesce(p50_month, p50), coalesce(p95_month, p95) FROM metric_summaries WHERE run_id = ? ORDER BY name",
                    [.integer(id)]
                ).map { $0.map(\.description) }
                let bands = try database.query(
                    "SELECT signal, quantile, value FROM bands WHERE run_id = ? AND month = (SELECT max(month) FROM bands WHERE run_id = ?) ORDER BY signal, quantile",
                    [.integer(id), .integer(id)]
                ).map { $0.map(\.description) }
                var design: DesignInfo?
                var parameters: [String] = []
                var isMonth = false
                var samples: [Double] = []
                if tables.contains("designs"), let found = try database.query(
                    "SELECT method, metric, samples, resamples, level, parameters FROM designs WHERE run_id = ?", [.integer(id)]).first
                {
                    let metric = found[1].text ?? ""
                    design = DesignInfo(
                        method: found[0].text ?? "", metric: metric, samples: Int(found[2].integer ?? 0),
                        resamples: Int(found[3].integer ?? 0), level: found[4].double ?? 0.95)
                    parameters = (found[5].text ?? "").split(separator: "\n").map(String.init)
                    isMonth = try database.scalar(
                        "SELECT kind FROM metric_summaries WHERE run_id = ? AND name = ?", [.integer(id), .text(metric)]).text == "month"
                    samples = try database.query(
                        "SELECT value FROM metrics WHERE run_id = ? AND name = ? ORDER BY run_index", [.integer(id), .text(metric)]
                    ).map { $0[0].double ?? .nan }
                }
                return StoredEnsemble(
                    id: id, scenario: row[1].text ?? "", completedRuns: Int(row[2].integer ?? 0), requestedRuns: Int(row[3].integer ?? 0),
                    seedText: row[4].text ?? "", start: Month(row[5].text ?? "") ?? Month(2026, 1), months: Int(row[6].integer ?? 0),
                    keep: row[7].text ?? "everything", shard: shard, summaries: summaries, bands: bands, design: design,
                    designParameters: parameters, designMetricIsMonth: isMonth, designSamples: samples)
            }
        } catch let error as SQLiteError {
            throw ShardMerge.Failure("\(path): cannot read the database: \(error)")
        }
    }
}
