import Foundation
import Testing

@testable import LodestoneScript

@Suite("calibrate: fitting parameters from the script")
struct CalibrateScriptTests {
    /// A curb on the default dataset, and 24 months of two series simulated with known values
    /// (ramp_months = 4, JP's cover = 75 days) written as month,series,value.
    static func setup(_ file: String) -> String {
        """
        let m = model(trade, stockpile, data: "baseline-2024")
        let s = scenario("curb")
        s.restrict(from: "CN", to: "JP", commodity: "DyTb", start: 2026-02, months: 12)
        let truth = m.copy()
        truth.trade.ramp_months = 4
        truth.stockpile.cover_days["JP"] = 75
        let r = run(truth, s, start: 2026-01, months: 24)
        let rows = []
        for id in ["stockpile.days_of_cover[JP/DyTb]", "trade.price[DyTb]"] {
          let xs = r.series(id)
          for t in 0..<len(xs) { rows = rows + [{"month": 2026-01 + t, "series": id, "value": xs[t]}] }
        }
        export(table(rows), "\(file)")

        """
    }

    static func folder() throws -> String {
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("calibrate-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
        return url.path
    }

    @Test("recovery: series simulated with known parameters are fitted back within 5 %")
    func recovery() throws {
        let dir = try Self.folder()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let file = dir + "/observed.csv"
        let outcome = Harness.run(
            Self.setup(file) + """
                let c = calibrate(m, s, to: "\(file)", vary: {"trade.ramp_months": [1, 12], "stockpile.cover_days[JP]": uniform(20, 200)}, restarts: 2)
                print(type(c))
                let v = c.values
                print(abs(v["trade.ramp_months"] - 4) / 4 < 0.05, abs(v["stockpile.cover_days[JP]"] - 75) / 75 < 0.05)
                print(c.objective < 0.01, len(c.starts), c.runs > 10)
                print(c.table().columns)
                print(c.series().column("n"))
                # the fitted model reproduces the observations
                let again = run(c.model, s, start: 2026-01, months: 24)
                print(abs(again.series("trade.price[DyTb]")[12] - r.series("trade.price[DyTb]")[12]) / r.series("trade.price[DyTb]")[12] < 0.01)
                c
                """)
        #expect(outcome.exitCode == 0, "\(outcome.stderr)")
        let lines = outcome.stdout.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        #expect(lines[0] == "wrote \(file)")
        #expect(lines[1] == "calibration")
        #expect(lines[2] == "true true")
        #expect(lines[3] == "true 2 true")
        #expect(lines[4] == "[\"parameter\", \"fitted\", \"low\", \"high\", \"at bound\", \"objective -5%\", \"objective +5%\"]")
        #expect(lines[5] == "[24, 24]")
        #expect(lines[6] == "true")
        // The printed result: header, fit, the series table, the parameter table.
        #expect(lines[7].hasPrefix("calibration of 2 parameters to \(file): 2 series, 48 observations (2 starts, "))
        #expect(lines[8].hasPrefix("fit: mean relative RMSE "))
        #expect(outcome.stdout.contains("stockpile.days_of_cover[JP/DyTb]  stockpile.days_of_cover[JP/DyTb]  24"))
        let row = try #require(lines.first { $0.hasPrefix("trade.ramp_months ") })
        let cells = row.split(separator: " ").map(String.init)
        // fitted, low, high, at bound, objective ±5 %: both above the optimum's.
        #expect(abs(try #require(Double(cells[1])) - 4) < 0.2)
        #expect(cells[2] == "1" && cells[3] == "12" && cells[4] == "no")
        let objective = try #require(Double(lines[8].split(separator: " ")[4]))
        #expect(try #require(Double(cells[5])) > objective && #require(Double(cells[6])) > objective)
    }

    @Test("series are mapped to signals; an export is the parameter table; help explains it")
    func mappedAndExported() throws {
        let dir = try Self.folder()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let csv = dir + "/obs.csv"
        try "month,series,value\n2026-03,price,120\n2026-04,price,150\n".write(toFile: csv, atomically: true, encoding: .utf8)
        let outcome = Harness.run(
            """
            let m = model(trade, stockpile, data: "baseline-2024")
            let c = calibrate(m, to: "obs.csv", series: {"price": "trade.price[DyTb]"}, vary: {"trade.ramp_months": [1, 12]},
                              objective: "rmse", restarts: 1)
            print(c.series().column("signal"), len(c.starts), c.rmse.keys())
            export(c, "fit.csv")
            print(help("calibrate"))
            """, baseDirectory: dir, outputDirectory: dir)
        #expect(outcome.exitCode == 0, "\(outcome.stderr)")
        #expect(outcome.stdout.hasPrefix("[\"trade.price[DyTb]\"] 1 [\"price\"]\nwrote fit.csv\ncalibrate(model, scenario"))
        #expect(outcome.stdout.contains("It returns a calibration. A calibration has:"))
        #expect(outcome.stdout.contains(".values"))
        let exported = try String(contentsOfFile: dir + "/fit.csv", encoding: .utf8).split(separator: "\n")
        #expect(exported.first == "parameter,fitted,low,high,at bound,objective -5%,objective +5%")
        #expect(exported.count == 2 && exported[1].hasPrefix("trade.ramp_months,"))
    }

    @Test("bad input is an error naming the file and line, or the parameter path", arguments: [
        ("month,series,value\n2026-01,trade.price[DyTb],1\n2026-13,trade.price[DyTb],2\n", "{\"trade.ramp_months\": [1, 12]}", "", "bad.csv:3: expected a month such as 2010-09, got `2026-13`"),
        ("month,value\n", "{\"trade.ramp_months\": [1, 12]}", "", "bad.csv:1: expected the header `month,series,value`"),
        ("month,series,value\n2026-01,trade.price[DyTb],x\n", "{\"trade.ramp_months\": [1, 12]}", "", "bad.csv:2: expected a finite number, got `x`"),
        ("month,series,value\n2026-01,trade.price[DyTb],1\n", "{\"trade.ramp_monts\": [1, 12]}", "", "vary: "),
        ("month,series,value\n2026-01,trade.price[DyTb],1\n", "{\"trade.ramp_months\": [12, 1]}", "", "vary: \"trade.ramp_months\" needs low < high, got 12…1"),
        ("month,series,value\n2026-01,trade.price[DyTb],1\n", "{\"trade.ramp_months\": normal(3, 1)}", "", "needs a search range [low, high] or uniform(low, high)"),
        ("month,series,value\n2026-01,trade.price[DyTb],1\n", "{\"trade.leakage\": [0, 2]}", "", "vary: `trade.leakage` = 2 is out of range"),
        ("month,series,value\n2026-01,price,1\n", "{\"trade.ramp_months\": [1, 12]}", "", "observed series `price`: no signal `price` in the model"),
        ("month,series,value\n2026-01,price,1\n", "{\"trade.ramp_months\": [1, 12]}", ", series: {\"prize\": \"trade.price[DyTb]\"}", "series: no observed series \"prize\" in bad.csv"),
        ("month,series,value\n2026-01,trade.price[DyTb],1\n", "{\"trade.ramp_months\": [1, 12]}", ", objective: \"ssq\"", "`objective:` is \"relative\" or \"rmse\", not \"ssq\""),
    ])
    func badInput(csv: String, vary: String, extra: String, message: String) throws {
        let dir = try Self.folder()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        try csv.write(toFile: dir + "/bad.csv", atomically: true, encoding: .utf8)
        let outcome = Harness.run(
            "let m = model(trade, stockpile, data: \"baseline-2024\")\ncalibrate(m, to: \"bad.csv\", vary: \(vary)\(extra), restarts: 1)\n", baseDirectory: dir)
        #expect(outcome.exitCode == 1)
        #expect(outcome.error?.message.contains(message) == true, "\(outcome.stderr)")
    }

    @Test("a missing file and missing arguments are errors")
    func missing() {
        let noFile = Harness.run("calibrate(model(trade, data: \"baseline-2024\"), to: \"/nonexistent/x.csv\", vary: {\"trade.ramp_months\": [1, 12]})")
        #expect(noFile.error?.message == "to: cannot read /nonexistent/x.csv: no such file")
        let noVary = Harness.run("calibrate(model(trade, data: \"baseline-2024\"), to: table({\"month\": [2026-01], \"series\": [\"trade.price[DyTb]\"], \"value\": [1]}))")
        #expect(noVary.error?.message.hasPrefix("`calibrate` needs `vary:`") == true)
        let noTo = Harness.run("calibrate(model(trade, data: \"baseline-2024\"), vary: {\"trade.ramp_months\": [1, 12]})")
        #expect(noTo.error?.message.hasPrefix("`calibrate` needs `to:`") == true)
    }
}
