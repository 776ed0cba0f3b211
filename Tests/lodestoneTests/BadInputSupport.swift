import Foundation
import Testing

/// Runs the built `lodestone` executable in a given directory and reports what it printed (a copy
/// of the runner in CLITests.swift, with a working directory, binary standard input and a time
/// limit).
struct BadInputCLI {
    var stdout: String
    var stderr: String
    var status: Int32

    static let packageRoot = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
        .deletingLastPathComponent().deletingLastPathComponent()

    /// The `lodestone` binary in the build directory of this test process.
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

    /// Runs `lodestone ARGUMENTS` in `directory` with `NO_COLOR=1` and no `LODESTONE_PLUGIN_PATH`;
    /// stops it after `timeout` seconds (a hang is a failure, not a stuck test run).
    static func run(
        _ arguments: [String], in directory: URL, stdin: Data? = nil, timeout: Double = 300
    ) throws -> BadInputCLI {
        let binary = try #require(Self.binary, "the lodestone executable is built next to the tests")
        let process = Process()
        process.executableURL = binary
        process.arguments = arguments
        process.currentDirectoryURL = directory
        var environment = ProcessInfo.processInfo.environment
        environment["NO_COLOR"] = "1"
        environment["LODESTONE_PLUGIN_PATH"] = nil
        process.environment = environment
        let out = Pipe(), err = Pipe(), input = Pipe()
        process.standardOutput = out
        process.standardError = err
        process.standardInput = input
        try process.run()
        let watchdog = DispatchWorkItem { if process.isRunning { process.terminate() } }
        DispatchQueue.global().asyncAfter(deadline: .now() + timeout, execute: watchdog)
        // Read both pipes while the process runs, so that a full pipe cannot block it.
        let outBox = DataBox(), errBox = DataBox()
        let group = DispatchGroup()
        DispatchQueue.global().async(group: group) { outBox.data = out.fileHandleForReading.readDataToEndOfFile() }
        DispatchQueue.global().async(group: group) { errBox.data = err.fileHandleForReading.readDataToEndOfFile() }
        if let stdin { try? input.fileHandleForWriting.write(contentsOf: stdin) }
        try input.fileHandleForWriting.close()
        group.wait()
        process.waitUntilExit()
        watchdog.cancel()
        return BadInputCLI(
            stdout: String(decoding: outBox.data, as: UTF8.self), stderr: String(decoding: errBox.data, as: UTF8.self),
            status: process.terminationStatus)
    }
}

/// Bytes read on another thread.
private final class DataBox: @unchecked Sendable {
    var data = Data()
}
