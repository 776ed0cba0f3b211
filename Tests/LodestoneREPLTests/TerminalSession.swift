import Foundation

#if canImport(Glibc)
    import Glibc
#endif

/// Drives the real `lodestone` binary in a tmux pane: types keys, reads the screen.
///
/// Each session uses its own tmux server socket, so tests never touch a user's tmux and can run
/// side by side. Waits poll the screen until a condition holds or a timeout passes.
final class TerminalSession {
    /// The tmux executable, or nil when tmux is not installed.
    static let tmux: String? = {
        let path = ProcessInfo.processInfo.environment["PATH"] ?? "/usr/bin:/bin"
        for directory in path.split(separator: ":") + ["/usr/bin", "/usr/local/bin"] {
            let candidate = "\(directory)/tmux"
            if FileManager.default.isExecutableFile(atPath: candidate) { return candidate }
        }
        return nil
    }()

    /// The `lodestone` binary built beside this test bundle, or nil.
    static let binary: String? = {
        guard let executable = try? FileManager.default.destinationOfSymbolicLink(atPath: "/proc/self/exe") else {
            return Bundle.main.executablePath.flatMap { path in
                let candidate = (path as NSString).deletingLastPathComponent + "/lodestone"
                return FileManager.default.isExecutableFile(atPath: candidate) ? candidate : nil
            }
        }
        var directory = (executable as NSString).deletingLastPathComponent
        // On macOS the test binary sits inside a bundle: Foo.xctest/Contents/MacOS/Foo.
        for _ in 0..<4 {
            let candidate = directory + "/lodestone"
            if FileManager.default.isExecutableFile(atPath: candidate) { return candidate }
            directory = (directory as NSString).deletingLastPathComponent
        }
        return nil
    }()

    /// Whether the pseudo-terminal tests can run.
    static var isAvailable: Bool { tmux != nil && binary != nil }

    /// Why they cannot.
    static var unavailableReason: String {
        if tmux == nil { return "tmux is not installed; the pseudo-terminal tests of the shell need it" }
        return "the lodestone binary was not found beside the test bundle; build it (swift build) first"
    }

    let socket: String
    let stateDirectory: String
    let homeDirectory: String

    /// Starts `lodestone` in a 120×40 pane with its history under `stateDirectory`.
    init(stateDirectory: String, homeDirectory: String) throws {
        guard let binary = Self.binary else { throw TerminalError.unavailable(Self.unavailableReason) }
        socket = "lodestone-test-\(getpid())-\(UUID().uuidString.prefix(8))"
        self.stateDirectory = stateDirectory
        self.homeDirectory = homeDirectory
        let command =
            "env -u NO_COLOR LANG=C.UTF-8 LC_ALL=C.UTF-8 HOME=\(homeDirectory) XDG_STATE_HOME=\(stateDirectory) \(binary)"
        try tmux(["new-session", "-d", "-x", "120", "-y", "40", command])
        try waitFor("lodestone>")
    }

    /// Types text (sent literally) and then any named keys (`Enter`, `Tab`, `C-c`, `Up`).
    ///
    /// A key that raises a signal (`C-c`, `C-\`, `C-z`) makes the terminal discard input that the
    /// program has not read yet: wait for the echo of typed text (``waitFor(_:timeout:)``) before
    /// sending one, or the text may vanish (CI once lost that race).
    func type(_ text: String, _ keys: String...) throws {
        if !text.isEmpty { try tmux(["send-keys", "-t", "0", "-l", text]) }
        if !keys.isEmpty { try tmux(["send-keys", "-t", "0"] + keys) }
    }

    /// Types a line and Enter, then waits for the next prompt (keys typed while a line runs
    /// would reach a terminal in cooked mode, where Ctrl-D, for one, is not a character).
    func enter(_ line: String, timeout: Double = 20) throws {
        let before = Self.prompts(in: try screen())
        try type(line, "Enter")
        try waitUntil(timeout: timeout, "the prompt after `\(line)`") { Self.prompts(in: $0) > before }
    }

    /// How many lines of a screen start with a prompt.
    static func prompts(in screen: String) -> Int {
        screen.split(separator: "\n").filter { $0.hasPrefix("lodestone>") || $0.hasPrefix("...>") }.count
    }

    /// The visible screen, one string with a newline after each line, trailing blanks removed.
    func screen() throws -> String {
        try tmux(["capture-pane", "-p", "-t", "0"])
    }

