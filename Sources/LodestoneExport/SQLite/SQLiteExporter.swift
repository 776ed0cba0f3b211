import Foundation
import LodestoneKernel

/// Writes runs, sweeps and ensembles into an SQLite database (tables `runs`, `signals`,
/// `series`, `metrics`, `parameters`, `events`, `sources`, `bands`, `variations`, `draws`,
/// `sweep_values`; see ``SQLiteSchema``), so that a workshop can collect everyone's runs in one
/// file and query them. A sweep adds one `runs` row per point (`kind = 'sweep'`); an ensemble one
/// row (`kind = 'ensemble'`) with its per-run metrics and its quantile bands.
///
/// **Appending is the default.** Unlike the other exporters, an existing Lodestone database is
/// not an error: the runs are added to it (with new run ids) in one transaction, so a failure
/// adds nothing. `overwrite: true` replaces the file instead. A new file is built under a
/// temporary name and moved into place when complete. An existing file that is not a Lodestone
/// database is left untouched and reported, and so is one written by a newer Lodestone; a
/// version-1 or version-2 database is upgraded in the same transaction. Several runs get their
/// labels in `runs.label`. `options.signals` limits the signals stored (series, or an ensemble's
/// bands); `options.keep` what an ensemble keeps (``SQLiteKeep``). Every row records its
/// provenance: the exact seed, the Lodestone version, the dataset's hash and the script (in
/// `scripts`). Tables are not supported.
public struct SQLiteExporter: Exporter {
    /// `sqlite`.
    public let format = "sqlite"
    /// `sqlite`, `sqlite3`, `db`.
    public let fileExtensions = ["sqlite", "sqlite3", "db"]
    /// One line for listings.
    public let summary = "SQLite database of runs, sweeps and ensembles (appends to an existing file)"

    /// Creates the exporter.
    public init() {}

    /// Appends the runs, sweep points or ensemble of `payload` to the database at `path` (creating it if needed).
    public func write(_ payload: ExportPayload, to path: String, options: ExportOptions) throws {
        // Resolve signal choices first, so that a bad id fails before anything is written.
        let records = try SQLiteRecord.records(payload, signals: options.signals, format: format)
        let keep = try SQLiteKeep(options.keep, path: path)
        if case .ensemble(let ensemble) = payload, let tag = ensemble.shardTag, !keep.keepsRuns {
            throw ExportError.writeFailed(
                path: path,
                reason: "this ensemble is shard \(tag.shard) of \(ensemble.totalRuns) runs: its database must keep the per-run rows "
                    + "that `lodestone merge` combines; export it with keep: \"everything\" (the default, bands too) or \"metrics\", "
                    + "not \"\(keep.rawValue)\"")
        }
        let target = AtomicFile.resolve(path)
        var isFolder: ObjCBool = false
        let exists = FileManager.default.fileExists(atPath: target, isDirectory: &isFolder)
        if exists, !isFolder.boolValue, !options.overwrite {
            try append(records, to: target, reportedAs: path, script: options.script, keep: keep)
            return
        }
        let checked = try AtomicFile.checkDestination(path, overwrite: options.overwrite)
        let temporary = AtomicFile.temporaryPath(for: checked)
        do {
            let database = try open(temporary, reportedAs: path)
            try insert(records, into: database, reportedAs: path, script: options.script, keep: keep)
            database.close()
            try AtomicFile.commit(temporary, to: checked, overwrite: options.overwrite, reportedAs: path)
        } catch {
            unlink(temporary)
            unlink(temporary + "-journal")
            throw error
        }
    }

