import ArgumentParser
import LodestoneExport

/// `lodestone provenance FILE…`: prints where exported files come from.
struct ProvenanceCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "provenance",
        abstract: "Print where exported files come from: Lodestone version, dataset and hash, script, seed, changed parameters.",
        discussion: """
            Reads what every export records: a JSON file's `provenance`, a CSV's metadata file \
            (NAME.csv-metadata.json beside it), the end of an HTML report or Markdown file, an \
            SVG's <metadata>, each row of a database's `runs` table.
            """)

    @Argument(help: ArgumentHelp("Files written by `export` or `plot(…, file:)`.", valueName: "FILE"))
    var files: [String]

    mutating func run() throws {
        guard !files.isEmpty else { throw ScriptFailure.usage("give one or more exported files, e.g. `lodestone provenance run.json`") }
        var out = ""
        for (n, file) in files.enumerated() {
            let records: [(label: String, provenance: ExportProvenance)]
            do { records = try ProvenanceReader.read(file) } catch {
                Terminal.writeOut(out)
                throw ScriptFailure.usage(error.message)
            }
            for (label, provenance) in records {
                if n > 0 || out.count > 0 { out += "\n" }
                out += label + "\n" + provenance.text.split(separator: "\n").map { "  " + $0 }.joined(separator: "\n") + "\n"
            }
        }
        Terminal.writeOut(out)
    }
}
