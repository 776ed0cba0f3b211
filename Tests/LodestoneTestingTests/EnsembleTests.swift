import Foundation
import LodestoneDiplomacy
import LodestoneKernel
import LodestoneStockpile
import LodestoneTesting
import LodestoneTrade
import Testing

/// The three built-in modules on the miniature world under the curb scenario, 24 months.
func curbPlan() throws -> (RunPlan, ParameterSet) {
    let models: [any Model] = [TradeModel(), StockpileModel(), DiplomacyModel()]
    let parameters = ParameterSet(models: models, dataset: Fixtures.miniature)
    let composition = try Composition(
        models: models, dataset: Fixtures.miniature, scenario: Fixtures.curbScenario, parameters: parameters)
    return (try RunPlan(composition: composition, start: Month(2026, 1), months: 24), parameters)
}

let variedDiplomacy = [
    Variation("diplomacy.settle_base", .uniform(low: 0.01, high: 0.2)),
    Variation("stockpile.cover_days[JP]", .triangular(low: 0, mode: 60, high: 120)),
]

@Suite struct MonteCarloTests {
    @Test func resultsDoNotDependOnTheThreadCount() throws {
        let (plan, parameters) = try curbPlan()
        let bands = ["stockpile.days_of_cover[JP/DyTb]", "trade.price[DyTb]"]
        let one = try MonteCarlo.run(
            plan, parameters: parameters,
            request: MonteCarloRequest(runs: 300, seed: 7, vary: variedDiplomacy, bandSignals: bands, threads: 1))
        let two = try MonteCarlo.run(
            plan, parameters: parameters,
            request: MonteCarloRequest(runs: 300, seed: 7, vary: variedDiplomacy, bandSignals: bands, threads: 2))
        #expect(one.completedRuns == 300)
        #expect(one.metricValues.map(\.bitPattern) == two.metricValues.map(\.bitPattern))
        #expect(one.variedValues == two.variedValues)
        for id in bands {
            for q in EnsembleResult.bandLevels { #expect(try one.band(id, level: q) == two.band(id, level: q)) }
        }
        // The varied parameters really vary, within their ranges.
        let settle = stride(from: 0, to: one.variedValues.count, by: 2).map { one.variedValues[$0] }
        #expect(settle.min()! >= 0.01 && settle.max()! <= 0.2 && Set(settle).count > 250)
    }

    @Test("an ensemble of several waves, whose band merges overlap the next wave, gives the bands of one wave to the bit")
    func severalWavesGiveTheBandsOfOne() throws {
        let (plan, parameters) = try curbPlan()
        let bands = ["stockpile.days_of_cover[JP/DyTb]", "trade.price[DyTb]", "trade.shortfall[JP/DyTb]"]
        // 2,200 runs: past the sketch's switch at 2,048. A wave is 512 runs per thread: 5 waves on
        // one thread, 3 on two; on five threads the whole ensemble is one wave (no overlap).
        func ensemble(threads: Int) throws -> EnsembleResult {
            try MonteCarlo.run(
                plan, parameters: parameters,
                request: MonteCarloRequest(runs: 2_200, seed: 13, vary: variedDiplomacy, bandSignals: bands, threads: threads))
        }
        func fingerprint(_ result: EnsembleResult) throws -> [UInt64] {
            var bits = result.metricValues.map(\.bitPattern)
            for id in bands {
                bits += try result.meanSeries(id).map(\.bitPattern)
                for q in [0, 0.05, 0.5, 0.95, 1] { bits += try result.band(id, level: q).map(\.bitPattern) }
            }
            return bits
        }
        let oneWave = try ensemble(threads: 5)
        #expect(oneWave.completedRuns == 2_200)
        let reference = try fingerprint(oneWave)
        #expect(try fingerprint(ensemble(threads: 1)) == reference)
        #expect(try fingerprint(ensemble(threads: 2)) == reference)
    }

    @Test("trade, stockpile and diplomacy (through the adapter) in blocks of any size, on 1, 2 or 8 threads, give the per-run results bit for bit")
    func blocksGiveThePerRunResults() throws {
        let (plan, parameters) = try curbPlan()
        let bands = ["stockpile.days_of_cover[JP/DyTb]", "trade.price[DyTb]", "stockpile.unmet[JP/DyTb]"]
        func ensemble(threads: Int, blockSize: Int?) throws -> EnsembleResult {
            var request = MonteCarloRequest(runs: 70, seed: 11, vary: variedDiplomacy, bandSignals: bands, threads: threads)
            request.blockSize = blockSize
            return try MonteCarlo.run(plan, parameters: parameters, request: request)
        }
        func fingerprint(_ result: EnsembleResult) throws -> [UInt64] {
            var bits = result.metricValues.map(\.bitPattern) + result.variedValues.map(\.bitPattern)
            for id in bands {
                for q in EnsembleResult.bandLevels { bits += try result.band(id, level: q).map(\.bitPattern) }
            }
            return bits
        }
        let reference = try ensemble(threads: 1, blockSize: nil)  // every run alone
        // The curb really bites: some runs release stock, and the cover varies across runs.
        #expect(try reference.metricSamples("stockpile.release_total[JP/DyTb]").contains { $0 > 0 })
        #expect(Set(try reference.metricSamples("stockpile.unmet_total[JP/DyTb]")).count > 10)
        let expected = try fingerprint(reference)
        for threads in [1, 2, 8] {
            for blockSize in [1, 4, 16, 32, 64] {
                #expect(try fingerprint(ensemble(threads: threads, blockSize: blockSize)) == expected, "\(threads) threads, blocks of \(blockSize)")
            }
        }
    }

    @Test(arguments: [1, 2, 3])
    func runsOnAtMostTheRequestedThreads(threads: Int) throws {
        let (plan, parameters) = try curbPlan()
        // The cancellation check is called on the thread doing the runs, before every chunk of 64
        // runs stepped in blocks (the built-in modules all have a batch form), or every run alone.
        let seen = ThreadRecorder()
        let result = try MonteCarlo.run(
            plan, parameters: parameters,
            request: MonteCarloRequest(runs: 400, seed: 3, vary: variedDiplomacy, threads: threads),
            isCancelled: {
                seen.record()
                return false
            })
        #expect(result.completedRuns == 400)
        #expect(seen.calls >= 400 / 64)  // before every chunk of 64 runs (and after each wave)
        #expect(seen.distinctThreads >= 1 && seen.distinctThreads <= threads)
        if threads == 1 { #expect(seen.distinctThreads == 1) }
    }

    @Test func runKMatchesASingleRunSeededFromSeedAndK() throws {
        let (plan, parameters) = try curbPlan()
        let ensemble = try MonteCarlo.run(
            plan, parameters: parameters,
            request: MonteCarloRequest(runs: 40, seed: 11, vary: variedDiplomacy, bandSignals: ["trade.price[DyTb]"]))
        var prices: [[Double]] = []
        var settled: [Double] = []
        for k in 0..<40 {
            var generator = SeededGenerator(seed: 11, stream: UInt64(k))
            var runParameters = parameters
            for variation in variedDiplomacy {
                let value = variation.distribution.draw(using: &generator)
                for position in try parameters.positions(variation.path) {
                    runParameters.setClamped(position: position, to: value)
                }
            }
            let simulation = try Simulation(plan: plan, parameters: runParameters, generator: generator)
            let slot = plan.composition.slot(of: "trade.price[DyTb]")!
            var series: [Double] = []
            for _ in 0..<plan.months {
                try simulation.step()
                series.append(simulation.value(slot: slot))
            }
            prices.append(series)
            settled.append(simulation.finishMetrics()[try ensemble.metricColumn("diplomacy.settled_at[CN>JP]")])
        }
        #expect(try ensemble.metricSamples("diplomacy.settled_at[CN>JP]").map(\.bitPattern) == settled.map(\.bitPattern))
        // Exact bands: linear interpolation between order statistics (40 runs < the exact limit).
        for t in [0, 5, 23] {
            let sorted = prices.map { $0[t] }.sorted()
            for q in [0.05, 0.5, 0.95] {
                let h = Double(sorted.count - 1) * q
                let lower = Int(h.rounded(.down))
                let expected = sorted[lower] + (h - Double(lower)) * (sorted[min(39, lower + 1)] - sorted[lower])
                #expect(abs(try ensemble.band("trade.price[DyTb]", level: q)[t] - expected) < 1e-9 * max(1, expected))
            }
        }
        let probability = try ensemble.probability("diplomacy.settled_at[CN>JP]")
        #expect(probability == Double(settled.filter { !$0.isNaN }.count) / 40)
    }

    @Test func cancellationKeepsAConsistentPartialResult() throws {
        let (plan, parameters) = try curbPlan()
        let counter = Counter()
        let ensemble = try MonteCarlo.run(
            plan, parameters: parameters,
            request: MonteCarloRequest(runs: 5000, seed: 3, vary: variedDiplomacy, bandSignals: ["trade.price[NdPr]"]),
            isCancelled: { counter.next() > 40 })  // 40 chunks of 64 runs in blocks: 2,560 runs
        #expect(ensemble.wasCancelled)
        #expect(ensemble.completedRuns > 0 && ensemble.completedRuns < 5000)
        #expect(ensemble.metricValues.count == ensemble.completedRuns * ensemble.metrics.count)
        #expect(ensemble.variedValues.count == ensemble.completedRuns * 2)
        let firstMonth = try ensemble.band("trade.price[NdPr]", level: 0.5)
        #expect(firstMonth.count == 24 && firstMonth.allSatisfy(\.isFinite))
    }

    @Test func probabilityByAMonthCountsTheRunsWhereItHappenedByThen() throws {
        let (plan, parameters) = try curbPlan()
        let result = try MonteCarlo.run(
            plan, parameters: parameters, request: MonteCarloRequest(runs: 300, seed: 5, vary: variedDiplomacy))
        let id = "diplomacy.settled_at[CN>JP]"
        let samples = try result.metricSamples(id)
        let settled = samples.filter { !$0.isNaN }
        #expect(!settled.isEmpty && settled.count < samples.count, "some runs settle, some do not")
        for offset in [0, 3, 6, 23] {
            let month = result.start + offset
            let expected = Double(settled.filter { $0 <= Double(offset) }.count) / 300
            #expect(try result.probability(id, by: month) == expected, "by \(month)")
        }
        #expect(try result.probability(id, by: result.start - 1) == 0)
        #expect(try result.probability(id, by: result.start + 1000) == result.probability(id))
        #expect(throws: LookupError.self) { try result.probability("trade.peak_price[DyTb]", by: result.start) }
    }

    @Test func badRequestsAreClearErrors() throws {
        let (plan, parameters) = try curbPlan()
        #expect(throws: ParameterError.self) {
            try MonteCarlo.run(plan, parameters: parameters, request: MonteCarloRequest(runs: 0, seed: 1))
        }
        #expect(throws: ParameterError.self) {
            try MonteCarlo.run(
                plan, parameters: parameters,
                request: MonteCarloRequest(runs: 5, seed: 1, vary: [Variation("diplomacy.settle", .uniform(low: 0, high: 1))]))
        }
        #expect(throws: ParameterError.self) {
            try MonteCarlo.run(
                plan, parameters: parameters,
                request: MonteCarloRequest(runs: 5, seed: 1, vary: [Variation("diplomacy.settle_base", .uniform(low: 1, high: 0))]))
        }
        #expect(throws: LookupError.self) {
            try MonteCarlo.run(
                plan, parameters: parameters, request: MonteCarloRequest(runs: 5, seed: 1, bandSignals: ["trade.prize[NdPr]"]))
        }
    }
}

