import Foundation

/// Runs the built `lodestone` executable for the documentation tests (the runner of
/// CLITests.swift, copied, with a working directory, an environment and output to files so that
/// long outputs cannot block a pipe).
struct DocsCLI {
    /// What a process printed and how it ended.
    struct Outcome {
        /// Standard output (with `mergeOutput`, standard error too, in the order written).
        var stdout: String
        /// Standard error (empty with `mergeOutput`).
        var stderr: String
        /// The exit status.
        var status: Int32
    }

    /// The package's root folder.
    static let packageRoot = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
        .deletingLastPathComponent().deletingLastPathComponent()

    /// The `lodestone` binary in the build directory of this test process.
    static let binary: URL? = {
        var candidates: [URL] = []
        if let exe = try? FileManager.default.destinationOfSymbolicLink(atPath: "/proc/self/exe") {
            candidates.append(URL(fileURLWithPath: exe).deletingLastPathComponent())
        }
        candidates.append(Bundle.main.bundleURL.deletingLastPathComponent())
        candidates.append(Bundle.main.bundleURL)
        for directory in candidates {
            let url = directory.appendingPathComponent("lodestone")
            if FileManager.default.isExecutableFile(atPath: url.path) { return url }
        }
        return nil
    }()

    /// Runs `executable` with `arguments` in `directory`, with `environment` added to this
    /// process's, standard input empty.
    static func run(
        _ executable: URL, _ arguments: [String], in directory: URL, environment: [String: String],
        mergeOutput: Bool = false
    ) throws -> Outcome {
        let id = UUID().uuidString
        let outURL = directory.appendingPathComponent(".out-\(id)")
        let errURL = directory.appendingPathComponent(".err-\(id)")
        guard FileManager.default.createFile(atPath: outURL.path, contents: nil),
            FileManager.default.createFile(atPath: errURL.path, contents: nil)
        else { throw CocoaError(.fileWriteUnknown) }
        defer {
            try? FileManager.default.removeItem(at: outURL)
            try? FileManager.default.removeItem(at: errURL)
        }
        let out = try FileHandle(forWritingTo: outURL)
        let err = try FileHandle(forWritingTo: errURL)
        let process = Process()
        process.executableURL = executable
        process.arguments = arguments
        process.currentDirectoryURL = directory
        var env = ProcessInfo.processInfo.environment
        for (key, value) in environment { env[key] = value }
        process.environment = env
        process.standardOutput = out
        process.standardError = mergeOutput ? out : err
        process.standardInput = FileHandle.nullDevice
        try process.run()
        process.waitUntilExit()
        try out.close()
        try err.close()
        return Outcome(
            stdout: String(decoding: try Data(contentsOf: outURL), as: UTF8.self),
            stderr: String(decoding: try Data(contentsOf: errURL), as: UTF8.self), status: process.terminationStatus)
    }
}

/// A scratch folder for one document: `Examples` links to the package's, `.bin/lodestone` to the
/// built binary (put first on `PATH`), and anything a document writes stays inside.
struct DocsSandbox {
    /// The folder.
    let directory: URL

    /// Creates the folder and its links.
    init(binary: URL) throws {
        directory = FileManager.default.temporaryDirectory.appendingPathComponent("lodestone-docs-\(UUID().uuidString)")
        let bin = directory.appendingPathComponent(".bin")
        try FileManager.default.createDirectory(at: bin, withIntermediateDirectories: true)
        try FileManager.default.createSymbolicLink(
            at: directory.appendingPathComponent("Examples"),
            withDestinationURL: DocsCLI.packageRoot.appendingPathComponent("Examples"))
        // Docs/Validation.md runs the backcast script where it lives: `Docs` holds a link to each
        // page and folder of the package's, except `Validation`, which is copied, so that what the
        // script writes beside itself (backcast-2010.csv and its metadata) stays in the sandbox.
        let docs = directory.appendingPathComponent("Docs")
        let source = DocsCLI.packageRoot.appendingPathComponent("Docs")
        try FileManager.default.createDirectory(at: docs, withIntermediateDirectories: true)
        for name in try FileManager.default.contentsOfDirectory(atPath: source.path) {
            let target = source.appendingPathComponent(name)
            if name == "Validation" {
                try FileManager.default.copyItem(at: target, to: docs.appendingPathComponent(name))
            } else {
                try FileManager.default.createSymbolicLink(at: docs.appendingPathComponent(name), withDestinationURL: target)
            }
        }
        try FileManager.default.createSymbolicLink(at: bin.appendingPathComponent("lodestone"), withDestinationURL: binary)
    }

