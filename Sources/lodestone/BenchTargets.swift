import CInstructionCounter
import Foundation

/// One of issue 21's performance targets: a bound on a measured quantity (`≤ 2,000` instructions
/// per run-month, `≥ 12` M run-months/s), and what `lodestone bench` measured against it.
struct BenchTarget {
    /// Whether the measurement meets the bound.
    enum Verdict: String {
        /// The measured value is on the right side of the bound (or on it).
        case met = "met"
        /// The measured value is on the wrong side of the bound.
        case notMet = "not met"
        /// Nothing was measured (the reason is in ``BenchTarget/detail``).
        case notMeasured = "not measured"
    }

    /// What is bounded, in words (`run-months per second, v1, 2 threads`).
    let name: String
    /// The bound, in `unit`.
    let bound: Double
    /// `.lower`: the value must be at most the bound; `.higher`: at least.
    let better: BenchValue.Direction
    /// The unit, printed after numbers (`instructions`, `M run-months/s`, `×`, `%`).
    let unit: String
    /// The measured value, in `unit`; nil when it could not be measured.
    let measured: Double?
    /// How it was measured, or why it was not (printed after the verdict).
    let detail: String

    /// The verdict: met when the value is on the bound's good side (the bound itself counts as met).
    var verdict: Verdict {
        guard let measured, measured.isFinite else { return .notMeasured }
        return Self.meets(measured, bound, better) ? .met : .notMet
    }

    /// Whether `value` meets `bound` when `better` says which way is better.
    static func meets(_ value: Double, _ bound: Double, _ better: BenchValue.Direction) -> Bool {
        better == .lower ? value <= bound : value >= bound
    }

    /// The printed line: name, bound, measurement, verdict, detail
    /// (`run-months per second, v1, 2 threads   ≥ 12 M run-months/s   2.21   not met   (…)`).
    var text: String {
        let sign = better == .lower ? "≤" : "≥"
        let value = measured.map { Self.number($0) } ?? "—"
        return "  \(name.padding(toLength: 52, withPad: " ", startingAt: 0)) \(sign) \(Self.number(bound)) \(unit)   "
            + "measured \(value)   \(verdict.rawValue.uppercased())\(detail.isEmpty ? "" : "   (\(detail))")"
    }

    /// A number with three significant digits and thousands separated by commas
    /// (`10,493`, `12`, `2.21`, `0.741`).
    static func number(_ value: Double) -> String {
        let magnitude = abs(value)
        if magnitude >= 100 || value == value.rounded() && magnitude < 1e15 {
            let whole = Int(value.rounded())
            let digits = String(abs(whole))
            var grouped = ""
            for (index, digit) in digits.enumerated() {
                if index > 0, (digits.count - index) % 3 == 0 { grouped += "," }
                grouped.append(digit)
            }
            return (whole < 0 ? "-" : "") + grouped
        }
        let decimals = magnitude >= 10 ? 1 : magnitude >= 1 ? 2 : 3
        return String(format: "%.\(decimals)f", value)
    }

    /// The serial fraction at or below which Amdahl's law allows `efficiency` (0.9) of ideal
    /// speed-up on `threads` (16) threads: `(1/(e·N) − 1/N) / (1 − 1/N)`, as a percentage.
    static func serialFractionBound(efficiency: Double = 0.9, threads: Double = 16) -> Double {
        (1 / (efficiency * threads) - 1 / threads) / (1 - 1 / threads) * 100
    }
}

/// The calling thread's user-space instructions, read from the processor's hardware counter
/// (Linux perf_event_open). Unavailable on many virtual machines; then measure with callgrind
/// (`Scripts/bench-instructions.py`).
enum InstructionCounter {
    /// Why the counter could not be used.
    struct Unavailable: Error {
        /// The system's words (`perf_event_open: No such file or directory`).
        let reason: String
    }

    /// The instructions `body` retires on the calling thread.
    static func count(_ body: () throws -> Void) throws -> Int64 {
        let fd = CInstructionCounter_open()
        guard fd >= 0 else {
            throw Unavailable(reason: "perf_event_open: \(String(cString: strerror(-fd)))")
        }
        defer { CInstructionCounter_close(fd) }
        let before = CInstructionCounter_read(fd)
        try body()
        let after = CInstructionCounter_read(fd)
        guard before >= 0, after >= before else { throw Unavailable(reason: "the instruction counter could not be read") }
        return after - before
    }
}
