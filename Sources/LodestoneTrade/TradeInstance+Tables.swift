import LodestoneKernel

/// What every single run (``TradeInstance``) of one composition derives from the layout: built
/// once with the ``TradeLayout``, so that making a run's instance computes none of it again.
/// Read-only after init.
final class TradeSingleRunTables: @unchecked Sendable {  // read-only after init
    private let arena = StateArena()
    /// The pairs that can carry supply, split by whether diplomacy produces their restriction
    /// (the others read its fallback, +0, every month).
    let diplomaticPairs: UnsafeMutableBufferPointer<Int>, undiplomaticPairs: UnsafeMutableBufferPointer<Int>
    /// Each flow pair's commodity `c` (its key modulo C, found once rather than by a division per
    /// pair and month).
    let flowCommodity: UnsafeMutableBufferPointer<Int>
    /// The baseline price p0 of each exporter/commodity's commodity, [s*C+c] (one flat loop values
    /// blocked exports).
    let exporterBasePrice: UnsafeMutableBufferPointer<Double>
    /// World baseline demand of each commodity, `Σ_i D0[i*C+c]` summed in importer order (t/month), [c].
    let worldDemand: UnsafeMutableBufferPointer<Double>
    /// Whether an exporter/commodity with nothing blocked (+0) loses exactly +0 (every p0 finite
    /// and not negative: +0 · 1000 · p0 is +0).
    let unblockedLossIsZero: Bool
    /// Whether the scenario-restriction, capacity-factor and demand-factor inputs read only
    /// scenario signals and fallbacks (``InputRef/isSameInEveryRun``), which change only in a
    /// month in which the scenario does (``StepFrame/scenarioChanged``).
    let scenarioInputsFollowScenario: Bool

    init(
        C: Int, I: Int, S: Int, supplyPairs: UnsafeMutableBufferPointer<Int>, flowPairs: UnsafeMutableBufferPointer<Int>,
        basePrice: UnsafeMutableBufferPointer<Double>, baselineDemand: UnsafeMutableBufferPointer<Double>,
        diplomacyRestriction: InputRef, scenarioInputs: [InputRef]
    ) {
        scenarioInputsFollowScenario = scenarioInputs.allSatisfy { $0.isSameInEveryRun.allSatisfy { $0 } }
        let produced = diplomacyRestriction.isProduced
        let diplomatic = supplyPairs.filter { produced[$0] }, undiplomatic = supplyPairs.filter { !produced[$0] }
        diplomaticPairs = arena.ints(diplomatic.count)
        for (n, k) in diplomatic.enumerated() { diplomaticPairs[n] = k }
        undiplomaticPairs = arena.ints(undiplomatic.count)
        for (n, k) in undiplomatic.enumerated() { undiplomaticPairs[n] = k }
        flowCommodity = arena.ints(flowPairs.count)
        for n in 0..<flowPairs.count { flowCommodity[n] = flowPairs[n] % C }
        exporterBasePrice = arena.doubles(S * C)
        for k in 0..<(S * C) { exporterBasePrice[k] = basePrice[k % C] }
        unblockedLossIsZero = basePrice.allSatisfy { $0.isFinite && $0.sign == .plus }
        worldDemand = arena.doubles(C)
        for c in 0..<C {
            var sum = 0.0
            for i in 0..<I { sum += baselineDemand[i * C + c] }
            worldDemand[c] = sum
        }
    }
}
