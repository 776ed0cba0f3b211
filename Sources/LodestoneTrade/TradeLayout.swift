import LodestoneKernel

/// What every run of one composition shares: the wiring resolved to buffer positions, the
/// dataset flattened into read-only buffers, and the tables of pairs that can carry trade. Built
/// once by ``TradeModel/prepare(in:wiring:)``, so that making an instance per run looks up no name
/// and allocates only the run's own state.
final class TradeLayout: @unchecked Sendable {  // read-only after init
    let C: Int, S: Int, I: Int

    // Wiring.
    let scenarioRestriction: InputRef, diplomacyRestriction: InputRef, purchases: InputRef
    let demandFactor: InputRef, capacityFactor: InputRef
    let outDemand: OutputRef, outImports: OutputRef, outShortfall: OutputRef, outAlt: OutputRef
    let outShare: OutputRef, outPrice: OutputRef, outExportLoss: OutputRef
    let outSubstitution: OutputRef, outCapacity: OutputRef
    let rampMonths: ParameterRef, leakage: ParameterRef, demandElasticity: ParameterRef
    let priceElasticity: ParameterRef, priceLag: ParameterRef, maxPriceMultiple: ParameterRef
    let substitutionPerYear: ParameterRef, maxSubstitution: ParameterRef
    let expansionPerYear: ParameterRef, expansionLag: ParameterRef
    let shortfallTotal: MetricRef, peakPrice: MetricRef, peakPriceAt: MetricRef
    let exportLossTotal: MetricRef
    // Market model v2.
    let quota: InputRef, quotaTotal: InputRef, offtake: InputRef, newCapacity: InputRef, releases: InputRef
    let stockLevel: InputRef
    let outSurplus: OutputRef, outThrifting: OutputRef, outHoard: OutputRef, outThreat: OutputRef
    let outDeferred: OutputRef
    let thriftingPerYear: ParameterRef, maxThrifting: ParameterRef, deferredShare: ParameterRef
    let catchUpMonths: ParameterRef, hoardMonths: ParameterRef, threatMonths: ParameterRef
    let hoardAdjustMonths: ParameterRef, releaseInPrice: ParameterRef
    let quotaCarryover: ParameterRef, stockPriceElasticity: ParameterRef, stockReferenceDays: ParameterRef
    let speculationMonths: ParameterRef, trendMonths: ParameterRef, scarcityHorizonMonths: ParameterRef
    let monthsAtPriceCap: MetricRef, monthsWithoutAlternative: MetricRef, monthsAtMaxResponse: MetricRef
    // The market's open inputs (summed; unbound when no module produces them).
    let extraSupply: InputRef, extraExports: InputRef, demandAdjustment: InputRef

    private let arena = StateArena()
    typealias Buffer = UnsafeMutableBufferPointer<Double>
    typealias Indices = UnsafeMutableBufferPointer<Int>
    // Flattened dataset.
    let baselineDemand: Buffer, baselineShare: Buffer, baselineFlow: Buffer, capacity: Buffer
    let basePrice: Buffer
    /// Pair indices `(s*I+i)*C+c` with a baseline flow: the only ones with a direct flow.
    let flowPairs: Indices
    /// For each flow pair, its importer/commodity index `i*C+c` and exporter/commodity index `s*C+c`.
    let flowImporter: Indices, flowExporter: Indices
    /// Pair indices that can carry any supply (a baseline flow, or capacity that re-sourcing can
    /// use): every other pair's share is always 0.
    let supplyPairs: Indices
    /// For each supply pair, its importer/commodity index `i*C+c`.
    let supplyImporter: Indices
    /// The same tables as Swift arrays, for the batch form (``TradeBatch``).
    let tables: TradeTables
    /// Which optional inputs something produces (the step skips the others' work): quotas,
    /// offtake contracts, new capacity, stockpile releases and levels, and the open inputs.
    let hasQuota: Bool, hasOfftake: Bool, hasNewCapacity: Bool, hasReleases: Bool, hasStocks: Bool
    let hasExtraSupply: Bool, hasExtraExports: Bool, hasAdjustment: Bool
    /// What single runs derive from the rest, once (``TradeSingleRunTables``).
    let single: TradeSingleRunTables

