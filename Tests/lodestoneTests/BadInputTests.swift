import Foundation
import Testing

/// The bad-input corpus of `Tests/BadInput` (see its README): each case's command, run in its
/// directory, exits with the expected code and writes exactly the expected message; plus inputs too
/// large to commit, made on the fly.
@Suite("bad input: every malformed script, dataset, plugin and flag gets a clear message")
struct BadInputTests {
    static let root = BadInputCLI.packageRoot.appendingPathComponent("Tests/BadInput")

    /// The case directories, sorted.
    static let cases: [String] = {
        let names = (try? FileManager.default.contentsOfDirectory(atPath: root.path)) ?? []
        return names.filter { name in
            var isDirectory: ObjCBool = false
            return FileManager.default.fileExists(atPath: root.appendingPathComponent(name).path, isDirectory: &isDirectory)
                && isDirectory.boolValue
        }.sorted()
    }()

    /// A case: its arguments, standard input, expected exit code and standard error.
    struct Case {
        var directory: URL
        var arguments: [String]
        var stdin: Data?
        var exitCode: Int32
        var stderr: String

        init(_ name: String) throws {
            directory = BadInputTests.root.appendingPathComponent(name)
            let command = try String(contentsOf: directory.appendingPathComponent("command"), encoding: .utf8)
            arguments = command.split(separator: "\n", omittingEmptySubsequences: false).dropLast().map(String.init)
            if arguments == [""] { arguments = [] }
            stdin = FileManager.default.contents(atPath: directory.appendingPathComponent("stdin").path)
            let expected = try String(contentsOf: directory.appendingPathComponent("expected"), encoding: .utf8)
            let firstLine = expected.prefix { $0 != "\n" }
            let code = try #require(Int32(firstLine.dropFirst("exit ".count)), "`expected` starts with `exit N`")
            exitCode = code
            stderr = String(expected.dropFirst(firstLine.count + 1))
        }
    }

    /// `text` with the case directory written as `$DIR` and the executable's directory as `$BIN`.
    static func placeholders(_ text: String, directory: URL) -> String {
        var text = text
        let real = directory.resolvingSymlinksInPath().path
        for path in Set([real, directory.path]) { text = text.replacingOccurrences(of: path, with: "$DIR") }
        if let binary = BadInputCLI.binary {
            text = text.replacingOccurrences(of: binary.resolvingSymlinksInPath().deletingLastPathComponent().path, with: "$BIN")
        }
        return text
    }

    @Test("the corpus covers scripts, datasets, JSON, plugins, flags and standard input")
    func corpusCoversEveryInputPath() {
        #expect(Self.cases.count >= 70)
        for group in ["script-", "data-", "json-", "plugin-", "flag-", "stdin-"] {
            #expect(Self.cases.filter { $0.hasPrefix(group) }.count >= 2, "group \(group)")
        }
    }

    @Test("each case exits with its code and writes exactly its message", arguments: cases)
    func badInput(_ name: String) throws {
        let testCase = try Case(name)
        let result = try BadInputCLI.run(testCase.arguments, in: testCase.directory, stdin: testCase.stdin)
        #expect(result.status == testCase.exitCode, "\(name): \(result.stderr)")
        #expect(Self.placeholders(result.stderr, directory: testCase.directory) == testCase.stderr, "\(name)")
    }

    @Test("script and data messages say where: file:line:column, then the line and a caret for scripts", arguments: cases)
    func messagesSayWhere(_ name: String) throws {
        let testCase = try Case(name)
        let first = testCase.stderr.prefix { $0 != "\n" }
        let located = first.range(of: #"^[^ ]+:[0-9]+:[0-9]+: error: "#, options: .regularExpression) != nil
        if name.hasPrefix("data-") || name.hasPrefix("json-") {
            // `lodestone data` names the file, line and column of every problem (or says what the
            // path is when it is not a dataset at all).
            #expect(located || first.hasPrefix("error: `") || first.hasPrefix("error: no such"), "\(name): \(first)")
        }
        if testCase.exitCode == 1, name.hasPrefix("script-") || name.hasPrefix("stdin-") || name.hasPrefix("inline-") {
            #expect(located, "\(name): \(first)")
            #expect(testCase.stderr.contains("^"), "\(name) has a caret line")
        }
        #expect(first.count > 20, "\(name): a message says what was expected, not just that something failed")
    }

    @Test("a 100 MB CSV file is refused by its size, before it is read")
    func hugeCSV() throws {
        let directory = try Self.datasetCopy()
        defer { try? FileManager.default.removeItem(at: directory) }
        try Self.sparseFile(directory.appendingPathComponent("data/imports.csv"), megabytes: 100)
        let result = try BadInputCLI.run(["data", "data/"], in: directory)
        #expect(result.status == 1)
        #expect(
            result.stderr.hasPrefix(
                "data/imports.csv:1:1: error: the file is 100 MB; data files may be at most 64 MB. A dataset needs one row per region, commodity or flow"
            ), "\(result.stderr)")
    }

