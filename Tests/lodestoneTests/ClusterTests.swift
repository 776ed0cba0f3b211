import Foundation
import Testing

/// Ensembles on a cluster (Docs/Cluster.md): four shards run as separate `lodestone` processes and
/// merged give the file and the summary of one process, byte for byte; the manifests in
/// Examples/cluster/ say what the page says and run locally; bad shards and merges are refused
/// with messages that say what was expected.
@Suite("cluster", .serialized)
struct ClusterTests {
    static let example = "Examples/cluster/ensemble.lode"
    /// Fixed export times, so that whole databases can be compared.
    static let environment = ["SOURCE_DATE_EPOCH": "1700000000"]

    /// A scratch folder with `Examples` linked in.
    static func sandbox() throws -> URL {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("lodestone-cluster-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        try FileManager.default.createSymbolicLink(
            at: folder.appendingPathComponent("Examples"), withDestinationURL: LodestoneProcess.packageRoot.appendingPathComponent("Examples"))
        return folder
    }

    /// Runs `lodestone ARGUMENTS` and expects exit 0.
    @discardableResult
    static func lodestone(_ arguments: [String], in folder: URL) throws -> String {
        let outcome = try LodestoneProcess.run(arguments, in: folder, environment: environment)
        #expect(outcome.status == 0, "lodestone \(arguments.joined(separator: " ")) exited \(outcome.status): \(outcome.stderr)")
        return outcome.stdout
    }

    /// Every row of every table of a database, as SQL text (Python's `sqlite3` iterdump), or nil
    /// without python3.
    static func dump(_ file: URL) throws -> String? {
        let python = URL(fileURLWithPath: "/usr/bin/env")
        let code = "import sqlite3, sys\nfor line in sqlite3.connect(sys.argv[1]).iterdump(): print(line)"
        let outcome = try LodestoneProcess.run(["python3", "-c", code, file.path], in: file.deletingLastPathComponent(), executable: python)
        return outcome.status == 0 ? outcome.stdout : nil
    }

    static var shardFiles: [String] { (1...4).map { "ensemble.shard-\($0)-of-4.sqlite" } }

    /// Merges the four shards' files in `folder` and checks the result against `ensemble.sqlite`
    /// (written there by one process): the same summary, byte for byte, and the same rows.
    static func checkMerged(in folder: URL) throws {
        let merged = try lodestone(["merge"] + shardFiles + ["-o", "merged.sqlite"], in: folder)
        #expect(merged.contains("ensemble \"incident\": 3000 runs from 4 shards, seed 7, bands of 1 signal recomputed"))
        #expect(merged.contains("ensemble \"one-year curb\": 256 runs from 4 shards, seed 1"))
        #expect(merged.contains("sweep: 7 points from 4 shards"))
        let one = try lodestone(["summary", "ensemble.sqlite"], in: folder)
        let all = try lodestone(["summary", "merged.sqlite"], in: folder)
        #expect(one == all)
        // The summary is not trivially equal: it has the runs, the bands and the indices.
        #expect(one.contains("ensemble \"incident\": 3000 of 3000 runs, 2026-01…2026-12, seed 7, keep everything"))
        #expect(one.contains("stockpile.days_of_cover[JP/DyTb]  p95"))
        #expect(one.contains("sensitivity (sobol, 64 samples) of stockpile.exhausted_at[JP/DyTb]"))
        // Each shard's own summary differs from the whole.
        let shard = try lodestone(["summary", shardFiles[0]], in: folder)
        #expect(shard.contains("750 of 3000 runs") && shard.contains("shard 1/4") && shard != one)
        if let a = try dump(folder.appendingPathComponent("ensemble.sqlite")), let b = try dump(folder.appendingPathComponent("merged.sqlite")) {
            #expect(a.count > 1_000_000)
            #expect(a == b, "the merged database holds the rows of the one-process database")
        } else {
            Issue.record("python3 with sqlite3 is needed to compare the databases row for row")
        }
    }

    @Test("four shards in four processes, merged, give the one-process database and summary byte for byte")
    func fourProcesses() throws {
        let folder = try Self.sandbox()
        defer { try? FileManager.default.removeItem(at: folder) }
        // The four shards at once, as a cluster would run them, on the same folder.
        let failures = Failures()
        DispatchQueue.concurrentPerform(iterations: 4) { n in
            do {
                let outcome = try LodestoneProcess.run(
                    ["run", Self.example, "--shard", "\(n + 1)/4", "--threads", "1"], in: folder, environment: Self.environment)
                if outcome.status != 0 { failures.add("shard \(n + 1)/4 exited \(outcome.status): \(outcome.stderr)") }
            } catch { failures.add("shard \(n + 1)/4: \(error)") }
        }
        #expect(failures.messages.isEmpty, "\(failures.messages)")
        try Self.lodestone(["run", Self.example], in: folder)
        try Self.checkMerged(in: folder)
    }

