import Foundation
import LodestoneKernel
import Testing

@testable import LodestoneScript

/// `model(…, preset: "v1")` keeps the results of Lodestone before the market model v2 bit for bit.
///
/// `Tests/Scripts/v1/CASE.txt` was written by the v1 code itself (the commit before the v2
/// market model, with plain `model(…)`): for each case, the number of signals and metrics, an
/// FNV-1a hash of the bit patterns of every series value and metric, and each metric printed with
/// 17 significant digits. The cases cover the README's session, the 2026 answer (one run, an
/// ensemble and the diplomatic lever), the 2010 workshop's dataset and a ten-year partial curb.
/// Every case passes `preset: "v1"` explicitly: the defaults are the market model v2 since it
/// became the default; and every case names its dataset (`baseline-2024`, the default until
/// baseline-2026 replaced it, or the 2010 workshop's folder). `LODESTONE_UPDATE_V1=1` rewrites the files (with the v1 preset); only do
/// so with the v1 code (commit 826d732) or to add a case.
@Suite("The v1 preset")
struct V1PresetTests {
    static let directory = Harness.packageRoot.appendingPathComponent("Tests/Scripts/v1")

    /// Each case: a name and a script that leaves its results in `r` (a run), `e` (an ensemble)
    /// `PRESET` becomes `, preset: "v1"`.
    static let cases: [(name: String, script: String)] = [
        (
            "readme-session",
            """
            let m = model(trade, stockpile, diplomacy, data: "baseline-2024" PRESET)
            m.stockpile.cover_days["JP"] = 90
            let s = scenario("2026 export curbs")
            s.restrict(from: "CN", to: "JP", commodity: "DyTb", share: 100%, start: 2026-02, months: 12)
            let r = run(m, s, start: 2026-01, months: 36, seed: 1)
            """
        ),
        (
            "answer-curb",
            """
            let m = model(trade, stockpile, data: "baseline-2024" PRESET)
            let s = scenario("2026 curb on Japan")
            s.restrict(from: "CN", to: "JP", commodity: "DyTb", share: 100%, start: 2026-01, months: 12)
            let r = run(m, s, start: 2026-01, months: 36, seed: 1)
            """
        ),
        (
            "answer-ensemble",
            """
            let m = model(trade, stockpile, data: "baseline-2024" PRESET)
            let s = scenario("2026 curb on Japan")
            s.restrict(from: "CN", to: "JP", commodity: "DyTb", share: 100%, start: 2026-01, months: 12)
            let e = montecarlo(m, s, runs: 300, seed: 7, start: 2026-01, months: 36,
                               vary: {"stockpile.cover_days[JP]": uniform(0, 120), "trade.ramp_months": triangular(3, 6, 12)})
            """
        ),
        (
            "answer-lever",
            """
            let md = model(trade, stockpile, diplomacy, data: "baseline-2024" PRESET)
            md.diplomacy.max_restriction["NdPr"] = 0
            md.diplomacy.max_restriction["Other"] = 0
            let sd = scenario("2026 curb as a diplomatic lever")
            sd.incident(from: "CN", to: "JP", severity: 0.8, at: 2026-01)
            let e = montecarlo(md, sd, runs: 300, seed: 7, start: 2026-01, months: 36,
                               vary: {"diplomacy.settle_base": uniform(1%, 6%), "diplomacy.half_life_months": uniform(3, 24)})
            """
        ),
        (
            "workshop-2010",
            """
            let m = model(trade, stockpile, diplomacy, data: "Tests/Scripts/v1/workshop-2010-data/" PRESET)
            let s = scenario("2010 as it happened")
            s.restrict(from: "CN", share: 39.6%, start: 2010-07)
            s.incident(from: "CN", to: "JP", severity: 0.5, at: 2010-09)
            s.restrict(from: "CN", to: "JP", share: 100%, start: 2010-09, months: 2)
            let r = run(m, s, start: 2010-01, months: 36, seed: 1)
            """
        ),
        (
            "partial-curb-long-run",
            """
            let m = model(trade, stockpile, diplomacy, data: "baseline-2024" PRESET)
            m.trade.price_elasticity["DyTb"] = 1
            let s = scenario("half of everything, three years")
            s.restrict(from: "CN", share: 50%, start: 2026-03, months: 36)
            s.demand(region: "US", factor: 1.2, start: 2027-01)
            s.incident(from: "CN", to: "US", severity: 0.7, at: 2026-06)
            let r = run(m, s, start: 2026-01, months: 120, seed: 3)
            """
        ),
    ]

