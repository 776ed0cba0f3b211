// Shared by the script fuzz targets (parse, interpret): one long-lived large-stack thread runs
// every input, so that `Session` runs in place instead of starting a 512 MB-stack thread per input
// (which AddressSanitizer makes slow).

import Foundation
import LodestoneScript

/// Runs each input on one ``LargeStack`` worker thread, in turn.
final class ScriptWorker: @unchecked Sendable {
    /// The worker.
    static let shared = ScriptWorker()

    private let request = DispatchSemaphore(value: 0)
    private let done = DispatchSemaphore(value: 0)
    private var job: (() -> Void)?

    private init() {
        let thread = Thread { [self] in
            LargeStack.run {
                while true {
                    request.wait()
                    job?()
                    job = nil
                    done.signal()
                }
            }
        }
        thread.start()
    }

    /// Runs `body` on the worker and waits for it.
    func run(_ body: @escaping () -> Void) {
        job = body
        request.signal()
        done.wait()
    }
}
