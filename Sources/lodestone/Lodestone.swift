import ArgumentParser
import Foundation
import LodestoneKernel
import LodestoneScript

/// `lodestone`: runs `.lode` scripts, checks them, lists modules and data, or starts the REPL.
///
/// Exit codes: 0 ok, 1 script error, 2 usage error.
@main
struct Lodestone: ParsableCommand {
    /// The version printed by `--version`.
    static let version = LodestoneVersion.current

    static let configuration = CommandConfiguration(
        commandName: "lodestone",
        abstract: "Explore critical-mineral supply shocks with .lode scripts.",
        discussion: """
            With no arguments, starts the interactive shell on a terminal, or runs the script read \
            from standard input when it is a pipe or a file.
            Exit codes: 0 ok, 1 script error, 2 usage error.
            """,
        version: version,
        subcommands: [
            RunCommand.self, CheckCommand.self, ModulesCommand.self, DataCommand.self, ProvenanceCommand.self, MergeCommand.self,
            SummaryCommand.self, BenchCommand.self,
            ServeCommand.self,
        ])

    @Option(name: .customShort("e"), help: ArgumentHelp("Run CODE (a .lode script) and exit.", valueName: "CODE"))
    var code: String?

    @OptionGroup var settings: ScriptSettings

    mutating func run() throws {
        let registry = try ScriptRunner.registry(plugins: settings.plugins)
        let overrides = try settings.overrides(registry: registry)
        if let code {
            try ScriptRunner.run(
                source: code, name: "-e", baseDirectory: nil, settings: settings, overrides: overrides, registry: registry)
        } else if Terminal.stdinIsTerminal {
            try Shell.run(registry: registry, settings: settings, overrides: overrides)
        } else {
            // Read at most one byte more than a script may have, so that a huge pipe is refused
            // without being held in memory.
            let data = FileHandle.standardInput.readData(ofLength: Session.maximumSourceBytes + 1)
            guard data.count <= Session.maximumSourceBytes else {
                throw ScriptFailure.usage(
                    "standard input holds more than \(Session.sizeDescription(Session.maximumSourceBytes)), the most a script may have")
            }
            let source: String
            do { source = try SourceFile.text(utf8: [UInt8](data)) } catch {
                throw ScriptFailure.usage("standard input is not UTF-8 text at \(error); save the script as UTF-8")
            }
            try ScriptRunner.run(
                source: source, name: "<stdin>", baseDirectory: nil, settings: settings, overrides: overrides,
                registry: registry)
        }
    }

    /// Parses the command line and runs, mapping outcomes to exit codes 0, 1 and 2.
    static func main() {
        if let message = unknownCommandMessage(Array(CommandLine.arguments.dropFirst())) {
            Terminal.writeError("error: \(MessageText.escaped(message))\n")
            Foundation.exit(2)
        }
        do {
            var command = try parseAsRoot()
            try command.run()
            Foundation.exit(0)
        } catch let failure as ScriptFailure {
            switch failure {
            case .script: Foundation.exit(1)
            case .usage(let message):
                Terminal.writeError("error: \(MessageText.escaped(message))\n")
                Foundation.exit(2)
            }
        } catch let code as ExitCode {
            Foundation.exit(code.rawValue)
        } catch {
            let code = exitCode(for: error)
            let message = fullMessage(for: error)
            if code == .success {
                Terminal.writeOut(message.hasSuffix("\n") || message.isEmpty ? message : message + "\n")
                Foundation.exit(0)
            }
            Terminal.writeError(message.hasSuffix("\n") ? message : message + "\n")
            Foundation.exit(2)
        }
    }
}

extension Lodestone {
    /// The command names `lodestone` knows.
    static var commandNames: [String] { configuration.subcommands.compactMap { $0.configuration.commandName } }

    /// A clearer message than "unexpected argument" when the first argument is neither an option
    /// nor a command: a misspelt command, or a script given without `run`.
    static func unknownCommandMessage(_ arguments: [String]) -> String? {
        guard let first = arguments.first, !first.hasPrefix("-"), !commandNames.contains(first), first != "help" else {
            return nil
        }
        let commands = commandNames.joined(separator: ", ")
        if first.hasSuffix(".lode") || first.contains("/") {
            return "`\(first)` is not a command; to run a script write `lodestone run \(first)` (commands: \(commands))"
        }
        let hint = Suggestions.closest(to: first, among: commandNames).map { "; did you mean `\($0)`?" } ?? ""
        return "unknown command `\(first)`\(hint) (commands: \(commands); `lodestone --help` explains them)"
    }
}

/// Why the executable stops with a non-zero code.
enum ScriptFailure: Error {
    /// The script failed; its error was printed. Exit code 1.
    case script
    /// The command line was wrong. Exit code 2.
    case usage(String)
}

