import Foundation
import LodestoneKernel
import Testing

@testable import LodestoneExport

@Suite("HTML report")
struct HTMLReportTests {
    /// The text of the section with this id.
    func section(_ id: String, in html: String) throws -> String {
        let start = try #require(html.range(of: "<section id=\"\(id)\">"))
        let end = try #require(html.range(of: "</section>", range: start.upperBound..<html.endIndex))
        return String(html[start.upperBound..<end.lowerBound])
    }

    @Test("the report has its sections, escaped text, charts and flagged assumptions")
    func sections() throws {
        let result = try Fixture.run()
        let html = try withTemporaryFolder { folder throws in
            let path = folder + "/report.html"
            try HTMLReportExporter().write(.run(result), to: path, options: ExportOptions())
            return try String(contentsOfFile: path, encoding: .utf8)
        }
        #expect(html.hasPrefix("<!DOCTYPE html>"))
        #expect(html.contains("<title>Curbs, &quot;2026&quot; &lt;test&gt;</title>"))
        #expect(html.contains("<h1>Curbs, &quot;2026&quot; &lt;test&gt;</h1>"))
        #expect(!html.contains("<test>"))

        let scenario = try section("scenario", in: html)
        #expect(scenario.contains("<time datetime=\"2026-03\">2026-03</time>restrict CN&gt;JP DyTb 100% from 2026-03 for 6 months"))
        #expect(scenario.components(separatedBy: "<li>").count == 3)

        let parameters = try section("parameters", in: html)
        #expect(parameters.contains("<code>ramp.slope[JP/DyTb]</code></td><td class=\"num\">3</td><td class=\"num\">2</td><td>t/month</td>"))
        #expect(!parameters.contains("ramp.slope[JP/NdPr]"))

        let metrics = try section("metrics", in: html)
        #expect(metrics.contains("<code>ramp.reaches_20[JP/NdPr]</code></td><td class=\"num\">2026-06</td>"))
        #expect(metrics.contains("<code>ramp.final[JP/DyTb]</code></td><td class=\"num\">43</td>"))
        #expect(metrics.components(separatedBy: "<tr>").count - 2 == result.metrics.count)

        let charts = try section("charts", in: html)
        #expect(charts.components(separatedBy: "<svg ").count == 2)  // one module, one chart
        #expect(charts.components(separatedBy: "class=\"series\"").count == 3)
        #expect(!charts.contains("<?xml"))

        let sources = try section("sources", in: html)
        #expect(sources.contains("<tr class=\"assumption\"><td><code>assumption</code><span class=\"badge\">assumption</span>"))
        #expect(sources.contains("<a href=\"https://pubs.usgs.gov/periodicals/mcs2025/mcs2025-rare-earths.pdf\">"))
        #expect(sources.contains("&quot;Mineral Commodity Summaries 2025&quot;"))

        // Self-contained and printable.
        for banned in ["<script", "<link", "src=", "@import", "url("] { #expect(!html.contains(banned), "\(banned)") }
        #expect(html.contains("@media print"))
    }

    @Test("each inline chart is well-formed XML")
    func chartsAreXML() throws {
        let html = try HTMLReportExporter().render(.run(try Fixture.run()))
        var rest = html[...]
        var count = 0
        while let start = rest.range(of: "<svg "), let end = rest.range(of: "</svg>", range: start.lowerBound..<rest.endIndex) {
            let svg = try parseXML(String(rest[start.lowerBound..<end.upperBound]))
            #expect(svg.elements("text", class: "legend-label").count == 2)
            count += 1
            rest = rest[end.upperBound...]
        }
        #expect(count == 1)
    }

    @Test("several runs are compared and tables become pages")
    func comparison() throws {
        let html = try HTMLReportExporter().render(
            .runs([("slope 3", try Fixture.run(seed: 1)), ("slope 5", try Fixture.run(seed: 2, dyTbSlope: 5))]),
            options: ExportOptions(signals: ["ramp.level[JP/DyTb]"]))
        #expect(html.contains("<h1>Comparison: slope 3, slope 5</h1>"))
        #expect(html.contains("<th>metric</th><th class=\"num\">slope 3</th><th class=\"num\">slope 5</th><th>unit</th>"))
        #expect(html.contains("<td class=\"num\">43</td><td class=\"num\">65</td>"))
        #expect(html.components(separatedBy: "class=\"series\"").count == 3)
        // Sources are listed once.
        #expect(html.components(separatedBy: "<code>usgs</code>").count == 2)

        let table = try HTMLReportExporter().render(
            .table(ResultTable(columns: ["days", "exhausted_at"], rows: [[.number(30), .text("2026-05")]])))
        #expect(table.contains("<tr><td class=\"num\">30</td><td>2026-05</td></tr>"))
    }
}
