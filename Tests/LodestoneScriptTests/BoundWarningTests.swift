import Foundation
import Testing

@testable import LodestoneScript

/// A result at a cap is not a result: the run summary, the ensemble summary and the HTML report
/// say when an output sat at a bound (Docs/Models.md, "Honest outputs").
@Suite("Bound warnings")
struct BoundWarningTests {
    /// On the v1 equations, whose 30 × p0 cap a one-year DyTb curb reaches for exactly 12 months.
    static let curb = """
        let m = model(trade, stockpile, preset: "v1", data: "baseline-2024")
        let s = scenario("curb")
        s.restrict(from: "CN", to: "JP", commodity: "DyTb", share: 100%, start: 2026-01, months: 12)

        """

    @Test("a run whose price sits at its cap says so under its summary, with the months")
    func runSummary() throws {
        let outcome = Harness.run(Self.curb + "run(m, s, months: 24)\n")
        #expect(outcome.exitCode == 0, "\(outcome.stderr)")
        let warning = outcome.stdout.split(separator: "\n").first { $0.hasPrefix("warning: DyTb: price at its cap") }
        #expect(
            warning == "warning: DyTb: price at its cap (max_price_multiple) for 12 months: the result is the cap, not the market (trade.months_at_price_cap[DyTb])")
        // The count is a metric too, for scripts.
        let metric = Harness.run(Self.curb + "print(run(m, s, months: 24).metric(\"trade.months_at_price_cap[DyTb]\"))\n")
        #expect(metric.stdout == "12\n")
    }

    @Test("a run that stays below the cap has no warning")
    func noWarningBelowTheCap() throws {
        let outcome = Harness.run(Self.curb + "m.trade.max_price_multiple = 1000\nrun(m, s, months: 24)\n")
        #expect(outcome.exitCode == 0, "\(outcome.stderr)")
        #expect(!outcome.stdout.contains("warning: DyTb: price at its cap"))
    }

    @Test("an ensemble says in how many runs, and the median months")
    func ensembleSummary() throws {
        let outcome = Harness.run(
            Self.curb + "montecarlo(m, s, runs: 20, months: 24, vary: {\"trade.ramp_months\": uniform(3, 9)})\n")
        #expect(outcome.exitCode == 0, "\(outcome.stderr)")
        #expect(outcome.stdout.contains(
            "warning: DyTb: price at its cap (max_price_multiple) in 100% of runs (median 12 months): the result is the cap, not the market (trade.months_at_price_cap[DyTb])"))
        // The count is not listed among the metrics: it is said once, as a warning.
        #expect(!outcome.stdout.contains("  trade.months_at_price_cap[DyTb]  "))
    }

    @Test("the HTML report warns before any number")
    func htmlReport() throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("lodestone-bound-\(getpid())")
        try? FileManager.default.removeItem(at: folder)
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        let outcome = Harness.run(Self.curb + "export(run(m, s, months: 24), \"r.html\")\n", outputDirectory: folder.path)
        #expect(outcome.exitCode == 0, "\(outcome.stderr)")
        let html = try String(contentsOf: folder.appendingPathComponent("r.html"), encoding: .utf8)
        let warning = try #require(html.range(of: "<strong>At a bound:</strong> DyTb: price at its cap (max_price_multiple) for 12 months"))
        let table = try #require(html.range(of: "<table class=\"headline\">"))
        #expect(warning.lowerBound < table.lowerBound)
    }
}
