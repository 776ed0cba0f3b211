import LodestoneKernel

/// Reads the provenance of each row of a Lodestone database's `runs` table (schema 3 or later).
enum SQLiteProvenance {
    static func read(_ file: String, reportedAs path: String) throws(ProvenanceError) -> [(label: String, provenance: ExportProvenance)] {
        do {
            let database = try SQLiteDatabase(path: file)
            defer { database.close() }
            guard try database.scalar("PRAGMA application_id").integer == SQLiteSchema.applicationID else {
                throw ProvenanceError("\(path) is an SQLite database that Lodestone did not write, so it holds no provenance")
            }
            let version = try database.scalar("PRAGMA user_version").integer ?? 0
            guard version >= 3 else {
                throw ProvenanceError(
                    "\(path) is a Lodestone database of schema \(version), written before exports recorded their "
                        + "provenance; append to it with this Lodestone and the new rows will have it")
            }
            let rows = try database.query(
                """
                SELECT r.id, r.kind, r.label, r.lodestone_version, r.dataset, r.dataset_hash, r.seed_text, r.exported_at,
                       s.name, r.script_hash, s.text
                FROM runs r LEFT JOIN scripts s ON s.hash = r.script_hash ORDER BY r.id
                """)
            return try rows.map { row throws(SQLiteError) in
                let changes = try database.query(
                    "SELECT path, value, default_value, unit FROM parameters WHERE run_id = ? AND value IS NOT default_value ORDER BY path",
                    [row[0]])
                let script: ExportProvenance.ScriptRecord? =
                    if case .text(let hash) = row[9] {
                        ExportProvenance.ScriptRecord(name: row[8].text ?? "unknown", hash: hash, text: row[10].text)
                    } else { nil }
                let provenance = ExportProvenance(
                    lodestoneVersion: row[3].text ?? "unknown (upgraded from an older schema)", kind: row[1].text ?? "run",
                    datasets: [.init(name: row[4].text ?? "", hash: row[5].text ?? "unknown")], script: script,
                    seeds: row[6].text.map { [$0] } ?? [],
                    parameters: changes.map {
                        .init(run: nil, path: $0[0].text ?? "", value: $0[1].double ?? .nan, defaultValue: $0[2].double ?? .nan, unit: $0[3].text ?? "")
                    },
                    created: row[7].text ?? "")
                let label = row[2].text.map { " “\($0)”" } ?? ""
                return ("\(path): run \(row[0].integer ?? 0) (\(row[1].text ?? "run"))\(label)", provenance)
            }
        } catch let error as ProvenanceError {
            throw error
        } catch {
            throw ProvenanceError("cannot read the database \(path): \(error)")
        }
    }
}
