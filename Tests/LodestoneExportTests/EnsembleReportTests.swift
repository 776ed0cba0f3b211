import Foundation
import LodestoneKernel
import Testing

@testable import LodestoneExport

@Suite("Markdown and HTML reports of ensembles and sweeps")
struct EnsembleReportTests {
    /// The text of the section with this id.
    func section(_ id: String, in html: String) throws -> String {
        let start = try #require(html.range(of: "<section id=\"\(id)\">"))
        let end = try #require(html.range(of: "</section>", range: start.upperBound..<html.endIndex))
        return String(html[start.upperBound..<end.lowerBound])
    }

    /// Every inline SVG of a page, parsed.
    func charts(in html: String) throws -> [XMLElement] {
        var rest = html[...]
        var charts: [XMLElement] = []
        while let start = rest.range(of: "<svg "), let end = rest.range(of: "</svg>", range: start.lowerBound..<rest.endIndex) {
            charts.append(try parseXML(String(rest[start.lowerBound..<end.upperBound])))
            rest = rest[end.upperBound...]
        }
        return charts
    }

    @Test("an ensemble's Markdown has its summary, varied parameters and metric percentiles")
    func ensembleMarkdown() throws {
        let ensemble = try EnsembleFixture.ensemble()
        let slopes = EnsembleFixture.draws(ensemble)
        let text = try withTemporaryFolder { folder throws in
            let path = folder + "/ensemble.md"
            try MarkdownExporter().write(.ensemble(ensemble), to: path, options: ExportOptions())
            return try String(contentsOfFile: path, encoding: .utf8)
        }
        let lines = text.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        #expect(lines[0] == "# Curbs, \"2026\" \\<test>")
        #expect(lines.contains("- **Runs:** 40 runs"))
        #expect(lines.contains("- **Seed:** 11"))
        #expect(lines.contains("- **Bands:** ramp.level\\[JP/DyTb\\], ramp.level\\[JP/NdPr\\]"))
        #expect(lines.contains("- 2026-03: restrict CN>JP DyTb 100% from 2026-03 for 6 months"))
        let median = NumberText.readable(EnsembleFixture.quantile(slopes, 0.5), digits: 6)
        #expect(lines.contains { $0.hasPrefix("| ramp.slope[JP/DyTb] | choice([0.5, 1, 2, 4]) | ") && $0.contains("| \(median) |") })
        #expect(lines.contains("| ramp.slope[JP/NdPr] | 3 | 2 | t/month |"))
        #expect(lines.contains("| metric | p5 | p50 | p95 | mean | probability | unit |"))
        #expect(lines.contains("| ramp.final[JP/NdPr] | 43 | 43 | 43 | 43 | 100% | t |"))
        #expect(lines.contains("| ramp.reaches_100[JP/DyTb] | none | none | none | none | 0% | month |"))
        let share = NumberText.readable(Double(slopes.filter { $0 != 0.5 }.count) / 40 * 100) + "%"
        #expect(lines.contains { $0.hasPrefix("| ramp.reaches_20[JP/DyTb] | 2026-04 |") && $0.hasSuffix("| \(share) | month |") })
        #expect(lines.filter { $0.hasPrefix("| ramp.") && !$0.hasPrefix("| ramp.slope") }.count == ensemble.metrics.count)
    }

