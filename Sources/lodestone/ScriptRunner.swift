import Foundation
import LodestoneKernel
import LodestoneREPL
import LodestoneScript

/// Runs script text the way every entry point does (file, `-e`, stdin): one session, errors on
/// standard error with a caret, exit code 1 on failure.
enum ScriptRunner {
    /// The standard registry with the `--plugin` plugins loaded, or a failure: a built-in that
    /// cannot register (exit 1), a plugin that cannot load (a usage error, exit 2).
    static func registry(plugins: [String] = []) throws -> Registry {
        var registry: Registry
        do { registry = try makeStandardRegistry() } catch {
            Terminal.writeError("error: cannot set up the built-in modules: \(error)\n")
            throw ScriptFailure.script
        }
        for plugin in plugins {
            do { _ = try registry.loadPlugin(plugin) } catch {
                throw ScriptFailure.usage("--plugin \(plugin): \(error)")
            }
        }
        return registry
    }

    /// A session configured from the command line.
    static func session(
        registry: Registry, baseDirectory: String?, settings: ScriptSettings, overrides: [(path: String, value: Double)]
    ) -> Session {
        var options = makeSessionOptions(baseDirectory: baseDirectory)
        if let seed = settings.seed { options.defaultSeed = seed }
        options.parameterOverrides = overrides
        if settings.safe { options.access = .safe() }
        if let budget = settings.maxMemory { options.memoryBudget = budget }
        options.threads = settings.threads
        options.shard = settings.shard
        if let style = progressStyle(settings.progress) {
            // Progress of long ensembles and sweeps on standard error: a bar erased when the next
            // output comes, or plain lines.
            let interval = progressInterval()
            let reporter = ProgressReporter(
                display: { Terminal.writeError($0) }, delay: style == .plain ? interval : .milliseconds(400), style: style,
                interval: interval)
            reporter.reset()
            let output = options.output
            options.output = { text in
                reporter.finish()
                output(text)
            }
            options.progress = { done, total in
                reporter.handler(done, total)
                if done >= total { reporter.finish() }
            }
        }
        return Session(registry: registry, options: options)
    }

    /// The style of progress: `mode` (`--progress`), else `LODESTONE_PROGRESS`, else auto — a bar
    /// when standard error is a terminal, plain lines otherwise; nil for none. A bad
    /// `LODESTONE_PROGRESS` is reported on standard error and auto is used.
    static func progressStyle(_ mode: ProgressMode?) -> ProgressStyle? {
        var chosen = mode ?? .auto
        if mode == nil, let text = ProcessInfo.processInfo.environment["LODESTONE_PROGRESS"], !text.isEmpty {
            do { chosen = try ScriptSettings.progress(from: text) } catch {
                Terminal.writeError("warning: LODESTONE_PROGRESS=\(text): \(error); using auto\n")
            }
        }
        switch chosen {
        case .auto: return isatty(STDERR_FILENO) != 0 ? .bar : .plain
        case .bar: return .bar
        case .plain: return .plain
        case .none: return nil
        }
    }

    /// The time between plain progress lines (and before the first): `LODESTONE_PROGRESS_INTERVAL`
    /// seconds (0.1 … 3600), else 3 s. A bad value is reported on standard error and 3 s used.
    static func progressInterval() -> Duration {
        guard let text = ProcessInfo.processInfo.environment["LODESTONE_PROGRESS_INTERVAL"], !text.isEmpty else {
            return .seconds(3)
        }
        guard let seconds = Double(text), seconds >= 0.1, seconds <= 3600 else {
            Terminal.writeError("warning: LODESTONE_PROGRESS_INTERVAL=\(text) is not a number of seconds from 0.1 to 3600; using 3\n")
            return .seconds(3)
        }
        return .milliseconds(Int64((seconds * 1000).rounded()))
    }

    /// Runs `source`; prints the error and throws ``ScriptFailure/script`` when it fails.
    static func run(
        source: String, name: String, baseDirectory: String?, settings: ScriptSettings,
        overrides: [(path: String, value: Double)], registry: Registry
    ) throws {
        let session = session(registry: registry, baseDirectory: baseDirectory, settings: settings, overrides: overrides)
        do {
            try session.run(source, file: name)
        } catch {
            Terminal.writeError(error.render(colour: Terminal.colourOnStderr))
            throw ScriptFailure.script
        }
    }

    /// Reads a script file, or fails with a usage error naming it.
    static func read(_ path: String) throws -> String {
        switch FilePaths.kind(of: path) {
        case .missing: throw ScriptFailure.usage(Session.missingScriptMessage(path, at: path))
        case .directory: throw ScriptFailure.usage("\(path) is a directory, not a .lode script")
        case .file: break
        default:
            // A loop of links, a named pipe (reading it would wait for a writer), a device.
            if let problem = FilePaths.readProblem(path, shown: path) { throw ScriptFailure.usage(problem) }
        }
        if let size = try? FileManager.default.attributesOfItem(atPath: path)[.size] as? Int, size > Session.maximumSourceBytes {
            throw ScriptFailure.usage(
                "\(path) is \(Session.sizeDescription(size)); a script may be at most \(Session.sizeDescription(Session.maximumSourceBytes))")
        }
        guard let data = FileManager.default.contents(atPath: path) else {
            throw ScriptFailure.usage("cannot read \(path): \(FilePaths.openError(path))")
        }
        do {
            return try SourceFile.text(utf8: [UInt8](data))
        } catch {
            throw ScriptFailure.usage("\(path) is not UTF-8 text at \(error); save it as UTF-8")
        }
    }

    /// The directory of a script path, for relative data paths.
    static func directory(of path: String) -> String {
        let url = URL(fileURLWithPath: path)
        return url.deletingLastPathComponent().path
    }
}

/// `--progress`: how ensembles and sweeps show their progress.
enum ProgressMode: String, CaseIterable {
    /// A bar on a terminal, plain lines otherwise.
    case auto
    /// Always the bar (redrawn in place).
    case bar
    /// A plain line every few seconds and one at the end.
    case plain
    /// Nothing.
    case none
}
