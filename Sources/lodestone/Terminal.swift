#if canImport(Glibc)
    @preconcurrency import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif
import Foundation

/// What the executable needs to know about its terminal.
enum Terminal {
    /// Whether standard input is a terminal (the REPL starts) or a pipe or file (a script).
    static var stdinIsTerminal: Bool { isatty(STDIN_FILENO) != 0 }

    /// Whether colour is wanted: never with NO_COLOR set (to a non-empty value, per no-color.org),
    /// else only on a terminal.
    static func wantsColour(fileDescriptor: Int32) -> Bool {
        if let value = ProcessInfo.processInfo.environment["NO_COLOR"], !value.isEmpty { return false }
        return isatty(fileDescriptor) != 0
    }

    /// Colour for charts on standard output.
    static var colourOnStdout: Bool { wantsColour(fileDescriptor: STDOUT_FILENO) }

    /// Colour for diagnostics on standard error.
    static var colourOnStderr: Bool { wantsColour(fileDescriptor: STDERR_FILENO) }

    /// Writes to standard output.
    static func writeOut(_ text: String) {
        FileHandle.standardOutput.write(Data(text.utf8))
    }

    /// Writes to standard error.
    static func writeError(_ text: String) {
        FileHandle.standardError.write(Data(text.utf8))
    }
}
