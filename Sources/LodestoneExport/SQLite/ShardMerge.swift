import Foundation
import LodestoneKernel

/// Merges the SQLite exports of the shards of one script (`lodestone --shard i/n`) into the
/// database the script writes unsharded (`lodestone merge a.sqlite b.sqlite … -o all.sqlite`).
///
/// Every file must hold only sharded rows (table `shards`), one shard per file, and together the
/// shards 1…n of one count, each once; the rows of one computation (`shards.part`) must agree on
/// everything but their runs: script, dataset and its hash, seed, scenario, months, modules,
/// Lodestone version, size, `keep`. An ensemble's per-run `metrics` and `draws` are put together
/// (each shard's run indices must be exactly its share), its `metric_summaries` computed again
/// from them in run order and its `bands` from every run's `band_values` fed to the accumulators
/// in run order: the same computations, on the same numbers in the same order, as the unsharded
/// export, so the merged rows are the unsharded rows bit for bit. A sweep's points are put back in
/// grid order. The output is built under a temporary name and moved into place when complete.
public enum ShardMerge {
    /// What a merge wrote: one line per computation (`ensemble "incident": 1000 runs from 4 shards`).
    public struct Report: Sendable {
        /// One line per merged computation.
        public var lines: [String]
    }

    /// A failure, with a message naming the file and what was expected.
    public struct Failure: Error, Sendable, CustomStringConvertible {
        /// What is wrong.
        public var message: String
        /// The message.
        public var description: String { message }
        init(_ message: String) { self.message = message }
    }

    /// The `runs` columns that must agree between the shards of one computation.
    static let agreeing = [
        "scenario", "dataset", "start", "\"end\"", "months", "seed_text", "modules", "kind", "requested_runs",
        "lodestone_version", "dataset_hash", "script_hash", "keep",
    ]
    /// Child tables of an ensemble that every shard has in full (copied from the first, checked equal).
    static let sharedTables = ["signals", "parameters", "events", "sources", "variations", "designs"]
    /// Child tables of a sweep point, copied with the point.
    static let pointTables = ["signals", "series", "metrics", "parameters", "events", "sources", "sweep_values"]

    /// One sharded row of an input.
    struct Row {
        let file: Int
        let id: Int64
        let shard: Int
        let count: Int
        let part: Int
        let position: Int?
        let total: Int
        let kind: String
    }

    /// Merges `inputs` into a new database at `output` (an existing file is an error unless
    /// `overwrite`).
    public static func merge(_ inputs: [String], into output: String, overwrite: Bool = false) throws -> Report {
        guard inputs.count >= 1 else { throw Failure("give the shards' files, e.g. `lodestone merge e.shard-*-of-4.sqlite -o e.sqlite`") }
        for (n, file) in inputs.enumerated() where inputs[..<n].contains(file) {
            throw Failure("\(file) is given twice")
        }
        let target: String
        do { target = try AtomicFile.checkDestination(output, overwrite: overwrite) } catch {
            throw Failure(error.isExists ? "\(output) exists; pass --overwrite to replace it" : error.description)
        }
        if inputs.contains(where: { AtomicFile.resolve($0) == target }) {
            throw Failure("\(output) is one of the inputs; write the merged file under another name")
        }
        let temporary = AtomicFile.temporaryPath(for: target)
        do {
            let database = try SQLiteDatabase(path: temporary)
            let report: Report
            do {
                report = try build(database, inputs: inputs)
            } catch {
                database.close()
                throw error
            }
            database.close()
            do { try AtomicFile.commit(temporary, to: target, overwrite: overwrite, reportedAs: output) } catch {
                throw Failure(error.description)
            }
            return report
        } catch {
            unlink(temporary)
            unlink(temporary + "-journal")
            if let error = error as? SQLiteError { throw Failure("SQLite: \(error); nothing was written") }
            throw error
        }
    }

