import Foundation
import LodestoneKernel

@testable import LodestoneExport

/// A toy module for exporter tests: `ramp.level[i/c] = offset + slope[i/c] · t` (t = month index),
/// with metrics `final` (last level), `reaches_20` and `reaches_100` (first month the level
/// reaches the threshold; none if never).
struct RampModel: Model {
    let name = "ramp"
    let summary = "A straight line per importer and commodity"

    func keys(_ dataset: Dataset) -> [String] {
        dataset.importers.flatMap { i in dataset.commodityCodes.map { "\(i)/\($0)" } }
    }

    func parameters(for dataset: Dataset) -> [ParameterDeclaration] {
        let keys = keys(dataset)
        return [
            ParameterDeclaration("offset", unit: .tonnes, default: 10, range: 0...1000, doc: "Level in the first month"),
            ParameterDeclaration(
                "slope", unit: .tonnesPerMonth, keys: keys, defaults: keys.map { _ in 2 }, range: -100...100,
                doc: "Change per month"),
        ]
    }

    func interface(in context: ModelContext) throws -> ModelInterface {
        let keys = keys(context.dataset)
        return ModelInterface(
            outputs: [OutputDeclaration("level", keys: keys, unit: .tonnes, doc: "The ramp's level", title: "Level of the ramp")],
            metrics: [
                MetricDeclaration("final", keys: keys, kind: .quantity(.tonnes), doc: "Level in the last month"),
                MetricDeclaration("reaches_20", keys: keys, kind: .month, doc: "First month with level ≥ 20"),
                MetricDeclaration("reaches_100", keys: keys, kind: .month, doc: "First month with level ≥ 100"),
            ])
    }

    func instantiate(in context: ModelContext, wiring: Wiring) throws -> any ModelInstance {
        RampInstance(
            count: keys(context.dataset).count, level: try wiring.output("level"), offset: try wiring.parameter("offset"),
            slope: try wiring.parameter("slope"), final: try wiring.metric("final"),
            reaches20: try wiring.metric("reaches_20"), reaches100: try wiring.metric("reaches_100"))
    }
}

final class RampInstance: ModelInstance {
    let count: Int
    let level: OutputRef
    let offset: ParameterRef
    let slope: ParameterRef
    let final: MetricRef
    let reaches20: MetricRef
    let reaches100: MetricRef
    var last: [Double]
    var first20: [Double]
    var first100: [Double]

    init(
        count: Int, level: OutputRef, offset: ParameterRef, slope: ParameterRef, final: MetricRef,
        reaches20: MetricRef, reaches100: MetricRef
    ) {
        self.count = count
        self.level = level
        self.offset = offset
        self.slope = slope
        self.final = final
        self.reaches20 = reaches20
        self.reaches100 = reaches100
        last = Array(repeating: 0, count: count)
        first20 = Array(repeating: .nan, count: count)
        first100 = Array(repeating: .nan, count: count)
    }

    func step(_ frame: StepFrame) throws {
        for k in 0..<count {
            let value = frame.parameter(offset, 0) + frame.parameter(slope, k) * Double(frame.monthIndex)
            frame.write(level, k, value)
            last[k] = value
            if value >= 20, first20[k].isNaN { first20[k] = Double(frame.monthIndex) }
            if value >= 100, first100[k].isNaN { first100[k] = Double(frame.monthIndex) }
        }
    }

    func finish(_ metrics: MetricFrame) {
        for k in 0..<count {
            metrics.write(final, k, last[k])
            metrics.write(reaches20, k, first20[k])
            metrics.write(reaches100, k, first100[k])
        }
    }
}

enum Fixture {
    static let start = Month(2026, 1)
    static let months = 12
    static let scenarioName = "Curbs, \"2026\" <test>"

