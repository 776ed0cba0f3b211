import CLibEditShim

/// Where Ctrl-C is noticed: a flag that evaluation polls between runs and loop iterations.
///
/// ``signal`` reads the flag set by the SIGINT handler of the C shim (what the terminal shell
/// uses); ``manual()`` makes a flag that tests set themselves.
public struct InterruptFlag: Sendable {
    /// Whether Ctrl-C arrived since the last ``clear``.
    public let isSet: @Sendable () -> Bool
    /// Forgets an earlier Ctrl-C.
    public let clear: @Sendable () -> Void
    /// Raises the flag as if Ctrl-C had been pressed.
    public let set: @Sendable () -> Void

    /// Creates a flag from its three operations.
    public init(
        isSet: @escaping @Sendable () -> Bool, clear: @escaping @Sendable () -> Void,
        set: @escaping @Sendable () -> Void
    ) {
        self.isSet = isSet
        self.clear = clear
        self.set = set
    }

    /// The process's SIGINT flag, set by the handler ``installSignalHandler()`` installs.
    public static let signal = InterruptFlag(
        isSet: { CLibEditShim_interrupted() != 0 }, clear: { CLibEditShim_clearInterrupt() },
        set: { CLibEditShim_setInterrupt() })

    /// Installs the SIGINT handler behind ``signal`` (no `SA_RESTART`, so a blocked terminal read
    /// returns). Returns false when the system refused.
    @discardableResult
    public static func installSignalHandler() -> Bool { CLibEditShim_installInterruptHandler() == 0 }

    /// Puts back the SIGINT handler that was in place before ``installSignalHandler()``.
    public static func restoreSignalHandler() { CLibEditShim_restoreInterruptHandler() }

    /// A flag in memory, raised only by calling ``set``.
    public static func manual() -> InterruptFlag {
        let box = FlagBox()
        return InterruptFlag(
            isSet: { box.value.withLock { $0 } }, clear: { box.value.withLock { $0 = false } },
            set: { box.value.withLock { $0 = true } })
    }
}

private final class FlagBox: Sendable {
    let value = Locked(false)
}
