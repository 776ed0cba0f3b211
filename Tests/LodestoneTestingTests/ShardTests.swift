import LodestoneKernel
import Testing

/// `Shard`: parsing, the runs of a shard, and shards of an ensemble or sweep that are together
/// the unsharded one, run for run and bit for bit.
@Suite struct ShardTests {
    @Test func parsesAndNamesShards() throws {
        let shard = try Shard(parsing: "2/4")
        #expect(shard.index == 2 && shard.count == 4)
        #expect(shard.description == "2/4" && shard.fileTag == "shard-2-of-4")
        #expect(try Shard(parsing: " 1 / 1 ") == Shard(1, of: 1))
        // 10 runs over 4 shards: 3, 3, 2, 2, round robin.
        #expect(try (1...4).map { try Shard($0, of: 4).runIndices(of: 10) } == [[0, 4, 8], [1, 5, 9], [2, 6], [3, 7]])
        #expect(try Shard(4, of: 4).size(of: 3) == 0)
        #expect(try Shard(3, of: 4).contains(6) && !Shard(3, of: 4).contains(7))
    }

    @Test(arguments: [
        ("0/4", "expected a shard from 1/4 to 4/4 (shards count from 1), got 0/4"),
        ("5/4", "expected a shard from 1/4 to 4/4 (shards count from 1), got 5/4"),
        ("a/b", "expected i/n with whole numbers 1 ≤ i ≤ n, such as 2/4 (the second of four shards), got `a/b`"),
        ("3", "expected i/n with whole numbers 1 ≤ i ≤ n, such as 2/4 (the second of four shards), got `3`"),
        ("1/0", "expected 1…100000 shards, got 0"),
        ("-1/4", "expected a shard from 1/4 to 4/4 (shards count from 1), got -1/4"),
    ])
    func refusesBadShards(text: String, message: String) {
        #expect(throws: ParameterError("shard: " + message)) { try Shard(parsing: text) }
    }

    @Test func shardsOfAnEnsembleAreTheEnsemble() throws {
        let (plan, parameters) = try curbPlan()
        let bands = ["stockpile.days_of_cover[JP/DyTb]", "trade.price[DyTb]"]
        let whole = try MonteCarlo.run(
            plan, parameters: parameters, request: MonteCarloRequest(runs: 101, seed: 7, vary: variedDiplomacy, bandSignals: bands))
        let width = whole.metrics.count
        var seen = Set<Int>()
        for i in 1...3 {
            var request = MonteCarloRequest(runs: 101, seed: 7, vary: variedDiplomacy, bandSignals: bands, threads: i)
            request.shard = try Shard(i, of: 3)
            let part = try MonteCarlo.run(plan, parameters: parameters, request: request)
            #expect(part.runIndices == Array(stride(from: i - 1, to: 101, by: 3)))
            #expect(part.completedRuns == part.runIndices.count && !part.wasCancelled && part.totalRuns == 101)
            #expect(part.runBandValues.count == part.completedRuns * bands.count * plan.months)
            for (row, k) in part.runIndices.enumerated() {
                seen.insert(k)
                #expect(
                    part.metricValues[(row * width)..<((row + 1) * width)].map(\.bitPattern)
                        == whole.metricValues[(k * width)..<((k + 1) * width)].map(\.bitPattern))
                #expect(part.variedValues[(row * 2)..<(row * 2 + 2)] == whole.variedValues[(k * 2)..<(k * 2 + 2)])
            }
        }
        #expect(seen == Set(0..<101))
        // An unsharded ensemble keeps no per-run band values.
        #expect(whole.runBandValues.isEmpty)
    }

    @Test func bandValuesOfTheShardsRebuildTheBands() throws {
        let (plan, parameters) = try curbPlan()
        let bands = ["trade.price[DyTb]"]
        // Past 2,048 runs the accumulators sketch: the rebuilt bands must still match bit for bit.
        let whole = try MonteCarlo.run(
            plan, parameters: parameters, request: MonteCarloRequest(runs: 2_100, seed: 3, vary: variedDiplomacy, bandSignals: bands))
        var values = [[Double]](repeating: [Double](repeating: .nan, count: 2_100), count: plan.months)
        for i in 1...2 {
            var request = MonteCarloRequest(runs: 2_100, seed: 3, vary: variedDiplomacy, bandSignals: bands)
            request.shard = try Shard(i, of: 2)
            let part = try MonteCarlo.run(plan, parameters: parameters, request: request)
            for (row, k) in part.runIndices.enumerated() {
                for t in 0..<plan.months { values[t][k] = part.runBandValues[row * plan.months + t] }
            }
        }
        for t in 0..<plan.months {
            var accumulator = QuantileAccumulator()
            for value in values[t] { accumulator.add(value) }
            for q in EnsembleResult.bandLevels {
                #expect(accumulator.quantile(q).bitPattern == whole.distributions[0][t].quantile(q).bitPattern)
            }
            #expect(accumulator.mean.bitPattern == whole.distributions[0][t].mean.bitPattern)
        }
    }

    @Test func shardsOfASweepAreTheSweep() throws {
        let (plan, parameters) = try curbPlan()
        let grid: [(path: String, values: [Double])] = [("stockpile.cover_days[JP]", [15, 30, 45, 60, 75])]
        let whole = try Sweep.run(plan, parameters: parameters, grid: grid, seed: 2)
        var points: [SweepPoint] = []
        for i in 1...2 {
            let part = try Sweep.run(plan, parameters: parameters, grid: grid, seed: 2, shard: try Shard(i, of: 2))
            #expect(part.requestedPoints == 5 && !part.wasCancelled && part.shard?.index == i)
            points += part.points
        }
        points.sort { $0.index < $1.index }
        #expect(points.map(\.index) == [0, 1, 2, 3, 4])
        for (point, reference) in zip(points, whole.points) {
            #expect(point.values == reference.values)
            #expect(point.result.values.map(\.bitPattern) == reference.result.values.map(\.bitPattern))
        }
    }
}
