import Foundation

/// A value behind a lock, for state that several threads share (the interrupt flag polled by an
/// ensemble's threads, the progress count they update).
///
/// Not `Synchronization.Mutex`: on Linux it locks with futex calls inside the Swift runtime
/// library, which ThreadSanitizer cannot see, so `make tsan` would report every access to the
/// state from two threads as a race, real or not. `NSLock` is a pthread mutex, which it sees.
final class Locked<Value: Sendable>: @unchecked Sendable {
    private let lock = NSLock()
    private var value: Value

    /// A lock around `value`.
    init(_ value: Value) { self.value = value }

    /// Runs `body` on the value while holding the lock, and returns its result.
    func withLock<Result>(_ body: (inout Value) throws -> Result) rethrows -> Result {
        lock.lock()
        defer { lock.unlock() }
        return try body(&value)
    }
}
