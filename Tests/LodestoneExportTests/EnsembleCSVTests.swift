import Foundation
import LodestoneKernel
import Testing

@testable import LodestoneExport

@Suite("CSV export of ensembles and sweeps")
struct EnsembleCSVTests {
    /// The signal id `module.signal[key]` of a tidy row's module, signal and key fields.
    static func id(_ module: String, _ signal: String, _ key: String) -> String {
        "\(module).\(signal)" + (key.isEmpty ? "" : "[\(key)]")
    }

    @Test("an ensemble reads back as run,month,module,signal,key,quantile,value,unit matching the drawn slopes")
    func ensembleReadsBack() throws {
        let ensemble = try EnsembleFixture.ensemble()
        let slopes = EnsembleFixture.draws(ensemble)
        #expect(slopes.count == 40)
        #expect(Set(slopes).isSubset(of: Set(EnsembleFixture.slopes)))
        let rows = try withTemporaryFolder { folder throws in
            let path = folder + "/ensemble.csv"
            try CSVExporter().write(.ensemble(ensemble), to: path, options: ExportOptions())
            return parseCSV(try String(contentsOfFile: path, encoding: .utf8))
        }
        #expect(rows.first == ["run", "month", "module", "signal", "key", "quantile", "value", "unit"])
        #expect(rows.count == 1 + 12 * 2 * 6)
        #expect(Array(rows[1...6].map { $0[5] }) == ["p5", "p25", "p50", "p75", "p95", "mean"])
        #expect(Set(rows.dropFirst().map { $0[0] }) == [Fixture.scenarioName])
        #expect(Set(rows.dropFirst().map { $0[7] }) == ["t"])
        let levels: [String: Double] = ["p5": 0.05, "p25": 0.25, "p50": 0.5, "p75": 0.75, "p95": 0.95]
        for row in rows.dropFirst() {
            let t = try #require(Month(row[1])) - Fixture.start
            let value = try #require(Double(row[6]), "\(row)")
            let signal = Self.id(row[2], row[3], row[4])
            let expected: Double
            if signal == "ramp.level[JP/NdPr]" {
                expected = 10 + 3 * Double(t)  // the same in every run
            } else {
                #expect(signal == "ramp.level[JP/DyTb]")
                // level = 10 + s·t is increasing in s, so its quantiles are 10 + t·quantile(s).
                let slope =
                    row[5] == "mean"
                    ? slopes.reduce(0, +) / Double(slopes.count)
                    : EnsembleFixture.quantile(slopes, try #require(levels[row[5]]))
                expected = 10 + Double(t) * slope
            }
            #expect(EnsembleFixture.close(value, expected), "\(row): expected \(expected)")
        }
    }

    @Test("options.signals picks bands; a signal without bands and an ensemble without any are errors")
    func selection() throws {
        let ensemble = try EnsembleFixture.ensemble()
        let rows = parseCSV(try CSVExporter().render(.ensemble(ensemble), options: ExportOptions(signals: ["ramp.level[JP/DyTb]"])))
        #expect(Set(rows.dropFirst().map { Self.id($0[2], $0[3], $0[4]) }) == ["ramp.level[JP/DyTb]"])
        #expect(rows.count == 1 + 12 * 6)
        let family = parseCSV(try CSVExporter().render(.ensemble(ensemble), options: ExportOptions(signals: ["ramp.level"])))
        #expect(family.count == 1 + 12 * 2 * 6)
        #expect {
            try CSVExporter().render(.ensemble(ensemble), options: ExportOptions(signals: ["ramp.level[JP/DyTv]"]))
        } throws: { error in
            let message = (error as? LookupError)?.message ?? ""
            return message.contains("`ramp.level[JP/DyTv]` has no bands") && message.contains("did you mean `ramp.level[JP/DyTb]`")
        }
        let bare = try EnsembleFixture.ensemble(runs: 5, bandSignals: [])
        try withTemporaryFolder { folder throws in
            #expect {
                try CSVExporter().write(.ensemble(bare), to: folder + "/x.csv", options: ExportOptions())
            } throws: { error in
                (error as? LookupError)?.message.contains("kept no signal bands") == true
            }
            #expect(try contents(of: folder) == [])
        }
    }

    @Test("an ensemble's metrics file has one row per metric: probability, mean and percentiles, months apart")
    func ensembleMetrics() throws {
        let ensemble = try EnsembleFixture.ensemble()
        let slopes = EnsembleFixture.draws(ensemble)
        let rows = parseCSV(try #require(CSVExporter().renderMetrics(.ensemble(ensemble))))
        #expect(
            rows.first == [
                "run", "module", "metric", "key", "kind", "unit", "probability", "mean", "p5", "p50", "p95", "mean_month",
                "p5_month", "p50_month", "p95_month",
            ])
        #expect(rows.count == 1 + ensemble.metrics.count)
        let final = try #require(rows.first { $0[2] == "final" && $0[3] == "JP/DyTb" })
        #expect(final[4] == "quantity" && final[5] == "t" && final[6] == "1")
        let median = try #require(Double(final[9]))
        #expect(EnsembleFixture.close(median, 10 + 11 * EnsembleFixture.quantile(slopes, 0.5)))
        #expect(final[11...].allSatisfy { $0.isEmpty })
        let reaches = try #require(rows.first { $0[2] == "reaches_20" && $0[3] == "JP/DyTb" })
        #expect(reaches[4] == "month" && reaches[5] == "month")
        let share = Double(slopes.filter { $0 != 0.5 }.count) / 40
        #expect(Double(reaches[6]) == share)
        #expect(reaches[8] == "3" && reaches[12] == "2026-04")  // the 5th percentile: slope 4 reaches 20 in month 3
        for (value, month) in zip(reaches[7...10], reaches[11...14]) where !month.isEmpty {
            #expect(Int(value) == (Month(month) ?? Fixture.start) - Fixture.start, "\(value) months from the start is \(month)")
        }
        let never = try #require(rows.first { $0[2] == "reaches_100" && $0[3] == "JP/DyTb" })
        #expect(never[6] == "0" && never[7...].allSatisfy { $0.isEmpty })
    }

    @Test("a sweep has its point label and a column per swept parameter, then month,module,signal,key,value,unit")
    func sweep() throws {
        let sweep = try EnsembleFixture.sweep()
        #expect(sweep.points.map(\.values) == [[1, 0], [1, 10], [2, 0], [2, 10], [4, 0], [4, 10]])
        let text = try CSVExporter().render(.sweep(sweep), options: ExportOptions(signals: ["ramp.level"]))
        let rows = parseCSV(text)
        #expect(rows.first == ["run", "ramp.slope[JP/DyTb]", "ramp.offset", "month", "module", "signal", "key", "value", "unit"])
        #expect(rows.count == 1 + 6 * 12 * 2)
        #expect(rows[1][0] == "ramp.slope[JP/DyTb]=1, ramp.offset=0")
        for row in rows.dropFirst() {
            let slope = try #require(Double(row[1]))
            let offset = try #require(Double(row[2]))
            let t = Double(try #require(Month(row[3])) - Fixture.start)
            let expected = Self.id(row[4], row[5], row[6]) == "ramp.level[JP/DyTb]" ? offset + slope * t : offset + 3 * t
            #expect(Double(row[7]) == expected, "\(row)")
            #expect(row[8] == "t")
        }
        let metrics = parseCSV(try #require(CSVExporter().renderMetrics(.sweep(sweep))))
        #expect(metrics.first == ["run", "ramp.slope[JP/DyTb]", "ramp.offset", "module", "metric", "key", "kind", "value", "month", "unit"])
        #expect(metrics.contains(["ramp.slope[JP/DyTb]=4, ramp.offset=10", "4", "10", "ramp", "final", "JP/DyTb", "quantity", "54", "", "t"]))
        let all = parseCSV(try CSVExporter().render(.sweep(sweep)))
        #expect(all.count == 1 + 6 * 12 * sweep.points[0].result.signals.count)
    }
}
