/// The tables the SQLite exporter writes (schema version 3).
///
/// | table | primary key | columns |
/// | --- | --- | --- |
/// | `runs` | `id` | `id`, `label`, `scenario`, `dataset`, `start`, `end`, `months`, `seed` (INTEGER; NULL when ≥ 2⁶³), `seed_text` (exact, decimal), `modules`, `exported_at`, `kind`, `batch`, `requested_runs`, `completed_runs`, `lodestone_version`, `dataset_hash`, `script_hash`, `keep` |
/// | `scripts` | `hash` | `hash`, `name`, `text` |
/// | `signals` | `run_id, signal` | `run_id`, `signal`, `name`, `key`, `unit`, `producer` |
/// | `series` | `run_id, signal, month` | `run_id`, `month` (`YYYY-MM`), `signal`, `value` (NULL for NaN) |
/// | `metrics` | `run_id, run_index, name` | `run_id`, `name`, `value` (the quantity, or months from the start for month metrics; NULL for none), `month` (`YYYY-MM` for month metrics), `unit`, `run_index` (0 for a run; an ensemble's run position) |
/// | `metric_summaries` | `run_id, name` | `run_id`, `name`, `kind`, `unit`, `probability`, `mean`, `p5`, `p50`, `p95`, `mean_month`, `p5_month`, `p50_month`, `p95_month` |
/// | `parameters` | `run_id, path` | `run_id`, `path`, `value`, `default_value`, `unit` |
/// | `events` | `run_id, position` | `run_id`, `position`, `kind`, `start`, `summary` |
/// | `sources` | `run_id, id` | `run_id`, `id`, `citation`, `url`, `assumption` (0/1) |
/// | `bands` | `run_id, signal, month, quantile` | `run_id`, `month`, `signal`, `quantile` (`p5`, `p25`, `p50`, `p75`, `p95`, `mean`), `value` |
/// | `variations` | `run_id, path` | `run_id`, `path`, `distribution` (as in scripts: `uniform(0.01, 0.06)`) |
/// | `draws` | `run_id, run_index, path` | `run_id`, `run_index`, `path`, `value` |
/// | `sweep_values` | `run_id, path` | `run_id`, `path`, `value` |
/// | `designs` | `run_id` | `run_id`, `method` (`sobol`, `morris`), `metric`, `samples`, `resamples`, `level`, `parameters` (the varied paths in design order, one per line): a sensitivity design's ensemble |
/// | `shards` | `run_id` | `run_id`, `shard` (1…), `shard_count`, `part` (which sharded computation of the script, from 0), `position` (a sweep point's grid index; NULL for an ensemble), `total` (runs or points of the whole) |
/// | `band_values` | `run_id, signal, month, run_index` | `run_id`, `signal`, `month`, `run_index`, `value`: a shard's band signals run by run, so that merging recomputes the bands exactly |
///
/// Child tables are `WITHOUT ROWID` tables clustered on their primary key, which also serves the
/// usual lookups (by run, then signal or metric), so they need no other index.
///
/// What each kind of row (`runs.kind`) has:
/// - `run` — one run: `series` of the exported signals, its `metrics` (`run_index` 0), its
///   `parameters`, `events` and `sources`.
/// - `sweep` — one point of a sweep, stored as a run, plus the swept parameters' values in
///   `sweep_values`; `label` is `path=value, …`.
/// - `ensemble` — a whole Monte Carlo ensemble in one row: `seed` is the ensemble's seed,
///   `requested_runs`/`completed_runs` its size, `keep` what was kept: `metric_summaries` always;
///   per-run `metrics` (`run_index` being the run's position among the completed runs) and
///   `draws` with `everything` and `metrics`; `bands` with `everything` and `bands`; `parameters`
///   (the base values) and `variations` always; no `series`.
///
/// Rows written by one export of several runs or of a sweep share `batch` (the id of the first
/// of them); `batch` is NULL for a single run or an ensemble.
///
/// Older databases are upgraded when appended to: version 1 (before ensembles and sweeps) gains
/// the version-2 columns; version 2 has its tables rebuilt with primary keys, its seeds copied to
/// `seed_text` (a version-2 seed ≥ 2⁶³ was stored as a floating-point number, so it may be off in
/// its last digits),
/// and the `run_index` of its runs' metrics set to 0.
enum SQLiteSchema {
    /// `PRAGMA application_id` of a Lodestone database: "LODE" in ASCII.
    static let applicationID: Int64 = 0x4C4F_4445
    /// `PRAGMA user_version` of this schema.
    static let version: Int64 = 3

