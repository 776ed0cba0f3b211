/// The tables the SQLite exporter writes (schema version 1).
///
/// | table | columns |
/// | --- | --- |
/// | `runs` | `id`, `label`, `scenario`, `dataset`, `start`, `end`, `months`, `seed`, `modules`, `exported_at` |
/// | `signals` | `run_id`, `signal`, `name`, `key`, `unit`, `producer` |
/// | `series` | `run_id`, `month` (`YYYY-MM`), `signal`, `value` (NULL for NaN) |
/// | `metrics` | `run_id`, `name`, `value` (the quantity, or months from the start for month metrics; NULL for none), `month` (`YYYY-MM` for month metrics), `unit` |
/// | `parameters` | `run_id`, `path`, `value`, `default_value`, `unit` |
/// | `events` | `run_id`, `position`, `kind`, `start`, `summary` |
/// | `sources` | `run_id`, `id`, `citation`, `url`, `assumption` (0/1) |
enum SQLiteSchema {
    /// `PRAGMA application_id` of a Lodestone database: "LODE" in ASCII.
    static let applicationID: Int64 = 0x4C4F_4445
    /// `PRAGMA user_version` of this schema.
    static let version: Int64 = 1

    /// Creates the tables and indexes if missing.
    static let create = """
        CREATE TABLE IF NOT EXISTS runs(
            id INTEGER PRIMARY KEY, label TEXT, scenario TEXT NOT NULL, dataset TEXT NOT NULL,
            start TEXT NOT NULL, "end" TEXT NOT NULL, months INTEGER NOT NULL, seed INTEGER NOT NULL,
            modules TEXT NOT NULL, exported_at TEXT NOT NULL);
        CREATE TABLE IF NOT EXISTS signals(
            run_id INTEGER NOT NULL REFERENCES runs(id), signal TEXT NOT NULL, name TEXT NOT NULL,
            "key" TEXT NOT NULL, unit TEXT NOT NULL, producer TEXT NOT NULL);
        CREATE TABLE IF NOT EXISTS series(
            run_id INTEGER NOT NULL REFERENCES runs(id), month TEXT NOT NULL, signal TEXT NOT NULL, value REAL);
        CREATE TABLE IF NOT EXISTS metrics(
            run_id INTEGER NOT NULL REFERENCES runs(id), name TEXT NOT NULL, value REAL, month TEXT, unit TEXT NOT NULL);
        CREATE TABLE IF NOT EXISTS parameters(
            run_id INTEGER NOT NULL REFERENCES runs(id), path TEXT NOT NULL, value REAL, default_value REAL,
            unit TEXT NOT NULL);
        CREATE TABLE IF NOT EXISTS events(
            run_id INTEGER NOT NULL REFERENCES runs(id), position INTEGER NOT NULL, kind TEXT NOT NULL,
            start TEXT NOT NULL, summary TEXT NOT NULL);
        CREATE TABLE IF NOT EXISTS sources(
            run_id INTEGER NOT NULL REFERENCES runs(id), id TEXT NOT NULL, citation TEXT NOT NULL, url TEXT NOT NULL,
            assumption INTEGER NOT NULL);
        CREATE INDEX IF NOT EXISTS series_by_run_signal ON series(run_id, signal, month);
        CREATE INDEX IF NOT EXISTS metrics_by_run ON metrics(run_id, name);
        """

    /// The tables a Lodestone database has.
    static let tables = ["runs", "signals", "series", "metrics", "parameters", "events", "sources"]
}
