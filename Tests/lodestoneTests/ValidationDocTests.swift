import Foundation
import Testing

/// Docs/Validation.md quotes the backcast: its v3 column (the defaults) must be what
/// `Docs/Validation/backcast-2010.lode` computes now, its v2 and speculation columns what the script
/// computes with the premium off (and speculation on), and the committed `backcast-2010.csv` must be
/// that script's output.
@Suite("Validation.md against the backcast")
struct ValidationDocTests {
    static let folder = LodestoneProcess.packageRoot.appendingPathComponent("Docs/Validation")

    /// `series → month → value` of a `month,series,value` file.
    static func read(_ url: URL) throws -> [String: [String: Double]] {
        var table: [String: [String: Double]] = [:]
        let lines = try String(contentsOf: url, encoding: .utf8).split(separator: "\n").dropFirst()
        for line in lines {
            let fields = line.split(separator: ",").map(String.init)
            guard fields.count == 3, let value = Double(fields[2]) else { continue }
            table[fields[1], default: [:]][fields[0]] = value
        }
        return table
    }

    /// The cell in `column` (0 figure, 1 record, 2 v1, 3 v2, 4 v3 = the defaults, 5 v2 +
    /// speculation) of the row whose first cell is `label`.
    static func cell(_ markdown: String, _ label: String, column: Int = 4) -> String? {
        for line in markdown.split(separator: "\n") where line.hasPrefix("| \(label) |") {
            let cells = line.split(separator: "|").map { $0.trimmingCharacters(in: .whitespaces) }
            return cells.count == 6 ? cells[column] : nil
        }
        return nil
    }

    /// Runs the backcast script in a scratch folder with `options` before `run` (e.g. `--set`) and
    /// reads its CSV.
    static func backcast(_ options: [String] = []) throws -> [String: [String: Double]] {
        let scratch = FileManager.default.temporaryDirectory.appendingPathComponent("lodestone-backcast-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: scratch, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: scratch) }
        try FileManager.default.copyItem(
            at: folder.appendingPathComponent("backcast-2010.lode"), to: scratch.appendingPathComponent("backcast-2010.lode"))
        let run = try LodestoneProcess.run(options + ["run", "backcast-2010.lode"], in: scratch)
        try #require(run.status == 0, "\(run.stderr)")
        return try read(scratch.appendingPathComponent("backcast-2010.csv"))
    }

    static func tonnes(_ value: Double) -> String {
        let formatter = NumberFormatter()
        formatter.numberStyle = .decimal
        formatter.groupingSeparator = ","
        formatter.maximumFractionDigits = 0
        return formatter.string(from: NSNumber(value: value.rounded())) ?? ""
    }

    @Test("the v3 column of the table is the backcast's output, and backcast-2010.csv is up to date", .timeLimit(.minutes(3)))
    func tableMatchesTheScript() throws {
        let fresh = try Self.backcast()
        #expect(fresh == (try Self.read(Self.folder.appendingPathComponent("backcast-2010.csv"))),
                "Docs/Validation/backcast-2010.csv is stale: run `lodestone run Docs/Validation/backcast-2010.lode`")
        try Self.check(column: 4, against: fresh)
    }

    @Test("the v2 column is the backcast with scarcity_horizon_months 0", .timeLimit(.minutes(3)))
    func v2ColumnMatchesTheScript() throws {
        try Self.check(column: 3, against: try Self.backcast(["--set", "trade.scarcity_horizon_months=0"]))
    }

    @Test("the speculation column is v2 with speculation_months 3", .timeLimit(.minutes(3)))
    func speculationColumnMatchesTheScript() throws {
        try Self.check(
            column: 5,
            against: try Self.backcast(["--set", "trade.scarcity_horizon_months=0", "--set", "trade.speculation_months=3"]))
    }

    /// Every scored figure of the table's `column` is the one `fresh` gives.
    static func check(column: Int, against fresh: [String: [String: Double]]) throws {
        func cell(_ markdown: String, _ label: String) -> String? { Self.cell(markdown, label, column: column) }
        let markdown = try String(contentsOf: LodestoneProcess.packageRoot.appendingPathComponent("Docs/Validation.md"), encoding: .utf8)
        let china = try #require(fresh["jp_imports_from_cn"]), total = try #require(fresh["jp_imports_total"])
        let demand = try #require(fresh["jp_demand"]), dy = try #require(fresh["price_DyTb"]), nd = try #require(fresh["price_NdPr"])
        for (month, name) in [("2010-10", "2010-10"), ("2010-11", "2010-11"), ("2010-12", "2010-12")] {
            let value = try #require(china[month])
            let quoted = try #require(cell(markdown, "Japan's imports from China, \(name) (t)"))
            #expect(quoted.hasPrefix(Self.tonnes(value) + " "), "\(name): the table says \(quoted), the run \(value)")
        }
        let june = try #require(china["2010-06"])
        let ratios = ["2010-10", "2010-11", "2010-12"].map { String(format: "%.2f", china[$0]! / june) }.joined(separator: " / ")
        #expect(cell(markdown, "ratio to the pre-shock month (2010-06), Oct / Nov / Dec") == ratios)
        func year(_ series: [String: Double], _ y: String) -> Double {
            series.filter { $0.key.hasPrefix(y) }.values.reduce(0, +)
        }
        for y in ["2011", "2012"] {
            let share = String(format: "%.1f %%", 100 * year(china, y) / year(total, y))
            let quoted = try #require(cell(markdown, "China's share of Japan's imports, \(y)"))
            #expect(quoted.hasPrefix(share), "\(y): the table says \(quoted), the run \(share)")
        }
        #expect(cell(markdown, "Japan's demand 2012 over 2011") == String(format: "%.2f", year(demand, "2012") / year(demand, "2011")))
        let peak = try #require(dy.max { $0.value < $1.value })
        #expect(try #require(cell(markdown, "DyTb price peak: month")).hasPrefix(peak.key))
        #expect(try #require(cell(markdown, "DyTb price peak over p0 (165 USD/kg)")).hasPrefix(String(format: "%.1f ×", peak.value / 165)))
        #expect(cell(markdown, "DyTb price 2012-12 over its peak") == String(format: "%.2f", dy["2012-12"]! / peak.value))
        // Months from the peak to the first month below half of it.
        let months = dy.keys.sorted()
        let start = try #require(months.firstIndex(of: peak.key))
        let half = try #require(months[start...].firstIndex { dy[$0]! < peak.value / 2 })
        #expect(cell(markdown, "DyTb: months from the peak to half of it") == "\(half - start)")
        let ndPeak = try #require(nd.max { $0.value < $1.value })
        #expect(cell(markdown, "NdPr price peak: month, over p0 (18.8)") == "\(ndPeak.key), " + String(format: "%.1f ×", ndPeak.value / 18.8))
    }
}
