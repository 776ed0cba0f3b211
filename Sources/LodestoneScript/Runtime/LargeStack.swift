import Foundation

/// Runs work on a thread with a large stack.
///
/// The interpreter and parser recurse (nested expressions, script functions calling
/// themselves); their depth limits keep them within ``stackSize``, whatever thread the host calls
/// from (Swift concurrency and test threads have small stacks). The caller blocks until the work
/// is done, so callbacks such as ``Session/Options/output`` run on the worker thread one at a time.
/// Called again from inside such a thread (a host that keeps one worker for many runs, or a
/// nested run), it runs the body in place.
public enum LargeStack {
    /// The worker thread's stack size in bytes (virtual memory, committed only as used).
    public static let stackSize = 512 << 20

    /// The thread-dictionary key that marks a large-stack worker thread.
    private static let marker = "LodestoneScript.LargeStack"

    /// Whether the current thread is a large-stack worker (``run(_:)`` then runs in place).
    public static var isOnLargeStack: Bool { Thread.current.threadDictionary[marker] != nil }

    /// Runs `body` on a large-stack thread and returns its result or rethrows its error.
    public static func run<T, E: Error>(_ body: () throws(E) -> T) throws(E) -> T {
        if isOnLargeStack { return try body() }
        return try withoutActuallyEscaping(body) { (escapable) throws(E) -> T in
            let box = Box<T, E>(escapable)
            let done = DispatchSemaphore(value: 0)
            let thread = Thread {
                Thread.current.threadDictionary[marker] = true
                box.execute()
                done.signal()
            }
            thread.stackSize = stackSize
            thread.start()
            done.wait()
            // Take the result out, so that it does not live on in the box while the worker thread
            // winds down (LeakSanitizer reports it when the process exits at that moment).
            let result = box.result
            box.result = nil
            return try result!.get()
        }
    }

    private final class Box<T, E: Error>: @unchecked Sendable {
        private var body: (() throws(E) -> T)?
        var result: Result<T, E>?
        init(_ body: @escaping () throws(E) -> T) { self.body = body }
        /// Runs the body once and lets go of it before the caller resumes, so that the
        /// non-escaping closure does not outlive the call.
        func execute() {
            guard let body else { return }
            do throws(E) { result = .success(try body()) } catch { result = .failure(error) }
            self.body = nil
        }
    }
}
