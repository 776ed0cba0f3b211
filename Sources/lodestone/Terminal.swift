#if canImport(Glibc)
    @preconcurrency import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif
import Foundation
import LodestoneREPL

/// What the executable needs to know about its terminal.
enum Terminal {
    /// Whether standard input is a terminal (the REPL starts) or a pipe or file (a script).
    static var stdinIsTerminal: Bool { isatty(STDIN_FILENO) != 0 }

    /// Whether colour is wanted: the REPL's rule (no colour with a non-empty NO_COLOR, else only on
    /// a terminal), so that the shell and scripts agree.
    static func wantsColour(fileDescriptor: Int32) -> Bool {
        REPLConfiguration.wantsColour(fileDescriptor: fileDescriptor)
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
