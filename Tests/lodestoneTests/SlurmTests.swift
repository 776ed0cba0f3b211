import Foundation
import Testing

/// A real Slurm job array: the test starts a one-node cluster of its own (munged, slurmctld and
/// slurmd on private ports and folders), submits Examples/cluster/lodestone.sbatch with
/// `sbatch --wait`, merges the four shards and compares with one process (Docs/Cluster.md).
/// Skipped, saying so, where Debian's slurm-wlm and munge are not installed or the test does not
/// run as root (slurmd must start job steps as their user).
@Suite("Slurm job array")
struct SlurmTests {
    /// Why the cluster cannot be started here, or nil when it can.
    static let missing: String? = {
        let programs = ["/usr/sbin/slurmctld", "/usr/sbin/slurmd", "/usr/bin/sbatch", "/usr/bin/sinfo", "/usr/sbin/munged", "/usr/sbin/mungekey"]
        let absent = programs.filter { !FileManager.default.isExecutableFile(atPath: $0) }
        if !absent.isEmpty { return "not installed: \(absent.joined(separator: ", ")) (apt-get install slurm-wlm munge)" }
        if getuid() != 0 { return "not root: slurmd runs jobs as their user and needs root to start" }
        return nil
    }()

    /// Runs a program, returning its output and status.
    static func run(_ program: String, _ arguments: [String], in folder: URL, environment: [String: String]) throws -> LodestoneProcess {
        try LodestoneProcess.run(arguments, in: folder, executable: URL(fileURLWithPath: program), environment: environment)
    }

    @Test(
        "four shards submitted as a Slurm job array merge to the one-process database",
        .enabled("needs Debian's slurm-wlm and munge, and root, to start a one-node Slurm cluster") { SlurmTests.missing == nil })
    func jobArray() throws {
        let folder = try ClusterTests.sandbox()
        defer { try? FileManager.default.removeItem(at: folder) }
        let binary = try #require(LodestoneProcess.binary)
        let root = LodestoneProcess.packageRoot
        // The script starts munged, slurmctld and slurmd in its foreground, submits the array with
        // `sbatch --wait`, and stops them by their process ids when it exits.
        let cluster = try LodestoneProcess.run(
            [root.appendingPathComponent("Tests/Cluster/slurm-one-node.sh").path, folder.path], in: folder,
            executable: URL(fileURLWithPath: "/bin/sh"),
            environment: ClusterTests.environment.merging(
                ["LODESTONE": binary.path, "SCRIPT": ClusterTests.example]) { $1 })
        let logs = (try? FileManager.default.contentsOfDirectory(atPath: folder.path))?.filter { $0.hasPrefix("lodestone-") && $0.hasSuffix(".log") } ?? []
        let slurmLog = (try? String(contentsOf: folder.appendingPathComponent("slurm/log/slurmctld.log"), encoding: .utf8)) ?? ""
        try #require(cluster.status == 0, "the Slurm run failed: \(cluster.stdout)\(cluster.stderr)\n\(slurmLog.suffix(2000))")
        #expect(cluster.stdout.contains("Submitted batch job"))
        #expect(logs.count == 4, "one log per array task: \(logs)")
        for task in 1...4 { #expect(slurmLog.contains("JobId=1_\(task)("), "array task \(task) ran") }
        try ClusterTests.lodestone(["run", ClusterTests.example], in: folder)
        try ClusterTests.checkMerged(in: folder)
    }
}
