import Testing

@testable import LodestoneScript

@Suite("compare: runs and ensembles side by side")
struct CompareTests {
    /// Two ensembles of the curb that differ only in the stockpile's size.
    static let ensembles = """
        let m = model(trade, stockpile, preset: "v1", data: "baseline-2024")
        let s = scenario("curb")
        s.restrict(from: "CN", to: "JP", commodity: "DyTb", start: 2026-01, months: 12)
        let small = montecarlo(m, s, runs: 200, seed: 7, months: 24, vary: {"stockpile.cover_days[JP]": uniform(0, 120)},
                               bands: ["stockpile.days_of_cover[JP/DyTb]"])
        let large = montecarlo(m, s, runs: 200, seed: 7, months: 24, vary: {"stockpile.cover_days[JP]": uniform(120, 240)},
                               bands: ["stockpile.days_of_cover[JP/DyTb]"])
        let unmet = "stockpile.unmet_total[JP/DyTb]"
        let ex = "stockpile.exhausted_at[JP/DyTb]"

        """

    @Test("each ensemble's column holds its own statistics of each metric")
    func metricStatistics() {
        let outcome = Harness.run(
            Self.ensembles + """
                let c = compare({"small": small, "large": large}, metrics: [ex, unmet])
                print(c.columns)
                print(c.column("statistic"))
                print(c.column("small") == [small.probability(ex)] + small.quantiles(ex, [5%, 50%, 95%])
                                           + [small.mean(unmet)] + small.quantiles(unmet, [5%, 50%, 95%]))
                print(c.column("large") == [large.probability(ex)] + large.quantiles(ex, [5%, 50%, 95%])
                                           + [large.mean(unmet)] + large.quantiles(unmet, [5%, 50%, 95%]))
                print(c.column("metric")[0], c.column("metric")[4])
                """)
        #expect(outcome.exitCode == 0, "\(outcome.stderr)")
        #expect(outcome.stdout == """
            ["metric", "statistic", "small", "large"]
            ["probability", "p5", "p50", "p95", "mean", "p5", "p50", "p95"]
            true
            true
            stockpile.exhausted_at[JP/DyTb] stockpile.unmet_total[JP/DyTb]

            """)
    }

    @Test("without metrics:, those on which the ensembles differ come first")
    func differingFirst() {
        let outcome = Harness.run(Self.ensembles + "let c = compare(small, large)\nprint(c.columns)\nprint(filter(c.column(\"metric\"), fn (x) { x != \"\" }))")
        #expect(outcome.exitCode == 0, "\(outcome.stderr)")
        let lines = outcome.stdout.split(separator: "\n").map(String.init)
        #expect(lines.first == "[\"metric\", \"statistic\", \"curb\", \"curb #2\"]")
        // The stockpile's metrics move with its size; trade's (declared first) do not.
        let metrics = lines.dropFirst().first ?? ""
        let exhausted = metrics.range(of: "stockpile.exhausted_at")?.lowerBound
        let price = metrics.range(of: "trade.peak_price[DyTb]")?.lowerBound
        #expect(exhausted != nil && price != nil && exhausted! < price!, "\(metrics)")
    }

    @Test("with signal:, each ensemble's monthly median of that band")
    func signalMedians() {
        let outcome = Harness.run(
            Self.ensembles + """
                let c = compare({"small": small, "large": large}, signal: "stockpile.days_of_cover[JP/DyTb]")
                print(c.columns, len(c))
                print(c.column("large p50") == large.quantiles("stockpile.days_of_cover[JP/DyTb]").column("p50"))
                """)
        #expect(outcome.exitCode == 0, "\(outcome.stderr)")
        #expect(outcome.stdout == "[\"month\", \"small p50\", \"large p50\"] 24\ntrue\n")
    }

    @Test("plot of several ensembles draws each one's median, labelled")
    func plotEnsembles() throws {
        let outcome = Harness.run(Self.ensembles + "plot({\"small\": small, \"large\": large})")
        #expect(outcome.exitCode == 0, "\(outcome.stderr)")
        let lines = outcome.stdout.split(separator: "\n").map(String.init)
        #expect(lines.first == "small vs large: Days of cover, JP/DyTb", "\(outcome.stdout)")
        #expect(lines.dropFirst().first == "Days of cover (days)", "\(outcome.stdout)")
        // One line per ensemble in the legend.
        #expect(lines.filter { $0.hasSuffix(" small p50") }.count == 1, "\(outcome.stdout)")
        #expect(lines.filter { $0.hasSuffix(" large p50") }.count == 1, "\(outcome.stdout)")
    }

    @Test("runs and ensembles do not mix; a band the ensembles did not keep is named")
    func errors() {
        let mixed = Harness.run(Self.ensembles + "compare(small, run(m, s))")
        #expect(mixed.stderr.contains("`compare` takes runs or ensembles, not both"), "\(mixed.stderr)")
        let mixedPlot = Harness.run(Self.ensembles + "plot([small, run(m, s)])")
        #expect(mixedPlot.stderr.contains("`plot` takes runs or ensembles, not both"), "\(mixedPlot.stderr)")
        let toFile = Harness.run(Self.ensembles + "plot([small, large], file: \"both.svg\")")
        #expect(toFile.stderr.contains("several ensembles plot in the terminal only"), "\(toFile.stderr)")
        let empty = Harness.run("compare([])")
        #expect(empty.stderr.contains("`compare` needs at least one run or ensemble, e.g. compare(r1, r2)"), "\(empty.stderr)")
        let missing = Harness.run(Self.ensembles + "compare(small, large, signal: \"trade.price[DyTb]\")")
        #expect(missing.exitCode != 0)
        #expect(missing.stderr.contains("trade.price[DyTb]"), "\(missing.stderr)")
    }
}
