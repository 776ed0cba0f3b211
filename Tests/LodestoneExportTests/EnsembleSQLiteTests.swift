import Foundation
import LodestoneKernel
import Testing

@testable import LodestoneExport

@Suite("SQLite export of ensembles and sweeps")
struct EnsembleSQLiteTests {
    @Test("an ensemble is one runs row with per-run metrics, draws and bands; a sweep one row per point")
    func ensembleAndSweep() throws {
        let ensemble = try EnsembleFixture.ensemble()
        let slopes = EnsembleFixture.draws(ensemble)
        let sweep = try EnsembleFixture.sweep()
        try withTemporaryFolder { folder throws in
            let path = folder + "/workshop.sqlite"
            try SQLiteExporter().write(.ensemble(ensemble), to: path, options: ExportOptions())
            try SQLiteExporter().write(.sweep(sweep), to: path, options: ExportOptions(signals: ["ramp.level[JP/DyTb]"]))
            try SQLiteExporter().write(.run(try Fixture.run()), to: path, options: ExportOptions())
            #expect(try contents(of: folder) == ["workshop.sqlite"])
            let db = try SQLiteDatabase(path: path)
            #expect(try db.scalar("PRAGMA user_version") == .integer(SQLiteSchema.version))

            let runs = try db.query("SELECT id, kind, label, seed, requested_runs, completed_runs, batch, \"end\", modules FROM runs ORDER BY id")
            #expect(runs.count == 1 + 6 + 1)
            #expect(runs[0] == [.integer(1), .text("ensemble"), .null, .integer(11), .integer(40), .integer(40), .null, .text("2026-12"), .text("ramp")])
            #expect(runs[1...6].map { $0[1] } == Array(repeating: .text("sweep"), count: 6))
            #expect(runs[1...6].map { $0[6] } == Array(repeating: .integer(2), count: 6))
            #expect(runs[1][2] == .text("ramp.slope[JP/DyTb]=1, ramp.offset=0"))
            #expect(runs[7][1] == .text("run") && runs[7][6] == .null)

            // Ensemble: one metrics row per run and metric; each run's final level follows its draw.
            #expect(try db.scalar("SELECT count(*) FROM metrics WHERE run_id = 1") == .integer(Int64(40 * ensemble.metrics.count)))
            let finals = try db.query(
                """
                SELECT m.run_index, m.value, d.value FROM metrics m
                JOIN draws d ON d.run_id = m.run_id AND d.run_index = m.run_index
                WHERE m.run_id = 1 AND m.name = 'ramp.final[JP/DyTb]' AND d.path = 'ramp.slope[JP/DyTb]' ORDER BY m.run_index
                """)
            #expect(finals.count == 40)
            for (k, row) in finals.enumerated() {
                #expect(row[0] == .integer(Int64(k)))
                #expect(row[2] == .real(slopes[k]))
                #expect(row[1] == .real(10 + 11 * slopes[k]))
            }
            let reached = try db.scalar(
                "SELECT count(*) FROM metrics WHERE run_id = 1 AND name = 'ramp.reaches_20[JP/DyTb]' AND month IS NOT NULL")
            #expect(reached == .integer(Int64(slopes.filter { $0 != 0.5 }.count)))
            #expect(try db.query("SELECT path, distribution FROM variations") == [[.text("ramp.slope[JP/DyTb]"), .text("choice([0.5, 1, 2, 4])")]])
            #expect(try db.scalar("SELECT count(*) FROM bands WHERE run_id = 1") == .integer(12 * 2 * 6))
            let median = try #require(
                try db.scalar(
                    "SELECT value FROM bands WHERE run_id = 1 AND signal = 'ramp.level[JP/DyTb]' AND month = '2026-12' AND quantile = 'p50'"
                ).double)
            #expect(EnsembleFixture.close(median, 10 + 11 * EnsembleFixture.quantile(slopes, 0.5)))
            #expect(
                Set(try db.query("SELECT quantile FROM bands WHERE signal = 'ramp.level[JP/DyTb]' AND month = '2026-01'").map { $0[0].text ?? "" })
                    == ["p5", "p25", "p50", "p75", "p95", "mean"])
            #expect(try db.query("SELECT signal, unit FROM signals WHERE run_id = 1 ORDER BY signal") == [
                [.text("ramp.level[JP/DyTb]"), .text("t")], [.text("ramp.level[JP/NdPr]"), .text("t")],
            ])
            #expect(try db.scalar("SELECT count(*) FROM series WHERE run_id = 1") == .integer(0))
            #expect(try db.scalar("SELECT value FROM parameters WHERE run_id = 1 AND path = 'ramp.slope[JP/NdPr]'") == .real(3))
            #expect(try db.scalar("SELECT count(*) FROM events WHERE run_id = 1") == .integer(2))
            #expect(try db.scalar("SELECT count(*) FROM sources WHERE run_id = 1") == .integer(2))

            // Sweep: swept values, each point's series and parameters.
            #expect(
                try db.query("SELECT path, value FROM sweep_values WHERE run_id = 7 ORDER BY path DESC")
                    == [[.text("ramp.slope[JP/DyTb]"), .real(4)], [.text("ramp.offset"), .real(10)]])
            #expect(try db.scalar("SELECT count(*) FROM series WHERE run_id BETWEEN 2 AND 7") == .integer(6 * 12))
            #expect(
                try db.scalar(
                    """
                    SELECT s.value FROM series s JOIN sweep_values a ON a.run_id = s.run_id AND a.path = 'ramp.slope[JP/DyTb]'
                    JOIN sweep_values b ON b.run_id = s.run_id AND b.path = 'ramp.offset'
                    WHERE a.value = 2 AND b.value = 0 AND s.month = '2026-12'
                    """) == .real(22))
            #expect(try db.scalar("SELECT value FROM parameters WHERE run_id = 4 AND path = 'ramp.slope[JP/DyTb]'") == .real(2))
            #expect(try db.scalar("SELECT value FROM metrics WHERE run_id = 7 AND name = 'ramp.final[JP/DyTb]'") == .real(54))
            #expect(try db.scalar("SELECT count(*) FROM metrics WHERE run_id > 1 AND run_index != 0") == .integer(0))
            // The ensemble's summary: one row per metric.
            #expect(try db.scalar("SELECT count(*) FROM metric_summaries WHERE run_id = 1") == .integer(Int64(ensemble.metrics.count)))
            #expect(
                try db.query(
                    "SELECT kind, probability, p5, p5_month FROM metric_summaries WHERE run_id = 1 AND name = 'ramp.reaches_20[JP/DyTb]'")
                    == [[.text("month"), .real(Double(slopes.filter { $0 != 0.5 }.count) / 40), .real(3), .text("2026-04")]])
        }
    }

    @Test("keep: chooses what an ensemble keeps; the summary is always there")
    func keep() throws {
        let ensemble = try EnsembleFixture.ensemble()
        try withTemporaryFolder { folder throws in
            var counts: [String: [Int64]] = [:]
            for keep in ["everything", "metrics", "bands", "summary"] {
                let path = folder + "/\(keep).db"
                try SQLiteExporter().write(.ensemble(ensemble), to: path, options: ExportOptions(keep: keep))
                let db = try SQLiteDatabase(path: path)
                counts[keep] = try ["metrics", "draws", "bands", "signals", "metric_summaries", "variations"].map {
                    try db.scalar("SELECT count(*) FROM \($0)").integer ?? -1
                }
                #expect(try db.scalar("SELECT keep FROM runs") == .text(keep))
            }
            let metrics = Int64(40 * ensemble.metrics.count), summaries = Int64(ensemble.metrics.count)
            #expect(counts["everything"] == [metrics, 40, 144, 2, summaries, 1])
            #expect(counts["metrics"] == [metrics, 40, 0, 0, summaries, 1])
            #expect(counts["bands"] == [0, 0, 144, 2, summaries, 1])
            #expect(counts["summary"] == [0, 0, 0, 0, summaries, 1])
            let size = { (name: String) in
                ((try? FileManager.default.attributesOfItem(atPath: folder + "/\(name).db")[.size] as? Int) ?? 0)
            }
            #expect(size("summary") < size("bands") && size("bands") < size("everything"))
            #expect {
                try SQLiteExporter().write(.ensemble(ensemble), to: folder + "/x.db", options: ExportOptions(keep: "sumary"))
            } throws: { error in
                "\(error)".contains("`keep:` is one of everything, metrics, bands, summary, not `sumary`; did you mean `summary`?")
            }
            #expect(!FileManager.default.fileExists(atPath: folder + "/x.db"))
        }
    }

    @Test("every table has a primary key, and the child tables are clustered on it")
    func primaryKeys() throws {
        try withTemporaryFolder { folder throws in
            let path = folder + "/keys.db"
            try SQLiteExporter().write(.run(try Fixture.run()), to: path, options: ExportOptions())
            let db = try SQLiteDatabase(path: path)
            let tables = try db.query("SELECT name, sql FROM sqlite_master WHERE type = 'table' ORDER BY name")
            #expect(tables.count == SQLiteSchema.tables.count)
            for row in tables {
                let name = row[0].text ?? "", sql = row[1].text ?? ""
                let keyed = try db.query("SELECT count(*) FROM pragma_table_info(?) WHERE pk > 0", [.text(name)])
                #expect((keyed.first?.first?.integer ?? 0) > 0, "\(name) has a primary key")
                #expect(name == "runs" || sql.hasSuffix("WITHOUT ROWID"), "\(name)")
            }
            // A duplicate row is refused, not silently stored twice.
            #expect(throws: SQLiteError.self) {
                try db.execute("INSERT INTO metrics(run_id, name, value, month, unit, run_index) SELECT run_id, name, value, month, unit, run_index FROM metrics LIMIT 1")
            }
        }
    }

    @Test("a version-2 database is rebuilt with primary keys; its seeds are copied to seed_text")
    func migrationFromVersion2() throws {
        try withTemporaryFolder { folder throws in
            let path = folder + "/v2.sqlite"
            let old = try SQLiteDatabase(path: path)
            try old.execute(
                """
                CREATE TABLE runs(
                    id INTEGER PRIMARY KEY, label TEXT, scenario TEXT NOT NULL, dataset TEXT NOT NULL,
                    start TEXT NOT NULL, "end" TEXT NOT NULL, months INTEGER NOT NULL, seed INTEGER NOT NULL,
                    modules TEXT NOT NULL, exported_at TEXT NOT NULL, kind TEXT NOT NULL DEFAULT 'run', batch INTEGER,
                    requested_runs INTEGER, completed_runs INTEGER);
                CREATE TABLE metrics(
                    run_id INTEGER NOT NULL REFERENCES runs(id), name TEXT NOT NULL, value REAL, month TEXT, unit TEXT NOT NULL,
                    run_index INTEGER);
                CREATE TABLE series(run_id INTEGER NOT NULL REFERENCES runs(id), month TEXT NOT NULL, signal TEXT NOT NULL, value REAL);
                CREATE INDEX series_by_run_signal ON series(run_id, signal, month);
                INSERT INTO runs VALUES (1, 'small', 's', 'toy', '2026-01', '2026-12', 12, 42, 'ramp', 'then', 'run', NULL, NULL, NULL);
                INSERT INTO runs VALUES (2, 'huge', 's', 'toy', '2026-01', '2026-12', 12, '18446744073709551615', 'ramp', 'then', 'run', NULL, NULL, NULL);
                INSERT INTO metrics VALUES (1, 'ramp.final[JP/DyTb]', 43, NULL, 't', NULL);
                INSERT INTO series VALUES (1, '2026-01', 'ramp.level[JP/DyTb]', 10);
                PRAGMA application_id = \(SQLiteSchema.applicationID);
                PRAGMA user_version = 2;
                """)
            // Version 2 stored that seed as a floating-point number: the bug version 3 fixes.
            #expect(try old.scalar("SELECT typeof(seed) FROM runs WHERE id = 2") == .text("real"))
            old.close()
            try SQLiteExporter().write(.run(try Fixture.run(seed: UInt64.max)), to: path, options: ExportOptions())
            let db = try SQLiteDatabase(path: path)
            #expect(try db.scalar("PRAGMA user_version") == .integer(3))
            #expect(
                try db.query("SELECT id, seed, seed_text FROM runs ORDER BY id") == [
                    [.integer(1), .integer(42), .text("42")],
                    [.integer(2), .null, .text("18446744073709551615")],  // as well as the stored double allows
                    [.integer(3), .null, .text("18446744073709551615")],
                ])
            #expect(try db.query("SELECT run_index, value FROM metrics WHERE run_id = 1") == [[.integer(0), .real(43)]])
            #expect(try db.scalar("SELECT value FROM series WHERE run_id = 1") == .real(10))
            #expect(try db.scalar("SELECT count(*) FROM sqlite_master WHERE type = 'index' AND name = 'series_by_run_signal'") == .integer(0))
        }
    }

    @Test("a version-1 database is upgraded when an ensemble is appended; a newer one is refused")
    func migration() throws {
        try withTemporaryFolder { folder throws in
            let path = folder + "/old.sqlite"
            let old = try SQLiteDatabase(path: path)
            try old.execute(
                """
                CREATE TABLE runs(
                    id INTEGER PRIMARY KEY, label TEXT, scenario TEXT NOT NULL, dataset TEXT NOT NULL,
                    start TEXT NOT NULL, "end" TEXT NOT NULL, months INTEGER NOT NULL, seed INTEGER NOT NULL,
                    modules TEXT NOT NULL, exported_at TEXT NOT NULL);
                CREATE TABLE metrics(
                    run_id INTEGER NOT NULL REFERENCES runs(id), name TEXT NOT NULL, value REAL, month TEXT, unit TEXT NOT NULL);
                INSERT INTO runs VALUES (1, 'old', 's', 'toy', '2026-01', '2026-12', 12, 1, 'ramp', 'then');
                INSERT INTO metrics VALUES (1, 'ramp.final[JP/DyTb]', 43, NULL, 't');
                PRAGMA application_id = \(SQLiteSchema.applicationID);
                PRAGMA user_version = 1;
                """)
            old.close()
            try SQLiteExporter().write(.ensemble(try EnsembleFixture.ensemble(runs: 3)), to: path, options: ExportOptions())
            let db = try SQLiteDatabase(path: path)
            #expect(try db.scalar("PRAGMA user_version") == .integer(3))
            #expect(try db.query("SELECT id, kind, label, seed_text FROM runs ORDER BY id") == [
                [.integer(1), .text("run"), .text("old"), .text("1")], [.integer(2), .text("ensemble"), .null, .text("11")],
            ])
            #expect(try db.query("SELECT run_index FROM metrics WHERE run_id = 1") == [[.integer(0)]])
            #expect(try db.scalar("SELECT max(run_index) FROM metrics WHERE run_id = 2") == .integer(2))

            try db.execute("PRAGMA user_version = 9")
            db.close()
            #expect {
                try SQLiteExporter().write(.run(try Fixture.run()), to: path, options: ExportOptions())
            } throws: { error in
                guard case .writeFailed(_, let reason) = error as? ExportError else { return false }
                return reason.contains("newer Lodestone (schema 9")
            }
            #expect(try SQLiteDatabase(path: path).scalar("SELECT count(*) FROM runs") == .integer(2))
        }
    }

    @Test("an unknown band signal fails before anything is written")
    func badSignal() throws {
        let ensemble = try EnsembleFixture.ensemble(runs: 3)
        try withTemporaryFolder { folder throws in
            #expect(throws: LookupError.self) {
                try SQLiteExporter().write(
                    .ensemble(ensemble), to: folder + "/x.db", options: ExportOptions(signals: ["ramp.lvl"]))
            }
            #expect(try contents(of: folder) == [])
        }
    }
}
