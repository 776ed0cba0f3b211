import Foundation
import Synchronization

/// Follows the progress of `montecarlo` and `sweep` runs: remembers the last count (to report
/// how far a cancelled ensemble got) and, on a terminal, keeps a one-line progress display on
/// standard error once a computation has taken longer than ``delay``.
final class ProgressReporter: Sendable {
    private struct State {
        var done = 0
        var total = 0
        var started: ContinuousClock.Instant?
        var showing = false
    }

    private let state = Mutex(State())
    /// Writes the progress line (nil: no display, only counting).
    private let display: (@Sendable (String) -> Void)?
    /// How long a computation runs before the progress line appears.
    let delay: Duration

    init(display: (@Sendable (String) -> Void)?, delay: Duration = .milliseconds(400)) {
        self.display = display
        self.delay = delay
    }

    /// Forgets the previous computation (call before each input).
    func reset() {
        state.withLock { $0 = State(started: ContinuousClock.now) }
    }

    /// Records that `done` of `total` runs are finished.
    func update(done: Int, total: Int) {
        let line: String? = state.withLock { state in
            state.done = done
            state.total = total
            guard display != nil, let started = state.started, ContinuousClock.now - started >= delay else { return nil }
            state.showing = true
            return "\r\u{1B}[K  \(done) of \(total) runs done · Ctrl-C stops"
        }
        if let line { display?(line) }
    }

    /// The last count reported: `(done, total)`, or nil when no ensemble or sweep reported.
    var lastCount: (done: Int, total: Int)? {
        state.withLock { $0.total > 0 ? ($0.done, $0.total) : nil }
    }

    /// Erases the progress line if it is showing.
    func finish() {
        let wasShowing = state.withLock { state in
            defer { state.showing = false }
            return state.showing
        }
        if wasShowing { display?("\r\u{1B}[K") }
    }

    /// The handler to give the session.
    var handler: @Sendable (Int, Int) -> Void {
        { [self] done, total in update(done: done, total: total) }
    }
}
