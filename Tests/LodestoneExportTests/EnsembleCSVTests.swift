import Foundation
import LodestoneKernel
import Testing

@testable import LodestoneExport

@Suite("CSV export of ensembles and sweeps")
struct EnsembleCSVTests {
    @Test("an ensemble reads back as month,signal,quantile,value matching the drawn slopes")
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
        #expect(rows.first == ["month", "signal", "quantile", "value"])
        #expect(rows.count == 1 + 12 * 2 * 6)
        #expect(Array(rows[1...6].map { $0[2] }) == ["p5", "p25", "p50", "p75", "p95", "mean"])
        let levels: [String: Double] = ["p5": 0.05, "p25": 0.25, "p50": 0.5, "p75": 0.75, "p95": 0.95]
        for row in rows.dropFirst() {
            let t = try #require(Month(row[0])) - Fixture.start
            let value = try #require(Double(row[3]), "\(row)")
            let expected: Double
            if row[1] == "ramp.level[JP/NdPr]" {
                expected = 10 + 3 * Double(t)  // the same in every run
            } else {
                #expect(row[1] == "ramp.level[JP/DyTb]")
                // level = 10 + s·t is increasing in s, so its quantiles are 10 + t·quantile(s).
                let slope =
                    row[2] == "mean"
                    ? slopes.reduce(0, +) / Double(slopes.count)
                    : EnsembleFixture.quantile(slopes, try #require(levels[row[2]]))
                expected = 10 + Double(t) * slope
            }
            #expect(EnsembleFixture.close(value, expected), "\(row): expected \(expected)")
        }
    }

    @Test("options.signals picks bands; a signal without bands and an ensemble without any are errors")
    func selection() throws {
        let ensemble = try EnsembleFixture.ensemble()
        let rows = parseCSV(try CSVExporter().render(.ensemble(ensemble), options: ExportOptions(signals: ["ramp.level[JP/DyTb]"])))
        #expect(Set(rows.dropFirst().map { $0[1] }) == ["ramp.level[JP/DyTb]"])
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

    @Test("a sweep has a column per swept parameter, then month,signal,value")
    func sweep() throws {
        let sweep = try EnsembleFixture.sweep()
        #expect(sweep.points.map(\.values) == [[1, 0], [1, 10], [2, 0], [2, 10], [4, 0], [4, 10]])
        let text = try CSVExporter().render(.sweep(sweep), options: ExportOptions(signals: ["ramp.level"]))
        let rows = parseCSV(text)
        #expect(rows.first == ["ramp.slope[JP/DyTb]", "ramp.offset", "month", "signal", "value"])
        #expect(rows.count == 1 + 6 * 12 * 2)
        for row in rows.dropFirst() {
            let slope = try #require(Double(row[0]))
            let offset = try #require(Double(row[1]))
            let t = Double(try #require(Month(row[2])) - Fixture.start)
            let expected = row[3] == "ramp.level[JP/DyTb]" ? offset + slope * t : offset + 3 * t
            #expect(Double(row[4]) == expected, "\(row)")
        }
        let all = parseCSV(try CSVExporter().render(.sweep(sweep)))
        #expect(all.count == 1 + 6 * 12 * sweep.points[0].result.signals.count)
    }
}
