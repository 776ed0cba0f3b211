/// The tables the SQLite exporter writes (schema version 2).
///
/// | table | columns |
/// | --- | --- |
/// | `runs` | `id`, `label`, `scenario`, `dataset`, `start`, `end`, `months`, `seed`, `modules`, `exported_at`, `kind`, `batch`, `requested_runs`, `completed_runs` |
/// | `signals` | `run_id`, `signal`, `name`, `key`, `unit`, `producer` |
/// | `series` | `run_id`, `month` (`YYYY-MM`), `signal`, `value` (NULL for NaN) |
/// | `metrics` | `run_id`, `name`, `value` (the quantity, or months from the start for month metrics; NULL for none), `month` (`YYYY-MM` for month metrics), `unit`, `run_index` |
/// | `parameters` | `run_id`, `path`, `value`, `default_value`, `unit` |
/// | `events` | `run_id`, `position`, `kind`, `start`, `summary` |
/// | `sources` | `run_id`, `id`, `citation`, `url`, `assumption` (0/1) |
/// | `bands` | `run_id`, `month`, `signal`, `quantile` (`p5`, `p25`, `p50`, `p75`, `p95`, `mean`), `value` |
/// | `variations` | `run_id`, `path`, `distribution` (as in scripts: `uniform(0.01, 0.06)`) |
/// | `draws` | `run_id`, `run_index`, `path`, `value` |
/// | `sweep_values` | `run_id`, `path`, `value` |
///
/// What each kind of row (`runs.kind`) has:
/// - `run` — one run: `series` of the exported signals, its `metrics` (`run_index` NULL), its
///   `parameters`, `events` and `sources`.
/// - `sweep` — one point of a sweep, stored as a run, plus the swept parameters' values in
///   `sweep_values`; `label` is `path=value, …`.
/// - `ensemble` — a whole Monte Carlo ensemble in one row: `seed` is the ensemble's seed,
///   `requested_runs`/`completed_runs` its size; `metrics` has one row per completed run and
///   metric, `run_index` being the run's position among the completed runs (0-based, run order);
///   `parameters` holds the base values, `variations` the varied parameters and `draws` the value
///   each run drew; `bands` the monthly quantiles and mean of the band signals (also listed in
///   `signals`); no `series`.
///
/// Rows written by one export of several runs or of a sweep share `batch` (the id of the first
/// of them); `batch` is NULL for a single run or an ensemble.
///
/// Version 1 (before ensembles and sweeps) lacked `runs.kind`, `batch`, `requested_runs`,
/// `completed_runs`, `metrics.run_index` and the last four tables; appending to a version-1
/// database adds them (existing rows become `kind = 'run'`).
enum SQLiteSchema {
    /// `PRAGMA application_id` of a Lodestone database: "LODE" in ASCII.
    static let applicationID: Int64 = 0x4C4F_4445
    /// `PRAGMA user_version` of this schema.
    static let version: Int64 = 2

    /// Creates the tables and indexes if missing.
    static let create = """
        CREATE TABLE IF NOT EXISTS runs(
            id INTEGER PRIMARY KEY, label TEXT, scenario TEXT NOT NULL, dataset TEXT NOT NULL,
            start TEXT NOT NULL, "end" TEXT NOT NULL, months INTEGER NOT NULL, seed INTEGER NOT NULL,
            modules TEXT NOT NULL, exported_at TEXT NOT NULL, kind TEXT NOT NULL DEFAULT 'run', batch INTEGER,
            requested_runs INTEGER, completed_runs INTEGER);
        CREATE TABLE IF NOT EXISTS signals(
            run_id INTEGER NOT NULL REFERENCES runs(id), signal TEXT NOT NULL, name TEXT NOT NULL,
            "key" TEXT NOT NULL, unit TEXT NOT NULL, producer TEXT NOT NULL);
        CREATE TABLE IF NOT EXISTS series(
            run_id INTEGER NOT NULL REFERENCES runs(id), month TEXT NOT NULL, signal TEXT NOT NULL, value REAL);
        CREATE TABLE IF NOT EXISTS metrics(
            run_id INTEGER NOT NULL REFERENCES runs(id), name TEXT NOT NULL, value REAL, month TEXT, unit TEXT NOT NULL,
            run_index INTEGER);
        CREATE TABLE IF NOT EXISTS parameters(
            run_id INTEGER NOT NULL REFERENCES runs(id), path TEXT NOT NULL, value REAL, default_value REAL,
            unit TEXT NOT NULL);
        CREATE TABLE IF NOT EXISTS events(
            run_id INTEGER NOT NULL REFERENCES runs(id), position INTEGER NOT NULL, kind TEXT NOT NULL,
            start TEXT NOT NULL, summary TEXT NOT NULL);
        CREATE TABLE IF NOT EXISTS sources(
            run_id INTEGER NOT NULL REFERENCES runs(id), id TEXT NOT NULL, citation TEXT NOT NULL, url TEXT NOT NULL,
            assumption INTEGER NOT NULL);
        CREATE TABLE IF NOT EXISTS bands(
            run_id INTEGER NOT NULL REFERENCES runs(id), month TEXT NOT NULL, signal TEXT NOT NULL,
            quantile TEXT NOT NULL, value REAL);
        CREATE TABLE IF NOT EXISTS variations(
            run_id INTEGER NOT NULL REFERENCES runs(id), path TEXT NOT NULL, distribution TEXT NOT NULL);
        CREATE TABLE IF NOT EXISTS draws(
            run_id INTEGER NOT NULL REFERENCES runs(id), run_index INTEGER NOT NULL, path TEXT NOT NULL, value REAL);
        CREATE TABLE IF NOT EXISTS sweep_values(
            run_id INTEGER NOT NULL REFERENCES runs(id), path TEXT NOT NULL, value REAL);
        CREATE INDEX IF NOT EXISTS series_by_run_signal ON series(run_id, signal, month);
        CREATE INDEX IF NOT EXISTS metrics_by_run ON metrics(run_id, name);
        CREATE INDEX IF NOT EXISTS bands_by_run_signal ON bands(run_id, signal, month);
        CREATE INDEX IF NOT EXISTS draws_by_run ON draws(run_id, run_index);
        """

    /// Brings a version-1 database to version 2 (before ``create`` adds the new tables).
    static let migrateFromVersion1 = """
        ALTER TABLE runs ADD COLUMN kind TEXT NOT NULL DEFAULT 'run';
        ALTER TABLE runs ADD COLUMN batch INTEGER;
        ALTER TABLE runs ADD COLUMN requested_runs INTEGER;
        ALTER TABLE runs ADD COLUMN completed_runs INTEGER;
        ALTER TABLE metrics ADD COLUMN run_index INTEGER;
        """

    /// The tables a Lodestone database has.
    static let tables = [
        "runs", "signals", "series", "metrics", "parameters", "events", "sources", "bands", "variations", "draws",
        "sweep_values",
    ]
}
