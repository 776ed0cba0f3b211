import Foundation
import LodestoneKernel
import Testing

@testable import LodestoneExport

@Suite("Atomic writes and errors")
struct AtomicWriteTests {
    static let files: [(exporter: any Exporter, name: String)] = [
        (CSVExporter(), "run.csv"), (JSONExporter(), "run.json"), (MarkdownExporter(), "run.md"),
        (SQLiteExporter(), "run.sqlite"), (SVGChartExporter(), "run.svg"), (HTMLReportExporter(), "run.html"),
    ]

    @Test("writing into a folder that does not exist fails clearly and creates nothing")
    func missingFolder() throws {
        let result = try Fixture.run()
        try withTemporaryFolder { folder throws in
            for (exporter, name) in Self.files {
                let path = folder + "/missing/" + name
                #expect {
                    try exporter.write(.run(result), to: path, options: ExportOptions())
                } throws: { error in
                    guard case .writeFailed(let reported, let reason) = error as? ExportError else { return false }
                    return reported == path && reason.contains("does not exist")
                }
                #expect(
                    "\(ExportError.writeFailed(path: path, reason: "the folder `\(folder)/missing` does not exist; create it first"))"
                        == "cannot write \(path): the folder `\(folder)/missing` does not exist; create it first")
            }
            #expect(try contents(of: folder) == [])
        }
    }

    @Test("a folder that is a loop of symbolic links is named as such; a stale temporary file is cleaned up")
    func loopingFolderAndStaleTemporary() throws {
        let result = try Fixture.run()
        try withTemporaryFolder { folder throws in
            try FileManager.default.createSymbolicLink(atPath: folder + "/loop", withDestinationPath: folder + "/loop")
            #expect {
                try CSVExporter().write(.run(result), to: folder + "/loop/run.csv", options: ExportOptions())
            } throws: { error in
                guard case .writeFailed(_, let reason) = error as? ExportError else { return false }
                return reason == "the folder `\(folder)/loop` is a symbolic link that leads back to itself (a loop of links)"
            }
            try FileManager.default.removeItem(atPath: folder + "/loop")
            // A temporary file left by a writer whose process is gone (pid 2^22 + 1 is above Linux's default pid_max).
            let stale = folder + "/.run.csv.tmp-4194305-abc"
            #expect(FileManager.default.createFile(atPath: stale, contents: Data("partial".utf8)))
            try CSVExporter().write(.run(result), to: folder + "/run.csv", options: ExportOptions())
            #expect(!FileManager.default.fileExists(atPath: stale))
            #expect(try contents(of: folder).contains("run.csv"))
            #expect(try !contents(of: folder).contains { $0.contains(".tmp-") })
        }
    }

    @Test("an existing file is kept unless overwrite is given (SQLite appends instead)")
    func existingFile() throws {
        let result = try Fixture.run()
        try withTemporaryFolder { folder throws in
            for (exporter, name) in Self.files where exporter.format != "sqlite" {
                let path = folder + "/" + name
                try "keep me".write(toFile: path, atomically: false, encoding: .utf8)
                #expect(throws: ExportError.exists(path)) {
                    try exporter.write(.run(result), to: path, options: ExportOptions())
                }
                #expect(try String(contentsOfFile: path, encoding: .utf8) == "keep me")
                try exporter.write(.run(result), to: path, options: ExportOptions(overwrite: true))
                #expect(try String(contentsOfFile: path, encoding: .utf8).count > 100)
            }
            #expect("\(ExportError.exists("a.csv"))" == "a.csv exists; pass `overwrite: true` to replace it")
            // No temporary files left behind.
            // No temporary files left behind; a CSV has its metrics and metadata beside it.
            #expect(
                try contents(of: folder) == [
                    "run.csv", "run.csv-metadata.json", "run.html", "run.json", "run.md", "run.metrics.csv", "run.svg",
                ])
        }
    }

    @Test("a folder as destination, an empty name, or a failing render leave nothing behind")
    func failuresLeaveNothing() throws {
        let result = try Fixture.run()
        try withTemporaryFolder { folder throws in
            try FileManager.default.createDirectory(atPath: folder + "/out.csv", withIntermediateDirectories: false)
            #expect {
                try CSVExporter().write(.run(result), to: folder + "/out.csv", options: ExportOptions(overwrite: true))
            } throws: { error in
                guard case .writeFailed(_, let reason) = error as? ExportError else { return false }
                return reason.contains("folder")
            }
            #expect(throws: ExportError.self) {
                try CSVExporter().write(.run(result), to: "", options: ExportOptions())
            }
            #expect(throws: ExportError.self) {
                try CSVExporter().write(.run(result), to: folder + "/", options: ExportOptions())
            }
            for (exporter, name) in Self.files where exporter.format != "markdown" {
                #expect(throws: LookupError.self) {
                    try exporter.write(.run(result), to: folder + "/" + name, options: ExportOptions(signals: ["ramp.lvl"]))
                }
            }
            #expect(try contents(of: folder) == ["out.csv"])
        }
    }

    @Test("an unwritable destination is a clear error, even for root")
    func unwritable() throws {
        let result = try Fixture.run()
        try withTemporaryFolder { folder throws in
            let file = folder + "/plain.txt"
            try "x".write(toFile: file, atomically: false, encoding: .utf8)
            for (exporter, name) in Self.files {
                #expect {
                    try exporter.write(.run(result), to: file + "/" + name, options: ExportOptions())
                } throws: { error in
                    guard case .writeFailed(_, let reason) = error as? ExportError else { return false }
                    return reason.contains("is a file, not a folder")
                }
            }
            #expect(try contents(of: folder) == ["plain.txt"])
        }
        // /proc takes no new files, whoever asks.
        if FileManager.default.fileExists(atPath: "/proc/self") {
            for (exporter, name) in Self.files {
                let path = "/proc/lodestone-export-test-" + name
                #expect {
                    try exporter.write(.run(result), to: path, options: ExportOptions())
                } throws: { error in
                    guard case .writeFailed(let reported, _) = error as? ExportError else { return false }
                    return reported == path
                }
                #expect(!FileManager.default.fileExists(atPath: path))
            }
        }
    }

    @Test("the commit step does not replace a file that appeared meanwhile without overwrite")
    func commitRace() throws {
        try withTemporaryFolder { folder throws in
            let target = folder + "/late.txt"
            let temporary = AtomicFile.temporaryPath(for: target)
            #expect(temporary.hasPrefix(folder + "/.late.txt.tmp-"))
            try "new".write(toFile: temporary, atomically: false, encoding: .utf8)
            try "first".write(toFile: target, atomically: false, encoding: .utf8)
            #expect(throws: ExportError.exists(target)) {
                try AtomicFile.commit(temporary, to: target, overwrite: false, reportedAs: target)
            }
            #expect(try String(contentsOfFile: target, encoding: .utf8) == "first")
            try AtomicFile.commit(temporary, to: target, overwrite: true, reportedAs: target)
            #expect(try String(contentsOfFile: target, encoding: .utf8) == "new")
            #expect(try contents(of: folder) == ["late.txt"])
        }
    }

    @Test("a bare file name is written to the current folder's path form and ~ is expanded")
    func paths() {
        #expect(AtomicFile.folder(of: "run.csv") == ".")
        #expect(AtomicFile.folder(of: "/run.csv") == "/")
        #expect(AtomicFile.folder(of: "out/run.csv") == "out")
        #expect(!AtomicFile.resolve("~/x.csv").hasPrefix("~"))
    }
}

