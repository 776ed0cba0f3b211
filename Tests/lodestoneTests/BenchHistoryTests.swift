import Foundation
import Testing

/// `lodestone bench --json`, the committed `Benchmarks/baseline.json` and
/// `Scripts/bench-compare.py`, which compares a run against it.
@Suite("bench history: --json, baseline, comparison", .serialized)
struct BenchHistoryTests {
    static let root = LodestoneProcess.packageRoot
    static let compare = root.appendingPathComponent("Scripts/bench-compare.py")
    static let baseline = root.appendingPathComponent("Benchmarks/baseline.json")

    /// The `lines` of a bench JSON object, by name.
    static func lines(_ text: String) throws -> [String: [String: Any]] {
        let object = try #require(try JSONSerialization.jsonObject(with: Data(text.utf8)) as? [String: Any])
        let lines = try #require(object["lines"] as? [[String: Any]])
        var byName: [String: [String: Any]] = [:]
        for line in lines { byName[try #require(line["name"] as? String)] = line }
        #expect(byName.count == lines.count, "line names are unique")
        return byName
    }

    /// Writes a bench object with the given (name, value, better, tracked) lines to a temporary file.
    static func write(_ lines: [(String, Double, String, Bool)], load: Double = 0.5) throws -> URL {
        let items = lines.map {
            "{\"name\": \"\($0.0)\", \"value\": \($0.1), \"unit\": \"s\", \"better\": \"\($0.2)\", \"tracked\": \($0.3)}"
        }
        let text = """
            {"lodestone": "0.1.0", "build": "release", "cores": 2, "runs": 10000, "months": 120,
             "load_average_1min": {"start": \(load), "end": \(load)}, "lines": [\(items.joined(separator: ", "))]}
            """
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("bench-\(UUID().uuidString).json")
        try text.write(to: url, atomically: true, encoding: .utf8)
        return url
    }

    static func runCompare(_ arguments: [String]) throws -> LodestoneProcess {
        try LodestoneProcess.run(
            ["python3", compare.path] + arguments, in: root, executable: URL(fileURLWithPath: "/usr/bin/env"))
    }

    @Test("bench --json writes one object whose line names are those of the committed baseline")
    func jsonOutput() throws {
        let bench = try LodestoneProcess.run(
            ["bench", "--json", "--runs", "40", "--months", "3", "--threads", "1", "--skip-startup", "--serial-repeats", "2"],
            in: Self.root)
        #expect(bench.status == 0, "\(bench.stderr)")
        let object = try #require(try JSONSerialization.jsonObject(with: Data(bench.stdout.utf8)) as? [String: Any])
        #expect(object["runs"] as? Int == 40)
        #expect(object["months"] as? Int == 3)
        let load = try #require(object["load_average_1min"] as? [String: Any])
        #expect((load["start"] as? Double ?? -1) >= 0)
        let lines = try Self.lines(bench.stdout)
        var expected: Set<String> = [
            "single run", "monte carlo, 1 thread", "monte carlo throughput, 1 thread", "serial fraction",
            "market v1 single run", "market v1 monte carlo", "market defaults / v1 monte carlo",
            "market v1 monte carlo throughput, 2 threads", "script runs", "script montecarlo",
            "script montecarlo, 1 thread", "script runs, processor time", "script montecarlo, processor time",
            "script runs / montecarlo", "script runs / montecarlo, processor time", "sweep", "peak memory",
        ]
        // Counted only where the processor's instruction counter can be read (not in most VMs).
        if lines["market v1 instructions per run-month"] != nil { expected.insert("market v1 instructions per run-month") }
        #expect(Set(lines.keys) == expected)
        let fraction = try #require(lines["serial fraction"]?["value"] as? Double)
        #expect(fraction > 0 && fraction < 100)
        #expect(lines["serial fraction"]?["tracked"] as? Bool == false)
        #expect(lines["monte carlo throughput, 1 thread"]?["better"] as? String == "higher")
        #expect((lines["single run"]?["value"] as? Double ?? 0) > 0)
        // The committed baseline has every line a run on one thread has (and the 2-thread ones).
        let baseline = try Self.lines(String(contentsOf: Self.baseline, encoding: .utf8))
        #expect(
            Set(lines.keys).subtracting(["market v1 instructions per run-month"]).isSubset(of: Set(baseline.keys)),
            "\(Set(lines.keys).subtracting(baseline.keys))")
        #expect(baseline["startup"] != nil)
    }

    @Test("the comparison gives each line's slowdown ratio and flags only tracked lines more than 10 % worse")
    func comparison() throws {
        let base = try Self.write([
            ("ensemble", 0.40, "lower", true), ("throughput", 3.0, "higher", true), ("steady", 2.0, "lower", true),
            ("noise", 0.1, "lower", false), ("gone", 1.0, "lower", true),
        ])
        let new = try Self.write([
            ("ensemble", 0.46, "lower", true), ("throughput", 2.5, "higher", true), ("steady", 2.1, "lower", true),
            ("noise", 0.3, "lower", false), ("added", 5.0, "lower", true),
        ])
        defer {
            try? FileManager.default.removeItem(at: base)
            try? FileManager.default.removeItem(at: new)
        }
        let outcome = try Self.runCompare([base.path, new.path])
        #expect(outcome.status == 1, "\(outcome.stderr)")
        let rows = outcome.stdoutLines
        func row(_ name: String) -> String? { rows.first { $0.hasPrefix(name + " ") } }
        // 0.46 / 0.40 = 1.15; 3.0 / 2.5 = 1.20 (a throughput: lower is worse); 2.1 / 2.0 = 1.05.
        #expect(row("ensemble")?.contains(" 1.15  s  SLOWER") == true, "\(rows)")
        #expect(row("throughput")?.contains(" 1.20  s  SLOWER") == true, "\(rows)")
        #expect(row("steady")?.hasSuffix(" 1.05  s") == true, "\(rows)")
        #expect(row("noise")?.hasSuffix(" 3.00  s  (untracked)") == true, "\(rows)")
        #expect(row("gone")?.hasSuffix("(not in the new run)") == true)
        #expect(row("added")?.hasSuffix("(not in the baseline)") == true)
        #expect(rows.contains("2 measurements more than 10 % slower: ensemble, throughput"))
        // A looser threshold passes the same run.
        let loose = try Self.runCompare(["--threshold", "0.25", base.path, new.path])
        #expect(loose.status == 0)
        #expect(loose.stdoutLines.contains("no measurement more than 25 % slower"))
    }

    @Test("the committed baseline compares with itself at ratio 1, and bad input is refused with a message")
    func baselineAndBadInput() throws {
        let same = try Self.runCompare([Self.baseline.path, Self.baseline.path])
        #expect(same.status == 0, "\(same.stderr)")
        let lines = try Self.lines(String(contentsOf: Self.baseline, encoding: .utf8))
        for name in lines.keys {
            #expect(same.stdoutLines.contains { $0.hasPrefix(name + " ") && $0.contains("  1.00  ") }, "\(name)")
        }
        let notJSON = FileManager.default.temporaryDirectory.appendingPathComponent("bench-\(UUID().uuidString).json")
        try "single run 0.066 ms\n".write(to: notJSON, atomically: true, encoding: .utf8)
        defer { try? FileManager.default.removeItem(at: notJSON) }
        let bad = try Self.runCompare([Self.baseline.path, notJSON.path])
        #expect(bad.status == 2)
        #expect(bad.stderr.contains("\(notJSON.path):1:1: not JSON"), "\(bad.stderr)")
        #expect(bad.stderr.contains("expected `lodestone bench --json` output"))
    }
}
