import Foundation
import LodestoneKernel

/// Instructions per run-month of `lodestone bench`'s v1 ensemble counted by valgrind's callgrind,
/// for processors that give bench no instruction counter (most virtual machines): the same
/// difference method as the hardware counter (1,000 against 100 runs, one thread, so start-up
/// and composing cancel), each ensemble run by this executable under
/// `valgrind --tool=callgrind --separate-threads=yes` (`lodestone bench --ensemble-only N`),
/// every thread's instructions added up. The executable is copied without its debug information
/// first (`objcopy --strip-debug`: valgrind 3.19 cannot read the DWARF 5 Swift writes). The
/// Python script `Scripts/bench-instructions.py` does the same from outside, with a breakdown.
enum CallgrindCount {
    /// Runs of the large and the small ensemble.
    static let runs = (large: 1000, small: 100)

    /// Instructions per run-month of bench's v1 ensemble of `months` months, or why they could
    /// not be counted (valgrind or objcopy missing, a run failing).
    static func perRunMonth(months: Int) -> Result<Double, InstructionCounter.Unavailable> {
        guard let valgrind = executable(named: "valgrind"), let objcopy = executable(named: "objcopy") else {
            return .failure(.init(reason: "--callgrind needs valgrind and objcopy (apt-get install valgrind binutils)"))
        }
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("lodestone-callgrind-\(getpid())")
        defer { try? FileManager.default.removeItem(at: folder) }
        do {
            try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
            let stripped = folder.appendingPathComponent("lodestone").path
            let myself = URL(fileURLWithPath: "/proc/self/exe").resolvingSymlinksInPath().path
            try run(objcopy, ["--strip-debug", myself, stripped])
            var totals: [Int] = []
            for count in [runs.large, runs.small] {
                let out = folder.appendingPathComponent("ensemble-\(count).out").path
                try run(
                    valgrind,
                    [
                        "--tool=callgrind", "--separate-threads=yes", "--callgrind-out-file=\(out)", stripped, "bench",
                        "--months", "\(months)", "--ensemble-only", "\(count)",
                    ])
                totals.append(try instructions(inFilesOf: out))
            }
            return .success(Double(totals[0] - totals[1]) / Double((runs.large - runs.small) * months))
        } catch {
            return .failure(.init(reason: "callgrind failed: \(error)"))
        }
    }

    /// The instructions of one callgrind run: the `totals:` (or, from older versions, `summary:`)
    /// line of each per-thread file `path-01`, `path-02`, … added up, or of `path` itself when
    /// there are none.
    static func instructions(inFilesOf path: String) throws -> Int {
        let url = URL(fileURLWithPath: path)
        let folder = url.deletingLastPathComponent()
        let all = try FileManager.default.contentsOfDirectory(atPath: folder.path)
        // The per-thread files when there are any (`--separate-threads=yes`), else the file itself.
        let threads = all.filter { $0.hasPrefix(url.lastPathComponent + "-") }
        let names = threads.isEmpty ? all.filter { $0 == url.lastPathComponent } : threads
        guard !names.isEmpty else { throw CallgrindError("no output file \(path)") }
        var total = 0
        for name in names {
            let text = try String(contentsOf: folder.appendingPathComponent(name), encoding: .utf8)
            guard
                let line = text.split(separator: "\n").first(where: { $0.hasPrefix("totals: ") || $0.hasPrefix("summary: ") }),
                let count = line.split(separator: " ").dropFirst().first.flatMap({ Int($0) })
            else { throw CallgrindError("\(name): no `totals:` line; expected callgrind output") }
            total += count
        }
        return total
    }

    /// The first executable file called `name` on the PATH.
    private static func executable(named name: String) -> String? {
        let path = ProcessInfo.processInfo.environment["PATH"] ?? "/usr/bin:/bin"
        return path.split(separator: ":").map { "\($0)/\(name)" }.first { FileManager.default.isExecutableFile(atPath: $0) }
    }

    /// Runs `tool` with `arguments`, output discarded; throws when it does not exit with 0.
    private static func run(_ tool: String, _ arguments: [String]) throws {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: tool)
        process.arguments = arguments
        process.standardOutput = FileHandle.nullDevice
        process.standardError = FileHandle.nullDevice
        try process.run()
        process.waitUntilExit()
        guard process.terminationStatus == 0 else {
            throw CallgrindError("\((tool as NSString).lastPathComponent) exited with status \(process.terminationStatus)")
        }
    }
}

/// What went wrong counting with callgrind.
struct CallgrindError: Error, CustomStringConvertible {
    let description: String
    init(_ description: String) { self.description = description }
}