    /// The environment of every command: no colour, help text 80 columns wide, history and home
    /// inside the folder, the built `lodestone` first on `PATH`, no progress lines (they would
    /// land between the lines a page quotes).
    var environment: [String: String] {
        let path = ProcessInfo.processInfo.environment["PATH"] ?? "/usr/bin:/bin"
        return [
            "NO_COLOR": "1", "COLUMNS": "80", "LODESTONE_PROGRESS": "none", "HOME": directory.path, "XDG_STATE_HOME": directory.appendingPathComponent(".state").path,
            "PATH": directory.appendingPathComponent(".bin").path + ":" + path,
        ]
    }

    /// Deletes the folder.
    func remove() { try? FileManager.default.removeItem(at: directory) }
}

/// A fenced code block of a Markdown file.
struct MarkdownBlock {
    /// The info string after the opening fence (`lode`, `sh`, `text`).
    var language: String
    /// The 1-based line number of the block's first line of content.
    var line: Int
    /// The lines between the fences.
    var lines: [String]
    /// Whether the last non-blank line before the opening fence is `<!-- output -->`.
    var isQuotedOutput: Bool
    /// `NAME` when the last non-blank line before the opening fence is `<!-- file: NAME -->`: the
    /// block quotes a file the page's code writes.
    var quotedFile: String?

    /// The block's text.
    var text: String { lines.joined(separator: "\n") }

    /// The fenced blocks of `markdown`, in order.
    static func blocks(in markdown: String) -> [MarkdownBlock] {
        let lines = markdown.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        var blocks: [MarkdownBlock] = []
        var current: MarkdownBlock?
        for (index, line) in lines.enumerated() {
            let trimmed = line.trimmingCharacters(in: .whitespaces)
            if current == nil, trimmed.hasPrefix("```") {
                let previous = lines[..<index].last { !$0.trimmingCharacters(in: .whitespaces).isEmpty }?
                    .trimmingCharacters(in: .whitespaces)
                var file: String?
                if let previous, previous.hasPrefix("<!-- file:"), previous.hasSuffix("-->") {
                    file = String(previous.dropFirst(10).dropLast(3)).trimmingCharacters(in: .whitespaces)
                }
                current = MarkdownBlock(
                    language: String(trimmed.dropFirst(3)).trimmingCharacters(in: .whitespaces), line: index + 2,
                    lines: [], isQuotedOutput: previous == "<!-- output -->", quotedFile: file)
            } else if current != nil, trimmed == "```" {
                blocks.append(current!)
                current = nil
            } else if current != nil {
                current!.lines.append(line)
            }
        }
        return blocks
    }
}

/// A line of a shell block that calls `lodestone`.
struct ShellCommand {
    /// The line as the shell runs it (without a leading `$ `).
    var command: String
    /// The exit status the line expects: the number of a trailing `# exit N` comment, else 0.
    var expectedStatus: Int32

    /// The command of a shell line, or nil when the line does not call `lodestone` or would start
    /// the interactive shell (which needs a terminal).
    init?(line: String) {
        var text = line.trimmingCharacters(in: .whitespaces)
        if text.hasPrefix("$ ") { text.removeFirst(2) }
        let direct = #/^(?:[A-Za-z_][A-Za-z0-9_]*=\S*\s+)*lodestone(?:\s|$)/#
        let piped = #/\|\s*lodestone(?:\s|$)/#
        guard text.firstMatch(of: direct) != nil || text.firstMatch(of: piped) != nil else { return nil }
        if Self.startsTheShell(text) { return nil }
        command = text
        if let match = text.firstMatch(of: #/#\s*exit\s+(\d+)\s*$/#), let status = Int32(match.1) {
            expectedStatus = status
        } else {
            expectedStatus = 0
        }
    }

    /// `lodestone` with nothing but `--seed`, `--set` and `--plugin` options and no input piped or
    /// redirected in: the interactive shell.
    static func startsTheShell(_ text: String) -> Bool {
        guard !text.contains("|"), !text.contains("<") else { return false }
        let code = text.components(separatedBy: " #").first ?? text
        var words = code.split(whereSeparator: \.isWhitespace).map(String.init)
        while let first = words.first, first != "lodestone" { words.removeFirst() }
        words = Array(words.dropFirst())
        var i = 0
        while i < words.count {
            guard ["--seed", "--set", "--plugin"].contains(words[i]) else { return false }
            i += 2
        }
        return true
    }
}

/// Text compared line by line without trailing blanks (Markdown editors strip them; charts pad
/// their lines).
func normalizedOutput(_ text: String) -> String {
    text.split(separator: "\n", omittingEmptySubsequences: false)
        .map { line in String(line.reversed().drop { $0 == " " || $0 == "\t" || $0 == "\r" }.reversed()) }
        .joined(separator: "\n")
        .trimmingCharacters(in: .newlines)
}
