import Foundation
import Testing

/// Counts the heap allocations of a whole `lodestone` process with Valgrind (its "total heap
/// usage" line), on a copy of the binary without debug information: Valgrind cannot read the
/// DWARF 5 that the Swift toolchain writes.
///
/// Why a tool outside the process: glibc no longer has malloc hooks, and `mallinfo2` reports
/// bytes in use, not calls, so an allocation freed within the step would go unseen.
enum AllocationCount {
    /// A program on `PATH`, or nil.
    static func program(_ name: String) -> URL? {
        let path = ProcessInfo.processInfo.environment["PATH"] ?? "/usr/bin:/bin"
        for directory in path.split(separator: ":").map(String.init) + ["/usr/bin"] {
            let url = URL(fileURLWithPath: directory).appendingPathComponent(name)
            if FileManager.default.isExecutableFile(atPath: url.path) { return url }
        }
        return nil
    }

    static let valgrind = program("valgrind")
    static let objcopy = program("objcopy")

    /// Whether the counts can be taken here: the tools exist and Valgrind runs `lodestone -e 1`
    /// to the end with a heap summary (it may not support every machine's instructions).
    static let isAvailable: Bool = {
        guard let valgrind, let binary = strippedBinary else { return false }
        guard let probe = try? LodestoneProcess.run(
            [binary.path, "-e", "1"], in: FileManager.default.temporaryDirectory, executable: valgrind)
        else { return false }
        return probe.status == 0 && probe.stderr.contains("total heap usage:")
    }()

    /// The built `lodestone` without its debug sections, made once per test process.
    static let strippedBinary: URL? = {
        guard let objcopy, let binary = LodestoneProcess.binary else { return nil }
        let copy = FileManager.default.temporaryDirectory.appendingPathComponent("lodestone-nodebug-\(getpid())")
        guard let result = try? LodestoneProcess.run(
            ["--strip-debug", binary.path, copy.path], in: FileManager.default.temporaryDirectory, executable: objcopy),
            result.status == 0
        else { return nil }
        return copy
    }()

    /// The `recycling` and `industry` plugins without their debug sections, next to the stripped
    /// binary's copy (Valgrind reads the libraries it loads too).
    static let strippedPlugins: [String]? = {
        guard let objcopy, let binary = LodestoneProcess.binary else { return nil }
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("lodestone-plugins-\(getpid())")
        try? FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        var paths: [String] = []
        for name in ["recycling", "industry"] {
            let library = binary.deletingLastPathComponent().appendingPathComponent("lib\(name).so")
            let copy = directory.appendingPathComponent("lib\(name).so")
            guard let result = try? LodestoneProcess.run(
                ["--strip-debug", library.path, copy.path], in: FileManager.default.temporaryDirectory,
                executable: objcopy), result.status == 0
            else { return nil }
            paths.append(copy.path)
        }
        return paths
    }()

    /// The number of heap allocations of `lodestone [--plugin P]… -e SCRIPT`.
    static func allocations(running script: String, plugins: [String] = []) throws -> Int {
        let valgrind = try #require(valgrind)
        let binary = try #require(strippedBinary, "objcopy --strip-debug could not copy the lodestone binary")
        let result = try LodestoneProcess.run(
            [binary.path] + plugins.flatMap { ["--plugin", $0] } + ["-e", script],
            in: FileManager.default.temporaryDirectory, executable: valgrind)
        #expect(result.status == 0, "\(result.stderr)")
        let line = try #require(
            result.stderr.split(separator: "\n").first { $0.contains("total heap usage:") },
            "valgrind printed no heap summary:\n\(result.stderr)")
        // "==123==   total heap usage: 6,007 allocs, 5,811 frees, 1,159,478 bytes allocated"
        let count = line.split(separator: ":").last?.split(separator: " ").first.map { $0.replacingOccurrences(of: ",", with: "") }
        return try #require(count.flatMap { Int($0) }, "cannot read the count in: \(line)")
    }

    /// A scenario where every module works each month: a diplomatic curb and a scripted one.
    static let setup = """
        let m = model(trade, stockpile, diplomacy, data: "baseline-2024")
        let s = scenario("curb")
        s.incident(from: "CN", to: "JP", severity: 0.8, at: 2026-01)
        s.restrict(from: "CN", to: "JP", commodity: "DyTb", start: 2026-01, months: 12)

        """
}

/// DESIGN's rule that the monthly step does not allocate, checked on the real executable: adding
/// months to a run (or to every run of an ensemble) adds no allocations, where one allocation per
/// step would add one per month.
@Suite(
    "the monthly step does not allocate", .serialized,
    .enabled(if: AllocationCount.isAvailable, "needs valgrind and objcopy (binutils) on PATH, and valgrind able to run lodestone"))
struct AllocationTests {
    @Test("a run of 2,400 months allocates no more than one of 1,200")
    func runAllocationsDoNotGrowWithMonths() throws {
        let short = try AllocationCount.allocations(running: AllocationCount.setup + "let r = run(m, s, months: 1200)")
        let long = try AllocationCount.allocations(running: AllocationCount.setup + "let r = run(m, s, months: 2400)")
        // A handful of allocations differ with the text of the number; 1,200 more steps allocate nothing.
        #expect(abs(long - short) < 50, "1,200 more months: \(short) → \(long) allocations")
    }

    /// Plugin modules step through the C ABI over buffers made once per run: adding months adds
    /// no allocations with `recycling` and `industry` in the model either (they allocated about
    /// 13 times a month in debug builds before the references were copied into buffers).
    @Test("a run with plugin modules allocates no more for 2,400 months than for 1,200")
    func pluginStepsDoNotAllocate() throws {
        let plugins = try #require(AllocationCount.strippedPlugins, "objcopy could not copy the plugins")
        let setup = """
            let m = model(trade, stockpile, diplomacy, recycling, industry, data: "baseline-2024")
            let s = scenario("curb")
            s.restrict(from: "CN", to: "JP", commodity: "DyTb", start: 2026-01, months: 12)

            """
        let short = try AllocationCount.allocations(running: setup + "let r = run(m, s, months: 1200)", plugins: plugins)
        let long = try AllocationCount.allocations(running: setup + "let r = run(m, s, months: 2400)", plugins: plugins)
        #expect(abs(long - short) < 50, "1,200 more months with plugins: \(short) → \(long) allocations")
    }

    @Test("an ensemble's allocations grow with its runs, not with their months")
    func ensembleAllocationsDoNotGrowWithMonths() throws {
        func ensemble(_ months: Int) -> String {
            AllocationCount.setup + "let e = montecarlo(m, s, runs: 20, months: \(months), bands: [])"
        }
        let short = try AllocationCount.allocations(running: ensemble(120))
        let long = try AllocationCount.allocations(running: ensemble(240))
        // 20 runs × 120 more months: 2,400 more steps. Worker threads make the count vary a little.
        #expect(abs(long - short) < 200, "2,400 more steps: \(short) → \(long) allocations")
    }
}