    private static func build(_ database: SQLiteDatabase, inputs: [String]) throws -> Report {
        try database.execute(SQLiteSchema.create)
        try database.execute("PRAGMA application_id = \(SQLiteSchema.applicationID)")
        try database.execute("PRAGMA user_version = \(SQLiteSchema.version)")
        var rows: [Row] = []
        for (n, file) in inputs.enumerated() {
            rows += try attach(database, file, as: n)
        }
        let count = rows[0].count
        var shardOfFile: [Int: Int] = [:]
        for row in rows {
            guard row.count == count else {
                throw Failure(
                    "\(inputs[row.file]) is a shard of \(row.count), \(inputs[rows[0].file]) of \(count): merge the shards of one split")
            }
            if let other = shardOfFile[row.file], other != row.shard {
                throw Failure("\(inputs[row.file]) holds shards \(other)/\(count) and \(row.shard)/\(count); each file must be one shard's export")
            }
            shardOfFile[row.file] = row.shard
        }
        var fileOfShard: [Int: Int] = [:]
        for (file, shard) in shardOfFile.sorted(by: { $0.key < $1.key }) {
            if let other = fileOfShard[shard] {
                throw Failure("\(inputs[other]) and \(inputs[file]) are both shard \(shard)/\(count); give each shard once")
            }
            fileOfShard[shard] = file
        }
        let missing = (1...count).filter { fileOfShard[$0] == nil }
        guard missing.isEmpty else {
            let names = missing.prefix(8).map { "\($0)/\(count)" }.joined(separator: ", ") + (missing.count > 8 ? ", …" : "")
            throw Failure(
                "shard\(missing.count == 1 ? "" : "s") \(names) \(missing.count == 1 ? "is" : "are") missing: give every shard's file (\(inputs.count) given, \(count) needed)")
        }
        try database.execute("INSERT OR IGNORE INTO scripts SELECT * FROM s0.scripts")
        for n in 1..<max(1, inputs.count) { try database.execute("INSERT OR IGNORE INTO scripts SELECT * FROM s\(n).scripts") }
        var lines: [String] = []
        var nextID: Int64 = 1
        let parts = Set(rows.map(\.part)).sorted()
        for part in parts {
            let members = rows.filter { $0.part == part }
            let kinds = Set(members.map(\.kind))
            guard kinds.count == 1, let kind = kinds.first else {
                throw Failure("computation \(part + 1) of the script is an ensemble in one shard and a sweep in another: were the shards run from one script?")
            }
            try checkAgreement(database, members, inputs: inputs)
            if kind == "ensemble" {
                lines.append(try mergeEnsemble(database, members, id: nextID, inputs: inputs, shardCount: count))
                nextID += 1
            } else {
                let (line, used) = try mergeSweep(database, members, firstID: nextID, inputs: inputs)
                lines.append(line)
                nextID += used
            }
        }
        try database.execute("PRAGMA user_version = \(SQLiteSchema.version)")
        return Report(lines: lines)
    }