@Suite("Registration")
struct RegistrationTests {
    @Test("every exporter registers and is found by format or extension")
    func registerAll() throws {
        var registry = Registry()
        try LodestoneExport.registerAll(in: &registry)
        let formats = ["csv", "json", "records", "markdown", "sqlite", "svg", "html"]
        #expect(registry.exporters.map(\.format) == formats)
        let byExtension: [(String, String)] = [
            ("a.csv", "csv"), ("a.JSON", "json"), ("notes.md", "markdown"), ("w.db", "sqlite"), ("w.sqlite3", "sqlite"),
            ("c.svg", "svg"), ("r.htm", "html"), ("out/r.html", "html"),
        ]
        for (path, format) in byExtension {
            #expect(try registry.exporter(format: nil, path: path).format == format, "\(path)")
        }
        #expect(try registry.exporter(format: "SVG", path: "x.txt").format == "svg")
        #expect(throws: ExportError.unknownFormat("xlsx", known: formats)) {
            try registry.exporter(format: nil, path: "r.xlsx")
        }
        #expect(throws: ExportError.unknownFormat("jsn", known: formats)) {
            try registry.exporter(format: "jsn", path: "r.txt")
        }
        #expect(throws: RegistryError.self) { try LodestoneExport.registerAll(in: &registry) }
        for exporter in registry.exporters { #expect(!exporter.summary.isEmpty) }
    }
}
