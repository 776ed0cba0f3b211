import Foundation
import LodestoneKernel
import Testing

@testable import LodestoneExport

@Suite("SQLite export")
struct SQLiteExportTests {
    @Test("a run is stored in runs, series, metrics, parameters, events and sources")
    func run() throws {
        let result = try Fixture.run()
        try withTemporaryFolder { folder throws in
            let path = folder + "/runs.sqlite"
            try SQLiteExporter().write(.run(result), to: path, options: ExportOptions())
            #expect(try contents(of: folder) == ["runs.sqlite"])
            let db = try SQLiteDatabase(path: path)
            #expect(try db.scalar("SELECT count(*) FROM runs") == .integer(1))
            let run = try #require(try db.query("SELECT id, label, scenario, dataset, start, \"end\", months, seed FROM runs").first)
            #expect(run[1] == .null)
            #expect(Array(run[2...]) == [.text(Fixture.scenarioName), .text("toy"), .text("2026-01"), .text("2026-12"), .integer(12), .integer(7)])
            let id = run[0]
            #expect(try db.scalar("SELECT count(*) FROM series WHERE run_id = ?", [id]) == .integer(Int64(12 * result.signals.count)))
            #expect(
                try db.scalar("SELECT value FROM series WHERE run_id = ? AND signal = ? AND month = ?",
                    [id, .text("ramp.level[JP/DyTb]"), .text("2026-04")]) == .real(19))
            #expect(try db.scalar("SELECT count(*) FROM signals WHERE run_id = ?", [id]) == .integer(Int64(result.signals.count)))
            #expect(try db.scalar("SELECT unit FROM signals WHERE signal = 'ramp.level[JP/NdPr]'") == .text("t"))
            #expect(try db.scalar("SELECT count(*) FROM metrics") == .integer(Int64(result.metrics.count)))
            #expect(
                try db.query("SELECT value, month, unit FROM metrics WHERE name = 'ramp.reaches_20[JP/NdPr]'")
                    == [[.real(5), .text("2026-06"), .text("month")]])
            #expect(try db.scalar("SELECT DISTINCT run_index FROM metrics") == .integer(0))
            #expect(try db.query("SELECT value, month FROM metrics WHERE name = 'ramp.reaches_100[JP/NdPr]'") == [[.null, .null]])
            #expect(try db.scalar("SELECT value FROM metrics WHERE name = 'ramp.final[JP/DyTb]'") == .real(43))
            #expect(try db.scalar("SELECT count(*) FROM parameters") == .integer(Int64(result.parameters.all.count)))
            #expect(
                try db.query("SELECT value, default_value, unit FROM parameters WHERE path = 'ramp.slope[JP/DyTb]'")
                    == [[.real(3), .real(2), .text("t/month")]])
            #expect(
                try db.query("SELECT kind, start FROM events ORDER BY position")
                    == [[.text("incident"), .text("2026-02")], [.text("restrict"), .text("2026-03")]])
            #expect(
                try db.query("SELECT id, assumption FROM sources ORDER BY id")
                    == [[.text("assumption"), .integer(1)], [.text("usgs"), .integer(0)]])
            #expect(try db.scalar("PRAGMA application_id") == .integer(SQLiteSchema.applicationID))
        }
    }

    @Test("a seed of 2⁶⁴ − 1 round-trips exactly, with the version, dataset hash and script")
    func exactSeedAndProvenance() throws {
        let result = try Fixture.run(seed: UInt64.max)
        let script = ScriptSource(name: "big.lode", text: "run(m, seed: …)\n")
        try withTemporaryFolder { folder throws in
            let path = folder + "/seeds.db"
            try SQLiteExporter().write(.run(result), to: path, options: ExportOptions(script: script))
            try SQLiteExporter().write(.run(try Fixture.run(seed: 5)), to: path, options: ExportOptions(script: script))
            let db = try SQLiteDatabase(path: path)
            #expect(
                try db.query("SELECT seed, seed_text, lodestone_version, dataset_hash, script_hash FROM runs ORDER BY id") == [
                    [.null, .text("18446744073709551615"), .text(LodestoneVersion.current), .text(Fixture.dataset.contentHash), .text(script.hash)],
                    [.integer(5), .text("5"), .text(LodestoneVersion.current), .text(Fixture.dataset.contentHash), .text(script.hash)],
                ])
            #expect(UInt64(try db.scalar("SELECT seed_text FROM runs WHERE id = 1").text ?? "") == UInt64.max)
            #expect(try db.query("SELECT name, text FROM scripts") == [[.text("big.lode"), .text(script.text)]])  // stored once

            let records = try ProvenanceReader.read(path)
            #expect(records.map(\.label) == ["\(path): run 1 (run)", "\(path): run 2 (run)"])
            let first = try #require(records.first?.provenance)
            #expect(first.seeds == ["18446744073709551615"])
            #expect(first.datasets == [.init(name: "toy", hash: Fixture.dataset.contentHash)])
            #expect(first.script == .init(script))
            #expect(first.parameters == [.init(run: nil, path: "ramp.slope[JP/DyTb]", value: 3, defaultValue: 2, unit: "t/month")])
        }
    }

    @Test("runs are appended to an existing database, without overwrite")
    func append() throws {
        let first = try Fixture.run(seed: 1)
        let second = try Fixture.run(seed: 2, dyTbSlope: 5)
        try withTemporaryFolder { folder throws in
            let path = folder + "/workshop.db"
            try SQLiteExporter().write(.run(first), to: path, options: ExportOptions())
            try SQLiteExporter().write(
                .runs([("Ana", second), ("Ben", first)]), to: path, options: ExportOptions(signals: ["ramp.level"]))
            let db = try SQLiteDatabase(path: path)
            #expect(
                try db.query("SELECT id, label, seed FROM runs ORDER BY id")
                    == [[.integer(1), .null, .integer(1)], [.integer(2), .text("Ana"), .integer(2)], [.integer(3), .text("Ben"), .integer(1)]])
            #expect(try db.scalar("SELECT count(*) FROM series WHERE run_id = 1") == .integer(Int64(12 * first.signals.count)))
            #expect(try db.scalar("SELECT count(*) FROM series WHERE run_id = 2") == .integer(24))
            #expect(
                try db.scalar(
                    "SELECT s.value FROM series s JOIN runs r ON r.id = s.run_id WHERE r.label = 'Ana' AND s.signal = 'ramp.level[JP/DyTb]' AND s.month = '2026-12'")
                    == .real(65))
            #expect(try db.scalar("SELECT count(DISTINCT run_id) FROM metrics") == .integer(3))
            #expect(try contents(of: folder) == ["workshop.db"])

            // overwrite: true replaces the database.
            try SQLiteExporter().write(.run(second), to: path, options: ExportOptions(overwrite: true))
            let replaced = try SQLiteDatabase(path: path)
            #expect(try replaced.query("SELECT id, seed FROM runs") == [[.integer(1), .integer(2)]])
        }
    }

    @Test("an existing file that is not a Lodestone database is reported and left untouched")
    func foreignFile() throws {
        try withTemporaryFolder { folder throws in
            let path = folder + "/notes.db"
            try "not a database, just text that is long enough to have a header of sorts\n".write(
                toFile: path, atomically: false, encoding: .utf8)
            let before = try Data(contentsOf: URL(fileURLWithPath: path))
            #expect {
                try SQLiteExporter().write(.run(try Fixture.run()), to: path, options: ExportOptions())
            } throws: { error in
                guard case .writeFailed(let reported, let reason) = error as? ExportError else { return false }
                return reported == path && reason.contains("not an SQLite database")
            }
            #expect(try Data(contentsOf: URL(fileURLWithPath: path)) == before)
            #expect(try contents(of: folder) == ["notes.db"])

            let other = folder + "/other.sqlite"
            let db = try SQLiteDatabase(path: other)
            try db.execute("CREATE TABLE birds(name TEXT)")
            db.close()
            #expect {
                try SQLiteExporter().write(.run(try Fixture.run()), to: other, options: ExportOptions())
            } throws: { error in
                guard case .writeFailed(_, let reason) = error as? ExportError else { return false }
                return reason.contains("Lodestone did not write")
            }
        }
    }

    @Test("a failed export leaves no file and tables are unsupported")
    func failures() throws {
        try withTemporaryFolder { folder throws in
            let path = folder + "/x.sqlite"
            #expect(throws: LookupError.self) {
                try SQLiteExporter().write(.run(try Fixture.run()), to: path, options: ExportOptions(signals: ["nope"]))
            }
            #expect(throws: ExportError.unsupported(format: "sqlite", payload: "a table")) {
                try SQLiteExporter().write(.table(ResultTable(columns: ["a"], rows: [])), to: path, options: ExportOptions())
            }
            #expect(try contents(of: folder) == [])
        }
    }

    @Test("a rolled-back transaction leaves the database as it was")
    func rollback() throws {
        try withTemporaryFolder { folder throws in
            let db = try SQLiteDatabase(path: folder + "/t.sqlite")
            try db.execute("CREATE TABLE t(x INTEGER)")
            struct Stop: Error {}
            #expect(throws: Stop.self) {
                try db.transaction {
                    try db.query("INSERT INTO t VALUES (?)", [.integer(1)])
                    throw Stop()
                }
            }
            #expect(try db.scalar("SELECT count(*) FROM t") == .integer(0))
            #expect(throws: SQLiteError.self) { try db.execute("SELECT * FROM missing") }
        }
    }
}
