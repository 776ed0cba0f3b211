import LodestoneKernel
import Testing

/// xoshiro256** written out from the reference (Blackman & Vigna), to check the kernel's.
private struct ReferenceXoshiro {
    var s: (UInt64, UInt64, UInt64, UInt64)
    mutating func next() -> UInt64 {
        func rotl(_ x: UInt64, _ k: UInt64) -> UInt64 { (x << k) | (x >> (64 - k)) }
        let result = rotl(s.1 &* 5, 7) &* 9
        let t = s.1 << 17
        s.2 ^= s.0
        s.3 ^= s.1
        s.1 ^= s.2
        s.0 ^= s.3
        s.2 ^= t
        s.3 = rotl(s.3, 45)
        return result
    }
}

private func uniforms(seed: UInt64, stream: UInt64, count: Int) -> [Double] {
    var generator = SeededGenerator(seed: seed, stream: stream)
    return (0..<count).map { _ in generator.uniform() }
}

private func mean(_ xs: [Double]) -> Double { xs.reduce(0, +) / Double(xs.count) }

private func correlation(_ xs: [Double], _ ys: [Double]) -> Double {
    let mx = mean(xs), my = mean(ys)
    var sxy = 0.0, sxx = 0.0, syy = 0.0
    for (x, y) in zip(xs, ys) {
        sxy += (x - mx) * (y - my)
        sxx += (x - mx) * (x - mx)
        syy += (y - my) * (y - my)
    }
    return sxy / (sxx * syy).squareRoot()
}

@Suite("Seeded generator")
struct RandomTests {
    @Test("SplitMix64 matches its reference outputs for seed 0")
    func splitMixReference() {
        var mixer = SplitMix64(seed: 0)
        #expect(mixer.next() == 0xE220_A839_7B1D_CDAF)
        #expect(mixer.next() == 0x6E78_9E6A_A1B9_65F4)
        #expect(mixer.next() == 0x06C4_5D18_8009_454F)
    }

    @Test("the reference xoshiro256** gives its published outputs from state 1, 2, 3, 4")
    func xoshiroReference() {
        var reference = ReferenceXoshiro(s: (1, 2, 3, 4))
        #expect((0..<4).map { _ in reference.next() } == [11520, 0, 1_509_978_240, 1_215_971_899_390_074_240])
    }

    @Test(
        "SeededGenerator is xoshiro256** seeded through SplitMix64 from (seed, stream)",
        arguments: [(UInt64(0), UInt64(0)), (1, 0), (1, 1), (42, 7), (.max, 12_345)])
    func matchesReference(seed: UInt64, stream: UInt64) {
        var mixer = SplitMix64(seed: seed)
        var expander = SplitMix64(seed: mixer.next() ^ (stream &* 0xD1B5_4A32_D192_ED03))
        _ = expander.next()
        var reference = ReferenceXoshiro(s: (expander.next(), expander.next(), expander.next(), expander.next()))
        var generator = SeededGenerator(seed: seed, stream: stream)
        for _ in 0..<1_000 { #expect(generator.next() == reference.next()) }
    }

    @Test("uniform draws use the top 53 bits and lie in [0, 1)")
    func uniformRange() {
        var a = SeededGenerator(seed: 9, stream: 3)
        var b = SeededGenerator(seed: 9, stream: 3)
        for _ in 0..<10_000 {
            let u = a.uniform()
            #expect(u >= 0 && u < 1)
            #expect(u == Double(b.next() >> 11) * 0x1.0p-53)
        }
    }

    @Test("uniforms have mean ≈ 1/2 and variance ≈ 1/12", arguments: [(UInt64(1), UInt64(0)), (42, 0), (42, 7), (7, 999)])
    func moments(seed: UInt64, stream: UInt64) {
        let xs = uniforms(seed: seed, stream: stream, count: 100_000)
        let m = mean(xs)
        let variance = xs.reduce(0) { $0 + ($1 - m) * ($1 - m) } / Double(xs.count - 1)
        // Standard error of the mean is 0.29/√100000 ≈ 0.0009: allow five of them.
        #expect(abs(m - 0.5) < 0.0046)
        #expect(abs(variance - 1.0 / 12) < 0.002)
        // Every tenth of [0, 1) gets its share (expected 10000, sd ≈ 95).
        var buckets = [Int](repeating: 0, count: 10)
        for x in xs { buckets[Int(x * 10)] += 1 }
        #expect(buckets.allSatisfy { abs($0 - 10_000) < 500 })
    }

    @Test("neighbouring streams of one seed differ and are uncorrelated", arguments: [UInt64(1), 2026, .max])
    func streamsIndependent(seed: UInt64) {
        for k: UInt64 in 0..<8 {
            let a = uniforms(seed: seed, stream: k, count: 50_000)
            let b = uniforms(seed: seed, stream: k + 1, count: 50_000)
            #expect(a != b)
            #expect(zip(a, b).filter { $0 == $1 }.count == 0)
            // The sample correlation of independent streams has sd 1/√50000 ≈ 0.0045.
            #expect(abs(correlation(a, b)) < 0.02)
            // Nor is one a shifted copy of the other.
            #expect(abs(correlation(Array(a.dropFirst()), Array(b.dropLast()))) < 0.02)
        }
    }

    @Test("neighbouring seeds are uncorrelated too")
    func seedsIndependent() {
        for seed: UInt64 in 0..<4 {
            let a = uniforms(seed: seed, stream: 0, count: 50_000)
            let b = uniforms(seed: seed + 1, stream: 0, count: 50_000)
            #expect(abs(correlation(a, b)) < 0.02)
        }
    }

    @Test("the first draws of 10000 streams are all distinct")
    func firstDrawsDistinct() {
        var seen = Set<UInt64>()
        for k: UInt64 in 0..<10_000 {
            var generator = SeededGenerator(seed: 5, stream: k)
            seen.insert(generator.next())
        }
        #expect(seen.count == 10_000)
    }

    @Test("copying a generator forks the stream")
    func valueSemantics() {
        var a = SeededGenerator(seed: 3)
        _ = a.next()
        var b = a
        #expect(a.next() == b.next())
        #expect(a.next() == b.next())
    }

    @Test("the generator works with the standard library's random APIs, reproducibly")
    func standardLibrary() {
        var a = SeededGenerator(seed: 11)
        var b = SeededGenerator(seed: 11)
        let xs = (0..<100).map { _ in Int.random(in: 0..<1_000, using: &a) }
        let ys = (0..<100).map { _ in Int.random(in: 0..<1_000, using: &b) }
        #expect(xs == ys)
        #expect(Set(xs).count > 80)
    }
}

@Suite("Determinism")
struct DeterminismTests {
    func plan(months: Int = 24) throws -> (RunPlan, ParameterSet) {
        let models: [any Model] = [drawer, SupplyDemand.supply, SupplyDemand.demand]
        let parameters = ParameterSet(models: models, dataset: ToyWorld.dataset)
        let composition = try Composition(
            models: models, dataset: ToyWorld.dataset, scenario: Scenario("calm"), parameters: parameters)
        return (try RunPlan(composition: composition, start: ToyWorld.january2026, months: months), parameters)
    }

