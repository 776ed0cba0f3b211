import LodestoneKernel

/// What every run of one composition shares: the wiring resolved to buffer positions, the
/// dataset flattened into read-only tables, and the tables of pairs that can carry trade. Built
/// once by ``TradeModel/prepare(in:wiring:)``, so that making an instance per run looks up no name
/// and allocates only the run's own state.
final class TradeLayout: Sendable {
    /// Number of commodities, exporters and importers.
    let C: Int, S: Int, I: Int
    /// The wiring, declared once.
    let refs: TradeRefs
    /// The dataset and pair tables, for the batch form (``TradeBatch``) and single runs alike.
    let tables: TradeTables
    /// What single runs derive from the rest, once (``TradeSingleRunTables``).
    let single: TradeSingleRunTables

    init(world: TradeWorld, wiring: Wiring) throws {
        C = world.commodities.count
        S = world.exporters.count
        I = world.importers.count
        refs = try TradeRefs(wiring)
        let offered = refs.extraExports.isProduced
        let (importers, commodities) = (I, C)
        let pairsWithFlow = world.baselineShare.indices.filter { world.baselineShare[$0] > 0 }
        let pairsWithSupply = world.baselineShare.indices.filter { k in
            let (c, s) = (k % commodities, k / (commodities * importers))
            return world.baselineShare[k] > 0 || world.capacity[s * commodities + c] > 0
                || world.gainsCapacity[s * commodities + c] || offered[s * commodities + c]
        }
        tables = TradeTables(world: world, flowPairs: pairsWithFlow, supplyPairs: pairsWithSupply)
        single = TradeSingleRunTables(
            C: C, S: S, tables: tables, diplomacyRestriction: refs.diplomacyRestriction,
            scenarioInputs: [refs.scenarioRestriction, refs.capacityFactor, refs.demandFactor])
    }
}

/// The dataset and pair tables the batch form indexes (``TradeBatch``), as Swift arrays, with the
/// sums over importers that do not depend on the run computed once, in the order the equations
/// add them (so each is the number the per-run step computes).
struct TradeTables: Sendable {
    /// Baseline demand D0 (t/month), `[i*C+c]`.
    let baselineDemand: [Double]
    /// Baseline share of i's imports from s, `[(s*I+i)*C+c]`.
    let baselineShare: [Double]
    /// Export capacity K (t/month), `[s*C+c]`.
    let capacity: [Double]
    /// Baseline price p0 (USD/kg), `[c]`.
    let basePrice: [Double]
    /// World baseline demand Σ_i D0 (t/month), `[c]`.
    let worldDemand: [Double]
    /// The exporter's baseline flows Σ_i flows0 (t/month): capacity already committed, `[s*C+c]`.
    let committed: [Double]
    /// Pair indices `(s*I+i)*C+c` with a baseline flow, with each one's `i*C+c` and `s*C+c`.
    let flowPairs: [Int], flowImporter: [Int], flowExporter: [Int]
    /// Pair indices that can carry any supply, with each one's `i*C+c`.
    let supplyPairs: [Int], supplyImporter: [Int]
    /// The supply pairs as runs of consecutive pair indices whose `i*C+c` are consecutive too:
    /// run `m` covers pairs `supplyRunPair[m]..<supplyRunPair[m] + supplyRunLength[m]` and
    /// importers from `supplyRunImporter[m]` on, so a loop over a run's keys is one loop.
    let supplyRunPair: [Int], supplyRunImporter: [Int], supplyRunLength: [Int]
    /// Whether each flow pair is the first of its importer/commodity in ``flowPairs``' order (the
    /// one whose flow starts the importer's sum of direct flows).
    let flowFirst: [Bool]
    /// The importer/commodity keys `i*C+c` without any flow pair.
    let importersWithoutFlow: [Int]

    init(world: TradeWorld, flowPairs: [Int], supplyPairs: [Int]) {
        let (C, S, I) = (world.commodities.count, world.exporters.count, world.importers.count)
        baselineDemand = world.baselineDemand
        baselineShare = world.baselineShare
        capacity = world.capacity
        basePrice = world.basePrice
        worldDemand = (0..<C).map { c in
            var sum = 0.0
            for i in 0..<I { sum += world.baselineDemand[i * C + c] }
            return sum
        }
        committed = (0..<(S * C)).map { sc in
            let (s, c) = (sc / C, sc % C)
            var sum = 0.0
            for i in 0..<I { sum += world.baselineFlow[(s * I + i) * C + c] }
            return sum
        }
        self.flowPairs = flowPairs
        flowImporter = flowPairs.map { $0 % (I * C) }
        flowExporter = flowPairs.map { k in (k / (C * I)) * C + k % C }
        self.supplyPairs = supplyPairs
        supplyImporter = supplyPairs.map { $0 % (I * C) }
        var (runPair, runImporter, runLength) = ([Int](), [Int](), [Int]())
        for (k, ic) in zip(supplyPairs, supplyImporter) {
            if let last = runPair.indices.last, runPair[last] + runLength[last] == k, runImporter[last] + runLength[last] == ic {
                runLength[last] += 1
            } else {
                runPair.append(k)
                runImporter.append(ic)
                runLength.append(1)
            }
        }
        (supplyRunPair, supplyRunImporter, supplyRunLength) = (runPair, runImporter, runLength)
        var seen = Set<Int>()
        flowFirst = flowImporter.map { seen.insert($0).inserted }
        importersWithoutFlow = (0..<(I * C)).filter { !seen.contains($0) }
    }
}
