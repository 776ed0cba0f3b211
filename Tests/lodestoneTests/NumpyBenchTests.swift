import Foundation
import Testing

/// `Scripts/bench-numpy.py`: lodestone's v1 ensemble against the vectorised numpy implementation
/// of the same equations (`Tests/Scripts/v1_ensemble.py`), on a small ensemble. The script's
/// timing is not checked here (bench numbers are not tests); the agreement of the probabilities
/// within Monte Carlo error is.
@Suite("The v1 ensemble against a vectorised numpy implementation", .serialized)
struct NumpyBenchTests {
    static let script = LodestoneProcess.packageRoot.appendingPathComponent("Scripts/bench-numpy.py")

    static func compare(_ extra: [String]) throws -> LodestoneProcess {
        let binary = try #require(LodestoneProcess.binary, "the lodestone executable is built next to the tests")
        return try LodestoneProcess.run(
            ["python3", script.path, "--runs", "600", "--months", "24", "--lodestone", binary.path] + extra,
            in: LodestoneProcess.packageRoot, executable: URL(fileURLWithPath: "/usr/bin/env"))
    }

    /// The rows of the probability table: label → (lodestone, numpy, |z|).
    static func rows(_ stdout: String) -> [String: (lodestone: Double, numpy: Double, z: Double)] {
        var rows: [String: (Double, Double, Double)] = [:]
        for line in stdout.split(separator: "\n") where line.hasPrefix("P(") {
            let label = String(line.prefix { $0 != ")" }) + ")"
            let numbers = line.dropFirst(label.count).split(separator: " ").compactMap { Double($0) }
            if numbers.count == 5 { rows[label] = (numbers[0], numbers[1], numbers[4]) }
        }
        return rows
    }

    @Test(
        "600 runs × 24 months: every probability agrees within 4 standard errors",
        .enabled(if: ReferencePython.isAvailable, "python3 with numpy is not installed (pip install numpy); .ci/run installs it"),
        .timeLimit(.minutes(3)))
    func agrees() throws {
        let outcome = try Self.compare([])
        #expect(outcome.status == 0, "\(outcome.stdout)\(outcome.stderr)")
        #expect(outcome.stdout.contains("every probability agrees within 4 standard errors"), "\(outcome.stdout)")
        let rows = Self.rows(outcome.stdout)
        #expect(rows.count == 12, "\(outcome.stdout)")
        // Settlement is a real random outcome here: neither side has it certain or impossible.
        let settled = try #require(rows["P(settled at all)"])
        #expect(settled.lodestone > 0.3 && settled.lodestone < 0.95, "\(outcome.stdout)")
        #expect(settled.numpy > 0.3 && settled.numpy < 0.95, "\(outcome.stdout)")
        #expect(rows.values.allSatisfy { $0.z <= 4 })
        #expect(outcome.stdout.contains("ratio:"))
        // Lodestone's time is the median of five processes, each printing the same probabilities.
        #expect(outcome.stdout.contains("median of 5, fastest"), "\(outcome.stdout)")
    }

    @Test(
        "a repeat count outside 1…100 is refused before anything runs",
        .enabled(if: ReferencePython.isAvailable, "python3 with numpy is not installed (pip install numpy); .ci/run installs it"),
        .timeLimit(.minutes(1)))
    func refusesABadRepeatCount() throws {
        let outcome = try Self.compare(["--repeats", "0"])
        #expect(outcome.status == 2, "\(outcome.stdout)\(outcome.stderr)")
        #expect(outcome.stderr.contains("--repeats must be within 1…100"), "\(outcome.stderr)")
        #expect(!outcome.stdout.contains("ratio:"))
    }

    @Test(
        "a numpy ensemble with a different settlement rate is flagged as disagreeing",
        .enabled(if: ReferencePython.isAvailable, "python3 with numpy is not installed (pip install numpy); .ci/run installs it"),
        .timeLimit(.minutes(3)))
    func detectsADifferentModel() throws {
        let outcome = try Self.compare(["--numpy-settle-base", "0.3", "0.4"])
        #expect(outcome.status == 1, "\(outcome.stdout)\(outcome.stderr)")
        #expect(outcome.stdout.contains("DISAGREE"))
        let first = try #require(Self.rows(outcome.stdout)["P(settled by 2026-01)"])
        #expect(first.numpy > first.lodestone + 0.15, "\(outcome.stdout)")
    }
}