@Suite struct QuantileAccumulatorTests {
    @Test func exactBelowTheLimit() {
        var accumulator = QuantileAccumulator()
        for x in [5.0, 1, 4, 2, 3] { accumulator.add(x) }
        #expect(accumulator.quantile(0) == 1)
        #expect(accumulator.quantile(0.5) == 3)
        #expect(accumulator.quantile(0.25) == 2)
        #expect(accumulator.quantile(0.1) == 1.4)
        #expect(accumulator.mean == 3)
    }

    @Test func sketchedQuantilesAreWithinTheRelativeAccuracy() {
        var accumulator = QuantileAccumulator()
        var generator = SeededGenerator(seed: 5)
        var values: [Double] = []
        for _ in 0..<50_000 {
            let x = exp(4 * generator.uniform())  // 1 … e^4, log-uniform
            values.append(x)
            accumulator.add(x)
        }
        values.sort()
        for q in [0.05, 0.25, 0.5, 0.75, 0.95] {
            let exact = values[Int(q * Double(values.count - 1))]
            #expect(abs(accumulator.quantile(q) - exact) <= 0.012 * exact, "q = \(q)")
        }
    }

    @Test func mergeOrderDoesNotMatterOnceSketched() {
        var generator = SeededGenerator(seed: 9)
        let parts = (0..<4).map { _ in (0..<1000).map { _ in generator.uniform() * 100 - 20 } }
        var forward = QuantileAccumulator(), backward = QuantileAccumulator()
        for part in parts {
            var a = QuantileAccumulator()
            part.forEach { a.add($0) }
            forward.merge(a)
        }
        for part in parts.reversed() {
            var a = QuantileAccumulator()
            part.forEach { a.add($0) }
            backward.merge(a)
        }
        for q in [0.05, 0.5, 0.95] { #expect(forward.quantile(q) == backward.quantile(q)) }
    }

    @Test("adding a run of values at once equals adding them one by one (sum, count, missing, quantiles)")
    func addContentsOf() {
        var generator = SeededGenerator(seed: 11)
        // Parts with NaN, ±∞ and -0.0; the last ones carry the total past the exact limit.
        var parts: [[Double]] = [[], [3, -0.0, .nan, 7.5], [.infinity, .leastNonzeroMagnitude, -2]]
        for size in [500, 1_400, 300, 900] { parts.append((0..<size).map { _ in generator.uniform() * 50 - 10 }) }
        parts[4][17] = .nan
        parts[5][3] = -.infinity
        let one = Self.expectBulkEqualsOneByOne(parts, levels: [0, 0.05, 0.5, 0.95, 1])
        #expect(one.count > QuantileAccumulator.exactLimit && one.missing == 2)
    }

    @Test("a sketched accumulator counts a run of values added at once exactly as one by one")
    func sketchedBulkEqualsOneByOne() {
        var generator = SeededGenerator(seed: 3)
        // Past the exact limit at once, then parts that widen the range both ways and carry NaN,
        // ±∞, zeros, tiny and negative values.
        var parts: [[Double]] = [(0..<3_000).map { _ in 1 + generator.uniform() * 9 }]
        parts.append((0..<500).map { _ in generator.uniform() * 1e4 })
        parts.append([.nan, .infinity, -.infinity, 0, -0.0, 1e-301, -3, 1e-300, 5e300])
        parts.append((0..<700).map { _ in (generator.uniform() - 0.3) * 0.01 })
        let one = Self.expectBulkEqualsOneByOne(parts, levels: [0, 0.01, 0.25, 0.5, 0.75, 0.99, 1])
        #expect(one.count == 3_000 + 500 + 8 + 700 && one.missing == 1)
    }

    /// Adds `parts` one value at a time to one accumulator and a part at a time to another, and
    /// expects the same count, missing count, sum and quantiles at `levels` (to the bit) after
    /// each part; returns the one-by-one accumulator.
    static func expectBulkEqualsOneByOne(_ parts: [[Double]], levels: [Double]) -> QuantileAccumulator {
        var one = QuantileAccumulator(), bulk = QuantileAccumulator()
        for (p, part) in parts.enumerated() {
            part.forEach { one.add($0) }
            part.withUnsafeBufferPointer { bulk.add(contentsOf: $0) }
            #expect(bulk.count == one.count && bulk.missing == one.missing, "part \(p)")
            #expect(bulk.sum.bitPattern == one.sum.bitPattern, "part \(p)")
            for q in levels { #expect(bulk.quantile(q).bitPattern == one.quantile(q).bitPattern, "part \(p), q \(q)") }
        }
        return one
    }
}

@Suite struct SweepTests {
    @Test func eachPointEqualsTheSameRunDoneAlone() throws {
        let (plan, parameters) = try curbPlan()
        let sweep = try Sweep.run(
            plan, parameters: parameters, grid: [("stockpile.cover_days[JP]", [0, 60, 120])], seed: 4)
        #expect(sweep.points.map(\.values) == [[0], [60], [120]])
        for point in sweep.points {
            var alone = parameters
            try alone.set("stockpile.cover_days[JP]", to: point.values[0])
            let single = try Runner.run(plan, parameters: alone, seed: 4)
            #expect(single.values.map(\.bitPattern) == point.result.values.map(\.bitPattern))
        }
        let table = try sweep.table(["stockpile.unmet_total[JP/DyTb]", "stockpile.exhausted_at[JP/DyTb]"])
        #expect(table.columns == ["stockpile.cover_days[JP]", "stockpile.unmet_total[JP/DyTb]", "stockpile.exhausted_at[JP/DyTb]"])
        // More cover, less unmet demand.
        let unmet = table.rows.map { row -> Double in if case .number(let x) = row[1] { x } else { .nan } }
        #expect(unmet[0] > unmet[1] && unmet[1] >= unmet[2])
    }

    @Test func gridsRunEveryCombination() throws {
        let (plan, parameters) = try curbPlan()
        let sweep = try Sweep.run(
            plan, parameters: parameters,
            grid: [("stockpile.cover_days[JP]", [30, 90]), ("trade.ramp_months", [1, 6, 12])], seed: 1)
        #expect(sweep.points.map(\.values) == [[30, 1], [30, 6], [30, 12], [90, 1], [90, 6], [90, 12]])
    }

    @Test func theDefaultChartSignalIsTheOneTheSweepMovesMost() throws {
        let (plan, parameters) = try curbPlan()
        let sweep = try Sweep.run(
            plan, parameters: parameters, grid: [("stockpile.cover_days[JP]", [0, 60, 120])], seed: 1)
        #expect(sweep.title == "Sweep of stockpile.cover_days[JP]")
        func distinctSeries(_ id: String) throws -> Int {
            Set(try sweep.points.map { try $0.result.series(id).map(\.bitPattern) }).count
        }
        let chosen = sweep.defaultSignalIDs(limit: 2)
        // Both differ at every point. Among the signals that do (the diplomacy hazard does too:
        // unmet demand is the target's pain), the headline family comes first: days of cover.
        for id in chosen { #expect(try distinctSeries(id) == 3, "\(id)") }
        #expect(chosen.first?.hasPrefix("stockpile.days_of_cover[JP/") == true, "\(chosen)")
        #expect(try distinctSeries("diplomacy.hazard[CN>JP]") == 3)
        #expect(sweep.defaultSignalIDs(limit: 1) == [chosen[0]])

        // A sweep whose points do not differ falls back to the run's own default chart.
        let flat = try Sweep.run(plan, parameters: parameters, grid: [("stockpile.cover_days[JP]", [60])], seed: 1)
        let point = try #require(flat.points.first?.result)
        let own = point.defaultColumns(limit: 1).map { point.signals[$0].id }
        #expect(flat.defaultSignalIDs() == own)
        #expect(own == ["diplomacy.tension[CN>JP]"])
    }

    @Test func outOfRangeValuesFailBeforeAnyRun() throws {
        let (plan, parameters) = try curbPlan()
        #expect(throws: ParameterError.self) {
            try Sweep.run(plan, parameters: parameters, grid: [("stockpile.cover_days[JP]", [30, -1])], seed: 1)
        }
    }
}

/// A thread-safe call counter for cancellation tests.
final class Counter: @unchecked Sendable {
    private let lock = NSLock()
    private var value = 0
    func next() -> Int {
        lock.lock()
        defer { lock.unlock() }
        value += 1
        return value
    }
}

/// Counts calls and the distinct threads they came from.
final class ThreadRecorder: @unchecked Sendable {
    private let lock = NSLock()
    private var threads: Set<UInt> = []
    private var count = 0
    func record() {
        let me = UInt(pthread_self())
        lock.withLock {
            threads.insert(me)
            count += 1
        }
    }
    var distinctThreads: Int { lock.withLock { threads.count } }
    var calls: Int { lock.withLock { count } }
}

@Suite struct DefaultSignalTests {
    @Test func headlineSignalsComeFirstEachForTheKeyThatMovesLongest() throws {
        let (plan, parameters) = try curbPlan()
        let result = try Runner.run(plan, parameters: parameters, seed: 1)
        let ids = result.defaultColumns().map { result.signals[$0].id }
        // One key per headline family, in step order: the DyTb shortfall lasts the curb's year,
        // the NdPr one only while tension is high.
        #expect(ids == ["diplomacy.tension[CN>JP]", "trade.shortfall[JP/DyTb]", "trade.price[DyTb]", "stockpile.days_of_cover[JP/DyTb]"])
        // One module: its headline first, then its other signals that change, in order.
        let stockpile = result.defaultColumns(module: "stockpile").map { result.signals[$0].id }
        #expect(stockpile == [
            "stockpile.days_of_cover[JP/DyTb]", "stockpile.level[JP/NdPr]", "stockpile.level[JP/DyTb]",
            "stockpile.state_level[JP/DyTb]",
        ])
        #expect(result.defaultColumns(limit: 2).map { result.signals[$0].id } == Array(ids.prefix(2)))
    }
}