    @Test("the Slurm script and the Kubernetes Job run their shards locally, with the page's numbers")
    func manifestsRunLocally() throws {
        let root = LodestoneProcess.packageRoot
        let sbatch = try String(contentsOf: root.appendingPathComponent("Examples/cluster/lodestone.sbatch"), encoding: .utf8)
        let job = try String(contentsOf: root.appendingPathComponent("Examples/cluster/lodestone-job.yaml"), encoding: .utf8)
        // Slurm: an array of four tasks, each running shard TASK_ID/TASK_COUNT of the example.
        let directives = sbatch.split(separator: "\n").filter { $0.hasPrefix("#SBATCH ") }.map { String($0.dropFirst(8)) }
        #expect(directives.contains("--array=1-4"))
        #expect(sbatch.contains("--shard \"$SLURM_ARRAY_TASK_ID/$SLURM_ARRAY_TASK_COUNT\""))
        #expect(sbatch.contains("SCRIPT=\"${SCRIPT:-\(Self.example)}\""))
        // Kubernetes: an Indexed Job of four completions; pod i runs shard i+1 of 4.
        let fields = Dictionary(
            job.split(separator: "\n").compactMap { line -> (String, String)? in
                let parts = line.split(separator: ":", maxSplits: 1).map { $0.trimmingCharacters(in: .whitespaces) }
                return parts.count == 2 && !line.hasPrefix("#") ? (parts[0], parts[1]) : nil
            }, uniquingKeysWith: { first, _ in first })
        #expect(fields["apiVersion"] == "batch/v1" && fields["kind"] == "Job")
        #expect(fields["completionMode"] == "Indexed" && fields["completions"] == "4" && fields["parallelism"] == "4")
        #expect(fields["restartPolicy"] == "Never")
        let command = try #require(
            job.split(separator: "\n").first { $0.contains("JOB_COMPLETION_INDEX") && $0.contains("lodestone run") }
        ).trimmingCharacters(in: .whitespaces).dropFirst(2)
        #expect(command.contains("--shard \"$((JOB_COMPLETION_INDEX + 1))/4\""))
        #expect(command.contains("/opt/lodestone/\(Self.example)"))

