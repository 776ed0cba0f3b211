import Foundation
import LodestoneKernel

/// One measured quantity of `lodestone bench`, as `--json` writes it and
/// `Scripts/bench-compare.py` compares it against `Benchmarks/baseline.json`.
struct BenchValue {
    /// Which way is better, so that a comparison knows what "slower" means.
    enum Direction: String {
        /// Times, memory: a larger value is a regression.
        case lower
        /// Throughputs: a smaller value is a regression.
        case higher
    }

    /// The line's stable name (`monte carlo, 2 threads`), the key of the comparison.
    let name: String
    /// The measured value, in `unit`.
    let value: Double
    /// The unit (`s`, `ms per run`, `M run-months/s`, `MB`, `%`).
    let unit: String
    /// Which way is better.
    let better: Direction
    /// Whether a comparison flags a change of this value (false for values dominated by noise,
    /// such as the serial fraction, which are shown but not judged).
    let tracked: Bool
    /// Issue 21's bound on this value, in `unit`, when it has one (``BenchTarget``); `--json`
    /// then adds `"target"` and whether it is `"met"`.
    let target: Double?

    init(
        _ name: String, _ value: Double, _ unit: String, better: Direction = .lower, tracked: Bool = true,
        target: Double? = nil
    ) {
        self.name = name
        self.value = value
        self.unit = unit
        self.better = better
        self.tracked = tracked
        self.target = target
    }

    /// The value as a JSON object.
    var json: String {
        var text = "{\"name\": \(JSONText.quoted(name)), \"value\": \(value.isFinite ? "\(value)" : "null"), "
            + "\"unit\": \(JSONText.quoted(unit)), \"better\": \"\(better.rawValue)\", \"tracked\": \(tracked)"
        if let target {
            text += ", \"target\": \(target), \"met\": \(value.isFinite && BenchTarget.meets(value, target, better))"
        }
        return text + "}"
    }
}

/// Collects bench's measurements and prints them as text lines as they come, or, with `--json`,
/// as one JSON object at the end (with the machine's load, which the figures depend on).
struct BenchReport {
    let json: Bool
    let runs: Int
    let months: Int
    let cores: Int
    private var values: [BenchValue] = []
    /// The 1-minute load average when the bench started (other processes share the cores).
    private let loadAtStart = BenchReport.loadAverage()

    init(json: Bool, runs: Int, months: Int, cores: Int) {
        self.json = json
        self.runs = runs
        self.months = months
        self.cores = cores
    }

    /// A line that is not a measurement (title, warning): printed in text mode only.
    func header(_ text: String) {
        if !json { print(text) }
    }

    /// A measurement's text line and the values it reports.
    mutating func line(_ text: String, _ measured: BenchValue...) {
        if !json { print(text) }
        values.append(contentsOf: measured)
    }

    /// In JSON mode, prints the object.
    func finish() {
        guard json else { return }
        #if DEBUG
            let build = "debug"
        #else
            let build = "release"
        #endif
        let lines = values.map { "    " + $0.json }.joined(separator: ",\n")
        print(
            """
            {
              "lodestone": \(JSONText.quoted(LodestoneVersion.current)),
              "build": "\(build)",
              "cores": \(cores),
              "runs": \(runs),
              "months": \(months),
              "load_average_1min": {"start": \(loadAtStart), "end": \(Self.loadAverage())},
              "lines": [
            \(lines)
              ]
            }
            """)
    }

    /// The 1-minute load average (0 when the system does not say).
    static func loadAverage() -> Double {
        var loads = [Double](repeating: 0, count: 3)
        return getloadavg(&loads, 3) >= 1 ? (loads[0] * 100).rounded() / 100 : 0
    }
}

/// Start-up time of this executable: `lodestone -e 1` launched with `posix_spawn` and waited for
/// with `waitpid`, so the time ends when the child exits (Foundation's
/// `Process.waitUntilExit` polls every 50 ms and measured its own interval).
enum Startup {
    /// The median wall time of `launches` runs of `lodestone -e 1`, in seconds; nil when this
    /// executable cannot be found or started.
    static func medianSeconds(launches: Int) -> Double? {
        guard let path = try? FileManager.default.destinationOfSymbolicLink(atPath: "/proc/self/exe") else { return nil }
        var times: [Double] = []
        for _ in 0..<launches {
            guard let seconds = spawnAndWait(path, ["-e", "1"]) else { return nil }
            times.append(seconds)
        }
        return times.sorted()[times.count / 2]
    }

    /// Wall seconds from `posix_spawn` to `waitpid` returning, output sent to /dev/null; nil if
    /// the child could not be started or failed.
    static func spawnAndWait(_ path: String, _ arguments: [String]) -> Double? {
        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        posix_spawn_file_actions_addopen(&actions, 1, "/dev/null", O_WRONLY, 0)
        posix_spawn_file_actions_addopen(&actions, 2, "/dev/null", O_WRONLY, 0)
        let argv: [UnsafeMutablePointer<CChar>?] = ([path] + arguments).map { strdup($0) } + [nil]
        defer { for pointer in argv { free(pointer) } }
        var pid: pid_t = 0
        let start = DispatchTime.now().uptimeNanoseconds
        guard posix_spawn(&pid, path, &actions, nil, argv, environ) == 0 else { return nil }
        var status: Int32 = 0
        while waitpid(pid, &status, 0) == -1 {
            guard errno == EINTR else { return nil }
        }
        let elapsed = Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9
        // Exited normally with status 0 (the low 7 bits are the signal, the next 8 the status).
        return status & 0x7f == 0 && (status >> 8) & 0xff == 0 ? elapsed : nil
    }
}
