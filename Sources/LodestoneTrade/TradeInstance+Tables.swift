import LodestoneKernel

/// What every single run (``TradeInstance``) of one composition derives from the layout: built
/// once with the ``TradeLayout``, so that making a run's instance computes none of it again.
struct TradeSingleRunTables: Sendable {
    /// The pairs that can carry supply, split by whether diplomacy produces their restriction
    /// (the others read its fallback, +0, every month).
    let diplomaticPairs: [Int], undiplomaticPairs: [Int]
    /// The supply pairs without a baseline flow (no step ever writes their direct flow: it stays
    /// +0), and each one's importer `i*C+c`.
    let unflowedPairs: [Int], unflowedImporter: [Int]
    /// Each flow pair's commodity `c` (its key modulo C, found once rather than by a division per
    /// pair and month).
    let flowCommodity: [Int]
    /// The baseline price p0 of each exporter/commodity's commodity (USD/kg), [s*C+c] (one flat
    /// loop values blocked exports).
    let exporterBasePrice: [Double]
    /// Whether an exporter/commodity with nothing blocked (+0) loses exactly +0 (every p0 finite
    /// and not negative: +0 · 1000 · p0 is +0).
    let unblockedLossIsZero: Bool
    /// Whether the scenario-restriction, capacity-factor and demand-factor inputs read only
    /// scenario signals and fallbacks (``InputRef/isSameInEveryRun``), which change only in a
    /// month in which the scenario does (``StepFrame/scenarioChanged``).
    let scenarioInputsFollowScenario: Bool

    init(C: Int, S: Int, tables: TradeTables, diplomacyRestriction: InputRef, scenarioInputs: [InputRef]) {
        scenarioInputsFollowScenario = scenarioInputs.allSatisfy { $0.isSameInEveryRun.allSatisfy { $0 } }
        let produced = diplomacyRestriction.isProduced
        diplomaticPairs = tables.supplyPairs.filter { produced[$0] }
        undiplomaticPairs = tables.supplyPairs.filter { !produced[$0] }
        let flowing = Set(tables.flowPairs)
        let unflowed = tables.supplyPairs.indices.filter { !flowing.contains(tables.supplyPairs[$0]) }
        unflowedPairs = unflowed.map { tables.supplyPairs[$0] }
        unflowedImporter = unflowed.map { tables.supplyImporter[$0] }
        flowCommodity = tables.flowPairs.map { $0 % C }
        exporterBasePrice = (0..<(S * C)).map { tables.basePrice[$0 % C] }
        unblockedLossIsZero = tables.basePrice.allSatisfy { $0.isFinite && $0.sign == .plus }
    }
}
