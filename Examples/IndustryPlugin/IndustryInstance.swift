import LodestoneKernel

/// A problem the `industry` module reports while stepping.
struct IndustryError: Error, CustomStringConvertible {
    let description: String
}

/// The `industry` module's names resolved once per composition: every reference is declared
/// here, once, and the instances use this value as it is.
struct IndustryRefs: Sendable {
    /// Unmet demand: `stockpile.unmet` when stockpile is in the model, else `trade.shortfall`.
    let unmet: InputRef
    let atRisk: OutputRef, substitution: OutputRef, adjustment: OutputRef
    let share: ParameterRef, value: ParameterRef, rate: ParameterRef, cap: ParameterRef, feedback: ParameterRef
    let total: MetricRef

    init(_ wiring: Wiring, needsUnmetDemand: Bool) throws {
        let fromStockpile = try wiring.input("stockpile.unmet")
        let fromTrade = try wiring.input("trade.shortfall")
        guard fromStockpile.isBound || fromTrade.isBound || !needsUnmetDemand else {
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
    }
}

/// Makes `industry` instances (blocks of runs; a single run is a block of one).
struct IndustryFactory: BatchModelFactory {
    let refs: IndustryRefs
    let importers: Int, commodities: Int
    /// Baseline demand D0 per importer and commodity, `[i*C+c]`, t/month.
    let baselineDemand: [Double]

    func makeBatch(width: Int) throws -> any BatchModelInstance {
        IndustryBatch(
            refs: refs, importers: importers, commodities: commodities, baselineDemand: baselineDemand, width: width)
    }
}

/// The `industry` module for a block of runs: months of shortage and the running totals per
/// importer, each equation a loop over the block's runs.
final class IndustryBatch: BatchModelInstance {
    private let refs: IndustryRefs
    private let importers: Int, commodities: Int, sectors: Int
    private let baselineDemand: [Double]
    private let state: BatchState
    /// Earlier months with gross output at risk, `[i*G+g]`.
    private let shortMonths: BatchState.Doubles
    /// Output at risk summed over the run, per importer.
    private let sums: BatchState.Doubles
    /// Per commodity: 1 / max(1, Σ_g share), refreshed each month (parameters may change).
    private let scale: BatchState.Doubles
    /// Gross output at risk of the sector being computed, and the demand it replaces.
    private let gross: BatchState.Doubles, replaced: BatchState.Doubles

    init(refs: IndustryRefs, importers: Int, commodities: Int, baselineDemand: [Double], width: Int) {
        self.refs = refs
        self.importers = importers
        self.commodities = commodities
        sectors = IndustrySectors.codes.count
        self.baselineDemand = baselineDemand
        state = BatchState(width: width)
        shortMonths = state.doubles(keys: importers * sectors)
        sums = state.doubles(keys: importers)
        scale = state.doubles(keys: commodities)
        gross = state.doubles(keys: 1)
        replaced = state.doubles(keys: 1)
    }

    func step(_ frame: BatchFrame) throws {
        for c in 0..<commodities {
            var scale = frame.state(self.scale, c)  // Σ_g share first, then its scale
            for r in 0..<frame.width { scale[r] = 0 }
            for g in 0..<sectors {
                let share = frame.parameter(refs.share, c * sectors + g)
                for r in 0..<frame.width { scale[r] += share[r] }
            }
            for r in 0..<frame.width { scale[r] = 1 / max(1, scale[r]) }
        }
        for i in 0..<importers {
            var sums = frame.state(self.sums, i)
            for g in 0..<sectors {
                var gross = frame.state(self.gross, 0)
                for r in 0..<frame.width { gross[r] = 0 }
                for c in 0..<commodities {
                    let unmet = frame.input(refs.unmet, i * commodities + c)
                    for r in 0..<frame.width where !unmet[r].isFinite {
                        throw IndustryError(
                            description: "unmet demand #\(i * commodities + c) is \(unmet[r]): expected a finite number")
                    }
                    let k = c * sectors + g
                    let share = frame.parameter(refs.share, k), value = frame.parameter(refs.value, k)
                    let scale = frame.values(of: self.scale, c)
                    for r in 0..<frame.width { gross[r] = max(gross[r], share[r] * scale[r] * unmet[r] * value[r]) }
                }
                let k = i * sectors + g
                let cap = frame.parameter(refs.cap, g), rate = frame.parameter(refs.rate, g)
                var months = frame.state(shortMonths, k)
                var atRisk = frame.output(refs.atRisk, k), substitution = frame.output(refs.substitution, k)
                for r in 0..<frame.width {
                    let saved = Self.substituted(cap: cap[r], rate: rate[r], months: months[r])
                    let risk = (1 - saved) * gross[r]
                    atRisk[r] = risk
                    substitution[r] = gross[r] > 0 ? saved : 0
                    if gross[r] > 0 { months[r] += 1 }
                    sums[r] += risk
                }
            }
            writeDemandAdjustment(frame, importer: i)
        }
    }

    /// σ = min(`max_substitution[g]`, `substitution_per_year[g]` / 12 · n) after `months` months of
    /// shortage.
    @inline(__always)
    private static func substituted(cap: Double, rate: Double, months: Double) -> Double {
        min(cap, rate / 12 * months)
    }

    /// `market.demand_adjustment[i/c]` = −feedback · D0[i,c] · Σ_g a[c,g] · σ'[i,g], with σ' the
    /// substitution after this month's shortage (what the sectors work with from next month on,
    /// when trade reads it).
    private func writeDemandAdjustment(_ frame: BatchFrame, importer i: Int) {
        let response = frame.parameter(refs.feedback, 0)
        for c in 0..<commodities {
            let scale = frame.values(of: self.scale, c)
            var replaced = frame.state(self.replaced, 0)
            for r in 0..<frame.width { replaced[r] = 0 }
            for g in 0..<sectors {
                let share = frame.parameter(refs.share, c * sectors + g)
                let cap = frame.parameter(refs.cap, g), rate = frame.parameter(refs.rate, g)
                let months = frame.values(of: shortMonths, i * sectors + g)
                for r in 0..<frame.width {
                    replaced[r] += share[r] * scale[r] * Self.substituted(cap: cap[r], rate: rate[r], months: months[r])
                }
            }
            let k = i * commodities + c
            var adjustment = frame.output(refs.adjustment, k)
            for r in 0..<frame.width { adjustment[r] = -response[r] * baselineDemand[k] * replaced[r] }
        }
    }

    func finish(_ metrics: BatchMetricFrame) {
        for i in 0..<importers {
            let sums = metrics.state(self.sums, i)
            var total = metrics.metric(refs.total, i)
            for r in 0..<metrics.width { total[r] = sums[r] }
        }
    }
}
