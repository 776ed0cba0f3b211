import LodestoneKernel
import Testing

@testable import LodestoneScript

@Suite("REPL support")
struct IntrospectionTests {
    func session() throws -> Session {
        let session = Harness.session(sink: OutputSink())
        try session.run(
            "let m = model(tank, data: \"baseline-2024\")\nlet s = scenario(\"x\")\nlet r = run(m, s, months: 2)\nlet rec = {\"alpha\": 1}",
            file: "<repl>")
        return session
    }

    @Test("names for completion and :vars")
    func names() throws {
        let session = try session()
        #expect(session.variableNames == ["m", "r", "rec", "s"])
        #expect(session.moduleNames == ["trade", "stockpile", "diplomacy", "tank"])
        #expect(session.builtinNames.contains("montecarlo"))
        #expect(session.globalNames.contains("r") && session.globalNames.contains("print"))
        guard case .model(let model)? = session.value(of: "m"), case .run(let run)? = session.value(of: "r") else {
            Issue.record("expected a model and a run")
            return
        }
        #expect(session.parameterPaths(of: model) == ["tank.start_level[JP/NdPr]", "tank.start_level[JP/DyTb]", "tank.start_level[JP/Other]", "tank.use"])
        #expect(session.signalIDs(of: run).contains("tank.empty_at[JP/DyTb]"))
        #expect(session.memberNames(of: .run(run)).contains("summary"))
    }

    @Test("cancellation stops loops and runs with a cancellation error")
    func cancellation() throws {
        let flag = Flag()
        var options = Session.Options()
        options.isCancelled = { flag.isSet }
        options.output = { _ in }
        let session = Session(registry: Harness.registry, options: options)
        try session.run("let n = 0", file: "<repl>")
        flag.isSet = true
        do {
            try session.run("while true { n += 1 }", file: "<repl>")
            Issue.record("expected cancellation")
        } catch {
            #expect(error.isCancellation)
            #expect(error.message == "cancelled")
        }
        do {
            try session.run("run(model(tank, data: \"baseline-2024\"))", file: "<repl>")
            Issue.record("expected cancellation")
        } catch {
            #expect(error.isCancellation)
        }
        flag.isSet = false
        try session.run("n = n + 1", file: "<repl>")
        if case .number(let n)? = session.value(of: "n") { #expect(n >= 1) } else { Issue.record("n kept") }
    }

    @Test("echo can be turned off; the last expression's value is returned")
    func echo() throws {
        let sink = OutputSink()
        let session = Harness.session(sink: sink)
        session.options.echoesExpressions = false
        let value = try session.run("1 + 1", file: "<repl>")
        #expect(sink.text == "")
        #expect(value.map(ValueFormatter.inline) == "2")
        #expect(try session.run("let z = 1", file: "<repl>") == nil)
    }

    @Test("export writes files the exporters can read back")
    func export() throws {
        let (simple, text) = try Self.runWritingFile(
            "let r = run(model(tank, data: \"baseline-2024\"), months: 3)\nexport(r.table(\"tank.level[JP/DyTb]\"), \"levels.csv\")",
            file: "levels.csv")
        #expect(simple.exitCode == 0, "\(simple.stderr)")
        #expect(text.hasPrefix("month,tank.level[JP/DyTb]\n2026-01,100\n"))
    }

    /// Runs `source` with a fresh output folder, and returns the outcome and the text of `file`
    /// written there.
    static func runWritingFile(_ source: String, file: String) throws -> (ScriptOutcome, String) {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("lodestone-out-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        let outcome = Harness.run(source, outputDirectory: directory.path)
        return (outcome, (try? String(contentsOf: directory.appendingPathComponent(file), encoding: .utf8)) ?? "")
    }

    @Test("a sweep shows first the metrics that differ between its points")
    func sweepDisplayPrefersVaryingMetrics() throws {
        let outcome = Harness.run(
            """
            let d = data("baseline-2024")
            let s = scenario("curb")
            s.restrict(from: "CN", to: "JP", commodity: "DyTb", start: 2026-02, months: 12)
            sweep(model(trade, stockpile, diplomacy, preset: "v1", data: "baseline-2024"), s, param: "stockpile.cover_days[JP]", values: [0, 60, 120, 240])
            """)
        #expect(outcome.exitCode == 0, "\(outcome.stderr)")
        let lines = outcome.stdout.split(separator: "\n").map(String.init)
        let header = try #require(lines.dropFirst().first).split(separator: " ", omittingEmptySubsequences: true).map(String.init)
        // Every shown metric changes with the stockpile's cover; in v1 trade's metrics (declared
        // first) do not (in v2 releases and the stock cover move the price).
        #expect(header == [
            "stockpile.cover_days[JP]", "stockpile.exhausted_at[JP/DyTb]", "stockpile.unmet_total[JP/DyTb]",
            "stockpile.unmet_peak_share[JP/DyTb]", "stockpile.release_total[JP/DyTb]",
        ])
        #expect(lines.last?.hasSuffix("(`.table(\"id\")` on the sweep shows any metric or signal)") == true)
    }

