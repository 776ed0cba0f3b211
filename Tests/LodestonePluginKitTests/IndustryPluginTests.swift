import LodestoneKernel
import LodestonePluginKit
import LodestoneStockpile
import LodestoneTesting
import LodestoneTrade
import Testing

/// Trade with every response off except the curb itself: the DESIGN §3.1 check holds, so
/// `trade.shortfall[JP/DyTb]` = D0 · share0(CN) · R = 30 t/month exactly while the curb lasts.
let quietTrade: [(String, Double)] = [
    ("trade.ramp_months", .infinity), ("trade.leakage", 0), ("trade.demand_elasticity", 0),
    ("trade.substitution_per_year", 0), ("trade.expansion_per_year", 0),
]

/// `quietTrade` with industry's market feedback off: the tests of industry's own equations keep
/// trade's shortfall at exactly 30 t/month (``IndustryMarketTests`` check the feedback).
let quietOneWay = quietTrade + [("industry.market_feedback", 0.0)]

/// The documented defaults for DyTb (README.md): sector shares, USD per tonne, substitution.
let dyTbShare = ["motors": 0.80, "electronics": 0.10, "wind": 0.10, "catalysts": 0.0, "glass_polishing": 0.0]
let dyTbValue = ["motors": 2.0e7, "electronics": 3.0e7, "wind": 5.0e7, "catalysts": 0.0, "glass_polishing": 0.0]
let substitutionRate = ["motors": 0.20, "electronics": 0.10, "wind": 0.05, "catalysts": 0.10, "glass_polishing": 0.15]
let substitutionCap = ["motors": 0.5, "electronics": 0.3, "wind": 0.3, "catalysts": 0.3, "glass_polishing": 0.5]
let sectors = ["motors", "electronics", "wind", "catalysts", "glass_polishing"]