    private func append(
        _ records: [SQLiteRecord], to target: String, reportedAs path: String, script: ScriptSource?, keep: SQLiteKeep
    ) throws {
        let database = try open(target, reportedAs: path)
        defer { database.close() }
        let applicationID: Int64
        let tableCount: Int64
        do {
            applicationID = try database.scalar("PRAGMA application_id").integer ?? 0
            tableCount = try database.scalar("SELECT count(*) FROM sqlite_master").integer ?? 0
        } catch let error where error.isNotADatabase {
            throw ExportError.writeFailed(
                path: path,
                reason: "the file exists and is not an SQLite database; choose another name or pass `overwrite: true` to replace it")
        } catch {
            throw ExportError.writeFailed(path: path, reason: "cannot read the existing database: \(error)")
        }
        guard applicationID == SQLiteSchema.applicationID || tableCount == 0 else {
            throw ExportError.writeFailed(
                path: path,
                reason: "the file is an SQLite database that Lodestone did not write; choose another name or pass `overwrite: true` to replace it")
        }
        try insert(records, into: database, reportedAs: path, script: script, keep: keep)
    }

    /// A shard's rows may be written to a file once: a second copy (a shard run again, appending
    /// to its earlier export) would make `lodestone merge` see the runs twice.
    private static func checkShardsAreNew(_ records: [SQLiteRecord], in database: SQLiteDatabase, path: String) throws {
        for record in records {
            let tag: ShardTag
            var position: Int64 = -1
            switch record {
            case .ensemble(let ensemble, _):
                guard let t = ensemble.shardTag else { continue }
                tag = t
            case .run(_, _, _, _, _, let shard):
                guard let shard else { continue }
                tag = shard.tag
                position = Int64(shard.position)
            }
            let found = try database.scalar(
                "SELECT count(*) FROM shards WHERE shard = ? AND shard_count = ? AND part = ? AND coalesce(position, -1) = ?",
                [.integer(Int64(tag.shard.index)), .integer(Int64(tag.shard.count)), .integer(Int64(tag.part)), .integer(position)])
            if (found.integer ?? 0) > 0 {
                throw ExportError.writeFailed(
                    path: path,
                    reason: "it already holds these runs of shard \(tag.shard) (from an earlier run of the shard?); "
                        + "delete the file before running the shard again, or pass `overwrite: true`")
            }
        }
    }

    private func open(_ file: String, reportedAs path: String) throws -> SQLiteDatabase {
        do { return try SQLiteDatabase(path: file) } catch {
            throw ExportError.writeFailed(path: path, reason: "cannot open the database: \(error)")
        }
    }

    /// Creates or upgrades the schema and inserts every record in one transaction.
    private func insert(
        _ records: [SQLiteRecord], into database: SQLiteDatabase, reportedAs path: String, script: ScriptSource?,
        keep: SQLiteKeep
    ) throws {
        do {
            try database.transaction {
                let version = try database.scalar("PRAGMA user_version").integer ?? 0
                guard version <= SQLiteSchema.version else {
                    throw ExportError.writeFailed(
                        path: path,
                        reason: "the database was written by a newer Lodestone (schema \(version); this one writes "
                            + "\(SQLiteSchema.version)); choose another name or pass `overwrite: true` to replace it")
                }
                if version == 1 { try database.execute(SQLiteSchema.migrateFromVersion1) }
                if version == 1 || version == 2 {
                    for copy in SQLiteSchema.version2Copies {
                        let exists = try database.scalar(
                            "SELECT count(*) FROM sqlite_master WHERE type = 'table' AND name = ?", [.text(copy.table)])
                        if exists.integer == 1 { try database.execute(SQLiteSchema.rebuild(copy)) }
                    }
                }
                try database.execute(SQLiteSchema.create)
                try database.execute("PRAGMA application_id = \(SQLiteSchema.applicationID)")
                try database.execute("PRAGMA user_version = \(SQLiteSchema.version)")
                try Self.checkShardsAreNew(records, in: database, path: path)
                let writer = try SQLiteWriter(database, exportedAt: ExportProvenance.now(), script: script, keep: keep)
                try writer.insert(records)
            }
        } catch let error as SQLiteError {
            throw ExportError.writeFailed(path: path, reason: "SQLite: \(error); nothing was written")
        }
    }
}
