import Foundation
import Testing

/// Python 3 with numpy, for the independent implementation of the v1 equations.
enum ReferencePython {
    /// Whether `python3 -c "import numpy"` succeeds.
    static let isAvailable: Bool = {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = ["python3", "-c", "import numpy"]
        process.standardOutput = FileHandle.nullDevice
        process.standardError = FileHandle.nullDevice
        guard (try? process.run()) != nil else { return false }
        process.waitUntilExit()
        return process.terminationStatus == 0
    }()
}

/// `preset: "v1"` against an independent implementation of the v1 equations: the numpy program
/// `Tests/Scripts/v1_reference.py`, written from Docs/Models.md (not from the Swift), replays the
/// deterministic case `Tests/Scripts/v1-reference/case.lode` (a made-up dataset, a curb, a partial
/// curb with leakage, demand and capacity factors, an incident whose settlement hazard is 0) and
/// compares every series lodestone exports, within 1e-9 relative (issue 14, "How it is checked").
@Suite("The v1 equations against an independent numpy implementation")
struct V1ReferenceTests {
    static let folder = LodestoneProcess.packageRoot.appendingPathComponent("Tests/Scripts/v1-reference")
    static let reference = LodestoneProcess.packageRoot.appendingPathComponent("Tests/Scripts/v1_reference.py")

    /// Copies the case into a scratch folder, runs it and returns the folder (the caller removes it).
    static func runCase() throws -> URL {
        let scratch = FileManager.default.temporaryDirectory.appendingPathComponent("lodestone-v1ref-\(UUID().uuidString)")
        try FileManager.default.copyItem(at: folder, to: scratch)
        let run = try LodestoneProcess.run(["run", "case.lode"], in: scratch)
        try #require(run.status == 0, "case.lode failed:\n\(run.stderr)")
        #expect(run.stdout.contains("wrote v1-reference.csv"))
        return scratch
    }

    static func python(_ arguments: [String], in directory: URL) throws -> LodestoneProcess {
        try LodestoneProcess.run(
            ["python3", reference.path] + arguments, in: directory, executable: URL(fileURLWithPath: "/usr/bin/env"))
    }

    @Test(
        "every series of a v1 run agrees with the numpy implementation within 1e-9",
        .enabled(if: ReferencePython.isAvailable, "python3 with numpy is not installed (pip install numpy); .ci/run installs it"),
        .timeLimit(.minutes(3)))
    func agrees() throws {
        let scratch = try Self.runCase()
        defer { try? FileManager.default.removeItem(at: scratch) }
        let outcome = try Self.python(["data", "v1-reference.csv"], in: scratch)
        #expect(outcome.status == 0, "the reference disagrees:\n\(outcome.stdout)\(outcome.stderr)")
        // It compared the whole run: trade, stockpile, diplomacy and the scenario's signals.
        let count = outcome.stdout.split(separator: " ").first.flatMap { Int($0) } ?? 0
        #expect(count >= 100, "compared \(count) series: \(outcome.stdout)")
    }

    @Test(
        "the comparison fails when one exported value is off by one part in a million",
        .enabled(if: ReferencePython.isAvailable, "python3 with numpy is not installed (pip install numpy); .ci/run installs it"),
        .timeLimit(.minutes(3)))
    func detectsADifference() throws {
        let scratch = try Self.runCase()
        defer { try? FileManager.default.removeItem(at: scratch) }
        let csv = scratch.appendingPathComponent("v1-reference.csv")
        var lines = try String(contentsOf: csv, encoding: .utf8).split(separator: "\n", omittingEmptySubsequences: false)
            .map(String.init)
        // The DyTb price of the tenth month, times 1 + 1e-6.
        let index = try #require(lines.firstIndex { $0.contains(",2026-10,trade,price,DyTb,") })
        var fields = lines[index].split(separator: ",", omittingEmptySubsequences: false).map(String.init)
        let value = try #require(Double(fields[5]))
        fields[5] = String(value * (1 + 1e-6))
        lines[index] = fields.joined(separator: ",")
        try lines.joined(separator: "\n").write(to: csv, atomically: true, encoding: .utf8)
        let outcome = try Self.python(["data", "v1-reference.csv"], in: scratch)
        #expect(outcome.status == 1)
        #expect(outcome.stdout.contains("trade.price[DyTb]"), "\(outcome.stdout)")
    }
}
