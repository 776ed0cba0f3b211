import Foundation

/// Follows the progress of `montecarlo` and `sweep` runs: remembers the last count (to report
/// how far a cancelled ensemble got) and, on a terminal, keeps a one-line progress display on
/// standard error once a computation has taken longer than ``delay``: a bar, runs done, the
/// rate and the time left.
public final class ProgressReporter: Sendable {
    private struct State {
        var done = 0
        var total = 0
        var started: ContinuousClock.Instant?
        var showing = false
    }

    private let state = Locked(State())
    /// Writes the progress line (nil: no display, only counting).
    private let display: (@Sendable (String) -> Void)?
    /// How long a computation runs before the progress line appears.
    let delay: Duration

    /// Creates a reporter writing its line through `display` (nil: count only).
    public init(display: (@Sendable (String) -> Void)?, delay: Duration = .milliseconds(400)) {
        self.display = display
        self.delay = delay
    }

    /// Forgets the previous computation (call before each input).
    public func reset() {
        state.withLock { $0 = State(started: ContinuousClock.now) }
    }

    /// Records that `done` of `total` runs are finished.
    func update(done: Int, total: Int) {
        let line: String? = state.withLock { state in
            state.done = done
            state.total = total
            guard display != nil, let started = state.started, ContinuousClock.now - started >= delay else { return nil }
            state.showing = true
            return "\r\u{1B}[K" + Self.line(done: done, total: total, elapsed: ContinuousClock.now - started)
        }
        if let line { display?(line) }
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

    /// Erases the progress line if it is showing.
    public func finish() {
        let wasShowing = state.withLock { state in
            defer { state.showing = false }
            return state.showing
        }
        if wasShowing { display?("\r\u{1B}[K") }
    }

    /// The handler to give the session.
    public var handler: @Sendable (Int, Int) -> Void {
        { [self] done, total in update(done: done, total: total) }
    }
}
