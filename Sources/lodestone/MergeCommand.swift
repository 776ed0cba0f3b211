import ArgumentParser
import LodestoneExport

/// `lodestone merge A.sqlite B.sqlite … -o ALL.sqlite`: combines the SQLite exports of the shards
/// of one script (`--shard i/n`) into the database the script writes unsharded.
struct MergeCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "merge",
        abstract: "Combine the SQLite exports of a script's shards (--shard i/n) into the database one process writes.",
        discussion: """
            Checks that the files come from the same script, dataset, seed and Lodestone version, \
            and that the shards are complete and disjoint; recomputes the summaries and bands from \
            every run, in run order, so they are identical to the unsharded run's. Docs/Cluster.md.
            """)

    @Argument(help: ArgumentHelp("The shards' SQLite files (each shard's export).", valueName: "FILE"))
    var files: [String] = []

    @Option(name: .customShort("o"), help: ArgumentHelp("The merged database to write.", valueName: "FILE"))
    var output: String?

    @Flag(help: "Replace the output file if it exists.")
    var overwrite = false

    mutating func run() throws {
        guard !files.isEmpty else { throw ScriptFailure.usage("give the shards' files, e.g. `lodestone merge e.shard-*-of-4.sqlite -o e.sqlite`") }
        guard let output else { throw ScriptFailure.usage("say where to write the merged database with -o, e.g. `-o e.sqlite`") }
        let report: ShardMerge.Report
        do { report = try ShardMerge.merge(files, into: output, overwrite: overwrite) } catch let failure as ShardMerge.Failure {
            throw ScriptFailure.usage(failure.message)
        }
        Terminal.writeOut(report.lines.map { $0 + "\n" }.joined() + "wrote \(output)\n")
    }
}
