import Foundation
import Testing

@testable import LodestoneScript

@Suite("plot of a sensitivity analysis and a discovery to SVG")
struct AnalysisChartTests {
    /// The values of attribute `name` of the elements of class `className`, in document order.
    static func attribute(_ name: String, ofClass className: String, in svg: String) -> [String] {
        let regex = try! Regex("<[a-z]+ [^>]*class=\"\(className)\"[^>]*>")
        return svg.matches(of: regex).compactMap { match in
            let element = String(svg[match.range])
            guard let start = element.range(of: " \(name)=\"") else { return nil }
            return String(element[start.upperBound...].prefix { $0 != "\"" })
        }
    }

    /// The texts of the `<text>` elements of class `className`.
    static func texts(ofClass className: String, in svg: String) -> [String] {
        let regex = try! Regex("<text [^>]*class=\"\(className)\"[^>]*>([^<]*)</text>")
        return svg.matches(of: regex).compactMap { $0.output[1].substring.map(String.init) }
    }

    static let setup = """
        let m = model(trade, stockpile, data: "baseline-2024")
        let s = scenario("curb")
        s.restrict(from: "CN", to: "JP", commodity: "DyTb", start: 2026-01, months: 12)
        let vary = {"stockpile.cover_days[JP]": uniform(0, 240), "trade.ramp_months": uniform(1, 12)}

        """

    static func folder() throws -> String {
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("analysis-chart-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
        return url.path
    }

    @Test("Sobol: a bar per parameter and index with the printed values, whiskers at S ± interval; Morris: mu* and sigma")
    func sensitivityBars() throws {
        let dir = try Self.folder()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let outcome = Harness.run(
            Self.setup + """
                let a = sensitivity(m, s, vary: vary, metric: "stockpile.exhausted_at[JP/DyTb]", samples: 32, months: 12)
                plot(a, "sobol.svg")
                for i in 0..<a.table().count { let row = a.table().row(i); print(row["S1"], row["S1 ±"], row["ST"]) }
                let b = sensitivity(m, s, vary: vary, metric: "stockpile.exhausted_at[JP/DyTb]", method: "morris", samples: 10, months: 12)
                plot(b, "morris.svg", title: "Screening")
                for i in 0..<b.table().count { let row = b.table().row(i); print(row["mu*"], row["sigma"], row["mu* ±"]) }
                plot(a, "a.png")
                """, outputDirectory: dir)
        #expect(outcome.stdout.hasPrefix("wrote sobol.svg\n"))
        #expect(outcome.error?.message.hasPrefix("this chart is written as SVG: name the file NAME.svg") == true, "\(outcome.stderr)")
        let printed = outcome.stdout.split(separator: "\n").filter { !$0.hasPrefix("wrote") }.map { $0.split(separator: " ").compactMap { Double($0) } }
        #expect(printed.count == 4)
        let sobol = try String(contentsOfFile: dir + "/sobol.svg", encoding: .utf8)
        #expect(sobol.contains("<title>Which parameters move stockpile exhausted at (JP/DyTb)</title>"))
        #expect(Self.texts(ofClass: "item-label", in: sobol) == ["stockpile.cover_days[JP]", "trade.ramp_months"])
        #expect(Self.texts(ofClass: "axis-title", in: sobol).count == 1)
        #expect(Self.texts(ofClass: "axis-title", in: sobol).first?.hasSuffix("variance (Sobol index, dimensionless)") == true)
        #expect(Self.texts(ofClass: "figure-subtitle", in: sobol).first?.hasPrefix("sobol, N = 32: 128 runs, seed 1") == true)
        let values = Self.attribute("data-value", ofClass: "bar", in: sobol).compactMap(Double.init)
        #expect(Self.attribute("data-measure", ofClass: "bar", in: sobol).count == 4)
        // S1 and ST of each parameter, as printed (to the 4 significant digits the SVG shows).
        let expected = [printed[0][0], printed[0][2], printed[1][0], printed[1][2]]
        #expect(values.count == 4)
        for (v, e) in zip(values, expected) { #expect(abs(v - e) <= 0.0005 * max(1, abs(e)), "\(v) vs \(e)") }
        // The first whisker spans S1 ± its interval.
        let low = try #require(Self.attribute("data-low", ofClass: "whisker", in: sobol).first.flatMap(Double.init))
        #expect(abs(low - (printed[0][0] - printed[0][1])) <= 0.0005 * max(1, abs(low)))
        let morris = try String(contentsOfFile: dir + "/morris.svg", encoding: .utf8)
        #expect(morris.contains("<title>Screening</title>"))
        #expect(Self.texts(ofClass: "axis-title", in: morris).first?.hasSuffix("(months)") == true)
        let morrisValues = Self.attribute("data-value", ofClass: "bar", in: morris).compactMap(Double.init)
        let mexpected = [printed[2][0], printed[2][1], printed[3][0], printed[3][1]]
        for (v, e) in zip(morrisValues, mexpected) { #expect(abs(v - e) <= 0.0005 * max(1, abs(e)), "\(v) vs \(e)") }
        // mu* has a whisker where its interval is not 0, sigma none.
        #expect(Self.attribute("data-low", ofClass: "whisker", in: morris).count == [printed[2][2], printed[3][2]].filter { $0 > 0 }.count)
    }

    @Test("discovery: every peeling box as a point, the chosen and pasted boxes marked at their coverage and density")
    func tradeoffCurve() throws {
        let dir = try Self.folder()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let outcome = Harness.run(
            Self.setup + """
                let e = montecarlo(m, s, runs: 400, seed: 2, months: 18, bands: [], vary: vary)
                let d = discover(e, where: "stockpile.exhausted_at[JP/DyTb] <= 2026-12")
                plot(d, "tradeoff.svg")
                print(d.tradeoff().count, d.coverage, d.density)
                """, outputDirectory: dir)
        #expect(outcome.exitCode == 0, "\(outcome.stderr)")
        let numbers = try #require(outcome.stdout.split(separator: "\n").last).split(separator: " ").compactMap { Double($0) }
        let svg = try String(contentsOfFile: dir + "/tradeoff.svg", encoding: .utf8)
        #expect(svg.contains("<title>Boxes where stockpile exhausted at (JP/DyTb) ≤ 2026-12: coverage against density</title>"))
        #expect(Self.attribute("data-x", ofClass: "point", in: svg).count == Int(numbers[0]))
        #expect(Self.attribute("data-x", ofClass: "point", in: svg).first == "1")
        let marks = Self.attribute("data-x", ofClass: "mark", in: svg).compactMap(Double.init)
        let markYs = Self.attribute("data-y", ofClass: "mark", in: svg).compactMap(Double.init)
        #expect(marks.count == 2)
        // The second mark is the pasted box: d.coverage, d.density.
        #expect(abs(marks[1] - numbers[1]) < 0.0005 && abs(markYs[1] - numbers[2]) < 0.0005)
        let labels = Self.texts(ofClass: "mark-label", in: svg)
        #expect(labels.count == 2 && labels[0].hasPrefix("chosen: box ") && labels[1].hasPrefix("after pasting: coverage "))
        #expect(Self.texts(ofClass: "axis-title", in: svg).count == 2)
    }
}
