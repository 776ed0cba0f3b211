import Testing

@testable import LodestoneKernel

/// Batch stepping (issue 21): blocks of runs stepped together give exactly the per-run results,
/// for models in the batch form and for per-run models stepped through the adapter, whatever the
/// block size and thread count.
@Suite("Batch stepping")
struct BatchTests {
    /// The walk (batch form or not) and its echo, composed on the toy world.
    static func plan(batch: Bool, months: Int = 30) throws -> (RunPlan, ParameterSet) {
        let models: [any Model] = [WalkModel(batch: batch), EchoModel()]
        let parameters = ParameterSet(models: models, dataset: ToyWorld.dataset)
        let composition = try Composition(
            models: models, dataset: ToyWorld.dataset, scenario: Scenario("calm"), parameters: parameters)
        return (try RunPlan(composition: composition, start: ToyWorld.january2026, months: months), parameters)
    }

    static func request(runs: Int, threads: Int, blockSize: Int?) -> MonteCarloRequest {
        var request = MonteCarloRequest(
            runs: runs, seed: 42,
            vary: [Variation("walk.step", .uniform(low: 0.2, high: 1.5)), Variation("walk.drift", .uniform(low: -0.1, high: 0.2))],
            bandSignals: ["walk.position[JP]", "echo.twice[US]"], threads: threads)
        request.blockSize = blockSize
        return request
    }

    /// Everything an ensemble reports, as bit patterns (NaN-safe exact comparison).
    static func fingerprint(_ result: EnsembleResult) throws -> [UInt64] {
        var bits = result.metricValues.map(\.bitPattern) + result.variedValues.map(\.bitPattern)
        for id in ["walk.position[JP]", "echo.twice[US]"] {
            for level in EnsembleResult.bandLevels { bits += try result.band(id, level: level).map(\.bitPattern) }
            bits += try result.meanSeries(id).map(\.bitPattern)
        }
        return bits
    }

    @Test("the batch form gives the per-run results bit for bit, for any block size and 1, 2 or 8 threads")
    func batchFormMatchesPerRun() throws {
        let (perRunPlan, parameters) = try Self.plan(batch: false)
        let (batchPlan, _) = try Self.plan(batch: true)
        let runs = 77  // not a multiple of any block size or of the chunk size
        let reference = try MonteCarlo.run(perRunPlan, parameters: parameters, request: Self.request(runs: runs, threads: 1, blockSize: nil))
        let expected = try Self.fingerprint(reference)
        // The walk really moves, crosses 2 in some runs and not others, and the runs differ.
        let crossed = try reference.metricSamples("walk.crossed_at[JP]")
        #expect(crossed.contains(where: \.isNaN) && crossed.contains(where: { !$0.isNaN }))
        #expect(Set(try reference.metricSamples("walk.peak[US]")).count == runs)
        for threads in [1, 2, 8] {
            for blockSize in [nil, 1, 3, 8, 16, 32, 64] {
                let batch = try MonteCarlo.run(
                    batchPlan, parameters: parameters, request: Self.request(runs: runs, threads: threads, blockSize: blockSize))
                #expect(try Self.fingerprint(batch) == expected, "threads \(threads), block size \(String(describing: blockSize))")
            }
        }
    }

    @Test("per-run models stepped in blocks through the adapter give the per-run results bit for bit")
    func adapterMatchesPerRun() throws {
        let (plan, parameters) = try Self.plan(batch: false)
        let expected = try Self.fingerprint(
            MonteCarlo.run(plan, parameters: parameters, request: Self.request(runs: 45, threads: 2, blockSize: nil)))
        for blockSize in [1, 5, 32, 64] {
            let adapted = try MonteCarlo.run(plan, parameters: parameters, request: Self.request(runs: 45, threads: 2, blockSize: blockSize))
            #expect(try Self.fingerprint(adapted) == expected, "block size \(blockSize)")
        }
    }

    @Test("a block of runs computes each run as a single run seeded with (seed, k) does")
    func blockMatchesSingleRuns() throws {
        let (plan, parameters) = try Self.plan(batch: true, months: 12)
        let block = try BatchSimulation(
            plan: plan, parameters: parameters, generators: (0..<5).map { SeededGenerator(seed: 9, stream: UInt64($0)) })
        let singles = try (0..<5).map { try Simulation(plan: plan, parameters: parameters, seed: 9, stream: UInt64($0)) }
        let slot = try #require(plan.composition.slot(of: "walk.position[US]"))
        for _ in 0..<12 {
            try block.step()
            for (r, single) in singles.enumerated() {
                try single.step()
                #expect(block.value(slot: slot, run: r).bitPattern == single.value(slot: slot).bitPattern)
            }
        }
        var metrics = [Double](repeating: 0, count: 5 * plan.composition.metrics.count)
        metrics.withUnsafeMutableBufferPointer { block.finishMetrics(into: $0) }
        let expected = singles.flatMap { $0.finishMetrics() }
        #expect(metrics.map(\.bitPattern) == expected.map(\.bitPattern))
    }

