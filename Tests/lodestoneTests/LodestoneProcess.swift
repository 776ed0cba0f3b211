import Foundation
import Testing

/// Runs the built `lodestone` executable as a child process, in a chosen working directory, and
/// reports what it printed, its exit status and how long it took. Shared by the tests that run
/// whole scripts (the workshop packs); output goes through temporary files, so a chatty child can
/// never block on a full pipe.
struct LodestoneProcess {
    /// Everything the child wrote to standard output.
    var stdout: String
    /// Everything the child wrote to standard error.
    var stderr: String
    /// The exit status (0 ok, 1 script error, 2 usage error).
    var status: Int32
    /// Wall-clock time from launch to exit.
    var duration: Duration

    /// The package's root directory (three levels above this file).
    static let packageRoot = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
        .deletingLastPathComponent().deletingLastPathComponent()

    /// The `lodestone` binary in the build directory of this test process, if it was built.
    static let binary: URL? = {
        var candidates: [URL] = []
        if let exe = try? FileManager.default.destinationOfSymbolicLink(atPath: "/proc/self/exe") {
            candidates.append(URL(fileURLWithPath: exe).deletingLastPathComponent())
        }
        candidates.append(Bundle.main.bundleURL.deletingLastPathComponent())
        candidates.append(Bundle.main.bundleURL)
        for directory in candidates {
            let url = directory.appendingPathComponent("lodestone")
            if FileManager.default.isExecutableFile(atPath: url.path) { return url }
        }
        return nil
    }()

    /// Runs `lodestone ARGUMENTS` in `directory` with `NO_COLOR` set and standard input closed;
    /// with `executable`, that program instead (e.g. a tool that runs `lodestone` itself);
    /// `environment` is added to this process's.
    static func run(
        _ arguments: [String], in directory: URL, executable: URL? = nil, environment extra: [String: String] = [:]
    ) throws -> LodestoneProcess {
        let binary = try executable ?? #require(Self.binary, "the lodestone executable is built next to the tests")
        let scratch = FileManager.default.temporaryDirectory.appendingPathComponent("lodestone-process-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: scratch, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: scratch) }
        let outURL = scratch.appendingPathComponent("stdout")
        let errURL = scratch.appendingPathComponent("stderr")
        try Data().write(to: outURL)
        try Data().write(to: errURL)
        let out = try FileHandle(forWritingTo: outURL)
        let err = try FileHandle(forWritingTo: errURL)
        let process = Process()
        process.executableURL = binary
        process.arguments = arguments
        process.currentDirectoryURL = directory
        var environment = ProcessInfo.processInfo.environment
        environment["NO_COLOR"] = "1"
        environment["LODESTONE_PROGRESS"] = "none"  // the tests read standard error whole
        for (key, value) in extra { environment[key] = value }
        process.environment = environment
        process.standardOutput = out
        process.standardError = err
        process.standardInput = FileHandle.nullDevice
        let clock = ContinuousClock()
        let start = clock.now
        try process.run()
        process.waitUntilExit()
        let duration = clock.now - start
        try out.close()
        try err.close()
        return LodestoneProcess(
            stdout: try String(contentsOf: outURL, encoding: .utf8), stderr: try String(contentsOf: errURL, encoding: .utf8),
            status: process.terminationStatus, duration: duration)
    }

    /// The lines of standard output with trailing spaces removed.
    var stdoutLines: [String] { stdout.split(separator: "\n", omittingEmptySubsequences: false).map { Self.rightTrimmed($0) } }

    /// `text` without trailing spaces and tabs.
    static func rightTrimmed(_ text: some StringProtocol) -> String {
        var result = String(text)
        while let last = result.last, last == " " || last == "\t" || last == "\r" { result.removeLast() }
        return result
    }
}
