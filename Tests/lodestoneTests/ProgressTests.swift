import Foundation
import Testing

/// Runs the built `lodestone` with its standard output and error on pipes.
enum PipedLodestone {
    /// What it printed and how it ended.
    struct Outcome {
        var stdout: String
        var stderr: String
        var status: Int32
    }

    static func run(_ arguments: [String], environment: [String: String] = [:]) throws -> Outcome {
        let binary = try #require(DocsCLI.binary, "the lodestone executable is built next to the tests")
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("lodestone-progress-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        // Output to files (through DocsCLI), so that neither stream can block the other.
        var env = environment
        if env["LODESTONE_PROGRESS"] == nil { env["LODESTONE_PROGRESS"] = "" }
        let outcome = try DocsCLI.run(binary, arguments, in: folder, environment: env)
        return Outcome(stdout: outcome.stdout, stderr: outcome.stderr, status: outcome.status)
    }
}

/// Progress of long ensembles when standard error is not a terminal (here: a file).
@Suite("progress lines in a pipe", .serialized)
struct ProgressTests {
    /// An ensemble long enough for a few lines at a 0.2 s interval (progress is reported at the end
    /// of each wave, 512 runs per thread: 60 months make a wave last well over 0.2 s in a debug
    /// build; 12 no longer did once ensembles got faster).
    static let script = """
        let m = model(trade, stockpile)
        let e = montecarlo(m, runs: 3000, seed: 3, start: 2026-01, months: 60, vary: {"stockpile.cover_days[JP]": uniform(30, 90)})
        print("done", e.runs)
        """

    @Test("auto in a pipe, plain and LODESTONE_PROGRESS=plain print plain lines on standard error only", .timeLimit(.minutes(3)))
    func plainLines() throws {
        for (arguments, environment) in [
            (["-e", Self.script], ["LODESTONE_PROGRESS_INTERVAL": "0.2"]),
            (["--progress=plain", "-e", Self.script], ["LODESTONE_PROGRESS_INTERVAL": "0.2"]),
            (["-e", Self.script], ["LODESTONE_PROGRESS": "plain", "LODESTONE_PROGRESS_INTERVAL": "0.2"]),
        ] {
            let result = try PipedLodestone.run(arguments, environment: environment)
            #expect(result.status == 0, "\(result.stderr)")
            #expect(result.stdout == "done 3000\n", "standard output has no progress: \(result.stdout)")
            let lines: [String] = result.stderr.split(separator: "\n").map { String($0) }
            #expect(lines.count >= 2, "\(arguments) \(environment): \(result.stderr)")
            #expect(lines.allSatisfy { $0.hasPrefix("progress: ") && $0.contains("/3000 runs (") }, "\(lines)")
            #expect(!result.stderr.contains("\u{1B}") && !result.stderr.contains("\r"), "no terminal control codes")
            #expect(lines.last?.hasPrefix("progress: 3000/3000 runs (100%) in ") == true, "\(lines)")
            let counts = lines.compactMap { Int($0.dropFirst("progress: ".count).prefix { $0 != "/" }) }
            #expect(counts == counts.sorted(), "the counts only grow: \(counts)")
        }
    }

    @Test("standard error on a real pipe (`2>&1 >out | cat`) gets the plain lines; standard output none", .timeLimit(.minutes(3)))
    func realPipe() throws {
        let binary = try #require(DocsCLI.binary, "the lodestone executable is built next to the tests")
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("lodestone-pipe-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/bin/sh")
        // The shell puts lodestone's standard error on a pipe to `cat`, its output in a file.
        process.arguments = ["-c", "\"$0\" -e \"$1\" 2>&1 >out.txt | cat >err.txt", binary.path, Self.script]
        process.currentDirectoryURL = folder
        var environment = ProcessInfo.processInfo.environment
        environment["LODESTONE_PROGRESS"] = nil
        environment["LODESTONE_PROGRESS_INTERVAL"] = "0.2"
        process.environment = environment
        try process.run()
        process.waitUntilExit()
        #expect(process.terminationStatus == 0)
        let out = try String(contentsOf: folder.appendingPathComponent("out.txt"), encoding: .utf8)
        let err = try String(contentsOf: folder.appendingPathComponent("err.txt"), encoding: .utf8)
        #expect(out == "done 3000\n", "\(out)")
        let lines = err.split(separator: "\n")
        #expect(lines.count >= 2 && lines.allSatisfy { $0.hasPrefix("progress: ") }, "\(err)")
        #expect(lines.last?.hasPrefix("progress: 3000/3000 runs (100%) in ") == true, "\(err)")
    }

    @Test("bar forces the bar redrawn in place, even off a terminal; standard output stays clean", .timeLimit(.minutes(3)))
    func forcedBar() throws {
        let result = try PipedLodestone.run(["--progress=bar", "-e", Self.script])
        #expect(result.status == 0, "\(result.stderr)")
        #expect(result.stdout == "done 3000\n", "\(result.stdout)")
        // Each redraw returns to the line start and clears it; the last shows the full count and
        // the bar is erased when the work is done.
        #expect(result.stderr.hasPrefix("\r\u{1B}[K  ["), "\(result.stderr.debugDescription)")
        #expect(result.stderr.contains("] 3000/3000 runs"), "\(result.stderr.debugDescription)")
        #expect(result.stderr.hasSuffix("\r\u{1B}[K"), "\(result.stderr.debugDescription)")
        #expect(!result.stderr.contains("progress: "), "no plain lines")
    }

    @Test("none, and short work, print nothing; bad values are clear", .timeLimit(.minutes(3)))
    func quiet() throws {
        let none = try PipedLodestone.run(["--progress", "none", "-e", Self.script], environment: ["LODESTONE_PROGRESS_INTERVAL": "0.2"])
        #expect(none.status == 0 && none.stderr == "", "\(none.stderr)")
        let short = try PipedLodestone.run(["-e", "print(montecarlo(model(trade), runs: 10, months: 3).runs)"])
        #expect(short.stdout == "10\n" && short.stderr == "", "under 3 s: silent (\(short.stderr))")
        let bad = try PipedLodestone.run(["--progress", "loud", "-e", "1"])
        #expect(bad.status == 2)
        #expect(bad.stderr.contains("expected one of auto, bar, plain, none"), "\(bad.stderr)")
        let env = try PipedLodestone.run(["-e", "print(1)"], environment: ["LODESTONE_PROGRESS": "plian"])
        #expect(env.status == 0 && env.stdout == "1\n")
        #expect(env.stderr.hasPrefix("warning: LODESTONE_PROGRESS=plian: expected one of auto, bar, plain, none"), "\(env.stderr)")
        #expect(env.stderr.hasSuffix("; using auto\n"))
    }
}