        // Both run here: the sbatch file as a shell script with Slurm's variables, the pod's
        // command with the Job's index, lodestone on PATH and the script where the image has it.
        let folder = try Self.sandbox()
        defer { try? FileManager.default.removeItem(at: folder) }
        let binary = try #require(LodestoneProcess.binary)
        let path = binary.deletingLastPathComponent().path + ":" + (ProcessInfo.processInfo.environment["PATH"] ?? "/usr/bin:/bin")
        let shell = URL(fileURLWithPath: "/bin/sh")
        for task in 1...2 {
            let outcome = try LodestoneProcess.run(
                [root.appendingPathComponent("Examples/cluster/lodestone.sbatch").path], in: folder, executable: shell,
                environment: Self.environment.merging(
                    ["PATH": path, "SLURM_ARRAY_TASK_ID": "\(task)", "SLURM_ARRAY_TASK_COUNT": "4", "SLURM_CPUS_PER_TASK": "1"]) { $1 })
            #expect(outcome.status == 0, "array task \(task): \(outcome.stderr)")
        }
        let pod = String(command).replacingOccurrences(of: "/opt/lodestone/", with: root.path + "/")
        for index in 2...3 {
            let outcome = try LodestoneProcess.run(
                ["-c", pod], in: folder, executable: shell,
                environment: Self.environment.merging(["PATH": path, "JOB_COMPLETION_INDEX": "\(index)"]) { $1 })
            #expect(outcome.status == 0, "pod \(index): \(outcome.stderr)")
        }
        try Self.lodestone(["run", Self.example], in: folder)
        try Self.checkMerged(in: folder)
    }

    @Test("bad shards and bad merges are refused, saying what was expected")
    func refusals() throws {
        let folder = try Self.sandbox()
        defer { try? FileManager.default.removeItem(at: folder) }
        let script = """
            let m = model(trade, stockpile, preset: "v2")
            let e = montecarlo(m, runs: 40, months: 6, vary: {"stockpile.cover_days[JP]": uniform(30, 90)}, bands: [])
            export(e, "small.sqlite")
            """
        try script.write(to: folder.appendingPathComponent("small.lode"), atomically: true, encoding: .utf8)
        func refused(_ arguments: [String], _ message: String, status: Int32 = 2) throws {
            let outcome = try LodestoneProcess.run(arguments, in: folder, environment: Self.environment)
            #expect(outcome.status == status, "\(arguments): \(outcome.stderr)")
            #expect(outcome.stderr.contains(message), "\(arguments): \(outcome.stderr)")
        }
        // The whole message: the parser's own start, then the kernel's message without its `shard: ` path.
        func badShard(_ value: String, _ expected: String) throws {
            try refused(["run", "small.lode", "--shard", value], "Error: The value '\(value)' is invalid for '--shard <I/N>': \(expected)\n")
        }
        try badShard("0/4", "expected a shard from 1/4 to 4/4 (shards count from 1), got 0/4")
        try badShard("5/4", "expected a shard from 1/4 to 4/4 (shards count from 1), got 5/4")
        try badShard("a/b", "expected i/n with whole numbers 1 ≤ i ≤ n, such as 2/4 (the second of four shards), got `a/b`")
        try badShard("1/200000", "expected 1…100000 shards, got 200000")
        try refused(
            ["-e", "montecarlo(model(trade), runs: 10, months: 2, shard: \"3/2\")"],
            "-e:1:54: error: shard: expected a shard from 1/2 to 2/2 (shards count from 1), got 3/2", status: 1)
        // A shard's database must keep its runs.
        try refused(
            ["-e", "export(montecarlo(model(trade), runs: 10, months: 2, bands: []), \"s.sqlite\", keep: \"summary\")", "--shard", "1/2"],
            "this ensemble is shard 1/2 of 10 runs: its database must keep the per-run rows", status: 1)
        for shard in 1...3 { try Self.lodestone(["run", "small.lode", "--shard", "\(shard)/3"], in: folder) }
        let files = (1...3).map { "small.shard-\($0)-of-3.sqlite" }
        // A shard run again does not append its runs a second time.
        try refused(["run", "small.lode", "--shard", "2/3"], "it already holds these runs of shard 2/3 (from an earlier run of the shard?)", status: 1)
        try refused(["merge", files[0], files[1], "-o", "m.sqlite"], "shard 3/3 is missing: give every shard's file (2 given, 3 needed)")
        try refused(["merge", files[0], files[1], files[1], "-o", "m.sqlite"], "\(files[1]) is given twice")
        try FileManager.default.copyItem(at: folder.appendingPathComponent(files[1]), to: folder.appendingPathComponent("copy.sqlite"))
        try refused(["merge", files[0], files[1], "copy.sqlite", files[2], "-o", "m.sqlite"], "are both shard 2/3; give each shard once")
        try refused(["merge", files[0], files[1], "-o", files[2]], "exists; pass --overwrite to replace it")
        try refused(["merge", files[0], files[1], files[2]], "say where to write the merged database with -o")
        // Another seed, or another script, is another ensemble.
        try FileManager.default.removeItem(at: folder.appendingPathComponent(files[2]))
        try Self.lodestone(["run", "small.lode", "--shard", "3/3", "--seed", "9"], in: folder)
        try refused(["merge"] + files + ["-o", "m.sqlite"], "differ in seed_text (9 and 1): shards must come from the same script")
        try Self.lodestone(["run", "small.lode"], in: folder)
        try refused(["merge", files[0], "small.sqlite", "-o", "m.sqlite"], "small.sqlite: row 1 (of kind ensemble) is not part of a shard")
        try refused(["merge", "nothing.sqlite", "-o", "m.sqlite"], "nothing.sqlite does not exist")
        #expect(!FileManager.default.fileExists(atPath: folder.appendingPathComponent("m.sqlite").path), "a failed merge writes nothing")
    }
}

/// Messages collected from concurrent work.
final class Failures: @unchecked Sendable {
    private let lock = NSLock()
    private var list: [String] = []
    func add(_ message: String) { lock.withLock { list.append(message) } }
    var messages: [String] { lock.withLock { list } }
}

extension ClusterTests {
    @Test("Docs/Cluster.md's shell example runs as written, cmp included, and says the summaries are identical")
    func pageExample() throws {
        let page = try String(contentsOf: LodestoneProcess.packageRoot.appendingPathComponent("Docs/Cluster.md"), encoding: .utf8)
        // Every line of the page's ```sh blocks, in order.
        var lines: [String] = []
        var inShell = false
        for line in page.split(separator: "\n", omittingEmptySubsequences: false) {
            if line.hasPrefix("```") {
                inShell = !inShell && line == "```sh"
                continue
            }
            if inShell, !line.trimmingCharacters(in: .whitespaces).isEmpty { lines.append(String(line)) }
        }
        #expect(lines.contains { $0.hasPrefix("cmp ") } && lines.filter { $0.contains("--shard") }.count == 4)
        let folder = try Self.sandbox()
        defer { try? FileManager.default.removeItem(at: folder) }
        let binary = try #require(LodestoneProcess.binary)
        let path = binary.deletingLastPathComponent().path + ":" + (ProcessInfo.processInfo.environment["PATH"] ?? "/usr/bin:/bin")
        let outcome = try LodestoneProcess.run(
            ["-c", "set -e\n" + lines.joined(separator: "\n")], in: folder, executable: URL(fileURLWithPath: "/bin/sh"),
            environment: ["PATH": path])
        #expect(outcome.status == 0, "\(outcome.stderr)")
        #expect(outcome.stdout.contains("\nidentical\n"))
    }
}