/// `--seed` and `--set`, shared by `run`, `-e` and stdin scripts.
struct ScriptSettings: ParsableArguments {
    // `.unconditional` so that `--seed -1` is read as a (bad) value, not as a missing one.
    @Option(
        parsing: .unconditional,
        help: ArgumentHelp("The seed of the runs that do not give one (default 1).", valueName: "N"),
        transform: ScriptSettings.seed(from:))
    var seed: UInt64?

    @Option(
        name: .customLong("set"),
        help: ArgumentHelp(
            "Set a parameter in every model the script makes, e.g. --set stockpile.cover_days[JP]=90 (repeatable).",
            valueName: "PATH=VALUE"))
    var assignments: [String] = []

    @Flag(
        help: ArgumentHelp(
            "Safe mode for scripts from others: they read and write files only inside the current directory and load no plugins."
        ))
    var safe = false

    @Option(
        name: .customLong("max-memory"),
        help: ArgumentHelp(
            "The most memory a montecarlo or sweep may plan to use, e.g. 4GB, 512MB or 25% (default: an eighth of physical memory).",
            valueName: "SIZE"),
        transform: ScriptSettings.memory(from:))
    var maxMemory: MemoryBudget?

    @Option(
        name: .customLong("plugin"),
        help: ArgumentHelp(
            "Load a runtime plugin (a name such as industry, or a path to a .so) before running (repeatable).",
            valueName: "PATH"))
    var plugins: [String] = []

    @Option(
        help: ArgumentHelp(
            "Worker threads of every montecarlo and sweep that gives no threads: (default: one per core); results do not depend on it.",
            valueName: "N"),
        transform: ScriptSettings.threads(from:))
    var threads: Int?

    @Option(
        help: ArgumentHelp(
            "Run only shard I of N of every montecarlo, sweep and sensitivity that gives no shard: (runs I-1, I-1+N, …); their exports get .shard-I-of-N in the file name, and `lodestone merge` combines the shards (Docs/Cluster.md).",
            valueName: "I/N"),
        transform: ScriptSettings.shard(from:))
    var shard: Shard?

    /// Reads a `--shard` value: `i/n` with 1 ≤ i ≤ n. The argument parser already names the
    /// option, so the `shard: ` path that starts the kernel's message is left out (only when it is
    /// there: a message without it is passed on whole).
    static func shard(from text: String) throws -> Shard {
        do { return try Shard(parsing: text) } catch {
            let path = "shard: "
            let message = error.message
            throw ValidationError(message.hasPrefix(path) ? String(message.dropFirst(path.count)) : message)
        }
    }

    @Option(
        help: ArgumentHelp(
            "How ensembles and sweeps show their progress on standard error: auto (a bar on a terminal, a plain line every few seconds otherwise), bar, plain or none (default: $LODESTONE_PROGRESS, else auto).",
            valueName: "MODE"),
        transform: ScriptSettings.progress(from:))
    var progress: ProgressMode?

    /// Reads a `--progress` (or `LODESTONE_PROGRESS`) value.
    static func progress(from text: String) throws -> ProgressMode {
        guard let mode = ProgressMode(rawValue: text.lowercased()) else {
            let names = ProgressMode.allCases.map(\.rawValue)
            throw ValidationError(
                "expected one of \(names.joined(separator: ", "))" + (Suggestions.closest(to: text, among: names).map { "; did you mean `\($0)`?" } ?? ""))
        }
        return mode
    }

    /// Reads a `--max-memory` value: `4GB`, `512 MB`, `25%` (of physical memory) or bytes.
    static func memory(from text: String) throws -> MemoryBudget {
        guard let bytes = MemoryBudget.parse(text) else {
            throw ValidationError("expected a size such as 4GB, 512MB or 25% (of physical memory), or a number of bytes")
        }
        return MemoryBudget(bytes: bytes)
    }

    /// Reads a `--threads` value: a whole number from 1 to ``MonteCarloRequest/maximumThreads``.
    static func threads(from text: String) throws -> Int {
        guard let n = Int(text), n >= 1, n <= MonteCarloRequest.maximumThreads else {
            throw ValidationError("expected a whole number of threads from 1 to \(MonteCarloRequest.maximumThreads), such as 4")
        }
        return n
    }

    /// Reads a `--seed` value: a whole number from 0 to 2⁶⁴ − 1.
    static func seed(from text: String) throws -> UInt64 {
        guard let seed = UInt64(text) else {
            throw ValidationError("expected a whole number from 0 to \(UInt64.max), such as 7")
        }
        return seed
    }

    /// The `--set` assignments, checked against the registered modules on the default dataset.
    func overrides(registry: Registry) throws -> [(path: String, value: Double)] {
        try assignments.map { text in try ParameterOverride.parse(text, registry: registry) }
    }
}