    @Test("the same seed gives identical series and metrics")
    func sameSeed() throws {
        let (plan, parameters) = try plan()
        let first = try Runner.run(plan, parameters: parameters, seed: 1234)
        let second = try Runner.run(plan, parameters: parameters, seed: 1234)
        #expect(first.values == second.values)
        #expect(first.metricValues == second.metricValues)
        #expect(first.seed == 1234)
    }

    @Test("a run's draws are its generator's: seed s, stream k")
    func drawsComeFromSeedAndStream() throws {
        let (plan, parameters) = try plan(months: 12)
        for (seed, stream) in [(UInt64(1), UInt64(0)), (1, 5), (99, 0)] {
            let result = try Runner.run(plan, parameters: parameters, seed: seed, stream: stream)
            #expect(try result.series("dice.draw") == uniforms(seed: seed, stream: stream, count: 12))
        }
    }

    @Test("different seeds or streams give different draws")
    func differentSeeds() throws {
        let (plan, parameters) = try plan()
        let a = try Runner.run(plan, parameters: parameters, seed: 1).series("dice.draw")
        let b = try Runner.run(plan, parameters: parameters, seed: 2).series("dice.draw")
        let c = try Runner.run(plan, parameters: parameters, seed: 1, stream: 1).series("dice.draw")
        #expect(zip(a, b).allSatisfy { $0 != $1 })
        #expect(zip(a, c).allSatisfy { $0 != $1 })
        // Deterministic signals do not depend on the seed.
        let x = try Runner.run(plan, parameters: parameters, seed: 1).series("demand.orders[JP]")
        let y = try Runner.run(plan, parameters: parameters, seed: 2).series("demand.orders[JP]")
        #expect(x == y)
    }

    @Test("runs in parallel give the same results as in sequence")
    func parallel() async throws {
        let (plan, parameters) = try plan()
        let sequential = try (0..<8).map { k in
            try Runner.run(plan, parameters: parameters, seed: 77, stream: UInt64(k)).values
        }
        let parallel = try await withThrowingTaskGroup(of: (Int, [Double]).self) { group in
            for k in 0..<8 {
                group.addTask { (k, try Runner.run(plan, parameters: parameters, seed: 77, stream: UInt64(k)).values) }
            }
            var results = [[Double]](repeating: [], count: 8)
            for try await (k, values) in group { results[k] = values }
            return results
        }
        #expect(parallel == sequential)
    }

    @Test("a simulation can be stepped by hand, with parameters varied before the first month")
    func simulationByHand() throws {
        let (plan, parameters) = try plan(months: 3)
        let base = try #require(parameters.entry("supply.base")).base
        let simulation = try Simulation(
            plan: plan, parameters: parameters, generator: SeededGenerator(seed: 5, stream: 2)
        ) { values in values[base + 1] = 100 }
        #expect(simulation.parameterValues == [10, 100])
        var expected = SeededGenerator(seed: 5, stream: 2)
        #expect(simulation.withGenerator { $0.next() } == expected.next())
        let delivered = try #require(plan.composition.slot(of: "supply.delivered[US]"))
        let draw = try #require(plan.composition.slot(of: "dice.draw"))
        var row = [Double](repeating: .nan, count: plan.composition.signals.count)
        for t in 0..<3 {
            #expect(!simulation.isFinished)
            try simulation.step()
            #expect(simulation.monthIndex == t + 1)
            #expect(simulation.value(slot: delivered) == 100 + Double(t))
            #expect(simulation.value(slot: draw) == expected.uniform())
            row.withUnsafeMutableBufferPointer { simulation.copySignals(into: $0) }
            #expect(row[delivered] == 100 + Double(t))
        }
        #expect(simulation.isFinished)
        let metrics = simulation.finishMetrics()
        let total = try #require(plan.composition.metricIndex(of: "demand.total_orders[US]"))
        #expect(metrics[total] == 2 * (100 + 101 + 102))
    }

    @Test("a cancelled run stops with CancellationError")
    func cancellation() throws {
        let (plan, parameters) = try plan()
        let error = #expect(throws: CancellationError.self) {
            try Runner.run(plan, parameters: parameters, seed: 1, isCancelled: { true })
        }
        #expect(error?.description == "cancelled")
    }
}