    @Test("a sweep's Markdown has the swept values and one table row per point")
    func sweepMarkdown() throws {
        let sweep = try EnsembleFixture.sweep()
        let text = try MarkdownExporter().render(
            .sweep(sweep), options: ExportOptions(signals: ["ramp.final", "ramp.reaches_20[JP/DyTb]"]))
        let lines = text.split(separator: "\n").map(String.init)
        #expect(lines[0] == "# Sweep of ramp.slope\\[JP/DyTb\\] × ramp.offset")
        #expect(lines.contains("- **Points:** 6 points"))
        #expect(lines.contains("| ramp.slope[JP/NdPr] | 3 | 2 | t/month |"))
        #expect(!lines.contains { $0.hasPrefix("| ramp.offset |") })
        #expect(
            lines.contains(
                "| ramp.slope[JP/DyTb] | ramp.offset | ramp.final[JP/NdPr] | ramp.final[JP/DyTb] | ramp.reaches_20[JP/DyTb] |"))
        #expect(lines.contains("| 1 | 0 | 33 | 11 | none |"))
        #expect(lines.contains("| 4 | 10 | 43 | 54 | 2026-04 |"))
        #expect(throws: LookupError.self) {
            try MarkdownExporter().render(.sweep(sweep), options: ExportOptions(signals: ["ramp.fnial"]))
        }
    }

    @Test("an ensemble's HTML report has its sections, probabilities and band charts")
    func ensembleHTML() throws {
        let ensemble = try EnsembleFixture.ensemble()
        let slopes = EnsembleFixture.draws(ensemble)
        let html = try withTemporaryFolder { folder throws in
            let path = folder + "/ensemble.html"
            try HTMLReportExporter().write(.ensemble(ensemble), to: path, options: ExportOptions())
            return try String(contentsOfFile: path, encoding: .utf8)
        }
        #expect(html.hasPrefix("<!DOCTYPE html>"))
        #expect(html.contains("Monte Carlo ensemble of <strong>40 runs</strong>"))
        #expect(try section("scenario", in: html).components(separatedBy: "<li>").count == 3)
        let parameters = try section("parameters", in: html)
        #expect(parameters.contains("<td><code>ramp.slope[JP/DyTb]</code></td><td><code>choice([0.5, 1, 2, 4])</code></td>"))
        #expect(parameters.contains("<code>ramp.slope[JP/NdPr]</code></td><td class=\"num\">3</td><td class=\"num\">2</td>"))
        let metrics = try section("metrics", in: html)
        let final = NumberText.readable(10 + 11 * EnsembleFixture.quantile(slopes, 0.5), digits: 6)
        #expect(metrics.contains("<code>ramp.final[JP/DyTb]</code></td><td class=\"num\">"))
        #expect(metrics.contains("<td class=\"num\">\(final)</td>"))
        #expect(!metrics.contains("reaches_20"))
        let probabilities = try section("probabilities", in: html)
        let share = NumberText.readable(Double(slopes.filter { $0 != 0.5 }.count) / 40 * 100) + "%"
        #expect(probabilities.contains("<code>ramp.reaches_20[JP/DyTb]</code></td><td class=\"num\">\(share)</td><td class=\"num\">2026-04</td>"))
        #expect(probabilities.contains("<code>ramp.reaches_100[JP/DyTb]</code></td><td class=\"num\">0%</td>"))
        #expect(probabilities.contains("probability by 2026-12"))

        let svgs = try charts(in: html)  // the first beside the headline, the second under "More charts"
        #expect(svgs.count == 2)
        #expect(try charts(in: try section("charts", in: html)).count == 1)
        let headline = try section("headline", in: html)
        #expect(headline.contains("40 runs varying ramp.slope[JP/DyTb] ~ choice([0.5, 1, 2, 4])."))
        #expect(headline.contains("<code>ramp.reaches_20[JP/DyTb]</code></td><td class=\"num\">\(share)</td><td class=\"num\">2026-04</td>"))
        #expect(!headline.contains("reaches_100"))
        for svg in svgs {
            #expect(svg.elements("path", class: "band").count == 2)
            #expect(svg.elements("path", class: "band-median").count == 1)
        }
        // Charts are titled in words (the signal's declared title) with the key.
        #expect(svgs.map { $0.elements("title").first?.text } == ["Level of the ramp, JP/DyTb", "Level of the ramp, JP/NdPr"])
        #expect(try section("sources", in: html).contains("<span class=\"badge\">assumption</span>"))
        for banned in ["<link", "src=", "url("] { #expect(!html.contains(banned), "\(banned)") }
        #expect(html.components(separatedBy: "<script").count == 3)  // the provenance's data block and the inline script
    }

    @Test("a sweep's HTML report has the swept values, its table and a chart with a line per point")
    func sweepHTML() throws {
        let sweep = try EnsembleFixture.sweep()
        let html = try HTMLReportExporter().render(.sweep(sweep))
        #expect(html.contains("<h1>Sweep of ramp.slope[JP/DyTb] × ramp.offset</h1>"))
        let parameters = try section("parameters", in: html)
        #expect(parameters.contains("<tr><td><code>ramp.slope[JP/DyTb]</code></td><td>1, 2, 4</td></tr>"))
        #expect(parameters.contains("<tr><td><code>ramp.offset</code></td><td>0, 10</td></tr>"))
        #expect(!parameters.contains("<code>ramp.offset</code></td><td class=\"num\">"))
        let table = try section("table", in: html)
        #expect(table.components(separatedBy: "<tr>").count - 2 == 6)
        #expect(table.contains("<th>ramp.slope[JP/DyTb]</th><th>ramp.offset</th><th>ramp.final[JP/NdPr]</th>"))
        #expect(!table.contains("reaches_100"))  // the same (none) at every point
        #expect(table.contains("<tr><td class=\"num\">4</td><td class=\"num\">10</td><td class=\"num\">43</td><td class=\"num\">54</td>"))
        let svgs = try charts(in: html)
        #expect(svgs.count == 1)
        let svg = try #require(svgs.first)
        #expect(svg.elements("path", class: "series").count == 6)
        #expect(svg.elements("text", class: "legend-label").first?.text == "ramp.slope[JP/DyTb]=1, ramp.offset=0")
        #expect(try section("sources", in: html).contains("<code>usgs</code>"))
    }

    @Test("a sweep's report opens with the answer: what was swept, and the metrics that moved across points")
    func sweepHeadline() throws {
        let sweep = try EnsembleFixture.sweep()
        let html = try HTMLReportExporter().render(.sweep(sweep))
        let headline = try section("headline", in: html)
        let order = ["<section id=\"headline\">", "<figure class=\"key-chart\">", "<section id=\"table\">", "<section id=\"scenario\">"]
        let positions = order.map { html.range(of: $0)?.lowerBound }
        #expect(positions.allSatisfy { $0 != nil })
        #expect(positions.compactMap { $0 } == positions.compactMap { $0 }.sorted(), "headline, key chart, table, then the rest")
        #expect(headline.contains("Swept ramp.slope[JP/DyTb] over 1, 2, 4 and ramp.offset over 0, 10: 6 points, the same seed at each."))
        // Six points: the first and last point, with the lowest and highest over all of them.
        #expect(headline.contains("<th class=\"num\">first point</th><th class=\"num\">lowest</th><th class=\"num\">highest</th><th class=\"num\">last point</th>"))
        // final[JP/DyTb] = offset + 10 + slope · 11 − 10: 11 at (1, 0), 54 at (4, 10).
        #expect(headline.contains("<code>ramp.final[JP/DyTb]</code></td><td class=\"num\">11</td><td class=\"num\">11</td><td class=\"num\">54</td><td class=\"num\">54</td>"))
        #expect(!headline.contains("reaches_100"), "a metric that never happens did not move")
        #expect(headline.contains("<p class=\"download\">"))

        // Up to four points: one column per point, headed by its swept values.
        let (plan, parameters) = try EnsembleFixture.plan()
        let small = try Sweep.run(plan, parameters: parameters, grid: [(EnsembleFixture.varied, [1, 4])], seed: 3, threads: 1)
        let few = try section("headline", in: try HTMLReportExporter().render(.sweep(small)))
        #expect(few.contains("<th class=\"num\">ramp.slope[JP/DyTb]=1</th><th class=\"num\">ramp.slope[JP/DyTb]=4</th>"))
        #expect(few.contains("<code>ramp.final[JP/DyTb]</code></td><td class=\"num\">21</td><td class=\"num\">54</td>"))
    }
}
