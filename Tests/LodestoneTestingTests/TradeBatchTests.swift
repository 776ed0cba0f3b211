import LodestoneDiplomacy
import LodestoneStockpile
import LodestoneTesting
import LodestoneTrade
import Testing

@testable import LodestoneKernel

/// Trade's batch form (issue 21) against its per-run form, on the miniature world under every
/// trade mechanism at once: a halt whose blocked volume is deferred, a partial curb, a quota on one
/// commodity and a total quota (over a January, so the carry-over runs), an offtake contract, new
/// capacity, an incident for diplomacy, and a `set` event changing a lag mid-run; stockpile and
/// diplomacy in the composition (stock cover and releases in the price, purchases, sales).
@Suite("Trade in the batch form")
struct TradeBatchTests {
    static var scenario: Scenario {
        var s = Scenario("every trade mechanism")
        s.add(.incident(from: "CN", to: "JP", severity: 0.8, at: Month(2026, 1)))
        s.add(.restrict(from: "CN", to: "JP", commodity: "DyTb", share: 1, start: Month(2026, 2), months: 8))
        s.add(.restrict(from: "CN", to: "US", commodity: "NdPr", share: 0.5, start: Month(2026, 4), months: 10))
        s.add(.quota(from: "CN", commodity: "NdPr", tonnesPerYear: 12 * 250, start: Month(2026, 3), months: nil))
        s.add(.quota(from: "MY", commodity: nil, tonnesPerYear: 12 * 500, start: Month(2026, 6), months: nil))
        s.add(.offtake(from: "MY", to: "JP", commodity: "NdPr", tonnesPerYear: 12 * 60, start: Month(2026, 2), months: 18))
        s.add(.newCapacity(region: "VN", commodity: "DyTb", tonnesPerYear: 12 * 10, start: Month(2026, 7)))
        s.add(.set(path: "trade.price_lag_months", value: 2, at: Month(2026, 11)))
        return s
    }

    static let months = 30

    /// The plan with `preset` (`v1`, or the defaults), each model optionally hidden behind
    /// ``PerRunOnly``.
    static func plan(
        preset: String?, perRunOnly: Bool = false, scenario: Scenario = scenario, months: Int = months
    ) throws -> (RunPlan, ParameterSet) {
        let modules: [any Model] = [TradeModel(), StockpileModel(), DiplomacyModel()]
        let models = perRunOnly ? modules.map { PerRunOnly(model: $0) as any Model } : modules
        let dataset = Fixtures.miniature
        var parameters = ParameterSet(models: models, dataset: dataset)
        if let preset { try parameters.apply(preset: preset, of: models, dataset: dataset) }
        let composition = try Composition(models: models, dataset: dataset, scenario: scenario, parameters: parameters)
        return (try RunPlan(composition: composition, start: Month(2026, 1), months: months), parameters)
    }

    static let bands = [
        "trade.price[DyTb]", "trade.deferred[JP/DyTb]", "trade.hoard[NdPr]", "trade.share[MY>JP/NdPr]",
        "trade.alt_supply[JP/DyTb]", "trade.capacity[VN/DyTb]", "trade.export_loss[CN/NdPr]",
    ]

    /// Parameters drawn per run: the lags (kept per run as `1 − e^(−1/τ)`), the responses, and
    /// for v2 the hoarding, speculation and stock-price terms.
    static func variations(v2: Bool) -> [Variation] {
        var vary = [
            Variation("trade.ramp_months", .triangular(low: 0, mode: 6, high: 12)),
            Variation("trade.price_lag_months", .uniform(low: 0.5, high: 3)),
            Variation("trade.demand_elasticity", .uniform(low: 0, high: 0.3)),
            Variation("trade.expansion_lag_months", .uniform(low: 1, high: 8)),
            Variation("stockpile.cover_days[JP]", .triangular(low: 0, mode: 60, high: 120)),
            Variation("diplomacy.settle_base", .uniform(low: 0.01, high: 0.2)),
        ]
        if v2 {
            vary += [
                Variation("trade.hoard_months", .uniform(low: 0, high: 6)),
                Variation("trade.speculation_months", .uniform(low: 0, high: 3)),
                Variation("trade.stock_price_elasticity", .uniform(low: 0, high: 2)),
                Variation("trade.catch_up_months", .uniform(low: 0, high: 4)),
            ]
        }
        return vary
    }