@Suite struct IndustryPluginTests {
    @Test func loadsByNameFromNextToTheExecutable() throws {
        let loader = PluginLoader.standard(environment: [:])
        #expect(loader.searchPath == [buildDirectory.path])
        let models = try loader.load("industry")
        #expect(models.map(\.name) == ["industry"])
        let model = try #require(models.first)
        #expect(model.summary == "Output at risk by sector from unmet rare-earth demand, with substitution over time")
        #expect(
            model.manifest
                == PluginManifest(
                    plugin: "industry", version: "1.0.0", models: [.init(name: "industry", summary: model.summary)]))
        #expect(model.path.hasSuffix("/libindustry.so"))
        // Its declarations come across the boundary intact.
        let parameters = model.parameters(for: Fixtures.miniature)
        #expect(
            parameters.map(\.name) == [
                "sector_share", "value_per_tonne", "substitution_per_year", "max_substitution", "market_feedback",
            ])
        let share = parameters[0]
        #expect(share.keys.count == 2 * 5 && share.keys[0] == "NdPr/motors" && share.range == 0...1)
        #expect(share.defaults[5...9] == [0.80, 0.10, 0.10, 0, 0])
        #expect(parameters[1].range.upperBound == .infinity && parameters[1].unit == "USD/t")
        let interface = try model.interface(
            in: ModelContext(dataset: Fixtures.miniature, scenario: Fixtures.curbScenario))
        #expect(interface.outputs.map(\.name) == ["output_at_risk", "substitution", "market.demand_adjustment"])
        #expect(interface.outputs[0].keys == ["JP", "US", "ROW"].flatMap { i in sectors.map { "\(i)/\($0)" } })
        #expect(interface.outputs[0].unit == "USD/month")
        // The headline flag crosses the C ABI in the describe JSON.
        #expect(interface.outputs.map(\.isHeadline) == [true, false, false])
        #expect(
            interface.metrics == [
                MetricDeclaration(
                    "output_at_risk_total", keys: ["JP", "US", "ROW"], kind: .quantity(.usd),
                    doc: "Output at risk summed over sectors and months")
            ])
        #expect(interface.inputs.map(\.signal) == ["stockpile.unmet", "trade.shortfall"])
        #expect(interface.inputs.allSatisfy { $0.fallback == 0 && $0.timing == .current })
    }

    /// DyTb is cut for 12 months from 2026-02: 30 t/month unmet. In shortage month n (0-based),
    /// output at risk = (1 − min(cap, rate/12 · n)) · share · 30 · value, for each sector.
    @Test func outputAtRiskFollowsItsEquationsOnATradeShortfall() throws {
        let industry = try industryModel()
        let result = try simulate(
            [TradeModel(), industry], on: Fixtures.miniature, scenario: Fixtures.curbScenario, preset: "v1", settings: quietOneWay,
            months: 18)
        #expect(
            try result.series("trade.shortfall[JP/DyTb]") == [0] + Array(repeating: 30, count: 12)
                + Array(repeating: 0, count: 5))
        var total = 0.0
        for sector in sectors {
            let atRisk = try result.series("industry.output_at_risk[JP/\(sector)]")
            let saved = try result.series("industry.substitution[JP/\(sector)]")
            let gross = dyTbShare[sector]! * 30 * dyTbValue[sector]!
            for t in 0..<18 {
                let n = Double(t - 1)
                let expectedSaved =
                    (1...12).contains(t) && gross > 0
                    ? min(substitutionCap[sector]!, substitutionRate[sector]! / 12 * n) : 0
                let expected = (1...12).contains(t) ? (1 - expectedSaved) * gross : 0
                #expect(abs(atRisk[t] - expected) <= 1e-9 * max(1, expected), "\(sector) month \(t)")
                #expect(abs(saved[t] - expectedSaved) <= 1e-15, "\(sector) month \(t)")
                total += atRisk[t]
            }
            #expect(try result.series("industry.output_at_risk[US/\(sector)]").allSatisfy { $0 == 0 })
        }
        // First month of the curb, motors: 0.8 · 30 t · 2e7 USD/t = 4.8e8 USD; the twelfth has
        // 11 months of substitution at 20 %/yr: (1 − 0.2·11/12) · 4.8e8.
        let motors = try result.series("industry.output_at_risk[JP/motors]")
        #expect(motors[1] == 4.8e8)
        #expect(abs(motors[12] - (1 - 0.2 * 11 / 12) * 4.8e8) < 1e-3)
        guard case .number(let jp) = try result.metric("industry.output_at_risk_total[JP]") else {
            Issue.record("expected a quantity")
            return
        }
        #expect(abs(jp - total) <= 1e-9 * total)
        #expect(try result.metric("industry.output_at_risk_total[US]") == .number(0))
    }

    /// With stockpile in the model the plugin reads `stockpile.unmet`: nothing is at risk while the
    /// stock covers the shortfall, then the equations apply to what is left unmet.
    @Test func readsStockpileUnmetWhenStockpileIsPresent() throws {
        let industry = try industryModel()
        let result = try simulate(
            [TradeModel(), StockpileModel(), industry], on: Fixtures.miniature, scenario: Fixtures.curbScenario,
            preset: "v1", settings: quietOneWay, months: 18)
        let unmet = try result.series("stockpile.unmet[JP/DyTb]")
        let shortfall = try result.series("trade.shortfall[JP/DyTb]")
        #expect(unmet[1] == 0 && shortfall[1] == 30)  // 60 days of stock cover the first months
        #expect(unmet.contains { $0 > 0 })
        let motors = try result.series("industry.output_at_risk[JP/motors]")
        var months = 0.0
        for t in 0..<18 {
            let gross = 0.8 * unmet[t] * 2.0e7
            let expected = (1 - min(0.5, 0.2 / 12 * months)) * gross
            #expect(abs(motors[t] - expected) <= 1e-9 * max(1, expected), "month \(t)")
            if gross > 0 { months += 1 }
        }
    }

    /// Shares of a commodity that sum above 1 are scaled down; the scarcest input binds (max over
    /// commodities); a `set` event changes a parameter mid-run and the plugin sees it.
    @Test func sharesScaleAndParametersChangeMidRun() throws {
        let industry = try industryModel()
        var scenario = Fixtures.curbScenario
        scenario.add(.set(path: "industry.substitution_per_year[motors]", value: 0, at: Month(2026, 5)))
        let result = try simulate(
            [TradeModel(), industry], on: Fixtures.miniature, scenario: scenario,
            preset: "v1", settings: quietOneWay + [("industry.sector_share[DyTb/electronics]", 0.7)], months: 8)
        // DyTb shares now sum to 0.8 + 0.7 + 0.1 = 1.6: each is divided by 1.6.
        let electronics = try result.series("industry.output_at_risk[JP/electronics]")
        #expect(abs(electronics[1] - 0.7 / 1.6 * 30 * 3.0e7) < 1e-6)
        let motors = try result.series("industry.output_at_risk[JP/motors]")
        #expect(abs(motors[1] - 0.8 / 1.6 * 30 * 2.0e7) < 1e-6)
        // Months 1–3 substitute at 20 %/yr; from 2026-05 (month 4) the rate is 0, so σ = 0.
        #expect(abs(motors[3] - (1 - 0.2 / 12 * 2) * 0.5 * 30 * 2.0e7) < 1e-6)
        #expect(abs(motors[4] - 0.5 * 30 * 2.0e7) < 1e-6)
        #expect(try result.series("industry.substitution[JP/motors]")[4] == 0)
    }

    @Test func withoutUnmetDemandItSaysWhatToAdd() throws {
        let industry = try industryModel()
        let error = #expect(throws: PluginError.self) {
            try simulate([industry], on: Fixtures.miniature, scenario: Fixtures.curbScenario, months: 3)
        }
        let message = "\(error.map { "\($0)" } ?? "")"
        #expect(message.contains("module `industry`: prepare failed"))
        #expect(message.contains("`industry` needs unmet demand: add `stockpile` (or at least `trade`) to the model"))
    }

    /// Ensembles make one plugin instance per run on several threads; results do not depend on the
    /// thread count.
    @Test func ensemblesWithThePluginDoNotDependOnThreads() throws {
        let models: [any Model] = [TradeModel(), StockpileModel(), try industryModel()]
        let parameters = ParameterSet(models: models, dataset: Fixtures.miniature)
        let composition = try Composition(
            models: models, dataset: Fixtures.miniature, scenario: Fixtures.curbScenario, parameters: parameters)
        let plan = try RunPlan(composition: composition, start: Month(2026, 1), months: 24)
        let vary = [Variation("stockpile.cover_days[JP]", .uniform(low: 0, high: 120))]
        let bands = ["industry.output_at_risk[JP/motors]"]
        let one = try MonteCarlo.run(
            plan, parameters: parameters,
            request: MonteCarloRequest(runs: 60, seed: 3, vary: vary, bandSignals: bands, threads: 1))
        let two = try MonteCarlo.run(
            plan, parameters: parameters,
            request: MonteCarloRequest(runs: 60, seed: 3, vary: vary, bandSignals: bands, threads: 2))
        let totals = try one.metricSamples("industry.output_at_risk_total[JP]")
        #expect(
            totals.map(\.bitPattern) == (try two.metricSamples("industry.output_at_risk_total[JP]")).map(\.bitPattern))
        #expect(Set(totals).count > 10 && totals.allSatisfy { $0 >= 0 && $0.isFinite })
    }
}
