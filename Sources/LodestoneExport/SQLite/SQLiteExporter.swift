import Foundation
import LodestoneKernel

/// Writes runs into an SQLite database (tables `runs`, `signals`, `series`, `metrics`,
/// `parameters`, `events`, `sources`; see ``SQLiteSchema``), so that a workshop can collect
/// everyone's runs in one file and query them.
///
/// **Appending is the default.** Unlike the other exporters, an existing Lodestone database is
/// not an error: the runs are added to it (with new run ids) in one transaction, so a failure
/// adds nothing. `overwrite: true` replaces the file instead. A new file is built under a
/// temporary name and moved into place when complete. An existing file that is not a Lodestone
/// database is left untouched and reported. Several runs get their labels in `runs.label`.
/// Tables are not supported.
public struct SQLiteExporter: Exporter {
    /// `sqlite`.
    public let format = "sqlite"
    /// `sqlite`, `sqlite3`, `db`.
    public let fileExtensions = ["sqlite", "sqlite3", "db"]
    /// One line for listings.
    public let summary = "SQLite database of runs (appends to an existing file)"

    /// Creates the exporter.
    public init() {}

    /// Appends the runs of `payload` to the database at `path` (creating it if needed).
    public func write(_ payload: ExportPayload, to path: String, options: ExportOptions) throws {
        guard let runs = payload.labelledRuns else {
            throw ExportError.unsupported(format: format, payload: payload.kindName)
        }
        // Resolve signal choices first, so that a bad id fails before anything is written.
        let columns = try runs.map { try SignalSelection.columns($0.result, options.signals) }
        let target = AtomicFile.resolve(path)
        var isFolder: ObjCBool = false
        let exists = FileManager.default.fileExists(atPath: target, isDirectory: &isFolder)
        if exists, !isFolder.boolValue, !options.overwrite {
            try append(runs, columns: columns, to: target, reportedAs: path)
            return
        }
        let checked = try AtomicFile.checkDestination(path, overwrite: options.overwrite)
        let temporary = AtomicFile.temporaryPath(for: checked)
        do {
            let database = try open(temporary, reportedAs: path)
            try insert(runs, columns: columns, into: database, reportedAs: path)
            database.close()
            try AtomicFile.commit(temporary, to: checked, overwrite: options.overwrite, reportedAs: path)
        } catch {
            unlink(temporary)
            unlink(temporary + "-journal")
            throw error
        }
    }

    private func append(
        _ runs: [(label: String?, result: RunResult)], columns: [[Int]], to target: String, reportedAs path: String
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
        try insert(runs, columns: columns, into: database, reportedAs: path)
    }

    private func open(_ file: String, reportedAs path: String) throws -> SQLiteDatabase {
        do { return try SQLiteDatabase(path: file) } catch {
            throw ExportError.writeFailed(path: path, reason: "cannot open the database: \(error)")
        }
    }

    /// Creates the schema if needed and inserts every run in one transaction.
    private func insert(
        _ runs: [(label: String?, result: RunResult)], columns: [[Int]], into database: SQLiteDatabase,
        reportedAs path: String
    ) throws {
        do {
            try database.transaction {
                try database.execute(SQLiteSchema.create)
                try database.execute("PRAGMA application_id = \(SQLiteSchema.applicationID)")
                try database.execute("PRAGMA user_version = \(SQLiteSchema.version)")
                let statements = try Statements(database)
                let now = ISO8601DateFormatter().string(from: Date())
                for (run, columns) in zip(runs, columns) {
                    try insert(run.result, label: run.label, columns: columns, exportedAt: now, statements, database)
                }
            }
        } catch let error as SQLiteError {
            throw ExportError.writeFailed(path: path, reason: "SQLite: \(error); nothing was written")
        }
    }

    private func insert(
        _ result: RunResult, label: String?, columns: [Int], exportedAt: String, _ statements: Statements,
        _ database: SQLiteDatabase
    ) throws(SQLiteError) {
        let seed: SQLiteValue = result.seed <= UInt64(Int64.max) ? .integer(Int64(result.seed)) : .text(String(result.seed))
        try statements.run.run([
            label.map(SQLiteValue.text) ?? .null, .text(result.scenario.name), .text(result.datasetName),
            .text(result.start.description), .text(result.end.description), .integer(Int64(result.months)), seed,
            .text(result.modules.joined(separator: ",")), .text(exportedAt),
        ])
        let id = SQLiteValue.integer(database.lastInsertRowID)
        for j in columns {
            let signal = result.signals[j]
            try statements.signal.run([
                id, .text(signal.id), .text(signal.name), .text(signal.key), .text(signal.unit.symbol),
                .text(signal.producer),
            ])
        }
        let width = result.signals.count
        let ids = columns.map { SQLiteValue.text(result.signals[$0].id) }
        for t in 0..<result.months {
            let month = SQLiteValue.text((result.start + t).description)
            for (n, j) in columns.enumerated() {
                try statements.series.run([id, month, ids[n], .number(result.values[t * width + j])])
            }
        }
        for row in RunFacts.metrics(result) {
            let month: SQLiteValue = if case .month(let m) = row.value { .text(m.description) } else { .null }
            try statements.metric.run([id, .text(row.id), .number(row.raw), month, .text(row.unit)])
        }
        for entry in result.parameters.entries {
            let declaration = entry.declaration
            for k in 0..<declaration.count {
                let key = declaration.keys.isEmpty ? "" : "[\(declaration.keys[k])]"
                try statements.parameter.run([
                    id, .text(entry.path + key), .number(result.parameters.values[entry.base + k]),
                    .number(declaration.defaults[k]), .text(declaration.unit.symbol),
                ])
            }
        }
        for (position, event) in result.scenario.events.enumerated() {
            try statements.event.run([
                id, .integer(Int64(position)), .text(event.kind), .text(event.start.description), .text(event.summary),
            ])
        }
        for citation in result.sources {
            try statements.source.run([
                id, .text(citation.id), .text(citation.citation), .text(citation.url),
                .integer(citation.isAssumption ? 1 : 0),
            ])
        }
    }

    /// The prepared insert statements, reused for every row.
    private struct Statements {
        let run, signal, series, metric, parameter, event, source: SQLiteStatement
        init(_ database: SQLiteDatabase) throws(SQLiteError) {
            run = try database.prepare(
                "INSERT INTO runs(label, scenario, dataset, start, \"end\", months, seed, modules, exported_at) VALUES (?,?,?,?,?,?,?,?,?)")
            signal = try database.prepare(
                "INSERT INTO signals(run_id, signal, name, \"key\", unit, producer) VALUES (?,?,?,?,?,?)")
            series = try database.prepare("INSERT INTO series(run_id, month, signal, value) VALUES (?,?,?,?)")
            metric = try database.prepare("INSERT INTO metrics(run_id, name, value, month, unit) VALUES (?,?,?,?,?)")
            parameter = try database.prepare(
                "INSERT INTO parameters(run_id, path, value, default_value, unit) VALUES (?,?,?,?,?)")
            event = try database.prepare("INSERT INTO events(run_id, position, kind, start, summary) VALUES (?,?,?,?,?)")
            source = try database.prepare("INSERT INTO sources(run_id, id, citation, url, assumption) VALUES (?,?,?,?,?)")
        }
    }
}