    /// Attaches `file` as `s<n>` and reads its `runs` rows with their shards; a file that is not a
    /// Lodestone database, or holds a row that is not a shard's, is an error.
    private static func attach(_ database: SQLiteDatabase, _ file: String, as n: Int) throws -> [Row] {
        let path = AtomicFile.resolve(file)
        switch FilePaths.kind(of: path) {
        case .file: break
        case .missing: throw Failure("\(file) does not exist")
        default: throw Failure("\(file) is not a file")
        }
        let alias = "s\(n)"
        do {
            _ = try database.query("ATTACH DATABASE ? AS \(alias)", [.text(path)])
            let application = try database.scalar("PRAGMA \(alias).application_id").integer ?? 0
            guard application == SQLiteSchema.applicationID else {
                throw Failure("\(file) is not a database Lodestone wrote")
            }
            let hasShards = try database.scalar(
                "SELECT count(*) FROM \(alias).sqlite_master WHERE type = 'table' AND name = 'shards'")
            guard hasShards.integer == 1 else { throw Failure("\(file) holds no shards: it was not written by `lodestone --shard i/n`") }
            let found = try database.query(
                """
                SELECT r.id, s.shard, s.shard_count, s.part, s.position, s.total, r.kind, r.label
                FROM \(alias).runs r LEFT JOIN \(alias).shards s ON s.run_id = r.id ORDER BY r.id
                """)
            guard !found.isEmpty else { throw Failure("\(file) holds no runs") }
            return try found.map { row in
                guard let shard = row[1].integer, let count = row[2].integer, let part = row[3].integer, let total = row[5].integer else {
                    let what = row[7].text.map { "`\($0)`" } ?? "of kind \(row[6].text ?? "?")"
                    throw Failure(
                        "\(file): row \(row[0].integer ?? 0) (\(what)) is not part of a shard; merge combines the exports of sharded ensembles and sweeps only (export other values to another file)")
                }
                return Row(
                    file: n, id: row[0].integer ?? 0, shard: Int(shard), count: Int(count), part: Int(part),
                    position: row[4].integer.map { Int($0) }, total: Int(total), kind: row[6].text ?? "")
            }
        } catch let error as SQLiteError where error.isNotADatabase {
            throw Failure("\(file) is not an SQLite database")
        }
    }