    @Test("plot(sweep) draws what the sweep moves most, one line per point, titled like its SVG chart")
    func plotSweep() throws {
        let outcome = Harness.run(
            """
            let d = data("baseline-2024")
            let s = scenario("curb")
            s.restrict(from: "CN", to: "JP", commodity: "DyTb", start: 2026-02, months: 12)
            let w = sweep(model(trade, stockpile, diplomacy, preset: "v1", data: "baseline-2024"), s, param: "stockpile.cover_days[JP]", values: [0, 60, 120])
            plot(w)
            """)
        #expect(outcome.exitCode == 0, "\(outcome.stderr)")
        let lines = outcome.stdout.split(separator: "\n").map(String.init)
        let first = try #require(lines.first)
        // Titled in words, like the sweep's SVG chart: the parameter with key and unit, the signal
        // with its key; the panel below with the signal's declared title and unit.
        #expect(first.hasPrefix("Sweep of Stockpile cover days, JP (days): "), "\(first)")
        #expect(!first.contains("stockpile."), "\(first)")
        // The legend names each point; the title names the signal.
        for value in ["0", "60", "120"] {
            #expect(lines.contains { $0.hasSuffix(" stockpile.cover_days[JP]=\(value)") }, "\(outcome.stdout)")
        }
        // One chart: the title appears once.
        #expect(lines.filter { $0.hasPrefix("Sweep of") }.count == 1)
    }

