import LodestoneKernel

/// Trade's wiring resolved to buffer positions, once per composition: every input, output,
/// parameter and metric the equations use, declared here only. The layout holds it for the batch
/// form (``TradeBatch``), and each single run (``TradeInstance``) holds a copy inline (one load
/// per use).
struct TradeRefs: Sendable {
    // Inputs.
    let scenarioRestriction: InputRef, diplomacyRestriction: InputRef, purchases: InputRef
    let demandFactor: InputRef, capacityFactor: InputRef
    // Outputs.
    let outDemand: OutputRef, outImports: OutputRef, outShortfall: OutputRef, outAlt: OutputRef
    let outShare: OutputRef, outPrice: OutputRef, outExportLoss: OutputRef
    let outSubstitution: OutputRef, outCapacity: OutputRef
    // Parameters.
    let rampMonths: ParameterRef, leakage: ParameterRef, demandElasticity: ParameterRef
    let priceElasticity: ParameterRef, priceLag: ParameterRef, maxPriceMultiple: ParameterRef
    let substitutionPerYear: ParameterRef, maxSubstitution: ParameterRef
    let expansionPerYear: ParameterRef, expansionLag: ParameterRef
    // Metrics.
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

    /// Which optional inputs something produces (the step skips the others' work): quotas,
    /// offtake contracts, new capacity, stockpile releases and levels, and the open inputs.
    let hasQuota: Bool, hasOfftake: Bool, hasNewCapacity: Bool, hasReleases: Bool, hasStocks: Bool
    let hasExtraSupply: Bool, hasExtraExports: Bool, hasAdjustment: Bool

    /// Looks up every name trade declares; throws for one the wiring does not know.
    init(_ wiring: Wiring) throws {
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
        hasQuota = quota.isBound || quotaTotal.isBound
        hasOfftake = offtake.isBound
        hasNewCapacity = newCapacity.isBound
        hasReleases = releases.isBound
        hasStocks = stockLevel.isBound
        hasExtraSupply = extraSupply.isBound
        hasExtraExports = extraExports.isBound
        hasAdjustment = demandAdjustment.isBound
    }
}