    /// The fingerprint of one case, as stored in the file.
    /// `ids`: the signal and metric ids to compare (those v1 had); nil takes every one.
    static func fingerprint(_ name: String, _ script: String, preset: String, ids: Set<String>?) throws -> String {
        func keep(_ id: String) -> Bool { ids?.contains(id) ?? true }
        let sink = OutputSink()
        let session = Harness.session(sink: sink, baseDirectory: Harness.packageRoot.path)
        let source = script.replacingOccurrences(of: " PRESET", with: preset)
        let failure = Harness.onLargeStack { () -> String? in
            do { _ = try session.run(source, file: name + ".lode") } catch let error as ScriptError {
                return error.render(colour: false)
            } catch { return "\(error)" }
            return nil
        }
        if let failure { Issue.record("\(name): \(failure)") }
        var hash = FNV()
        var lines: [String] = []
        // Only what v1 had is compared: v2 may add signals and metrics (their values are new).
        if case .run(let r)? = session.value(of: "r") {
            let width = r.signals.count
            let signals = r.signals.sorted { $0.id < $1.id }
            let metrics = r.metrics.sorted { $0.id < $1.id }
            lines.append("\(name): run")
            for signal in signals where keep(signal.id) {
                let j = r.signals.firstIndex { $0.id == signal.id }!
                var one = FNV()
                for t in 0..<r.months { one.add(r.values[t * width + j]) }
                hash.add(Double(bitPattern: one.value))
                lines.append("  \(signal.id) \(String(one.value, radix: 16))")
            }
            for metric in metrics where keep(metric.id) {
                hash.add(r.metricValues[metric.index])
                lines.append("  \(metric.id) = \(Self.exact(r.metricValues[metric.index]))")
            }
        } else if case .ensemble(let e)? = session.value(of: "e") {
            let result = e.result
            let width = result.metrics.count
            lines.append("\(name): ensemble, \(result.completedRuns) runs")
            for metric in result.metrics.sorted(by: { $0.id < $1.id }) where keep(metric.id) {
                let j = result.metrics.firstIndex { $0.id == metric.id }!
                var one = FNV()
                for run in 0..<result.completedRuns { one.add(result.metricValues[run * width + j]) }
                hash.add(Double(bitPattern: one.value))
                lines.append("  \(metric.id) \(String(one.value, radix: 16))")
            }
        }
        lines.insert("\(name) \(String(hash.value, radix: 16))", at: 0)
        return lines.joined(separator: "\n")
    }

    static func exact(_ x: Double) -> String { x.isNaN ? "none" : String(format: "%.17g", x) }

    @Test("v1 reproduces the fingerprints written by the v1 code", arguments: V1PresetTests.cases.map(\.name))
    func reproduces(_ name: String) throws {
        let script = try #require(Self.cases.first { $0.name == name }?.script)
        let update = ProcessInfo.processInfo.environment["LODESTONE_UPDATE_V1"] != nil
        let file = Self.directory.appendingPathComponent(name + ".txt")
        if update {
            let actual = try Self.fingerprint(name, script, preset: #", preset: "v1""#, ids: nil)
            try FileManager.default.createDirectory(at: Self.directory, withIntermediateDirectories: true)
            try (actual + "\n").write(to: file, atomically: true, encoding: .utf8)
            return
        }
        let expected = try String(contentsOf: file, encoding: .utf8).trimmingCharacters(in: .newlines)
        // The ids are the first word of each indented line.
        let ids = Set(expected.split(separator: "\n").filter { $0.hasPrefix("  ") }.map {
            String($0.dropFirst(2).prefix { $0 != " " })
        })
        let actual = try Self.fingerprint(name, script, preset: #", preset: "v1""#, ids: ids)
        #expect(actual == expected)
    }
}

/// FNV-1a over the bit patterns of doubles.
struct FNV {
    private(set) var value: UInt64 = 0xcbf2_9ce4_8422_2325
    mutating func add(_ x: Double) {
        var bits = x.bitPattern
        for _ in 0..<8 {
            value ^= bits & 0xff
            value = value &* 0x0000_0100_0000_01b3
            bits >>= 8
        }
    }
}
