import Foundation
import LodestoneKernel
import Testing

@testable import LodestoneExport

@Suite("Report citations a reader can follow")
struct ReportCitationTests {
    static let notes = """
        # test dataset

        How the numbers were put together.

        The DyTb flow of 120 t/yr is a guess: a tenth of the NdPr flow (`guess-2026`), worth varying from 60 to 240.

        | number | value | source |
        | --- | --- | --- |
        | NdPr flow | 1,200 t/yr | `usgs` |
        | DyTb flow | 120 t/yr | `guess-2026` |
        """

    /// A run on the fixture's dataset whose citations refer to files of the source tree and to its notes.
    static func run() throws -> RunResult {
        var dataset = Fixture.dataset
        dataset.sources = [
            Citation(id: "usgs", citation: "USGS MCS 2025 (shared/reference/sources/prices.csv, row 2024)", url: ""),
            Citation(id: "guess-2026", citation: "Lodestone guess; see NOTES.md in this folder", url: ""),
            Citation(id: "assumption", citation: "Lodestone assumption; see NOTES.md (Data/test/NOTES.md)", url: ""),
        ]
        dataset.notes = notes
        let models: [any Model] = [RampModel()]
        return try Runner.run(
            models: models, dataset: dataset, scenario: Fixture.scenario,
            parameters: ParameterSet(models: models, dataset: dataset), start: Fixture.start, months: Fixture.months, seed: 1)
    }

    @Test("the sources section shows no source-tree path and quotes the notes a citation refers to")
    func notesQuoted() throws {
        let html = try HTMLReportExporter().render(.run(try Self.run()))
        let start = try #require(html.range(of: "<section id=\"sources\">"))
        let end = try #require(html.range(of: "</section>", range: start.upperBound..<html.endIndex))
        let sources = String(html[start.lowerBound..<end.upperBound])
        for banned in ["shared/reference", "Data/", "NOTES.md"] { #expect(!sources.contains(banned), "\(banned)") }
        #expect(sources.contains("<td>USGS MCS 2025</td>"))
        #expect(sources.contains("Lodestone guess; see the dataset&#39;s notes (at the end of this section)")
            || sources.contains("Lodestone guess; see the dataset’s notes (at the end of this section)")
            || sources.contains("Lodestone guess; see the dataset's notes (at the end of this section)"))
        // The paragraph and the table row naming `guess-2026` sit under its citation; `usgs` refers to no notes.
        let guess = try #require(sources.range(of: "<code>guess-2026</code>"))
        let rowEnd = try #require(sources.range(of: "</tr>", range: guess.upperBound..<sources.endIndex))
        let row = sources[guess.upperBound..<rowEnd.lowerBound]
        #expect(row.contains("<summary>From the dataset"))
        #expect(row.contains("a tenth of the NdPr flow"))
        #expect(row.contains("| DyTb flow | 120 t/yr |") && !row.contains("| NdPr flow |"))
        // The whole notes follow the table, folded.
        #expect(sources.contains("<details id=\"notes\">"))
        #expect(sources.contains("How the numbers were put together."))
        #expect(!html.contains("shared/reference"))
    }

    @Test("paragraphs naming an id, and only a table's matching rows")
    func paragraphs() {
        let found = DatasetNotes.paragraphs(Self.notes, naming: "guess-2026")
        #expect(found.count == 2)
        #expect(found[0].hasPrefix("The DyTb flow of 120 t/yr"))
        #expect(found[1] == "| number | value | source |\n| --- | --- | --- |\n| DyTb flow | 120 t/yr | `guess-2026` |")
        #expect(DatasetNotes.paragraphs(Self.notes, naming: "guess-20").isEmpty, "whole words only")
    }
}
