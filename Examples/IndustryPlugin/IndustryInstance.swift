import LodestoneKernel

/// A problem the `industry` module reports while stepping.
struct IndustryError: Error, CustomStringConvertible {
    let description: String
}

/// One run of the `industry` module: months of shortage and the running totals per importer.
final class IndustryInstance: ModelInstance {
    private let importers: Int, commodities: Int, sectors: Int
    private let unmet: InputRef
    private let atRisk: OutputRef, substitution: OutputRef, adjustment: OutputRef
    private let share: ParameterRef, value: ParameterRef, rate: ParameterRef, cap: ParameterRef
    private let feedback: ParameterRef
    private let total: MetricRef
    private let arena = StateArena()
    /// Baseline demand D0 per importer and commodity, `[i*C+c]`, t/month.
    private let baselineDemand: UnsafeMutableBufferPointer<Double>
    /// Earlier months with gross output at risk, `[i*G+g]`.
    private let shortMonths: UnsafeMutableBufferPointer<Double>
    /// Output at risk summed over the run, per importer.
    private let sums: UnsafeMutableBufferPointer<Double>
    /// Per commodity: 1 / max(1, Σ_g share), refreshed each month (parameters may change).
    private let scale: UnsafeMutableBufferPointer<Double>

    init(importers: Int, commodities: Int, baselineDemand demand: [Double], wiring: Wiring) throws {
        self.importers = importers
        self.commodities = commodities
        sectors = IndustrySectors.codes.count
        let fromStockpile = try wiring.input("stockpile.unmet")
        let fromTrade = try wiring.input("trade.shortfall")
        guard fromStockpile.isBound || fromTrade.isBound || importers * commodities == 0 else {
            throw IndustryError(
                description: "`industry` needs unmet demand: add `stockpile` (or at least `trade`) to the model")
        }
        unmet = fromStockpile.isBound ? fromStockpile : fromTrade
        atRisk = try wiring.output("output_at_risk")
        substitution = try wiring.output("substitution")
        adjustment = try wiring.output("market.demand_adjustment")
        share = try wiring.parameter("sector_share")
        value = try wiring.parameter("value_per_tonne")
        rate = try wiring.parameter("substitution_per_year")
        cap = try wiring.parameter("max_substitution")
        feedback = try wiring.parameter("market_feedback")
        total = try wiring.metric("output_at_risk_total")
        baselineDemand = arena.doubles(copying: demand)
        shortMonths = arena.doubles(importers * sectors)
        sums = arena.doubles(importers)
        scale = arena.doubles(commodities)
    }

    func step(_ frame: StepFrame) throws {
        let shares = frame.parameters(share)
        let values = frame.parameters(value)
        for c in 0..<commodities {
            var sum = 0.0
            for g in 0..<sectors { sum += shares[c * sectors + g] }
            scale[c] = 1 / max(1, sum)
        }
        for i in 0..<importers {
            for g in 0..<sectors {
                var gross = 0.0
                for c in 0..<commodities {
                    let u = frame.read(unmet, i * commodities + c)
                    guard u.isFinite else {
                        throw IndustryError(
                            description: "unmet demand #\(i * commodities + c) is \(u): expected a finite number")
                    }
                    let k = c * sectors + g
                    gross = max(gross, shares[k] * scale[c] * u * values[k])
                }
                let k = i * sectors + g
                let saved = substituted(frame, g, months: shortMonths[k])
                let risk = (1 - saved) * gross
                frame.write(atRisk, k, risk)
                frame.write(substitution, k, gross > 0 ? saved : 0)
                if gross > 0 { shortMonths[k] += 1 }
                sums[i] += risk
            }
            writeDemandAdjustment(frame, importer: i, shares: shares)
        }
    }

    /// σ = min(`max_substitution[g]`, `substitution_per_year[g]` / 12 · n) after `months` months of
    /// shortage.
    private func substituted(_ frame: StepFrame, _ g: Int, months: Double) -> Double {
        min(frame.parameter(cap, g), frame.parameter(rate, g) / 12 * months)
    }

    /// `market.demand_adjustment[i/c]` = −feedback · D0[i,c] · Σ_g a[c,g] · σ'[i,g], with σ' the
    /// substitution after this month's shortage (what the sectors work with from next month on,
    /// when trade reads it).
    private func writeDemandAdjustment(_ frame: StepFrame, importer i: Int, shares: UnsafeBufferPointer<Double>) {
        let response = frame.parameter(feedback, 0)
        for c in 0..<commodities {
            var replaced = 0.0
            for g in 0..<sectors {
                replaced += shares[c * sectors + g] * scale[c] * substituted(frame, g, months: shortMonths[i * sectors + g])
            }
            frame.write(adjustment, i * commodities + c, -response * baselineDemand[i * commodities + c] * replaced)
        }
    }

    func finish(_ metrics: MetricFrame) {
        for i in 0..<importers { metrics.write(total, i, sums[i]) }
    }
}
