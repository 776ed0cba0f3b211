import Foundation
import Testing

/// `lodestone provenance` on every file a run and an ensemble export to (issue 18's check).
@Suite("lodestone provenance on every export format")
struct ProvenanceCLITests {
    /// The formats, by the file name the script writes (`records` has no extension of its own).
    static let files = ["csv", "json", "records.json", "md", "svg", "html"]

    static let script = """
        let m = model(trade, stockpile)
        let s = scenario("curb")
        s.restrict(from: "CN", to: "JP", commodity: "Dy", start: 2026-02, months: 6)
        let r = run(m, s, seed: "18446744073709551615", months: 12)
        let e = montecarlo(m, s, runs: 20, seed: 5, months: 12, vary: {"stockpile.cover_days[JP]": uniform(30, 90)})
        fn write(value, name) {
        \(files.map { "  export(value, name + \".\($0)\"\($0 == "records.json" ? ", format: \"records\"" : ""))" }.joined(separator: "\n"))
          export(value, "study.db")
        }
        write(r, "run")
        write(e, "ensemble")
        """

    @Test("each file of a run and an ensemble, and each run of the database, names the version and the dataset's hash")
    func everyFormat() throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("lodestone-provenance-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        try Self.script.write(to: folder.appendingPathComponent("study.lode"), atomically: true, encoding: .utf8)
        let written = try LodestoneProcess.run(["run", "study.lode"], in: folder)
        #expect(written.status == 0, "\(written.stderr)")
        let version = try LodestoneProcess.run(["--version"], in: folder).stdout.trimmingCharacters(in: .whitespacesAndNewlines)
        #expect(!version.isEmpty)

        let names = ["run", "ensemble"].flatMap { kind in Self.files.map { "\(kind).\($0)" } } + ["study.db"]
        let printed = try LodestoneProcess.run(["provenance"] + names, in: folder)
        #expect(printed.status == 0, "\(printed.stderr)")
        // One block per file, two for the database (its run and its ensemble), blank-line separated.
        let blocks = printed.stdout.components(separatedBy: "\n\n").map { $0.split(separator: "\n").map(String.init) }
        #expect(blocks.count == names.count + 1, "\(printed.stdout)")
        var hashes = Set<String>()
        for block in blocks {
            let label = block.first ?? ""
            #expect(block.contains("  lodestone   \(version)"), "\(label): \(block)")
            let dataset = try #require(block.first { $0.hasPrefix("  dataset     ") }, "\(label): \(block)")
            // `NAME (sha256:64 hex digits)`.
            let hash = dataset.split(separator: "(").last.map { $0.dropLast() } ?? ""
            #expect(hash.hasPrefix("sha256:") && hash.count == 71 && dataset.hasSuffix(")"), "\(dataset)")
            hashes.insert(dataset)
            let kind = block.first { $0.hasPrefix("  kind        ") }
            let isEnsemble = label.contains("ensemble")
            #expect(kind == "  kind        \(isEnsemble ? "ensemble" : "run")", "\(label): \(block)")
            if !isEnsemble { #expect(block.contains("  seed        18446744073709551615"), "\(label): \(block)") }
            #expect(block.contains { $0.hasPrefix("  script      study.lode (sha256:") }, "\(label): \(block)")
        }
        #expect(hashes.count == 1, "one dataset, one hash: \(hashes)")
        for name in names.dropLast() { #expect(blocks.contains { $0.first == name }, "\(name) is named") }
    }
}