    /// A table of this schema: its name, its columns as declared, and its primary key.
    struct Table {
        let name: String
        let columns: String
        let primaryKey: String

        /// `CREATE TABLE IF NOT EXISTS` for the table under `name`.
        func create(as name: String? = nil) -> String {
            let rowid = self.name == "runs" ? "" : " WITHOUT ROWID"
            let key = self.name == "runs" ? "" : ", PRIMARY KEY(\(primaryKey))"
            return "CREATE TABLE IF NOT EXISTS \(name ?? self.name)(\(columns)\(key))\(rowid);"
        }
    }

    /// Every table, `runs` first.
    static let tables: [Table] = [
        Table(
            name: "runs",
            columns: """
                id INTEGER PRIMARY KEY, label TEXT, scenario TEXT NOT NULL, dataset TEXT NOT NULL, start TEXT NOT NULL, \
                "end" TEXT NOT NULL, months INTEGER NOT NULL, seed INTEGER, seed_text TEXT NOT NULL, modules TEXT NOT NULL, \
                exported_at TEXT NOT NULL, kind TEXT NOT NULL DEFAULT 'run', batch INTEGER, requested_runs INTEGER, \
                completed_runs INTEGER, lodestone_version TEXT, dataset_hash TEXT, script_hash TEXT, keep TEXT
                """, primaryKey: "id"),
        Table(name: "scripts", columns: "hash TEXT NOT NULL, name TEXT NOT NULL, text TEXT NOT NULL", primaryKey: "hash"),
        Table(
            name: "signals",
            columns: """
                run_id INTEGER NOT NULL REFERENCES runs(id), signal TEXT NOT NULL, name TEXT NOT NULL, "key" TEXT NOT NULL, \
                unit TEXT NOT NULL, producer TEXT NOT NULL
                """, primaryKey: "run_id, signal"),
        Table(
            name: "series",
            columns: "run_id INTEGER NOT NULL REFERENCES runs(id), month TEXT NOT NULL, signal TEXT NOT NULL, value REAL",
            primaryKey: "run_id, signal, month"),
        Table(
            name: "metrics",
            columns: """
                run_id INTEGER NOT NULL REFERENCES runs(id), name TEXT NOT NULL, value REAL, month TEXT, unit TEXT NOT NULL, \
                run_index INTEGER NOT NULL DEFAULT 0
                """, primaryKey: "run_id, run_index, name"),
        Table(
            name: "metric_summaries",
            columns: """
                run_id INTEGER NOT NULL REFERENCES runs(id), name TEXT NOT NULL, kind TEXT NOT NULL, unit TEXT NOT NULL, \
                probability REAL, mean REAL, p5 REAL, p50 REAL, p95 REAL, mean_month TEXT, p5_month TEXT, p50_month TEXT, \
                p95_month TEXT
                """, primaryKey: "run_id, name"),
        Table(
            name: "parameters",
            columns: """
                run_id INTEGER NOT NULL REFERENCES runs(id), path TEXT NOT NULL, value REAL, default_value REAL, \
                unit TEXT NOT NULL
                """, primaryKey: "run_id, path"),
        Table(
            name: "events",
            columns: """
                run_id INTEGER NOT NULL REFERENCES runs(id), position INTEGER NOT NULL, kind TEXT NOT NULL, \
                start TEXT NOT NULL, summary TEXT NOT NULL
                """, primaryKey: "run_id, position"),
        Table(
            name: "sources",
            columns: """
                run_id INTEGER NOT NULL REFERENCES runs(id), id TEXT NOT NULL, citation TEXT NOT NULL, url TEXT NOT NULL, \
                assumption INTEGER NOT NULL
                """, primaryKey: "run_id, id"),
        Table(
            name: "bands",
            columns: """
                run_id INTEGER NOT NULL REFERENCES runs(id), month TEXT NOT NULL, signal TEXT NOT NULL, \
                quantile TEXT NOT NULL, value REAL
                """, primaryKey: "run_id, signal, month, quantile"),
        Table(
            name: "variations",
            columns: "run_id INTEGER NOT NULL REFERENCES runs(id), path TEXT NOT NULL, distribution TEXT NOT NULL",
            primaryKey: "run_id, path"),
        Table(
            name: "draws",
            columns: "run_id INTEGER NOT NULL REFERENCES runs(id), run_index INTEGER NOT NULL, path TEXT NOT NULL, value REAL",
            primaryKey: "run_id, run_index, path"),
        Table(
            name: "sweep_values",
            columns: "run_id INTEGER NOT NULL REFERENCES runs(id), path TEXT NOT NULL, value REAL",
            primaryKey: "run_id, path"),
        Table(
            name: "designs",
            columns: """
                run_id INTEGER NOT NULL REFERENCES runs(id), method TEXT NOT NULL, metric TEXT NOT NULL, \
                samples INTEGER NOT NULL, resamples INTEGER NOT NULL, level REAL NOT NULL, parameters TEXT NOT NULL
                """, primaryKey: "run_id"),
        Table(
            name: "shards",
            columns: """
                run_id INTEGER NOT NULL REFERENCES runs(id), shard INTEGER NOT NULL, shard_count INTEGER NOT NULL, \
                part INTEGER NOT NULL, position INTEGER, total INTEGER NOT NULL
                """, primaryKey: "run_id"),
        Table(
            name: "band_values",
            columns: """
                run_id INTEGER NOT NULL REFERENCES runs(id), signal TEXT NOT NULL, month TEXT NOT NULL, \
                run_index INTEGER NOT NULL, value REAL
                """, primaryKey: "run_id, signal, month, run_index"),
    ]

