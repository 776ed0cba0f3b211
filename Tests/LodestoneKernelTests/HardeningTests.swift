import Testing

@testable import LodestoneKernel

/// The kernel's guards of issue 15: non-finite outputs stop a run, runs end by 9999-12, and
/// ensembles and sweeps are checked against a memory budget before they start.
@Suite("Kernel guards: finite outputs, month range, memory budget")
struct HardeningTests {
    /// A model whose `level` doubles each month from 1e300: +∞ in the fourth month.
    static var overflowing: ToyModel {
        ToyModel(
            name: "boom",
            declaredInterface: ModelInterface(outputs: [
                OutputDeclaration("level", keys: ["JP"], unit: .tonnes, doc: "a level that overflows")
            ]),
            onStep: { instance, frame in
                frame.write(instance.outputs[0], 0, 1e300 * pow10(Double(frame.monthIndex) * 3))
            })
    }

    @Test("a signal that becomes infinite stops the run with its id, key and month")
    func nonFiniteSignalStopsRun() throws {
        let error = try #require(throws: NonFiniteError.self) { try toyRun([Self.overflowing], months: 6) }
        #expect(error.signal == "boom.level[JP]")
        #expect(error.month == Month(2026, 4))
        #expect(error.value == .infinity)
        #expect(
            error.description
                == "the run stopped: `boom.level[JP]` became infinite (+∞) in 2026-04; a data value or parameter is too large for the model's arithmetic (check the dataset's tonnes and prices and the parameters set)")
        // Three months are fine.
        #expect(try toyRun([Self.overflowing], months: 3).values.allSatisfy(\.isFinite))
    }

    @Test("the vectorised finiteness check finds NaN and ±∞ in any lane, before the aligned part and in the tail")
    func vectorisedFiniteness() {
        for count in [0, 1, 7, 8, 9, 16, 17, 21, 40] {
            for offset in 0..<3 {
                // A NaN before the first value and after the last: outside, never looked at.
                var values = [.nan] + (0..<(offset + count)).map { Double($0) * 1e300 - 3e300 } + [.nan]
                let first = 1 + offset
                func check(_ count: Int) -> Bool {
                    values.withUnsafeBufferPointer { Simulation.allFinite($0.baseAddress! + first, count: count) }
                }
                #expect(check(count))
                for position in 0..<count {
                    for bad in [Double.nan, .infinity, -.infinity] {
                        let kept = values[first + position]
                        values[first + position] = bad
                        #expect(!check(count), "\(count) \(offset) \(position) \(bad)")
                        #expect(check(position))
                        values[first + position] = kept
                    }
                }
            }
        }
    }

    @Test("finite signals whose sum overflows do not stop a run, alone or in blocks")
    func largeFiniteSignals() throws {
        let large = ToyModel(
            name: "large",
            declaredInterface: ModelInterface(outputs: [
                OutputDeclaration("level", keys: ["JP", "US", "CN"], unit: .tonnes, doc: "three large levels")
            ]),
            onStep: { instance, frame in
                for k in 0..<3 { frame.write(instance.outputs[0], k, 1.5e308) }
            })
        // The check's sum overflows (it says "not sure"); looking at each value finds them finite.
        let values = [1.5e308, 1.5e308, 1.5e308]
        #expect(!values.withUnsafeBufferPointer { Simulation.allFinite($0.baseAddress!, count: 3) })
        let result = try toyRun([large], months: 4)
        #expect(try result.series("large.level[US]") == [1.5e308, 1.5e308, 1.5e308, 1.5e308])
        let composition = try Composition(
            models: [large], dataset: ToyWorld.dataset, scenario: Scenario("calm"),
            parameters: ParameterSet(models: [large], dataset: ToyWorld.dataset))
        let plan = try RunPlan(composition: composition, start: ToyWorld.january2026, months: 4)
        var request = MonteCarloRequest(runs: 5, seed: 1, bandSignals: ["large.level[CN]"], threads: 1)
        request.blockSize = 2
        let ensemble = try MonteCarlo.run(plan, parameters: ParameterSet(models: [large], dataset: ToyWorld.dataset), request: request)
        #expect(ensemble.completedRuns == 5)
        #expect(try ensemble.band("large.level[CN]", level: 0.5) == [1.5e308, 1.5e308, 1.5e308, 1.5e308])
    }

    @Test("an ensemble whose run overflows names the run")
    func nonFiniteInEnsemble() throws {
        let composition = try Composition(
            models: [Self.overflowing], dataset: ToyWorld.dataset, scenario: Scenario("calm"),
            parameters: ParameterSet(models: [Self.overflowing], dataset: ToyWorld.dataset))
        let plan = try RunPlan(composition: composition, start: ToyWorld.january2026, months: 5)
        let error = try #require(throws: NonFiniteError.self) {
            try MonteCarlo.run(
                plan, parameters: ParameterSet(models: [Self.overflowing], dataset: ToyWorld.dataset),
                request: MonteCarloRequest(runs: 10, seed: 1, threads: 1))
        }
        #expect(error.run == 0)
        #expect(error.description.contains("in 2026-04 of run 0"))
    }

    @Test("a run may not end after 9999-12 (nor start before 0000-01)")
    func monthRange() throws {
        let composition = try Composition(
            models: [drawer], dataset: ToyWorld.dataset, scenario: Scenario("calm"),
            parameters: ParameterSet(models: [drawer], dataset: ToyWorld.dataset))
        let last = try RunPlan(composition: composition, start: Month(9999, 12), months: 1)
        #expect(last.months == 1)
        let error = try #require(throws: CompositionError.self) {
            try RunPlan(composition: composition, start: Month(9999, 12), months: 2)
        }
        #expect(
            error.message
                == "a run of 2 months from 9999-12 would end in 10000-01, after 9999-12, the last month Lodestone can write; start earlier or run fewer months (at most 1 from 9999-12)")
        #expect(throws: CompositionError.self) { try RunPlan(composition: composition, start: Month(9001, 1), months: 12_000) }
        #expect(try RunPlan(composition: composition, start: Month(9000, 1), months: 12_000).months == 12_000)
    }

    @Test("memory sizes parse and print")
    func sizes() {
        #expect(MemoryBudget.parse("4GB") == 4 << 30)
        #expect(MemoryBudget.parse("512 MB") == 512 << 20)
        #expect(MemoryBudget.parse("1.5GiB") == 3 << 29)
        #expect(MemoryBudget.parse("2e9") == 2_000_000_000)
        #expect(MemoryBudget.parse("50%") == MemoryBudget.physicalMemory / 2)
        for bad in ["", "GB", "-1GB", "0", "lots", "200%", "1e30"] { #expect(MemoryBudget.parse(bad) == nil, "\(bad)") }
        #expect(MemoryBudget.format(3 << 30) == "3 GB")
        #expect(MemoryBudget.format(1536 << 20) == "1.5 GB")
        #expect(MemoryBudget.format(100) == "100 bytes")
        #expect(MemoryBudget.default.bytes == Int(Double(MemoryBudget.physicalMemory) * 0.125))
    }

    @Test("the ensemble estimate grows with runs × metrics and bands × months; over the budget is an error")
    func ensembleEstimate() throws {
        // 10 runs, 2 metrics, no varied values, 1 band of 12 months, 1 thread, 4 signals.
        let small = MemoryBudget.ensembleEstimate(runs: 10, months: 12, metrics: 2, varied: 0, bands: 1, signals: 4, threads: 1)
        #expect(small == 10 * 2 * 8 + 10 + 12 * (96 + 10 * 16) + (10 + 8) * 12 * 8 + 4 * 8 * 4)
        // 600 runs on 1 thread are two waves of up to 512: two tables of 512 runs' band values.
        let twoWaves = MemoryBudget.ensembleEstimate(runs: 600, months: 12, metrics: 2, varied: 0, bands: 1, signals: 4, threads: 1)
        #expect(twoWaves == 600 * 2 * 8 + 600 + 12 * (96 + 600 * 16) + 2 * (512 + 8) * 12 * 8 + 4 * 8 * 4)
        let huge = MemoryBudget.ensembleEstimate(
            runs: 9_999_999, months: 12_000, metrics: 60, varied: 0, bands: 4, signals: 1_200, threads: 2)
        #expect(huge > 4_800_000_000)
        let error = try #require(throws: MemoryBudgetError.self) {
            try MemoryBudget(bytes: 2 << 30).check(huge, for: "this ensemble", advice: "use fewer runs")
        }
        #expect(error.message.hasPrefix("this ensemble would need about "))
        #expect(error.message.contains("more than the 2 GB allowed; use fewer runs, or raise the limit (lodestone --max-memory SIZE"))
        #expect(throws: Never.self) { try MemoryBudget(bytes: 2 << 30).check(small, for: "x", advice: "y") }
    }

    @Test("a sweep keeping a few signals holds only those; over the budget it is refused before any run")
    func sweepKeepsSignals() throws {
        let models: [any Model] = [SupplyDemand.supply, SupplyDemand.demand]
        let parameters = ParameterSet(models: models, dataset: ToyWorld.dataset)
        let composition = try Composition(
            models: models, dataset: ToyWorld.dataset, scenario: Scenario("calm"), parameters: parameters)
        let plan = try RunPlan(composition: composition, start: ToyWorld.january2026, months: 6)
        let grid: [(path: String, values: [Double])] = [("supply.base[JP]", [10, 20, 30])]
        let whole = try Sweep.run(plan, parameters: parameters, grid: grid, seed: 1, threads: 1)
        let kept = try Sweep.run(
            plan, parameters: parameters, grid: grid, seed: 1, keep: .signals(["demand.orders[JP]"]), threads: 1)
        #expect(kept.points.count == 3)
        #expect(kept.points[0].result.signals.map(\.id) == ["demand.orders[JP]"])
        for (a, b) in zip(whole.points, kept.points) {
            #expect(try a.result.series("demand.orders[JP]") == b.result.series("demand.orders[JP]"))
            #expect(a.result.metricValues.map(\.bitPattern) == b.result.metricValues.map(\.bitPattern))
        }
        #expect(throws: LookupError.self) {
            try Sweep.run(plan, parameters: parameters, grid: grid, seed: 1, keep: .signals(["demand.order[JP]"]))
        }
        let refused = try #require(throws: MemoryBudgetError.self) {
            try Sweep.run(plan, parameters: parameters, grid: grid, seed: 1, memoryBudget: MemoryBudget(bytes: 1000))
        }
        #expect(refused.message.hasPrefix("this sweep (3 runs × 6 months, "))
    }
}

private func pow10(_ x: Double) -> Double {
    var result = 1.0
    for _ in 0..<Int(x) { result *= 10 }
    return result
}