    @Test("a block writes each month's scenario signals (only the changed columns) as a single run does")
    func scenarioSignalsInBlocks() throws {
        let (feb, may) = (Month(2026, 2), Month(2026, 5))
        let scenario = Scenario("changes", events: [
            .restrict(from: "CN", to: "JP", commodity: "DyTb", share: 1, start: feb, months: 3),
            .restrict(from: "CN", to: nil, commodity: "NdPr", share: 0.25, start: may, months: 1),
            .incident(from: "CN", to: "JP", severity: 0.8, at: Month(2026, 3)),
            .talks(from: "CN", to: "JP", boost: 0.5, at: Month(2026, 4)),
            .quota(from: "CN", commodity: "NdPr", tonnesPerYear: 1_200, start: Month(2026, 6), months: 2),
            .demand(region: "US", commodity: nil, factor: 1.5, start: Month(2026, 3), months: 4),
        ])
        let models: [any Model] = [WalkModel(batch: true), EchoModel()]
        let parameters = ParameterSet(models: models, dataset: ToyWorld.dataset)
        let composition = try Composition(
            models: models, dataset: ToyWorld.dataset, scenario: scenario, parameters: parameters)
        let months = 10
        let plan = try RunPlan(composition: composition, start: ToyWorld.january2026, months: months)
        let n = composition.scenarioCount
        #expect(n > 0 && n < composition.signals.count)
        // The plan lists the columns that change: some months several, most months none.
        let changedMonths = (1..<months).filter { plan.scenarioChangeStart[$0 + 1] > plan.scenarioChangeStart[$0] }
        #expect(changedMonths.count >= 4 && changedMonths.count < months - 1)
        for width in [1, 3] {
            let block = try BatchSimulation(
                plan: plan, parameters: parameters, generators: (0..<width).map { SeededGenerator(seed: 4, stream: UInt64($0)) })
            let single = try Simulation(plan: plan, parameters: parameters, seed: 4, stream: 0)
            for t in 0..<months {
                try block.step()
                try single.step()
                for s in 0..<n {
                    let expected = plan.scenarioTable[t * n + s]
                    #expect(single.value(slot: s).bitPattern == expected.bitPattern)
                    for r in 0..<width {
                        #expect(block.value(slot: s, run: r).bitPattern == expected.bitPattern, "month \(t), slot \(s), run \(r)")
                    }
                }
            }
        }
        let restricted = try #require(composition.slot(of: "scenario.restriction[CN>JP/DyTb]"))
        #expect((0..<months).map { plan.scenarioTable[$0 * n + restricted] } == [0, 1, 1, 1, 0, 0, 0, 0, 0, 0])
    }

    @Test("the finished runs of a wave are merged into the bands as ranges of consecutive runs")
    func consecutiveRanges() {
        #expect(MonteCarlo.consecutiveRanges([]) == [])
        #expect(MonteCarlo.consecutiveRanges([4]) == [4..<5])
        #expect(MonteCarlo.consecutiveRanges(Array(32..<64)) == [32..<64])
        #expect(MonteCarlo.consecutiveRanges([0, 1, 2, 5, 6, 9]) == [0..<3, 5..<7, 9..<10])
    }

    @Test("a run that fails inside a block is reported as the per-run path reports it")
    func failureInABlock() throws {
        let composition = try Composition(
            models: [HardeningTests.overflowing], dataset: ToyWorld.dataset, scenario: Scenario("calm"),
            parameters: ParameterSet(models: [HardeningTests.overflowing], dataset: ToyWorld.dataset))
        let plan = try RunPlan(composition: composition, start: ToyWorld.january2026, months: 5)
        var request = MonteCarloRequest(runs: 10, seed: 1, threads: 1)
        request.blockSize = 4
        let error = try #require(throws: NonFiniteError.self) {
            try MonteCarlo.run(plan, parameters: ParameterSet(models: [HardeningTests.overflowing], dataset: ToyWorld.dataset), request: request)
        }
        #expect(error.run == 0)
        #expect(error.description.contains("in 2026-04 of run 0"))
        request.blockSize = 65
        #expect(throws: ParameterError.self) {
            try MonteCarlo.run(plan, parameters: ParameterSet(models: [HardeningTests.overflowing], dataset: ToyWorld.dataset), request: request)
        }
    }

    @Test("batch state: each variable's keys hold the block's runs side by side")
    func batchState() {
        let state = BatchState(width: 3)
        let a = state.doubles(keys: 2, initial: 1)
        let b = state.doubles(keys: 1, initial: .nan)
        var a1 = state[a, 1]
        for r in 0..<3 { a1[r] = Double(r) * 10 }
        var b0 = state[b, 0]
        b0[2] = 5
        #expect(state[a, 0].count == 3)
        #expect((0..<3).map { state[a, 0][$0] } == [1, 1, 1])
        #expect((0..<3).map { state[a, 1][$0] } == [0, 10, 20])
        #expect(state[b, 0][2] == 5 && state[b, 0][0].isNaN)
        state.fill(a, with: 7)
        #expect((0..<3).map { state[a, 1][$0] } == [7, 7, 7])
    }
}
