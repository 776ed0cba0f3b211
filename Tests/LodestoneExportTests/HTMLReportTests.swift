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
        #expect(metrics.contains("<details>\n<summary>Every metric of the model (6)"))
        #expect(metrics.contains("<code>ramp.reaches_20[JP/NdPr]</code></td><td class=\"num\">2026-06</td>"))
        #expect(metrics.contains("<code>ramp.final[JP/DyTb]</code></td><td class=\"num\">43</td>"))
        #expect(metrics.components(separatedBy: "<tr>").count - 2 == result.metrics.count)

        // One module, one chart: the key chart beside the headline, no "More charts".
        #expect(!html.contains("<section id=\"charts\">"))
        let key = try #require(html.range(of: "<figure class=\"key-chart\">"))
        let chart = String(html[key.upperBound...].prefix { $0 != "¶" }.split(separator: "</figure>")[0])
        #expect(chart.components(separatedBy: "<svg ").count == 2)
        #expect(chart.components(separatedBy: "class=\"series\"").count == 3)
        #expect(!chart.contains("<?xml"))

        let sources = try section("sources", in: html)
        #expect(sources.contains("<tr class=\"assumption\"><td><code>assumption</code><span class=\"badge\">assumption</span>"))
        #expect(sources.contains("<a href=\"https://pubs.usgs.gov/periodicals/mcs2025/mcs2025-rare-earths.pdf\">"))
        #expect(sources.contains("&quot;Mineral Commodity Summaries 2025&quot;"))

        // Self-contained and printable.
        for banned in ["<link", "src=", "@import", "url("] { #expect(!html.contains(banned), "\(banned)") }
        // Two script elements: the provenance's JSON data block, which browsers do not run, and
        // the report's own small inline script (no src, no network).
        #expect(html.components(separatedBy: "<script").count == 3)
        #expect(html.components(separatedBy: "<script>\n").count == 2 && !html.contains("<script src"))
        #expect(html.contains("<script type=\"application/json\" id=\"lodestone-provenance\">"))
        #expect(html.contains("@media print"))
    }

    @Test("the report opens with the answer: a sentence, the metrics that moved, then the key chart")
    func headline() throws {
        let result = try Fixture.run()
        let html = try HTMLReportExporter().render(.run(result))
        let headline = try section("headline", in: html)
        #expect(headline.contains(
            "<p class=\"lede\">Scenario “Curbs, &quot;2026&quot; &lt;test&gt;”, 12 months from 2026-01 to 2026-12 with ramp: "
                + "incident CN&gt;JP severity 0.8 at 2026-02; restrict CN&gt;JP DyTb 100% from 2026-03 for 6 months.</p>"))
        // Moved: every reaches_20 (a month), every final (non-zero); reaches_100 never happens.
        // Month metrics first, in model order, then quantities; six at most.
        let ids = headline.components(separatedBy: "<code>").dropFirst().map { String($0.prefix { $0 != "<" }) }
        #expect(ids == ["ramp.reaches_20[JP/NdPr]", "ramp.reaches_20[JP/DyTb]", "ramp.final[JP/NdPr]", "ramp.final[JP/DyTb]"])
        #expect(!headline.contains("reaches_100"))
        #expect(headline.contains("First month with level ≥ 20<br><code>ramp.reaches_20[JP/NdPr]</code></td><td class=\"num\">2026-06</td><td></td>"))
        #expect(!headline.contains("more moved"))  // all four fit
        // A metric named in `signals:` comes first, even one that never happened.
        let named = try HTMLReportExporter().render(.run(result), options: ExportOptions(signals: ["ramp.reaches_100[JP/DyTb]"]))
        let first = try section("headline", in: named).components(separatedBy: "<code>")[1]
        #expect(first.hasPrefix("ramp.reaches_100[JP/DyTb]</code></td><td class=\"num\">none</td>"))
        // Order: headline, key chart, then the details.
        let order = ["<section id=\"headline\">", "<figure class=\"key-chart\">", "<section id=\"scenario\">",
                     "<section id=\"parameters\">", "<section id=\"metrics\">", "<section id=\"sources\">"]
        let positions = try order.map { try #require(html.range(of: $0), "\($0)").lowerBound }
        #expect(positions == positions.sorted())
    }

    @Test("a comparison's headline shows the metrics that differ between the runs")
    func comparisonHeadline() throws {
        let html = try HTMLReportExporter().render(
            .runs([("slope 3", try Fixture.run(seed: 1)), ("slope 5", try Fixture.run(seed: 2, dyTbSlope: 5))]))
        let headline = try section("headline", in: html)
        #expect(headline.contains("<strong>slope 3:</strong> Scenario"))
        let ids = headline.components(separatedBy: "<code>").dropFirst().map { String($0.prefix { $0 != "<" }) }
        #expect(ids == ["ramp.reaches_20[JP/DyTb]", "ramp.final[JP/DyTb]"])
        #expect(headline.contains("<th class=\"num\">slope 3</th><th class=\"num\">slope 5</th>"))
        #expect(headline.contains("<td class=\"num\">43</td><td class=\"num\">65</td><td>t</td>"))
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
