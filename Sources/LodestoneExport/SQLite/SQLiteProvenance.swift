import LodestoneKernel

/// Reads the provenance of each row of a Lodestone database's `runs` table.
enum SQLiteProvenance {
    static func read(_ file: String, reportedAs path: String) throws(ProvenanceError) -> [(label: String, provenance: ExportProvenance)] {
        throw ProvenanceError("\(path): reading a database's provenance is not implemented yet")
    }
}