    @Test("plot titles every panel in words with its unit, as the SVG charts do: runs, comparisons, ensembles")
    func plotTitlesInWords() throws {
        let outcome = Harness.run(
            """
            let m = model(trade, stockpile, diplomacy, preset: "v1", data: "baseline-2024")
            let s = scenario("curb")
            s.restrict(from: "CN", to: "JP", commodity: "DyTb", start: 2026-02, months: 12)
            let r = run(m, s, months: 24)
            plot(r, "stockpile.days_of_cover[JP/DyTb]", "trade.shortfall[JP/DyTb]", "trade.demand[JP/DyTb]")
            plot({"a": r, "b": run(m, scenario("none"), months: 24)}, "stockpile.days_of_cover[JP/DyTb]")
            let e = montecarlo(m, s, runs: 4, months: 12, bands: ["trade.price[DyTb]"])
            plot(e)
            plot({"x": e, "y": e}, "trade.price[DyTb]")
            """)
        #expect(outcome.exitCode == 0, "\(outcome.stderr)")
        let lines = outcome.stdout.split(separator: "\n").map(String.init)
        // Each chart: its title, then the panel's title from the declared signal titles and unit.
        let run = try #require(lines.firstIndex(of: "curb"))
        #expect(lines[run + 1] == "Days of cover (days)")
        #expect(lines.contains("Shortfall, Demand (t/month)"))
        #expect(lines[try #require(lines.firstIndex(of: "a vs b")) + 1] == "Days of cover (days)")
        #expect(lines.filter { $0 == "Price (USD/kg)" }.count == 2, "ensemble and ensemble comparison")
        #expect(lines.contains("x vs y: Price, DyTb"))
        // Raw ids stay in the legends only (what a user types), never as a heading.
        for line in lines where !line.hasPrefix(" ") { #expect(!line.contains("stockpile.") && !line.contains("trade."), "\(line)") }
    }

    @Test("an ensemble whose varied parameters change nothing says so")
    func ensembleWithoutSpreadSaysSo() {
        let source = """
            let m = model(trade, stockpile, diplomacy, data: "baseline-2024")
            let s = scenario("curb")
            s.restrict(from: "CN", to: "JP", commodity: "DyTb", start: 2026-02, months: 12)
            montecarlo(m, s, runs: 20, vary: {"diplomacy.settle_base": uniform(0.01, 0.1)})
            montecarlo(m, s, runs: 20, vary: {"stockpile.cover_days[JP]": uniform(0, 120)})
            """
        let outcome = Harness.run(source)
        #expect(outcome.exitCode == 0, "\(outcome.stderr)")
        // A settlement rate does nothing without an incident to settle; the stockpile's size does.
        let notes = outcome.stdout.split(separator: "\n").filter { $0.hasPrefix("note:") }
        #expect(notes == ["note: every run gave the same metrics; varying `diplomacy.settle_base` changes nothing in this scenario"])
    }

    @Test("map and filter take a table's rows as records; filter keeps a table")
    func mapAndFilterTables() {
        let outcome = Harness.run(
            """
            let t = table({"month": [2026-01, 2026-02, 2026-03], "x": [1, 5, 2]})
            let big = filter(t, fn (row) { row.x > 1 })
            print(type(big), len(big), big.column("month"))
            print(map(t, fn (row) { row.x * 10 }))
            """)
        #expect(outcome.exitCode == 0, "\(outcome.stderr)")
        #expect(outcome.stdout == "table 2 [2026-02, 2026-03]\n[10, 50, 20]\n")
    }

    @Test("without bands:, an ensemble keeps the headline signals that move most")
    func defaultBandsAreHeadlines() {
        let outcome = Harness.run(
            """
            let d = data("baseline-2024")
            let s = scenario("curb")
            s.incident(from: "CN", to: "JP", severity: 0.8, at: 2026-01)
            s.restrict(from: "CN", to: "JP", commodity: "DyTb", start: 2026-02, months: 12)
            print(montecarlo(model(trade, stockpile, diplomacy, data: "baseline-2024"), s, runs: 20).bands)
            print(montecarlo(model(trade, data: "baseline-2024"), s, runs: 20).bands)
            """)
        #expect(outcome.exitCode == 0, "\(outcome.stderr)")
        // One key per headline family (the DyTb shortfall lasts the 12 months of the curb, the
        // NdPr one only while tension is high), then other signals that change, in step order.
        #expect(outcome.stdout == """
            ["diplomacy.tension[CN>JP]", "trade.shortfall[JP/DyTb]", "trade.price[DyTb]", "stockpile.days_of_cover[JP/DyTb]"]
            ["trade.shortfall[JP/DyTb]", "trade.price[DyTb]", "trade.demand[JP/DyTb]", "trade.demand[US/DyTb]"]

            """)
    }

    @Test("plot to a file uses the title and says where it wrote")
    func plotToFile() throws {
        let (outcome, svg) = try Self.runWritingFile(
            "let r = run(model(tank, data: \"baseline-2024\"), months: 3)\nplot(r, \"tank.level[JP/DyTb]\", file: \"c.svg\", title: \"Tank & level\")",
            file: "c.svg")
        #expect(outcome.exitCode == 0, "\(outcome.stderr)")
        #expect(outcome.stdout == "wrote c.svg\n")
        #expect(svg.contains("<title>Tank &amp; level</title>"))
    }
}

import Foundation

final class Flag: @unchecked Sendable {
    var isSet = false
}