    @Test(
        "ensembles in blocks of 1, 3 and 16 on 1, 2 and 8 threads give the per-run results bit for bit (v1 and v2)",
        arguments: ["v1", nil] as [String?])
    func blocksGiveThePerRunResults(preset: String?) throws {
        let (perRunPlan, parameters) = try Self.plan(preset: preset, perRunOnly: true)
        let (batchPlan, _) = try Self.plan(preset: preset)
        func request(threads: Int, blockSize: Int?) -> MonteCarloRequest {
            var request = MonteCarloRequest(
                runs: 37, seed: 5, vary: Self.variations(v2: preset == nil), bandSignals: Self.bands, threads: threads)
            request.blockSize = blockSize
            return request
        }
        let reference = try MonteCarlo.run(perRunPlan, parameters: parameters, request: request(threads: 1, blockSize: nil))
        let expected = try reference.fingerprint(bands: Self.bands)
        // The mechanisms really act, differently across runs.
        #expect(try reference.band("trade.deferred[JP/DyTb]", level: 0.5).max()! > 0 || preset == "v1")
        #expect(try reference.band("trade.export_loss[CN/NdPr]", level: 0.5).max()! > 0)
        #expect(try reference.band("trade.alt_supply[JP/DyTb]", level: 0.5).max()! > 0)
        #expect(Set(try reference.metricSamples("trade.peak_price[DyTb]")).count > 30)
        for threads in [1, 2, 8] {
            for blockSize in [1, 3, 16] {
                let batch = try MonteCarlo.run(batchPlan, parameters: parameters, request: request(threads: threads, blockSize: blockSize))
                let same = try batch.fingerprint(bands: Self.bands) == expected
                #expect(same, "threads \(threads), blocks of \(blockSize)")
            }
        }
    }

    @Test(
        "a block computes every signal of every month and every metric of each run as the per-run form does",
        arguments: ["v1", nil] as [String?])
    func everySignalMatches(preset: String?) throws {
        try Self.checkEverySignal(preset: preset, scenario: Self.scenario)
    }

    /// A scenario without new capacity (so the effective capacity may be kept from month to
    /// month): a short curb that ends (blocked exports, expansion while the DyTb price is
    /// elevated), then, after a quiet stretch, mild cuts of capacity that bind nothing (only the
    /// capacity outputs show them), one ending, one not, and a mild one-month curb.
    static var capacityScenario: Scenario {
        var s = Scenario("capacity factors")
        s.add(.restrict(from: "CN", to: "JP", commodity: "DyTb", share: 0.5, start: Month(2026, 2), months: 2))
        s.add(.capacity(region: "CN", commodity: "NdPr", factor: 0.9, start: Month(2027, 3), months: 4))
        s.add(.capacity(region: "MY", commodity: nil, factor: 0.95, start: Month(2027, 9), months: nil))
        // A one-month curb with alternatives at hand: exports blocked while capacity stays still.
        s.add(.restrict(from: "CN", to: "US", commodity: "NdPr", share: 0.2, start: Month(2027, 12), months: 1))
        return s
    }

    @Test(
        "a block keeps or recomputes effective capacity, capacity and export-loss outputs as the per-run form computes them",
        arguments: ["v1", nil] as [String?])
    func capacityMatches(preset: String?) throws {
        try Self.checkEverySignal(preset: preset, scenario: Self.capacityScenario, distinctPeaks: 5)
    }

    @Test(
        "runs of a block that differ only in their elasticities each get their own powers (a power is reused from the run before only for the same arguments)",
        arguments: ["v1", nil] as [String?])
    func elasticitiesOnly(preset: String?) throws {
        // Runs 0 and 1 (and 2 and 3) see the same shortfall, stocks and prices until their
        // elasticities part them: the first month of the curb the scarcity and cover powers have
        // the same base in every run, and different exponents in some.
        try Self.checkEverySignal(
            preset: preset, scenario: Self.scenario, distinctPeaks: 4,
            settings: [
                ("trade.price_elasticity", [0.3, 0.6, 0.6, 0.45, 0.45, 0.3]),
                ("trade.demand_elasticity", [0.1, 0.1, 0.1, 0.1, 0.2, 0.2]),
                ("trade.stock_price_elasticity", [1, 1, 2, 2, 1, 0.5]),
            ])
    }

    /// A scenario after which prices return to p0 exactly (short price lags, set below) and
    /// every commodity goes *still* (nothing restricted, purchases over, σ back at 0), broken
    /// up by what must make a commodity move again: a demand factor, a parameter change, a curb
    /// that ends (with immediate re-sourcing, no shortfall: prices stay at p0), an incident for
    /// diplomacy, and stockpile purchases while prices are at p0 (a larger stock wanted).
    static var stillScenario: Scenario {
        var s = Scenario("still stretches")
        s.add(.restrict(from: "CN", to: "JP", commodity: "DyTb", share: 0.5, start: Month(2026, 2), months: 4))
        s.add(.demand(region: "JP", commodity: "NdPr", factor: 1.1, start: Month(2028, 7), months: 3))
        s.add(.set(path: "trade.demand_elasticity", value: 0.3, at: Month(2029, 1)))
        s.add(.restrict(from: "CN", to: "ROW", commodity: "NdPr", share: 0.1, start: Month(2029, 7), months: 1))
        s.add(.incident(from: "CN", to: "US", severity: 0.9, at: Month(2030, 1)))
        s.add(.set(path: "stockpile.cover_days[JP]", value: 150, at: Month(2031, 3)))
        return s
    }

