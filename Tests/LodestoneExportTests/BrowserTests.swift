import Foundation
import LodestoneKernel
import Testing

@testable import LodestoneExport

/// A headless Chromium, if one is installed (Debian: `chromium-headless-shell` or `chromium`).
enum HeadlessBrowser {
    static let names = ["chromium-headless-shell", "chromium", "chromium-browser", "google-chrome"]

    /// The first browser found on `PATH`, like `which`.
    static let path: String? = {
        let folders = (ProcessInfo.processInfo.environment["PATH"] ?? "/usr/bin:/bin").split(separator: ":")
        for name in names {
            for folder in folders where FileManager.default.isExecutableFile(atPath: "\(folder)/\(name)") {
                return "\(folder)/\(name)"
            }
        }
        return nil
    }()

    /// Runs the browser on `url` with `arguments`; returns its standard output.
    static func run(_ arguments: [String], url: String, profile: String) throws -> String {
        let browser = try #require(path)
        let process = Process()
        process.executableURL = URL(fileURLWithPath: browser)
        process.arguments =
            ["--headless", "--no-sandbox", "--disable-gpu", "--hide-scrollbars", "--no-first-run",
             "--user-data-dir=\(profile)"] + arguments + [url]
        let output = Pipe()
        process.standardOutput = output
        process.standardError = FileHandle.nullDevice
        try process.run()
        let data = output.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        #expect(process.terminationStatus == 0, "\(browser) exited with \(process.terminationStatus)")
        return String(decoding: data, as: UTF8.self)
    }
}

@Suite("HTML report in a headless browser")
struct BrowserTests {
    @Test(
        "the report renders to a non-blank screenshot and its DOM holds the charts",
        .enabled(
            if: HeadlessBrowser.path != nil,
            "no headless browser: install Debian's chromium-headless-shell (or chromium) to run this test"),
        .timeLimit(.minutes(2)))
    func screenshotAndDOM() throws {
        let result = try Fixture.run()
        try withTemporaryFolder { folder throws in
            let report = folder + "/report.html"
            try HTMLReportExporter().write(.run(result), to: report, options: ExportOptions())
            let blank = folder + "/blank.html"
            try "<!DOCTYPE html><html><body></body></html>".write(toFile: blank, atomically: true, encoding: .utf8)

            let size = "--window-size=1000,1400"
            _ = try HeadlessBrowser.run(
                ["--screenshot=\(folder)/report.png", size], url: "file://\(report)", profile: folder + "/profile1")
            _ = try HeadlessBrowser.run(
                ["--screenshot=\(folder)/blank.png", size], url: "file://\(blank)", profile: folder + "/profile2")
            let shot = try Data(contentsOf: URL(fileURLWithPath: folder + "/report.png"))
            let empty = try Data(contentsOf: URL(fileURLWithPath: folder + "/blank.png"))
            #expect(Array(shot.prefix(8)) == [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A])  // PNG signature
            // A blank page compresses to almost nothing; text and charts do not.
            #expect(shot.count > 20_000)
            #expect(shot.count > 5 * empty.count, "report \(shot.count) bytes vs blank \(empty.count) bytes")

            let dom = try HeadlessBrowser.run(["--dump-dom"], url: "file://\(report)", profile: folder + "/profile3")
            #expect(dom.contains("<svg"))
            #expect(dom.components(separatedBy: "class=\"series\"").count == 3)
            for id in ["scenario", "parameters", "metrics", "charts", "sources"] {
                #expect(dom.contains("<section id=\"\(id)\">"), "section \(id)")
            }
            #expect(dom.contains("ramp.level[JP/DyTb]"))
        }
    }

    @Test(
        "an ensemble report renders with its band charts in a real browser",
        .enabled(
            if: HeadlessBrowser.path != nil,
            "no headless browser: install Debian's chromium-headless-shell (or chromium) to run this test"),
        .timeLimit(.minutes(2)))
    func ensembleReport() throws {
        let ensemble = try EnsembleFixture.ensemble()
        try withTemporaryFolder { folder throws in
            let report = folder + "/ensemble.html"
            try HTMLReportExporter().write(.ensemble(ensemble), to: report, options: ExportOptions())
            _ = try HeadlessBrowser.run(
                ["--screenshot=\(folder)/ensemble.png", "--window-size=1000,1400"], url: "file://\(report)",
                profile: folder + "/profile1")
            let shot = try Data(contentsOf: URL(fileURLWithPath: folder + "/ensemble.png"))
            #expect(Array(shot.prefix(4)) == [0x89, 0x50, 0x4E, 0x47])
            #expect(shot.count > 20_000)
            let dom = try HeadlessBrowser.run(["--dump-dom"], url: "file://\(report)", profile: folder + "/profile2")
            #expect(dom.components(separatedBy: "class=\"band\"").count - 1 == 4)
            #expect(dom.components(separatedBy: "class=\"band-median\"").count - 1 == 2)
            for id in ["scenario", "parameters", "metrics", "probabilities", "charts", "sources"] {
                #expect(dom.contains("<section id=\"\(id)\">"), "section \(id)")
            }
        }
    }
}