    /// Polls the screen until `condition` holds; throws with the last screen after `timeout`.
    @discardableResult
    func waitUntil(timeout: Double = 10, _ what: String, _ condition: (String) -> Bool) throws -> String {
        let deadline = Date().addingTimeInterval(timeout)
        var last = ""
        while Date() < deadline {
            last = (try? screen()) ?? last
            if condition(last) { return last }
            Thread.sleep(forTimeInterval: 0.05)
        }
        throw TerminalError.timeout("timed out waiting for \(what); the screen was:\n\(last)")
    }

    /// Polls until the screen contains `text`.
    @discardableResult
    func waitFor(_ text: String, timeout: Double = 10) throws -> String {
        try waitUntil(timeout: timeout, "`\(text)`") { $0.contains(text) }
    }

    /// The screen's lines without trailing empty lines.
    func lines() throws -> [String] {
        var lines = try screen().split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        while lines.last?.isEmpty == true { lines.removeLast() }
        return lines
    }

    /// Whether the tmux server (and so the program) is still running.
    var isRunning: Bool { (try? tmux(["has-session"])) != nil }

    /// Stops the server (and the program, if still running) and removes its socket file.
    func close() {
        _ = try? tmux(["kill-server"])
        let directory = ProcessInfo.processInfo.environment["TMUX_TMPDIR"] ?? "/tmp"
        try? FileManager.default.removeItem(atPath: "\(directory)/tmux-\(getuid())/\(socket)")
    }

    deinit { close() }

    @discardableResult
    private func tmux(_ arguments: [String]) throws -> String {
        guard let tmux = Self.tmux else { throw TerminalError.unavailable(Self.unavailableReason) }
        let (status, output) = try Self.spawn(tmux, ["-L", socket, "-f", "/dev/null"] + arguments)
        guard status == 0 else {
            throw TerminalError.tmux("tmux \(arguments.joined(separator: " ")) failed (\(status))")
        }
        return output
    }

    /// Runs a program and returns its exit status and standard output.
    ///
    /// Not `Process`: the child must start with no signal blocked (the test runner's threads block
    /// signals and a child inherits the mask, which would keep Ctrl-C from the shell), and the
    /// tmux server that `new-session` leaves behind must not hold the output pipe open.
    static func spawn(_ path: String, _ arguments: [String]) throws -> (status: Int32, output: String) {
        var pipe: [Int32] = [-1, -1]
        guard Glibc.pipe(&pipe) == 0 else { throw TerminalError.tmux("pipe failed") }
        // Close-on-exec, so that children other tests start never hold this pipe open.
        _ = fcntl(pipe[0], F_SETFD, FD_CLOEXEC)
        _ = fcntl(pipe[1], F_SETFD, FD_CLOEXEC)
        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0)
        posix_spawn_file_actions_adddup2(&actions, pipe[1], 1)
        posix_spawn_file_actions_addopen(&actions, 2, "/dev/null", O_WRONLY, 0)
        var attributes = posix_spawnattr_t()
        posix_spawnattr_init(&attributes)
        defer { posix_spawnattr_destroy(&attributes) }
        var none = sigset_t()
        sigemptyset(&none)
        posix_spawnattr_setsigmask(&attributes, &none)
        var all = sigset_t()
        sigfillset(&all)
        posix_spawnattr_setsigdefault(&attributes, &all)
        posix_spawnattr_setflags(&attributes, Int16(POSIX_SPAWN_SETSIGMASK | POSIX_SPAWN_SETSIGDEF))
        let argv = ([path] + arguments).map { strdup($0) } + [nil]
        let envp = ProcessInfo.processInfo.environment.map { strdup("\($0)=\($1)") } + [nil]
        defer {
            argv.forEach { free($0) }
            envp.forEach { free($0) }
        }
        var pid = pid_t()
        let result = posix_spawn(&pid, path, &actions, &attributes, argv, envp)
        Glibc.close(pipe[1])
        guard result == 0 else {
            Glibc.close(pipe[0])
            throw TerminalError.tmux("cannot start \(path): error \(result)")
        }
        // tmux's server daemonizes and closes its copy of stdout, so this read ends when the
        // client exits.
        let data = FileHandle(fileDescriptor: pipe[0], closeOnDealloc: true).readDataToEndOfFile()
        var status: Int32 = 0
        while waitpid(pid, &status, 0) == -1, errno == EINTR {}
        let exited = (status & 0x7f) == 0
        return (exited ? (status >> 8) & 0xff : 128 + (status & 0x7f), String(decoding: data, as: UTF8.self))
    }
}

enum TerminalError: Error, CustomStringConvertible {
    case unavailable(String)
    case timeout(String)
    case tmux(String)

    var description: String {
        switch self {
        case .unavailable(let s), .timeout(let s), .tmux(let s): s
        }
    }
}
