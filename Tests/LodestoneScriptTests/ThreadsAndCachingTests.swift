import LodestoneKernel
import Testing

@testable import LodestoneScript

/// `threads:` of `montecarlo` and `sweep`, and the plans a model keeps between runs.
@Suite("Threads and cached plans")
struct ThreadsAndCachingTests {
    static let setup = """
        let m = model(trade, stockpile, diplomacy, data: "baseline-2024")
        let s = scenario("curb")
        s.incident(from: "CN", to: "JP", severity: 0.8, at: 2026-01)
        s.restrict(from: "CN", to: "JP", commodity: "DyTb", share: 100%, start: 2026-02, months: 6)
        """

    func session(_ source: String, threads: Int? = nil) throws -> Session {
        let session = Harness.session(sink: OutputSink())
        session.options.threads = threads
        _ = try Harness.onLargeStack { Result { try session.run(Self.setup + "\n" + source, file: "test.lode") } }.get()
        return session
    }

    @Test("montecarlo gives identical metrics, draws and bands with 1, 2 and 8 threads")
    func ensembleAcrossThreads() throws {
        let source = """
            let vary = {"diplomacy.settle_base": uniform(0.01, 0.06)}
            let e1 = montecarlo(m, s, runs: 70, months: 18, vary: vary, bands: ["trade.price[DyTb]"], threads: 1)
            let e2 = montecarlo(m, s, runs: 70, months: 18, vary: vary, bands: ["trade.price[DyTb]"], threads: 2)
            let e8 = montecarlo(m, s, runs: 70, months: 18, vary: vary, bands: ["trade.price[DyTb]"], threads: 8)
            """
        let session = try session(source)
        var results: [EnsembleResult] = []
        for name in ["e1", "e2", "e8"] {
            guard case .ensemble(let e)? = session.value(of: name) else {
                Issue.record("\(name) is not an ensemble")
                return
            }
            results.append(e.result)
        }
        #expect(results.map(\.request.threads) == [1, 2, 8])
        for other in results.dropFirst() {
            #expect(other.metricValues.map(\.bitPattern) == results[0].metricValues.map(\.bitPattern))
            #expect(other.variedValues.map(\.bitPattern) == results[0].variedValues.map(\.bitPattern))
            let quantiles = { (r: EnsembleResult) in r.distributions[0].flatMap { [$0.quantile(0.1), $0.quantile(0.5), $0.quantile(0.9)] } }
            #expect(quantiles(other).map(\.bitPattern) == quantiles(results[0]).map(\.bitPattern))
        }
        // The runs differ from one another: the comparison above is not between constants.
        let settle = results[0].variedValues
        #expect(Set(settle).count > 60)
    }

    @Test("sweep gives identical runs with 1, 2 and 8 threads, and --threads is the default")
    func sweepAcrossThreads() throws {
        let sweep = "sweep(m, s, param: \"stockpile.cover_days[JP]\", values: [20, 60, 100], months: 12"
        let session = try session(
            "let w1 = \(sweep), threads: 1)\nlet w2 = \(sweep), threads: 2)\nlet w8 = \(sweep))", threads: 8)
        var runs: [[Double]] = []
        for name in ["w1", "w2", "w8"] {
            guard case .sweep(let w)? = session.value(of: name) else {
                Issue.record("\(name) is not a sweep")
                return
            }
            runs.append(w.result.points.flatMap { $0.result.values + $0.result.metricValues })
        }
        #expect(runs[1].map(\.bitPattern) == runs[0].map(\.bitPattern))
        #expect(runs[2].map(\.bitPattern) == runs[0].map(\.bitPattern))
    }

    @Test("a bad thread count is refused with the argument and the range", arguments: [
        ("montecarlo(m, s, runs: 10, threads: 0)", "`threads` of `montecarlo` must be at least 1, got 0"),
        ("montecarlo(m, s, runs: 10, threads: 2.5)", "`threads` of `montecarlo` expects a whole number, got 2.5"),
        ("sweep(m, s, param: \"trade.ramp_months\", values: [3], threads: 5000)", "`threads` of `sweep` must be at most 1024, got 5000"),
        ("montecarlo(m, s, runs: 10, threads: \"many\")", "`threads` of `montecarlo`"),
    ])
    func badThreads(source: String, message: String) {
        let outcome = Harness.run(Self.setup + "\n" + source)
        #expect(outcome.exitCode == 1)
        #expect(outcome.error?.message.contains(message) == true, "\(outcome.stderr)")
        #expect(outcome.error?.range?.lineAndColumn.line == 5)
    }

    @Test("a loop of runs composes once; changing a parameter or an event's values does not compose again")
    func loopComposesOnce() throws {
        let session = try session("""
            let a = run(m, s, months: 12, seed: 1)
            for k in 2..5 { let r = run(m, s, months: 12, seed: k) }
            m.stockpile.cover_days["JP"] = 30
            let b = run(m, s, months: 12)
            let s2 = scenario("milder")
            s2.incident(from: "CN", to: "JP", severity: 0.5, at: 2026-01)
            s2.restrict(from: "CN", to: "JP", commodity: "DyTb", share: 50%, start: 2026-03, months: 4)
            let c = run(m, s2, months: 12)
            let e = montecarlo(m, s2, runs: 8, months: 12, bands: [])
            """)
        guard case .model(let model)? = session.value(of: "m"), case .run(let c)? = session.value(of: "c"),
            case .run(let b)? = session.value(of: "b")
        else {
            Issue.record("expected a model and runs")
            return
        }
        #expect(model.plans.requests == 8)
        #expect(model.plans.compositionsMade == 1)
        // The reused composition gives what composing anew gives.
        let milder = Scenario("milder", events: [
            .incident(from: "CN", to: "JP", severity: 0.5, at: Month(2026, 1)),
            .restrict(from: "CN", to: "JP", commodity: "DyTb", share: 0.5, start: Month(2026, 3), months: 4),
        ])
        let fresh = try Runner.run(
            models: model.modules, dataset: model.dataset.dataset, scenario: milder, parameters: model.parameters,
            start: Month(2026, 1), months: 12, seed: 1)
        #expect(c.values.map(\.bitPattern) == fresh.values.map(\.bitPattern))
        #expect(c.scenario == milder)
        #expect(try b.series("stockpile.days_of_cover[JP/DyTb]")[0] <= 30)
    }
}
