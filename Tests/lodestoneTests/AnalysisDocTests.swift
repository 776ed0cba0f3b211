import Foundation
import Testing

/// Python 3 with pandas and matplotlib, for Docs/Analysis.md's examples.
enum AnalysisPython {
    /// Whether `python3 -c "import pandas, matplotlib"` succeeds.
    static let isAvailable: Bool = {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = ["python3", "-c", "import pandas, matplotlib"]
        process.standardOutput = FileHandle.nullDevice
        process.standardError = FileHandle.nullDevice
        guard (try? process.run()) != nil else { return false }
        process.waitUntilExit()
        return process.terminationStatus == 0
    }()
}

/// Docs/Analysis.md: after its `lode` blocks have written the exports (the page test runs them
/// too), every ```python block runs, in order, in the same folder, and must succeed.
@Suite("Analysis.md's Python examples")
struct AnalysisDocTests {
    @Test(
        "every Python block of Docs/Analysis.md runs on the files its script exported",
        .enabled(if: AnalysisPython.isAvailable, "pandas and matplotlib are not installed (pip install pandas matplotlib); .ci/run installs them"),
        .timeLimit(.minutes(3)))
    func pythonExamples() throws {
        let binary = try #require(DocsCLI.binary, "the lodestone executable is built next to the tests")
        let markdown = try String(
            contentsOf: DocsCLI.packageRoot.appendingPathComponent("Docs/Analysis.md"), encoding: .utf8)
        let blocks = MarkdownBlock.blocks(in: markdown)
        let python = blocks.filter { $0.language == "python" }
        #expect(python.count >= 6, "the page has its pandas, SQL and matplotlib examples")
        #expect(blocks.contains { $0.language == "r" }, "the page shows R too")
        let sandbox = try DocsSandbox(binary: binary)
        defer { sandbox.remove() }
        let script = blocks.filter { $0.language == "lode" }.map(\.text).joined(separator: "\n") + "\n"
        try script.write(to: sandbox.directory.appendingPathComponent("analysis.lode"), atomically: true, encoding: .utf8)
        let run = try DocsCLI.run(binary, ["run", "analysis.lode"], in: sandbox.directory, environment: sandbox.environment)
        try #require(run.status == 0, "the lode blocks failed:\n\(run.stderr)")
        for block in python {
            let name = "block-\(block.line).py"
            try block.text.write(to: sandbox.directory.appendingPathComponent(name), atomically: true, encoding: .utf8)
            let outcome = try DocsCLI.run(
                URL(fileURLWithPath: "/usr/bin/env"), ["python3", name], in: sandbox.directory, environment: sandbox.environment,
                mergeOutput: true)
            #expect(outcome.status == 0, "Docs/Analysis.md, the Python block at line \(block.line) failed:\n\(outcome.stdout)")
        }
        // The matplotlib example drew its chart.
        let chart = sandbox.directory.appendingPathComponent("cover.png")
        let size = (try? FileManager.default.attributesOfItem(atPath: chart.path)[.size] as? Int) ?? 0
        #expect(size > 10_000, "cover.png is a real chart (\(size) bytes)")
    }
}