    /// Checks that the rows of one computation agree on the provenance columns.
    private static func checkAgreement(_ database: SQLiteDatabase, _ members: [Row], inputs: [String]) throws {
        let columns = agreeing.joined(separator: ", ")
        var first: (row: Row, values: [SQLiteValue])?
        for row in members {
            let values = try database.query("SELECT \(columns) FROM s\(row.file).runs WHERE id = ?", [.integer(row.id)])[0]
            guard let reference = first else {
                first = (row, values)
                continue
            }
            guard row.total == reference.row.total else {
                throw Failure("\(inputs[row.file]) and \(inputs[reference.row.file]) split different computations (\(row.total) and \(reference.row.total) runs or points)")
            }
            for (j, name) in agreeing.enumerated() where values[j] != reference.values[j] {
                if row.kind == "sweep", name == "requested_runs" { continue }
                throw Failure(
                    "\(inputs[row.file]) and \(inputs[reference.row.file]) differ in \(name.replacingOccurrences(of: "\"", with: "")) "
                        + "(\(values[j].description) and \(reference.values[j].description)): shards must come from the same script, "
                        + "dataset, seed and Lodestone version")
            }
        }
    }

    /// The columns of `table` in the output database.
    private static func columns(_ database: SQLiteDatabase, _ table: String) throws -> [String] {
        try database.query("SELECT name FROM pragma_table_info(?)", [.text(table)]).compactMap { $0[0].text }
    }

    /// Copies `table`'s rows of run `from` in input `file` as rows of run `to`.
    private static func copy(_ database: SQLiteDatabase, _ table: String, file: Int, from: Int64, to: Int64) throws {
        let names = try columns(database, table).map { "\"\($0)\"" }
        let select = names.map { $0 == "\"run_id\"" ? "\(to)" : $0 }.joined(separator: ", ")
        try database.execute(
            "INSERT INTO \(table)(\(names.joined(separator: ", "))) SELECT \(select) FROM s\(file).\(table) WHERE run_id = \(from)")
    }

    /// Copies `runs` row `from` of input `file` as row `to`, exported now, with the columns of
    /// `setting` given those SQL values instead.
    private static func copyRun(
        _ database: SQLiteDatabase, file: Int, from: Int64, to: Int64, setting: [String: String]
    ) throws {
        let names = try columns(database, "runs")
        let select = names.map { name -> String in
            if name == "id" { return "\(to)" }
            if name == "exported_at" { return "?" }
            return setting[name] ?? "\"\(name)\""
        }.joined(separator: ", ")
        _ = try database.query(
            "INSERT INTO runs(\(names.map { "\"\($0)\"" }.joined(separator: ", "))) SELECT \(select) FROM s\(file).runs WHERE id = ?",
            [.text(ExportProvenance.now()), .integer(from)])
    }

    /// The rows of `table` for run `id` of `file`, without `run_id`, in key order.
    private static func rows(_ database: SQLiteDatabase, _ table: String, file: Int, id: Int64) throws -> [[SQLiteValue]] {
        let names = try columns(database, table).filter { $0 != "run_id" }.map { "\"\($0)\"" }.joined(separator: ", ")
        return try database.query("SELECT \(names) FROM s\(file).\(table) WHERE run_id = ? ORDER BY \(names)", [.integer(id)])
    }

    private static func mergeEnsemble(
        _ database: SQLiteDatabase, _ members: [Row], id: Int64, inputs: [String], shardCount: Int
    ) throws -> String {
        let first = members.min { $0.shard < $1.shard }!
        let total = first.total
        guard members.count == shardCount else {
            let present = Set(members.map(\.shard))
            let absent = (1...shardCount).filter { !present.contains($0) }.map { "\($0)/\(shardCount)" }.joined(separator: ", ")
            throw Failure("an ensemble of \(total) runs lacks shard \(absent) (or a shard holds it twice): each shard's file must hold it once")
        }
        let header = try database.query(
            "SELECT keep, scenario, start, months, seed_text FROM s\(first.file).runs WHERE id = ?", [.integer(first.id)])[0]
        let keep = header[0].text ?? "everything"
        guard keep == "everything" || keep == "metrics" else {
            throw Failure(
                "\(inputs[first.file]) kept only the summary of its shard (keep: \"\(keep)\"), which cannot be merged; export the shards with keep: \"everything\" or \"metrics\"")
        }
        guard let start = Month(header[2].text ?? ""), let months = header[3].integer.map({ Int($0) }) else {
            throw Failure("\(inputs[first.file]): row \(first.id) has no valid start month")
        }
        // Each shard's runs must be exactly its share of 0..<total.
        for row in members {
            let shard = try Shard(row.shard, of: shardCount)
            let expected = shard.runIndices(of: total)
            let indices = try database.query(
                "SELECT DISTINCT run_index FROM s\(row.file).metrics WHERE run_id = ? ORDER BY run_index", [.integer(row.id)]
            ).map { Int($0[0].integer ?? -1) }
            guard indices == expected else {
                throw Failure(
                    "\(inputs[row.file]) (shard \(shard)) holds \(indices.count) runs of the ensemble, not its \(expected.count) "
                        + "(runs \(shard.index - 1), \(shard.index - 1 + shard.count), … of \(total)): was it cancelled, or exported from another shard?")
            }
        }
        for table in sharedTables {
            let reference = try rows(database, table, file: first.file, id: first.id)
            for row in members where row.file != first.file {
                guard try rows(database, table, file: row.file, id: row.id) == reference else {
                    throw Failure("\(inputs[row.file]) and \(inputs[first.file]) differ in their \(table): shards must run the same model and scenario")
                }
            }
        }
        try copyRun(database, file: first.file, from: first.id, to: id, setting: ["completed_runs": "\(total)", "batch": "NULL"])
        for table in sharedTables { try copy(database, table, file: first.file, from: first.id, to: id) }
        for row in members {
            try copy(database, "metrics", file: row.file, from: row.id, to: id)
            try copy(database, "draws", file: row.file, from: row.id, to: id)
        }
        // The summary, computed again from every run in run order.
        let summaries = try database.query(
            "SELECT name, kind, unit FROM s\(first.file).metric_summaries WHERE run_id = ? ORDER BY name", [.integer(first.id)])
        let insertSummary = try database.prepare(
            "INSERT INTO metric_summaries(run_id, name, kind, unit, probability, mean, p5, p50, p95, mean_month, "
                + "p5_month, p50_month, p95_month) VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?)")
        for summary in summaries {
            let name = summary[0].text ?? ""
            let samples = try database.query(
                "SELECT value FROM metrics WHERE run_id = ? AND name = ? ORDER BY run_index", [.integer(id), .text(name)]
            ).map { $0[0].double ?? .nan }
            let merged = EnsembleFacts.summary(
                id: name, unit: summary[2].text ?? "", doc: "", isMonth: summary[1].text == "month", samples: samples, start: start)
            try insertSummary.run([.integer(id)] + SQLiteWriter.summaryColumns(merged, start: start))
        }
        // The bands, from every run's band values fed to the accumulators in run order.
        var bandCount = 0
        if keep == "everything" {
            let signals = try database.query("SELECT signal FROM signals WHERE run_id = ? ORDER BY signal", [.integer(id)]).compactMap { $0[0].text }
            let insertBand = try database.prepare("INSERT INTO bands(run_id, month, signal, quantile, value) VALUES (?,?,?,?,?)")
            for signal in signals {
                var values: [[(index: Int64, value: Double)]] = Array(repeating: [], count: months)
                for row in members {
                    for value in try database.query(
                        "SELECT month, run_index, value FROM s\(row.file).band_values WHERE run_id = ? AND signal = ?",
                        [.integer(row.id), .text(signal)])
                    {
                        guard let month = Month(value[0].text ?? ""), month - start >= 0, month - start < months else { continue }
                        values[month - start].append((value[1].integer ?? 0, value[2].double ?? .nan))
                    }
                }
                guard values.allSatisfy({ $0.count == total }) else {
                    throw Failure("the shards hold the band values of `\(signal)` for only some runs; export them with keep: \"everything\"")
                }
                let accumulators = values.map { month -> QuantileAccumulator in
                    var accumulator = QuantileAccumulator()
                    for entry in month.sorted(by: { $0.index < $1.index }) { accumulator.add(entry.value) }
                    return accumulator
                }
                for series in EnsembleFacts.bandSeries(accumulators) {
                    for (t, value) in series.values.enumerated() {
                        try insertBand.run([.integer(id), .text((start + t).description), .text(signal), .text(series.name), .number(value)])
                    }
                }
                bandCount += 1
            }
        }
        let scenario = header[1].text ?? ""
        return "ensemble \"\(scenario)\": \(total) runs from \(members.count) shards, seed \(header[4].text ?? "?")"
            + (bandCount > 0 ? ", bands of \(bandCount) signal\(bandCount == 1 ? "" : "s") recomputed" : "")
    }

    private static func mergeSweep(
        _ database: SQLiteDatabase, _ members: [Row], firstID: Int64, inputs: [String]
    ) throws -> (String, Int64) {
        let total = members[0].total
        let ordered = members.sorted { ($0.position ?? -1) < ($1.position ?? -1) }
        let positions = ordered.map { $0.position ?? -1 }
        guard positions == Array(0..<total) else {
            let have = Set(positions)
            let missing = (0..<total).filter { !have.contains($0) }
            if missing.isEmpty { throw Failure("a sweep point appears in two shards' files; give each shard once") }
            throw Failure(
                "a sweep of \(total) points lacks point\(missing.count == 1 ? "" : "s") \(missing.prefix(8).map(String.init).joined(separator: ", ")): give every shard's file")
        }
        let batch = total > 1 ? "\(firstID)" : "NULL"
        for (n, row) in ordered.enumerated() {
            let id = firstID + Int64(n)
            try copyRun(database, file: row.file, from: row.id, to: id, setting: ["batch": batch])
            for table in pointTables { try copy(database, table, file: row.file, from: row.id, to: id) }
        }
        let shards = Set(members.map(\.shard)).count
        return ("sweep: \(total) points from \(shards) shard\(shards == 1 ? "" : "s")", Int64(total))
    }
}

extension ExportError {
    /// Whether this is ``exists(_:)``.
    var isExists: Bool { if case .exists = self { true } else { false } }
}
