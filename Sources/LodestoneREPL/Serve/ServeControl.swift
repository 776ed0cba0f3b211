import CLibEditShim
import Dispatch

/// What the thread reading requests shares with the thread running them: whether an execution
/// is waiting or running (so that `interrupt` knows whether there is something to stop), the
/// interrupt flag the session polls, and the queue of requests.
final class ServeControl: Sendable {
    private struct State {
        var pendingExecutions = 0
        var interrupted = false
    }

    /// What the reading thread hands to the running one.
    enum Item: Sendable {
        /// A request to answer in order.
        case request(ServeMessage.Request)
        /// The input ended.
        case end
    }

    private let state = Locked(State())
    private let queue = Locked<[Item]>([])
    private let available = DispatchSemaphore(value: 0)
    /// Whether SIGINT (Ctrl-C, or Jupyter's interrupt sent to the process group) also interrupts.
    let usesSignal: Bool

    /// Creates the shared state; with `usesSignal`, SIGINT sets the flag too.
    init(usesSignal: Bool) { self.usesSignal = usesSignal }

    /// The flag the session polls: raised by ``interrupt()`` or by SIGINT. The shell clears it
    /// before and after each input; only the signal's part is cleared then, so that an
    /// `interrupt` that arrives before its execution starts still stops it.
    var flag: InterruptFlag {
        let usesSignal = usesSignal
        return InterruptFlag(
            isSet: { [state] in state.withLock { $0.interrupted } || (usesSignal && CLibEditShim_interrupted() != 0) },
            clear: { if usesSignal { CLibEditShim_clearInterrupt() } },
            set: { [state] in state.withLock { $0.interrupted = true } })
    }

    /// Notes an execution put in the queue.
    func executionQueued() { state.withLock { $0.pendingExecutions += 1 } }

    /// Notes an execution finished: the interrupt, if any, is spent.
    func executionFinished() {
        state.withLock { state in
            state.pendingExecutions = max(0, state.pendingExecutions - 1)
            state.interrupted = false
        }
    }

    /// Stops the execution that runs (or the next one to run); false when none is waiting.
    func interrupt() -> Bool {
        state.withLock { state in
            guard state.pendingExecutions > 0 else { return false }
            state.interrupted = true
            return true
        }
    }

    /// Adds an item to the queue.
    func put(_ item: Item) {
        queue.withLock { $0.append(item) }
        available.signal()
    }

    /// The next item, waiting for one.
    func take() -> Item {
        available.wait()
        return queue.withLock { $0.removeFirst() }
    }
}
