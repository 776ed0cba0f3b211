import Foundation
import LodestoneKernel
import Testing

@testable import LodestoneExport

@Suite("Markdown export")
struct MarkdownExportTests {
    @Test("a run has its summary, events, changed parameters and metric table")
    func run() throws {
        let result = try Fixture.run()
        let text = try withTemporaryFolder { folder throws in
            let path = folder + "/run.md"
            try MarkdownExporter().write(.run(result), to: path, options: ExportOptions())
            return try String(contentsOfFile: path, encoding: .utf8)
        }
        let lines = text.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        #expect(lines[0] == "# Curbs, \"2026\" \\<test>")
        #expect(lines.contains("- **Dataset:** toy"))
        #expect(lines.contains("- **Months:** 12 (2026-01 to 2026-12)"))
        #expect(lines.contains("- **Seed:** 7"))
        #expect(lines.contains("- 2026-02: incident CN>JP severity 0.8 at 2026-02"))
        #expect(lines.contains("- 2026-03: restrict CN>JP DyTb 100% from 2026-03 for 6 months"))
        #expect(lines.contains("| parameter | value | default | unit |"))
        #expect(lines.contains("| ramp.slope[JP/DyTb] | 3 | 2 | t/month |"))
        #expect(!lines.contains { $0.hasPrefix("| ramp.slope[JP/NdPr]") })
        #expect(lines.contains("## Metrics"))
        #expect(lines.contains("| ramp.final[JP/DyTb] | 43 | t |"))
        #expect(lines.contains("| ramp.reaches_20[JP/NdPr] | 2026-06 | month |"))
        #expect(lines.contains("| ramp.reaches_100[JP/NdPr] | none | month |"))
        let metricRows = lines.filter { $0.hasPrefix("| ramp.") && !$0.hasPrefix("| ramp.slope") }
        #expect(metricRows.count == result.metrics.count)
    }

    @Test("several runs get a summary each and a comparison table")
    func runs() throws {
        let text = try MarkdownExporter().render(
            .runs([("slope 3", try Fixture.run(seed: 1)), ("slope|5", try Fixture.run(seed: 2, dyTbSlope: 5))]))
        #expect(text.contains("## slope 3\n"))
        #expect(text.contains("| metric | slope 3 | slope\\|5 | unit |"))
        #expect(text.contains("| ramp.final[JP/DyTb] | 43 | 65 | t |"))
        #expect(text.contains("| ramp.reaches_20[JP/DyTb] | 2026-05 | 2026-03 | month |"))
    }

    @Test("a baseline run says so and tables render as Markdown tables")
    func baselineAndTable() throws {
        let models: [any Model] = [RampModel()]
        let result = try Runner.run(
            models: models, dataset: Fixture.dataset, scenario: Scenario("baseline"), start: Fixture.start, months: 3,
            seed: 1)
        let text = try MarkdownExporter().render(.run(result))
        #expect(text.contains("No events: the baseline."))
        #expect(text.contains("All parameters at their defaults."))
        let table = try MarkdownExporter().render(
            .table(ResultTable(columns: ["days", "note"], rows: [[.number(30), .text("a|b")], [.number(60), .none]])))
        #expect(table.hasPrefix("| days | note |\n| ---: | --- |\n| 30 | a\\|b |\n| 60 | none |\n\n## Provenance\n"))
    }
}