    static let dataset = Dataset(
        name: "toy", description: "Two regions, two commodities",
        regions: [Region(code: "JP", name: "Japan"), Region(code: "CN", name: "China")],
        commodities: [
            Commodity(code: "NdPr", name: "Neodymium-praseodymium oxide", priceUSDPerKilogram: 60, source: "usgs"),
            Commodity(code: "DyTb", name: "Dysprosium-terbium oxide", priceUSDPerKilogram: 300, source: "assumption"),
        ],
        consumption: [],
        flows: [
            TradeFlow(importer: "JP", exporter: "CN", commodity: "NdPr", tonnesPerYear: 1200, source: "usgs"),
            TradeFlow(importer: "JP", exporter: "CN", commodity: "DyTb", tonnesPerYear: 120, source: "assumption"),
        ],
        capacities: [RegionQuantity(region: "CN", commodity: "NdPr", tonnesPerYear: 5000, source: "usgs")],
        stockpiles: [],
        sources: [
            Citation(
                id: "usgs", citation: "U.S. Geological Survey, \"Mineral Commodity Summaries 2025\": rare earths",
                url: "https://pubs.usgs.gov/periodicals/mcs2025/mcs2025-rare-earths.pdf"),
            Citation(id: "assumption", citation: "Lodestone assumption for illustration", url: ""),
        ])

    static let scenario = Scenario(
        scenarioName,
        events: [
            .incident(from: "CN", to: "JP", severity: 0.8, at: Month(2026, 2)),
            .restrict(from: "CN", to: "JP", commodity: "DyTb", share: 1, start: Month(2026, 3), months: 6),
        ])

    /// A 12-month run with `ramp.slope[JP/DyTb] = 3` (so level[JP/DyTb] = 10 + 3t, level[JP/NdPr] = 10 + 2t).
    static func run(seed: UInt64 = 7, dyTbSlope: Double = 3) throws -> RunResult {
        let models: [any Model] = [RampModel()]
        var parameters = ParameterSet(models: models, dataset: dataset)
        try parameters.set("ramp.slope[JP/DyTb]", to: dyTbSlope)
        return try Runner.run(
            models: models, dataset: dataset, scenario: scenario, parameters: parameters, start: start, months: months,
            seed: seed)
    }

    /// `result` with its series values replaced.
    static func replacingValues(_ result: RunResult, _ values: [Double]) -> RunResult {
        RunResult(
            scenario: result.scenario, datasetName: result.datasetName, sources: result.sources,
            parameters: result.parameters, start: result.start, months: result.months, seed: result.seed,
            modules: result.modules, signals: result.signals, metrics: result.metrics, values: values,
            metricValues: result.metricValues)
    }
}

/// A fresh temporary folder, removed when the test's closure ends.
func withTemporaryFolder<T>(_ body: (String) throws -> T) throws -> T {
    let folder = FileManager.default.temporaryDirectory.appendingPathComponent("lodestone-export-\(UUID().uuidString)").path
    try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
    defer { try? FileManager.default.removeItem(atPath: folder) }
    return try body(folder)
}

/// The names in a folder (hidden files included), sorted.
func contents(of folder: String) throws -> [String] {
    try FileManager.default.contentsOfDirectory(atPath: folder).sorted()
}

/// Parses CSV (RFC 4180: quoted fields, doubled quotes, line breaks inside quotes).
func parseCSV(_ text: String) -> [[String]] {
    var rows: [[String]] = []
    var row: [String] = []
    var field = ""
    var quoted = false
    var characters = Array(text).makeIterator()
    var pending: Character? = nil
    func next() -> Character? {
        if let p = pending { pending = nil; return p }
        return characters.next()
    }
    while let c = next() {
        if quoted {
            if c == "\"" {
                if let n = next() {
                    if n == "\"" { field.append("\"") } else { quoted = false; pending = n }
                } else { quoted = false }
            } else { field.append(c) }
        } else if c == "\"" {
            quoted = true
        } else if c == "," {
            row.append(field); field = ""
        } else if c == "\n" {
            row.append(field); rows.append(row); row = []; field = ""
        } else {
            field.append(c)
        }
    }
    if !field.isEmpty || !row.isEmpty { row.append(field); rows.append(row) }
    return rows
}