    @Test(
        "a block skips the demand, flow, importer and share equations of still commodities exactly as the per-run form computes them",
        arguments: ["v1", nil] as [String?])
    func stillCommoditiesMatch(preset: String?) throws {
        // Re-sourcing at once in every run (the curb of 2029-07 costs no shortfall, prices stay
        // at p0) and no stock until 2031 (σ still falls after prices are back at p0); then with
        // lags (what was re-sourced decays while nothing is lost) and stocks refilled after the
        // first curb while prices are back at p0.
        let cases: [(ramp: [Double], cover: [Double])] = [
            ([0, 0, 0, 0, 0, 0], [0, 0, 0, 0, 0, 0]),
            ([0, 3, 6, .infinity, 1, 12], [0, 20, 40, 60, 80, 100]),
        ]
        for (ramp, cover) in cases {
            try Self.checkEverySignal(
                preset: preset, scenario: Self.stillScenario, months: 72, distinctPeaks: 2,
                settings: [
                    ("trade.price_lag_months", [0, 0.05, 0, 0, 0.05, 0]),
                    ("trade.ramp_months", ramp),
                    ("trade.demand_elasticity", [0, 0.05, 0.1, 0.15, 0.2, 0.25]),
                    ("stockpile.cover_days[JP]", cover),
                ])
        }
    }

    /// The same pair curbed twice, with quiet months between and no quota: the month after the
    /// first curb re-sourced, nothing is blocked, yet what was allocated must still be cleared, or
    /// the re-sourced supply would ramp toward it through the quiet months and deliver differently
    /// in the second curb.
    static var twiceCurbedScenario: Scenario {
        var s = Scenario("curbed twice")
        s.add(.restrict(from: "CN", to: "JP", commodity: "DyTb", share: 0.5, start: Month(2026, 2), months: 3))
        s.add(.restrict(from: "CN", to: "JP", commodity: "DyTb", share: 0.5, start: Month(2027, 2), months: 3))
        return s
    }

    @Test(
        "a pair curbed again after quiet months re-sources as the per-run form does (the allocation of the last month that re-sourced is cleared though nothing is blocked)",
        arguments: ["v1", nil] as [String?])
    func curbedTwiceMatches(preset: String?) throws {
        try Self.checkEverySignal(preset: preset, scenario: Self.twiceCurbedScenario, distinctPeaks: 2)
    }

    /// A long full curb of Japan's DyTb: its price stays elevated, so σ of the DyTb keys climbs to
    /// its (low) ceiling in some runs, while σ of the other keys stays +0 (their prices are not
    /// elevated): the months at the maximum response are counted for every key, and the block
    /// must not take "σ +0 on some key" for "σ +0 on every key"; and with σ +0 everywhere, θ
    /// climbing to its ceiling is counted too.
    @Test(
        "a block counts the months at the maximum response while only some keys' σ moves, as the per-run form does",
        arguments: ["v1", nil] as [String?])
    func maxResponseMatches(preset: String?) throws {
        var s = Scenario("a long curb")
        s.add(.restrict(from: "CN", to: "JP", commodity: "DyTb", share: 1, start: Month(2026, 2), months: 18))
        try Self.checkEverySignal(
            preset: preset, scenario: s, distinctPeaks: 2,
            settings: [
                ("trade.substitution_per_year", [1, 0.6, 0.9, 1, 0.3, 0.8]),
                ("trade.max_substitution", [0.02, 0.05, 0.1, 0.01, 0.04, 0.05]),
                ("trade.price_lag_months", [0, 1, 0, 2, 0.5, 0]),
            ])
        // No substitution at all (σ +0 on every key) but thrifting, θ up to its ceiling.
        try Self.checkEverySignal(
            preset: preset, scenario: s, distinctPeaks: 2,
            settings: [
                ("trade.substitution_per_year", [0, 0, 0, 0, 0, 0]),
                ("trade.thrifting_per_year", [1, 0.6, 0.9, 1, 0.3, 0.8]),
                ("trade.max_thrifting", [0.02, 0.05, 0.1, 0.01, 0.04, 0.05]),
                ("trade.price_lag_months", [0, 1, 0, 2, 0.5, 0]),
            ])
        // The ceiling is reached: some run counts months at the maximum response.
        let (plan, parameters) = try Self.plan(preset: preset, scenario: s)
        let simulation = try Simulation(plan: plan, parameters: parameters, generator: SeededGenerator(seed: 3, stream: 0)) { values in
            for position in try! parameters.positions("trade.substitution_per_year") { values[position] = 1 }
            for position in try! parameters.positions("trade.max_substitution") { values[position] = 0.02 }
            for position in try! parameters.positions("trade.price_lag_months") { values[position] = 0 }
        }
        for _ in 0..<Self.months { try simulation.step() }
        let metrics = simulation.finishMetrics()
        let index = try #require(plan.composition.metrics.firstIndex { $0.id == "trade.months_at_max_response[JP/DyTb]" })
        #expect(metrics[index] > 0)
    }