    /// Creates the tables if missing.
    static var create: String { tables.map { $0.create() }.joined(separator: "\n") }

    /// Brings a version-1 database to version 2 (before ``migrateFromVersion2``).
    static let migrateFromVersion1 = """
        ALTER TABLE runs ADD COLUMN kind TEXT NOT NULL DEFAULT 'run';
        ALTER TABLE runs ADD COLUMN batch INTEGER;
        ALTER TABLE runs ADD COLUMN requested_runs INTEGER;
        ALTER TABLE runs ADD COLUMN completed_runs INTEGER;
        ALTER TABLE metrics ADD COLUMN run_index INTEGER;
        """

    /// How each version-2 table's rows are copied into its version-3 table: the columns selected
    /// (in the new table's column order). Tables a version-1 database lacks are skipped.
    static let version2Copies: [(table: String, columns: String, select: String)] = [
        (
            "runs",
            "id, label, scenario, dataset, start, \"end\", months, seed, seed_text, modules, exported_at, kind, batch, "
                + "requested_runs, completed_runs",
            "id, label, scenario, dataset, start, \"end\", months, CASE typeof(seed) WHEN 'integer' THEN seed END, "
                + "CASE typeof(seed) WHEN 'integer' THEN CAST(seed AS TEXT) WHEN 'text' THEN seed ELSE replace(printf('%!.0f', seed), '.0', '') END, "
                + "modules, exported_at, kind, batch, requested_runs, completed_runs"
        ),
        ("signals", "run_id, signal, name, \"key\", unit, producer", "run_id, signal, name, \"key\", unit, producer"),
        ("series", "run_id, month, signal, value", "run_id, month, signal, value"),
        ("metrics", "run_id, name, value, month, unit, run_index", "run_id, name, value, month, unit, coalesce(run_index, 0)"),
        ("parameters", "run_id, path, value, default_value, unit", "run_id, path, value, default_value, unit"),
        ("events", "run_id, position, kind, start, summary", "run_id, position, kind, start, summary"),
        ("sources", "run_id, id, citation, url, assumption", "run_id, id, citation, url, assumption"),
        ("bands", "run_id, month, signal, quantile, value", "run_id, month, signal, quantile, value"),
        ("variations", "run_id, path, distribution", "run_id, path, distribution"),
        ("draws", "run_id, run_index, path, value", "run_id, run_index, path, value"),
        ("sweep_values", "run_id, path, value", "run_id, path, value"),
    ]

    /// The SQL that rebuilds version-2 table `table` (which exists) as its version-3 form.
    static func rebuild(_ copy: (table: String, columns: String, select: String)) -> String {
        guard let table = tables.first(where: { $0.name == copy.table }) else { return "" }
        return """
            \(table.create(as: copy.table + "_v3"))
            INSERT OR IGNORE INTO \(copy.table)_v3(\(copy.columns)) SELECT \(copy.select) FROM \(copy.table);
            DROP TABLE \(copy.table);
            ALTER TABLE \(copy.table)_v3 RENAME TO \(copy.table);
            """
    }
}
