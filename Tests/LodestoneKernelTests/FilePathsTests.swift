import Foundation
import Testing

@testable import LodestoneKernel

/// Paths and atomic writes (issue 15): what is at a path, said accurately, and temporary files of
/// interrupted writes cleaned up by the next write.
@Suite("File paths and atomic writes")
struct FilePathsTests {
    static func folder() throws -> String {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("lodestone-paths-\(UUID().uuidString)").path
        try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
        return path
    }

    @Test("folder and last component of a path, one-character paths included")
    func components() {
        let cases: [(path: String, folder: String, last: String)] = [
            ("a/b", "a", "b"), ("/x", "/", "x"), ("x", "", "x"), ("-", "", "-"), (".", "", "."), ("/", "/", "/"),
            ("a/b/", "a", "b"), ("/a//b", "/a", "b"), ("", "", ""), ("ab", "", "ab"), ("./x.lode", ".", "x.lode"),
            ("~/scripts/run.lode", "~/scripts", "run.lode"),
        ]
        for (path, folder, last) in cases {
            #expect(FilePaths.folder(of: path) == folder, "folder of \(path)")
            #expect(FilePaths.lastComponent(of: path) == last, "last component of \(path)")
        }
        // Where Foundation does not trap (paths of two characters or more) the two agree with it.
        for path in ["a/b", "/x", "ab", "a/b/", "/a//b", "./x.lode", "~/scripts/run.lode", "/tmp/lodestone/"] {
            #expect(FilePaths.folder(of: path) == (path as NSString).deletingLastPathComponent, "\(path)")
            #expect(FilePaths.lastComponent(of: path) == (path as NSString).lastPathComponent, "\(path)")
        }
    }

    @Test("a loop of links, a named pipe and a folder are named as such, not as missing or unreadable")
    func kinds() throws {
        let folder = try Self.folder()
        try FileManager.default.createSymbolicLink(atPath: folder + "/a", withDestinationPath: folder + "/b")
        try FileManager.default.createSymbolicLink(atPath: folder + "/b", withDestinationPath: folder + "/a")
        #expect(mkfifo(folder + "/pipe", 0o600) == 0)
        #expect(FilePaths.kind(of: folder + "/a") == .linkLoop)
        #expect(FilePaths.kind(of: folder + "/pipe") == .namedPipe)
        #expect(FilePaths.kind(of: folder) == .directory)
        #expect(FilePaths.kind(of: folder + "/none") == .missing)
        #expect(FilePaths.readProblem(folder + "/a", shown: "a") == "a is a symbolic link that leads back to itself (a loop of links); point it at an existing file or folder")
        #expect(FilePaths.readProblem(folder + "/pipe", shown: "pipe") == "pipe is a named pipe (FIFO), not a file; save the input to a file first")
        #expect(FilePaths.readProblem(folder + "/none", shown: "none") == nil)
        #expect(FilePaths.resolved(folder + "/a/x") == nil)
    }

    @Test("`~` and relative paths become absolute; `..` and links resolve")
    func absoluteAndResolved() throws {
        let folder = try Self.folder()
        let home = ProcessInfo.processInfo.environment["HOME"] ?? ""
        #expect(FilePaths.absolute("~/x.csv") == home + "/x.csv")
        #expect(FilePaths.absolute("~") == home)
        #expect(FilePaths.absolute("x.csv", relativeTo: "/srv") == "/srv/x.csv")
        #expect(FilePaths.absolute("/a/b", relativeTo: "/srv") == "/a/b")
        let real = try #require(FilePaths.resolved(folder))
        #expect(FilePaths.resolved("sub/../x.csv", relativeTo: folder) == real + "/x.csv")
        #expect(FilePaths.isInside(real + "/x", real))
        #expect(!FilePaths.isInside(real + "x", real))
    }

    @Test("a temporary file left by a writer that is gone is removed at the next write; a live one stays")
    func staleTemporariesRemoved() throws {
        let folder = try Self.folder()
        // A process id that is not running: a finished child's.
        let child = Process()
        child.executableURL = URL(fileURLWithPath: "/bin/true")
        try child.run()
        child.waitUntilExit()
        let gone = child.processIdentifier
        let stale = folder + "/.report.html.tmp-\(gone)-abc123"
        let live = folder + "/.report.html.tmp-1-abc123"  // pid 1 runs
        let unrelated = folder + "/.notes.tmp-keep"
        for file in [stale, live, unrelated] { #expect(FileManager.default.createFile(atPath: file, contents: Data("x".utf8))) }
        try AtomicWrite.write(Array("hello".utf8), to: folder + "/out.txt")
        #expect(!FileManager.default.fileExists(atPath: stale))
        #expect(FileManager.default.fileExists(atPath: live))
        #expect(FileManager.default.fileExists(atPath: unrelated))
        #expect(try String(contentsOfFile: folder + "/out.txt", encoding: .utf8) == "hello")
        let names = try FileManager.default.contentsOfDirectory(atPath: folder).sorted()
        #expect(names == [".notes.tmp-keep", ".report.html.tmp-1-abc123", "out.txt"])
        #expect(AtomicWrite.temporaryPath(for: folder + "/x.csv").hasPrefix(folder + "/.x.csv.tmp-\(getpid())-"))
    }

    @Test("control and bidirectional characters are escaped; ordinary text is left alone")
    func messageText() {
        #expect(MessageText.escaped("plain text, ünïcode, 日本") == "plain text, ünïcode, 日本")
        #expect(MessageText.escaped("a\u{202E}b\u{7}c\nd") == "a\\u{202E}b\\u{7}c\\nd")
        let long = String(repeating: "x", count: 10_000_000)
        let quoted = MessageText.quotedLine(long, column: 5_000_000, length: 3)
        #expect(quoted.line.unicodeScalars.count == MessageText.maximumQuotedLine + 2)
        #expect(quoted.caret.count == MessageText.maximumQuotedLine / 2 + 1 + 3)
    }
}