    @Test("a 100 MB JSON file is refused by its size, in a script too")
    func hugeJSON() throws {
        let directory = try Self.datasetCopy()
        defer { try? FileManager.default.removeItem(at: directory) }
        try Self.sparseFile(directory.appendingPathComponent("big.json"), megabytes: 100)
        try "let d = data(\"big.json\")\n".write(to: directory.appendingPathComponent("main.lode"), atomically: true, encoding: .utf8)
        let result = try BadInputCLI.run(["run", "main.lode"], in: directory)
        #expect(result.status == 1)
        #expect(result.stderr.contains("big.json:1:1: the file is 100 MB; data files may be at most 64 MB"), "\(result.stderr)")
        #expect(result.stderr.contains("let d = data(\"big.json\")\n             ^~~~~~~~~~"), "\(result.stderr)")
    }

    @Test("a 20 MB script is refused by its size")
    func hugeScript() throws {
        let directory = try Self.datasetCopy()
        defer { try? FileManager.default.removeItem(at: directory) }
        try Self.sparseFile(directory.appendingPathComponent("big.lode"), megabytes: 20)
        let result = try BadInputCLI.run(["run", "big.lode"], in: directory)
        #expect(result.status == 2)
        #expect(result.stderr == "error: big.lode is 20 MB; a script may be at most 16 MB\n")
    }

    @Test("safe mode lets a script read and write inside the starting directory")
    func safeModeInside() throws {
        let directory = try Self.datasetCopy()
        defer { try? FileManager.default.removeItem(at: directory) }
        let script = """
            let d = data("data/")
            let r = run(model(trade, stockpile, data: d), months: 3)
            export(r, "out.csv")
            """
        try script.write(to: directory.appendingPathComponent("main.lode"), atomically: true, encoding: .utf8)
        let result = try BadInputCLI.run(["run", "--safe", "main.lode"], in: directory)
        #expect(result.status == 0, "\(result.stderr)")
        #expect(result.stdout == "wrote out.csv\n")
        let written = try String(contentsOf: directory.appendingPathComponent("out.csv"), encoding: .utf8)
        #expect(written.hasPrefix("run,month,module,signal,key,value,unit\nbaseline,2026-01,"), "\(written.prefix(80))")
        let months = Set(written.split(separator: "\n").dropFirst().map { $0.split(separator: ",")[1] })
        #expect(months == ["2026-01", "2026-02", "2026-03"])
        // Its metrics and metadata are written beside it, inside the directory too.
        for companion in ["out.metrics.csv", "out.csv-metadata.json"] {
            #expect(FileManager.default.fileExists(atPath: directory.appendingPathComponent(companion).path), "\(companion)")
        }
    }

    // MARK: Helpers

    /// A temporary directory holding `data/`, a copy of a good CSV dataset (the corpus's
    /// `data-bad-holder` with the holder put right).
    static func datasetCopy() throws -> URL {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("lodestone-bad-input-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        let source = root.appendingPathComponent("data-bad-holder/data")
        try FileManager.default.copyItem(at: source, to: directory.appendingPathComponent("data"))
        let stockpiles = directory.appendingPathComponent("data/stockpiles.csv")
        let text = try String(contentsOf: stockpiles, encoding: .utf8).replacingOccurrences(of: ",government,", with: ",state,")
        try text.write(to: stockpiles, atomically: true, encoding: .utf8)
        return directory
    }

    /// A file of `megabytes` MB of zero bytes that takes no disk space (sparse).
    static func sparseFile(_ url: URL, megabytes: Int) throws {
        try #require(FileManager.default.createFile(atPath: url.path, contents: nil))
        let handle = try FileHandle(forWritingTo: url)
        try handle.truncate(atOffset: UInt64(megabytes) << 20)
        try handle.close()
    }
}
