import Foundation
import LodestoneScript

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// How the shell presents itself and where it writes.
public struct REPLConfiguration {
    /// The version shown in the banner (`0.1.0`).
    public var version: String
    /// Whether to use ANSI colours (only on a terminal, never with `NO_COLOR`; see
    /// ``wantsColour(fileDescriptor:environment:)``).
    public var colour: Bool
    /// Writes values and messages (standard output).
    public var write: (String) -> Void
    /// Writes errors (standard error).
    public var writeError: (String) -> Void
    /// Writes the progress line of long ensembles and sweeps (standard error on a terminal); nil
    /// shows no progress.
    public var progressOutput: (@Sendable (String) -> Void)?
    /// Draws a list of numbers as a one-line chart; nil uses LodestoneScript's ``Sparkline`` (60 characters at most).
    public var sparkline: (([Double]) -> String)?
    /// Where Ctrl-C during a computation is noticed.
    public var interrupts: InterruptFlag
    /// The directory relative file names in completion, `:load` and `:save` start from (the
    /// working directory when nil).
    public var baseDirectory: String?
    /// The source name in error locations (`<repl>:3:9`).
    public var sourceName: String
    /// Shows a value that an input produced, given with the text the shell would print; nil
    /// writes the text with ``write`` (the terminal). `lodestone serve` sets it to send values
    /// as rich results.
    public var showValue: ((_ value: Value, _ text: String) -> Void)?

    /// The main prompt.
    public static let prompt = "lodestone> "
    /// The prompt for the further lines of an unfinished input.
    public static let continuationPrompt = "...> "

    /// Creates a configuration; by default output goes to standard output and errors to standard
    /// error, with no colour and no progress line, interrupted by the SIGINT flag.
    public init(
        version: String = "", colour: Bool = false,
        write: @escaping (String) -> Void = { FileHandle.standardOutput.write(Data($0.utf8)) },
        writeError: @escaping (String) -> Void = { FileHandle.standardError.write(Data($0.utf8)) },
        progressOutput: (@Sendable (String) -> Void)? = nil, sparkline: (([Double]) -> String)? = nil,
        interrupts: InterruptFlag = .signal, baseDirectory: String? = nil, sourceName: String = "<repl>"
    ) {
        self.version = version
        self.colour = colour
        self.write = write
        self.writeError = writeError
        self.progressOutput = progressOutput
        self.sparkline = sparkline
        self.interrupts = interrupts
        self.baseDirectory = baseDirectory
        self.sourceName = sourceName
    }

    /// Whether colour suits a file descriptor: never when `NO_COLOR` is set to a non-empty value
    /// (as no-color.org defines it), else only on a terminal (`isTerminal`, `isatty` by default).
    public static func wantsColour(
        fileDescriptor: Int32, environment: [String: String] = ProcessInfo.processInfo.environment,
        isTerminal: (Int32) -> Bool = { isatty($0) != 0 }
    ) -> Bool {
        if let value = environment["NO_COLOR"], !value.isEmpty { return false }
        return isTerminal(fileDescriptor)
    }
}
