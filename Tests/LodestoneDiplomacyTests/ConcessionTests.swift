import LodestoneDiplomacy
import LodestoneKernel
import LodestoneTesting
import LodestoneTrade
import Testing

/// The concession lever (Docs/Models.md, diplomacy): a target's offer to settle, in USD/year,
/// adds settle_concession · κ/(1+κ) to the monthly hazard, κ = concession / the restrictor's
/// baseline rare-earth exports by value.
@Suite struct DiplomacyConcession {
    /// CN's baseline rare-earth exports in the test world, USD/year: 12 · ((60 + 50) t · 1000 · 10
    /// USD/kg + 10 t · 1000 · 370 USD/kg) = 57.6 million.
    static let chinaExportsPerYear = 12 * (110.0 * 1000 * 10 + 10 * 1000 * 370)

    /// Tension stays above the threshold (half-life ∞) and no other term adds to the hazard, so
    /// the hazard is the concession's term alone: 0 before JP offers it (2026-04), then
    /// settle_concession · κ/(1+κ) until the pair settles.
    @Test(arguments: [0.25, 1.0, 9.0])
    func aConcessionAddsASaturatingTermToTheHazard(kappa: Double) throws {
        var scenario = incident(1)
        scenario.add(.set(path: "diplomacy.concession[JP]", value: kappa * Self.chinaExportsPerYear, at: Month(2026, 4)))
        let settings = noSettlement + [("diplomacy.half_life_months", .infinity), ("diplomacy.settle_concession", 0.4)]
        let result = try diplomacyRun(scenario, settings, months: 24, seed: 5)
        let hazard = try result.series("diplomacy.hazard[CN>JP]")
        #expect(hazard[0..<3].allSatisfy { $0 == 0 }, "no concession, no pain terms: no settlement")
        let expected = 0.4 * kappa / (1 + kappa)
        let settled = try result.metric("diplomacy.settled_at[CN>JP]")
        let last: Int = if case .month(let m) = settled { m - Month(2026, 1) } else { 23 }
        #expect(last >= 3)
        for t in 3...last { #expect(abs(hazard[t] - expected) < 1e-15, "month \(t)") }
        // After the settlement nothing is restricted, so there is no hazard.
        for t in (last + 1)..<24 { #expect(hazard[t] == 0) }
    }

    /// A concession by another region (the US) does not touch the CN>JP pair; none at all leaves
    /// every signal as it was, bit for bit.
    @Test func onlyTheTargetsConcessionCounts() throws {
        let settings = noSettlement + [("diplomacy.half_life_months", .infinity), ("diplomacy.settle_base", 0.05)]
        let plain = try diplomacyRun(incident(1), settings, months: 24, seed: 2)
        let other = try diplomacyRun(incident(1), settings + [("diplomacy.concession[US]", 1e12)], months: 24, seed: 2)
        #expect(plain.values.map(\.bitPattern) == other.values.map(\.bitPattern))
        let offered = try diplomacyRun(incident(1), settings + [("diplomacy.concession[JP]", 1e12)], months: 24, seed: 2)
        let kappa = 1e12 / Self.chinaExportsPerYear
        #expect(abs(try offered.series("diplomacy.hazard[CN>JP]")[0] - (0.05 + 0.5 * kappa / (1 + kappa))) < 1e-15)
    }

    /// Over many seeds the mean month of settlement comes earlier with a concession: the
    /// hazard is constant, so settlement is geometric with mean 1/h − 1 months after the start.
    @Test func aConcessionBringsSettlementForward() throws {
        let settings = noSettlement + [("diplomacy.half_life_months", .infinity), ("diplomacy.settle_base", 0.05)]
        func meanMonth(_ extra: [(String, Double)]) throws -> Double {
            var total = 0.0
            for seed in 1...200 {
                let result = try diplomacyRun(incident(1), settings + extra, months: 240, seed: UInt64(seed))
                let settled = try result.metric("diplomacy.settled_at[CN>JP]")
                if case .month(let m) = settled { total += Double(m - Month(2026, 1)) } else { total += 240 }
            }
            return total / 200
        }
        let without = try meanMonth([])
        let with = try meanMonth([("diplomacy.concession[JP]", Self.chinaExportsPerYear)])  // κ = 1: h = 0.05 + 0.25
        #expect(abs(without - (1 / 0.05 - 1)) < 4, "\(without)")  // 19 ± sampling error
        #expect(abs(with - (1 / 0.30 - 1)) < 1, "\(with)")  // 2.33
    }
}