    /// Every signal of every month and every metric of a block of 6 runs with their own settings
    /// against the 6 runs alone; `settings` (a value per run for each parameter) replaces the
    /// default ones.
    static func checkEverySignal(
        preset: String?, scenario: Scenario, months: Int = months, distinctPeaks: Int = 6,
        settings chosen: [(String, [Double])]? = nil
    ) throws {
        let (plan, parameters) = try Self.plan(preset: preset, scenario: scenario, months: months)
        let width = 6
        // Run r: its own lags (0 and ∞ included), elasticity, expansion lag and (v2) hoarding,
        // stock term and expected-scarcity horizon.
        var settings: [(String, [Double])] = [
            ("trade.ramp_months", [0, 3, 6, .infinity, 1, 12]),
            ("trade.price_lag_months", [1, 0, 2.5, 1, 0.5, 4]),
            ("trade.demand_elasticity", [0, 0.05, 0.1, 0.15, 0.2, 0.25]),
            ("trade.expansion_lag_months", [1, 2, 3, 4, 5, 6]),
            ("trade.catch_up_months", [1, 0, 2, 3, 1, 6]),
            ("stockpile.cover_days[JP]", [0, 20, 40, 60, 80, 100]),
        ]
        if preset == nil {
            settings += [
                ("trade.hoard_months", [0, 1, 2, 3, 4, 5]),
                ("trade.speculation_months", [0, 0.5, 1, 1.5, 2, 2.5]),
                ("trade.stock_price_elasticity", [1, 0, 2, 0.5, 1, 3]),
                ("trade.stock_reference_days", [-1, 10, 30, -1, 5, 60]),
                // The expected-scarcity premium: off in runs 0 and 2 (the cover term applies), on
                // in the others, beside runs where it is off in the same block.
                ("trade.scarcity_horizon_months", [0, 6, 0, 3, 12, 1]),
            ]
        }
        if let chosen { settings = chosen }
        let positions = try settings.map { try parameters.positions($0.0) }
        func adjust(_ r: Int, _ values: UnsafeMutableBufferPointer<Double>) {
            for (n, setting) in settings.enumerated() {
                for position in positions[n] { values[position] = setting.1[r] }
            }
        }
        let block = try BatchSimulation(
            plan: plan, parameters: parameters, generators: (0..<width).map { SeededGenerator(seed: 3, stream: UInt64($0)) },
            adjusting: adjust)
        let singles = try (0..<width).map { r in
            try Simulation(plan: plan, parameters: parameters, generator: SeededGenerator(seed: 3, stream: UInt64(r))) {
                adjust(r, $0)
            }
        }
        let signals = plan.composition.signals
        var mismatches: [String] = []
        for t in 0..<months {
            try block.step()
            for (r, single) in singles.enumerated() {
                try single.step()
                for signal in signals where block.value(slot: signal.slot, run: r).bitPattern != single.value(slot: signal.slot).bitPattern {
                    mismatches.append("\(signal.id) in month \(t) of run \(r)")
                }
            }
        }
        let firstMismatch = mismatches.first
        #expect(firstMismatch == nil, "\(mismatches.count) values differ")
        var metrics = [Double](repeating: 0, count: width * plan.composition.metrics.count)
        metrics.withUnsafeMutableBufferPointer { block.finishMetrics(into: $0) }
        let sameMetrics = metrics.map(\.bitPattern) == singles.flatMap { $0.finishMetrics() }.map(\.bitPattern)
        #expect(sameMetrics)
        // The runs differ from one another (under the capacity scenario, two v1 runs share a peak).
        let peak = try #require(plan.composition.metrics.firstIndex { $0.id == "trade.peak_price[DyTb]" })
        let peaks = (0..<width).map { metrics[$0 * plan.composition.metrics.count + peak] }
        #expect(Set(peaks).count >= distinctPeaks)
    }
}