    init(world: TradeWorld, wiring: Wiring) throws {
        C = world.commodities.count
        S = world.exporters.count
        I = world.importers.count
        scenarioRestriction = try wiring.input("scenario.restriction")
        diplomacyRestriction = try wiring.input("diplomacy.restriction")
        purchases = try wiring.input("stockpile.purchases")
        demandFactor = try wiring.input("scenario.demand_factor")
        capacityFactor = try wiring.input("scenario.capacity_factor")
        outDemand = try wiring.output("demand")
        outImports = try wiring.output("imports")
        outShortfall = try wiring.output("shortfall")
        outAlt = try wiring.output("alt_supply")
        outShare = try wiring.output("share")
        outPrice = try wiring.output("price")
        outExportLoss = try wiring.output("export_loss")
        outSubstitution = try wiring.output("substitution")
        outCapacity = try wiring.output("capacity")
        rampMonths = try wiring.parameter("ramp_months")
        leakage = try wiring.parameter("leakage")
        demandElasticity = try wiring.parameter("demand_elasticity")
        priceElasticity = try wiring.parameter("price_elasticity")
        priceLag = try wiring.parameter("price_lag_months")
        maxPriceMultiple = try wiring.parameter("max_price_multiple")
        substitutionPerYear = try wiring.parameter("substitution_per_year")
        maxSubstitution = try wiring.parameter("max_substitution")
        expansionPerYear = try wiring.parameter("expansion_per_year")
        expansionLag = try wiring.parameter("expansion_lag_months")
        shortfallTotal = try wiring.metric("shortfall_total")
        peakPrice = try wiring.metric("peak_price")
        peakPriceAt = try wiring.metric("peak_price_at")
        exportLossTotal = try wiring.metric("export_loss_total")
        quota = try wiring.input("scenario.quota")
        quotaTotal = try wiring.input("scenario.quota_total")
        offtake = try wiring.input("scenario.offtake")
        newCapacity = try wiring.input("scenario.new_capacity")
        releases = try wiring.input("stockpile.release")
        stockLevel = try wiring.input("stockpile.level")
        outSurplus = try wiring.output("surplus")
        outThrifting = try wiring.output("thrifting")
        outHoard = try wiring.output("hoard")
        outThreat = try wiring.output("threat")
        outDeferred = try wiring.output("deferred")
        thriftingPerYear = try wiring.parameter("thrifting_per_year")
        maxThrifting = try wiring.parameter("max_thrifting")
        deferredShare = try wiring.parameter("deferred_share")
        catchUpMonths = try wiring.parameter("catch_up_months")
        hoardMonths = try wiring.parameter("hoard_months")
        threatMonths = try wiring.parameter("threat_months")
        hoardAdjustMonths = try wiring.parameter("hoard_adjust_months")
        releaseInPrice = try wiring.parameter("release_in_price")
        quotaCarryover = try wiring.parameter("quota_carryover")
        stockPriceElasticity = try wiring.parameter("stock_price_elasticity")
        stockReferenceDays = try wiring.parameter("stock_reference_days")
        speculationMonths = try wiring.parameter("speculation_months")
        trendMonths = try wiring.parameter("trend_months")
        scarcityHorizonMonths = try wiring.parameter("scarcity_horizon_months")
        monthsAtPriceCap = try wiring.metric("months_at_price_cap")
        monthsWithoutAlternative = try wiring.metric("months_without_alternative")
        monthsAtMaxResponse = try wiring.metric("months_at_max_response")
        extraSupply = try wiring.input("market.extra_supply")
        extraExports = try wiring.input("market.extra_exports")
        demandAdjustment = try wiring.input("market.demand_adjustment")
        let offered = extraExports.isProduced
        baselineDemand = arena.doubles(copying: world.baselineDemand)
        baselineShare = arena.doubles(copying: world.baselineShare)
        baselineFlow = arena.doubles(copying: world.baselineFlow)
        capacity = arena.doubles(copying: world.capacity)
        basePrice = arena.doubles(copying: world.basePrice)
        let (importers, commodities) = (I, C)
        let pairsWithFlow = world.baselineShare.indices.filter { world.baselineShare[$0] > 0 }
        flowPairs = arena.ints(pairsWithFlow.count)
        flowImporter = arena.ints(pairsWithFlow.count)
        flowExporter = arena.ints(pairsWithFlow.count)
        for (n, k) in pairsWithFlow.enumerated() {
            let (c, i, s) = (k % commodities, (k / commodities) % importers, k / (commodities * importers))
            flowPairs[n] = k
            flowImporter[n] = i * commodities + c
            flowExporter[n] = s * commodities + c
        }
        let pairsWithSupply = world.baselineShare.indices.filter { k in
            let (c, s) = (k % commodities, k / (commodities * importers))
            return world.baselineShare[k] > 0 || world.capacity[s * commodities + c] > 0
                || world.gainsCapacity[s * commodities + c] || offered[s * commodities + c]
        }
        supplyPairs = arena.ints(pairsWithSupply.count)
        supplyImporter = arena.ints(pairsWithSupply.count)
        for (n, k) in pairsWithSupply.enumerated() {
            supplyPairs[n] = k
            supplyImporter[n] = k % (importers * commodities)
        }
        tables = TradeTables(world: world, flowPairs: pairsWithFlow, supplyPairs: pairsWithSupply)
        hasQuota = quota.isBound || quotaTotal.isBound
        hasOfftake = offtake.isBound
        hasNewCapacity = newCapacity.isBound
        hasReleases = releases.isBound
        hasStocks = stockLevel.isBound
        hasExtraSupply = extraSupply.isBound
        hasExtraExports = extraExports.isBound
        hasAdjustment = demandAdjustment.isBound
        single = TradeSingleRunTables(
            C: C, I: I, S: S, supplyPairs: supplyPairs, flowPairs: flowPairs, basePrice: basePrice,
            baselineDemand: baselineDemand, diplomacyRestriction: diplomacyRestriction,
            scenarioInputs: [scenarioRestriction, capacityFactor, demandFactor])
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
