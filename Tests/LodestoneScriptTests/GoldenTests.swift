import Foundation
import Testing

@testable import LodestoneScript

/// Runs every `Tests/Scripts/NAME.lode` and compares its standard output, standard error and exit
/// code with `NAME.out`, `NAME.err` and `NAME.exit` (a missing file means empty output, exit 0).
///
/// A first line `#! step-budget: N` lowers the step budget for that script. Set
/// `LODESTONE_UPDATE_GOLDEN=1` to rewrite the expected files from the current behaviour (then
/// review the diff).
@Suite("Golden scripts")
struct GoldenTests {
    static let directory = Harness.packageRoot.appendingPathComponent("Tests/Scripts")

    static var names: [String] {
        let files = (try? FileManager.default.contentsOfDirectory(atPath: directory.path)) ?? []
        return files.filter { $0.hasSuffix(".lode") }.sorted()
    }

    static func read(_ name: String) -> String? {
        try? String(contentsOf: directory.appendingPathComponent(name), encoding: .utf8)
    }

    @Test("the golden scripts exist")
    func thereAreScripts() {
        #expect(Self.names.count >= 30)
    }

    @Test("golden script", arguments: GoldenTests.names)
    func golden(_ name: String) throws {
        let source = try #require(Self.read(name))
        var budget: Int?
        if let first = source.split(separator: "\n").first, first.hasPrefix("#! step-budget:") {
            budget = Int(first.dropFirst("#! step-budget:".count).trimmingCharacters(in: .whitespaces))
        }
        let output = FileManager.default.temporaryDirectory.appendingPathComponent("lodestone-golden-\(name)")
        try? FileManager.default.removeItem(at: output)
        try FileManager.default.createDirectory(at: output, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: output) }
        let outcome = Harness.run(
            source, file: name, baseDirectory: Self.directory.path, outputDirectory: output.path, stepBudget: budget)
        let stem = String(name.dropLast(".lode".count))
        if ProcessInfo.processInfo.environment["LODESTONE_UPDATE_GOLDEN"] != nil {
            func write(_ text: String, _ ext: String) throws {
                let url = Self.directory.appendingPathComponent(stem + ext)
                if text.isEmpty { try? FileManager.default.removeItem(at: url) } else { try text.write(to: url, atomically: true, encoding: .utf8) }
            }
            try write(outcome.stdout, ".out")
            try write(outcome.stderr, ".err")
            try write(outcome.exitCode == 0 ? "" : "\(outcome.exitCode)\n", ".exit")
            return
        }
        let expectedExit = Int32((Self.read(stem + ".exit") ?? "0").trimmingCharacters(in: .whitespacesAndNewlines)) ?? 0
        #expect(outcome.stdout == (Self.read(stem + ".out") ?? ""), "stdout of \(name)")
        #expect(outcome.stderr == (Self.read(stem + ".err") ?? ""), "stderr of \(name)")
        #expect(outcome.exitCode == expectedExit, "exit code of \(name)")
    }
}
