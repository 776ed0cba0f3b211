import Foundation
import LodestoneKernel
import Testing

@testable import LodestoneScript

/// Safe mode gives every path one meaning (issue 15): the path checked is the path written or
/// read, whatever form it takes — `~`, `~user`, `..`, surrounding blanks, links.
@Suite("Safe-mode paths")
struct SafePathTests {
    /// A fresh folder with a `sub/` folder and a link `out` pointing outside it.
    static func workshop() throws -> (root: String, outside: String) {
        let base = FileManager.default.temporaryDirectory.appendingPathComponent("lodestone-safe-\(UUID().uuidString)")
        let root = base.appendingPathComponent("root").path
        let outside = base.appendingPathComponent("outside").path
        try FileManager.default.createDirectory(atPath: root + "/sub", withIntermediateDirectories: true)
        try FileManager.default.createDirectory(atPath: outside, withIntermediateDirectories: true)
        try FileManager.default.createSymbolicLink(atPath: root + "/out", withDestinationPath: outside)
        return (root, outside)
    }

    static func run(_ source: String, root: String) -> ScriptOutcome {
        Harness.onLargeStack {
            let sink = OutputSink()
            let session = Harness.session(sink: sink, baseDirectory: root, outputDirectory: root)
            session.options.access = .safe(root: root)
            var outcome = ScriptOutcome()
            do { try session.run(source, file: "safe.lode") } catch let error as ScriptError {
                outcome.error = error
            } catch {
                outcome.stderr = "\(error)"
            }
            outcome.stdout = sink.text
            return outcome
        }
    }

    @Test(
        "every form of a path that leaves the folder is refused for export",
        arguments: ["~/x.csv", "~/../x.csv", "~root/x.csv", "../x.csv", "sub/../../x.csv", "out/x.csv", "/tmp/x.csv"])
    func writesOutsideRefused(_ path: String) throws {
        let (root, outside) = try Self.workshop()
        let outcome = Self.run("export(run(model(trade), months: 2), \"\(path)\")", root: root)
        let error = try #require(outcome.error, "\(path)")
        #expect(error.message.hasPrefix("safe mode: cannot write \"\(path)\": it is outside "), "\(error.message)")
        #expect(try FileManager.default.contentsOfDirectory(atPath: outside).isEmpty)
        #expect(!FileManager.default.fileExists(atPath: NSHomeDirectory() + "/x.csv") || path.hasPrefix("/tmp"))
    }

    @Test("a path with blanks around it means the same to the check and the reader")
    func blanksAroundDataPath() throws {
        let (root, _) = try Self.workshop()
        let outcome = Self.run("data(\" ../outside/ \")", root: root)
        #expect(outcome.error?.message.hasPrefix("safe mode: cannot read \" ../outside/ \": it is outside ") == true)
        let home = Self.run("data(\"~/\")", root: root)
        #expect(home.error?.message.hasPrefix("safe mode: cannot read \"~/\": it is outside ") == true)
    }

    @Test("paths inside the folder work: relative, through `..` back inside, and in a subfolder")
    func writesInsideAllowed() throws {
        let (root, _) = try Self.workshop()
        let outcome = Self.run(
            "let r = run(model(trade), months: 2)\nexport(r, \"a.csv\")\nexport(r, \"sub/../b.csv\")\nexport(r, \"sub/c.csv\")",
            root: root)
        #expect(outcome.error == nil)
        for file in ["a.csv", "b.csv", "sub/c.csv"] {
            #expect(FileManager.default.fileExists(atPath: root + "/" + file), "\(file)")
        }
    }

    @Test("the policy hands back the path it checked: links and `..` resolved, `~` expanded")
    func permittedPathIsResolved() throws {
        let (root, _) = try Self.workshop()
        let real = FilePaths.resolved(root) ?? root
        let policy = AccessPolicy.safe(root: root)
        #expect(try policy.permittedPath("sub/../a.csv", relativeTo: root, for: .write).get() == real + "/a.csv")
        #expect(try policy.permittedPath("sub/", relativeTo: root, for: .read).get() == real + "/sub/")
        #expect(throws: PathDenial.self) { try policy.permittedPath("a\u{0}.csv", relativeTo: root, for: .write).get() }
        #expect(AccessPolicy.unrestricted.permittedPath("~/a.csv", for: .write) == .success(FilePaths.expandingTilde("~/a.csv")))
        #expect(FilePaths.expandingTilde("~/a") == (ProcessInfo.processInfo.environment["HOME"] ?? "") + "/a")
        #expect(AccessPolicy.unrestricted.permittedPath("a.csv", for: .write) == .success("a.csv"))
    }
}
