import Foundation

/// How progress is shown (`--progress`, `LODESTONE_PROGRESS`).
public enum ProgressStyle: String, Sendable, CaseIterable {
    /// A bar redrawn in place, for a terminal.
    case bar
    /// A plain line every few seconds, for pipes, logs, notebooks and CI.
    case plain
    /// Nothing.
    case none
}

/// Follows the progress of `montecarlo` and `sweep` runs: remembers the last count (to report
/// how far a cancelled ensemble got) and, once a computation has taken longer than ``delay``,
/// shows it through `display` (standard error, never standard output): with ``ProgressStyle/bar``
/// a one-line display redrawn in place (a bar, runs done, the rate and the time left); with
/// ``ProgressStyle/plain`` a line of its own every ``interval`` and one when the work is done,
/// for outputs that are not terminals.
public final class ProgressReporter: Sendable {
    private struct State {
        var done = 0
        var total = 0
        var started: ContinuousClock.Instant?
        var showing = false
        var lastLine: ContinuousClock.Instant?
    }

    private let state = Locked(State())
    /// Writes the progress line (nil: no display, only counting).
    private let display: (@Sendable (String) -> Void)?
    /// How long a computation runs before the progress line appears.
    let delay: Duration
    /// How progress is shown.
    let style: ProgressStyle
    /// With ``ProgressStyle/plain``: the time between two lines.
    let interval: Duration

    /// Creates a reporter writing through `display` (nil: count only) in `style`; plain lines
    /// come every `interval`.
    public init(
        display: (@Sendable (String) -> Void)?, delay: Duration = .milliseconds(400), style: ProgressStyle = .bar,
        interval: Duration = .seconds(3)
    ) {
        self.display = style == .none ? nil : display
        self.delay = delay
        self.style = style
        self.interval = interval
    }

    /// Forgets the previous computation (call before each input, and before each computation).
    public func reset() {
        state.withLock { $0 = State(started: ContinuousClock.now) }
    }

    /// Records that `done` of `total` runs are finished.
    func update(done: Int, total: Int) {
        let line: String? = state.withLock { state in
            let now = ContinuousClock.now
            // A new computation (a script may run several): time it from its own start.
            if total != state.total || done < state.done {
                state = State(started: now, showing: state.showing)
            }
            state.done = done
            state.total = total
            guard display != nil, let started = state.started, now - started >= delay else { return nil }
            if style == .plain {
                let due = state.lastLine.map { now - $0 >= interval } ?? true
                guard due || (done >= total && state.showing) else { return nil }
                state.lastLine = now
                state.showing = done < total
                return Self.plainLine(done: done, total: total, elapsed: now - started) + "\n"
            }
            state.showing = true
            return "\r\u{1B}[K" + Self.line(done: done, total: total, elapsed: now - started)
        }
        if let line { display?(line) }
    }

    /// A plain progress line: `progress: 4096/10000 runs (41%) · 8200 runs/s · 0.7 s left`, or when
    /// all are done `progress: 10000/10000 runs (100%) in 1.2 s`.
    public static func plainLine(done: Int, total: Int, elapsed: Duration) -> String {
        let seconds = Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) / 1e18
        let percent = total > 0 ? Int((100 * Double(done) / Double(total)).rounded(.down)) : 0
        var text = "progress: \(done)/\(total) runs (\(percent)%)"
        if done >= total { return text + " in \(String(format: "%.1f", seconds)) s" }
        if seconds > 0, done > 0 {
            let rate = Double(done) / seconds
            text += " · \(Int(rate.rounded())) runs/s"
            let left = Double(total - done) / rate
            text += left < 60 ? " · \(String(format: "%.1f", left)) s left" : " · \(Int((left / 60).rounded(.up))) min left"
        }
        return text
    }

    /// The last count reported: `(done, total)`, or nil when no ensemble or sweep reported.
    var lastCount: (done: Int, total: Int)? {
        state.withLock { $0.total > 0 ? ($0.done, $0.total) : nil }
    }

    /// The progress line: `  [██████░░░░░░]  4096/10000 runs · 8200 runs/s · 0.7 s left · Ctrl-C stops`.
    public static func line(done: Int, total: Int, elapsed: Duration) -> String {
        let width = 20
        let fraction = total > 0 ? min(1, Double(done) / Double(total)) : 0
        let filled = Int((fraction * Double(width)).rounded(.down))
        let bar = String(repeating: "█", count: filled) + String(repeating: "░", count: width - filled)
        let seconds = Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) / 1e18
        var text = "  [\(bar)] \(done)/\(total) runs"
        if seconds > 0, done > 0 {
            let rate = Double(done) / seconds
            text += " · \(Int(rate.rounded())) runs/s"
            let left = Double(total - done) / rate
            text += left < 60 ? " · \(String(format: "%.1f", left)) s left" : " · \(Int((left / 60).rounded(.up))) min left"
        }
        return text + " · Ctrl-C stops"
    }

    /// Erases the progress bar if it is showing (plain lines stay where they are).
    public func finish() {
        let wasShowing = state.withLock { state in
            defer { state.showing = false }
            return state.showing
        }
        if wasShowing, style == .bar { display?("\r\u{1B}[K") }
    }

    /// The handler to give the session.
    public var handler: @Sendable (Int, Int) -> Void {
        { [self] done, total in update(done: done, total: total) }
    }
}
