import LodestoneKernel

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

// Steps 0–2 of the trade equations (Docs/Models.md) for a block of runs: long-run responses,
// precautionary buying, demand, offtake contracts, direct flows and lost volume.
extension TradeBatch {
    /// Step 0: substitution σ, thrifting θ (v2) and capacity expansion from last month's price.
    func updateLongRun(_ frame: BatchFrame) {
        let w = frame.width
        let lag = frame.parameter(layout.refs.expansionLag, 0)
        var still: UInt64 = 0  // the keys whose σ stays +0 (``substitutionStill``)
        // Last month's: a key whose σ stayed +0 last month holds +0 in every run (only this
        // function writes σ), so it needs no scan to say so.
        let stillBefore = substitutionStill
        defer { substitutionStill = still }
        for c in 0..<C {
            let p0 = tables.basePrice[c]
            let perYear = frame.parameter(layout.refs.substitutionPerYear, c)
            let ceiling = frame.parameter(layout.refs.maxSubstitution, c)
            let thriftRate = frame.parameter(layout.refs.thriftingPerYear, c)
            let thriftCeiling = frame.parameter(layout.refs.maxThrifting, c)
            let price = frame.values(of: self.price, c)
            // The months each run's price has been elevated (+0 when it is not), and whether
            // some run has been elevated longer than its expansion lag (capacity expands below)
            // or is elevated at all: loops that write one span or reduce bits, which vectorise.
            var expanding = false, elevated = false
            // Last month no run was elevated, and every run reads last month's price
            // (``priceStill``): each count stays +0, so nothing is elevated, and nothing is beyond
            // its lag either (+0 > lag is false for every lag, which is never below 0).
            let quiet = c < 64 && elevationQuiet & priceStill & (1 << c) != 0
            if !quiet {
                var months = frame.state(elevatedMonths, c)
                let limit = 1.5 * p0
                for r in 0..<w {
                    let next = months[r] + 1  // read in every run, so that the loop vectorises
                    months[r] = price[r] > limit ? next : 0
                }
                var beyond: UInt64 = 0, bits: UInt64 = 0
                for r in 0..<w {
                    beyond |= months[r] > lag[r] ? 1 : 0
                    bits |= months[r].bitPattern
                }
                expanding = beyond != 0
                elevated = bits != 0
                if c < 64 {
                    elevationQuiet = expanding || elevated ? elevationQuiet & ~(1 << c) : elevationQuiet | (1 << c)
                }
            }
            // Whether σ = +0 stays +0 in every run: no run's price is elevated (σ moves down, or
            // not at all, and max(0, ·) gives +0), no rate is negative and every ceiling is above
            // 0 (min(ceiling, +0) is +0; the parameters are looked at in readParameters).
            let moving = elevated || mayBeNonZero(substitutionUnsteady, c)
            // Each loop writes one span, with selects rather than branches, so that it vectorises.
            for i in 0..<I {
                // A key whose σ is +0 in every run keeps it (most keys, most months): skipped.
                let k = i * C + c
                if !moving, k < 64 && stillBefore & (1 << k) != 0 || !frame.values(of: substitution, k).mayBeNonZero {
                    if i * C + c < 64 { still |= 1 << (i * C + c) }
                    continue
                }
                var sigma = frame.state(substitution, i * C + c)
                for r in 0..<w {
                    let move = perYear[r] / 12 * (price[r] > 1.5 * p0 ? 1 : -1)
                    sigma[r] = min(ceiling[r], max(0, sigma[r] + move))
                }
            }
            // Thrifting θ: up while elevated, never down (v2; 0 per year in v1, when no run moves).
            // While no run's price is elevated every run keeps its θ (the select below would
            // pick it): skipped.
            if mayBeNonZero(thrifting, c), elevated {
                thriftMoved = true
                for i in 0..<I {
                    if i * C + c < 64 { thriftMovedKeys |= 1 << (i * C + c) }
                    var theta = frame.state(thrift, i * C + c)
                    for r in 0..<w {
                        let raised = min(thriftCeiling[r], theta[r] + thriftRate[r] / 12)
                        theta[r] = price[r] > 1.5 * p0 && thriftRate[r] > 0 ? raised : theta[r]
                    }
                }
            }
            if expanding { expand(frame, c) }
        }
    }

    /// Capacity expansion of commodity `c` in the runs whose price has been elevated longer than
    /// the lag: `expansion_per_year / 12 · Σ_i D0` shared by the exporters that restrict no
    /// importer, pro rata to their capacity.
    private func expand(_ frame: BatchFrame, _ c: Int) {
        let w = frame.width
        // Effective capacity may grow below: computed again next month, written this month.
        capacityStale = true
        capacityStillMonths = 0
        let lag = frame.parameter(layout.refs.expansionLag, 0)
        let expansion = frame.parameter(layout.refs.expansionPerYear, c)
        let months = frame.values(of: elevatedMonths, c)
        var eligible = frame.state(scratch, 0)
        for r in 0..<w { eligible[r] = 0 }
        for s in 0..<S {
            var open = frame.state(exporterOpen, s)
            for r in 0..<w { open[r] = 1 }
            // Selects with every value read in every run (no branch per run), so that the loops
            // vectorise.
            for i in 0..<I {
                let restriction = frame.values(of: self.restriction, (s * I + i) * C + c)
                for r in 0..<w {
                    let kept = open[r]
                    open[r] = restriction[r] > 0 ? 0 : kept
                }
            }
            let effective = frame.values(of: effectiveCapacity, s * C + c)
            for r in 0..<w {
                let sum = eligible[r] + effective[r]
                eligible[r] = open[r] != 0 ? sum : eligible[r]
            }
        }
        let worldDemand = tables.worldDemand[c]
        for s in 0..<S {
            let open = frame.values(of: exporterOpen, s)
            let factor = frame.input(layout.refs.capacityFactor, s * C + c)
            var added = frame.state(addedCapacity, s * C + c), effective = frame.state(effectiveCapacity, s * C + c)
            var base = frame.state(capacityByRun, s * C + c)
            let capacity = tables.capacity[s * C + c]
            for r in 0..<w where months[r] > lag[r] && open[r] != 0 {
                let amount = expansion[r] / 12 * worldDemand
                guard eligible[r] > 0, amount > 0 else { continue }
                let share = effective[r] / eligible[r]
                added[r] += amount * share
                base[r] = capacity + added[r]
                effective[r] += amount * share * factor[r]
            }
        }
    }

    /// Precautionary and speculative buying (v2): each run's purchase toward
    /// H* = (hoard_months · E + speculation_months · r/(1 + r)) · Σ_i D0, from last month's E, p
    /// and p̄ (``TradeInstance/updateHoard(_:)``).
    func updateHoard(_ frame: BatchFrame) {
        // No run hoards or speculates, nothing was held or bought last month (every purchase and
        // hoard ±0): each purchase below would be (+0 · E · D − (±0)) · (a finite share), a zero
        // again (E is finite: it is the threat output the kernel checked last month), so nothing
        // would be held. Last month's zeros in `hoardBuy` are read only as `> 0` / `< 0` (or not
        // at all while nothing is held), so they serve as well.
        if hoardIdle, !hasHoard { return }
        let adjust = frame.values(of: lagRate, Lag.hoardAdjust.rawValue)
        var any = false
        for c in 0..<C {
            let worldDemand = tables.worldDemand[c]
            let months = frame.parameter(layout.refs.hoardMonths, c)
            let speculation = frame.parameter(layout.refs.speculationMonths, c)
            let threat = frame.values(of: self.threat, c), hoard = frame.values(of: self.hoard, c)
            let price = frame.values(of: self.price, c), reference = frame.values(of: referencePrice, c)
            var buy = frame.state(hoardBuy, c)
            guard mayBeNonZero(speculating, c) else {
                // No run speculates (every value +0, so `speculation > 0` is false everywhere):
                // the wanted stock is the precautionary one, in a loop without branches, and
                // whether anything is held or bought as a reduction of bits (a value is != 0
                // exactly when its bits without the sign are not 0), so that both vectorise.
                for r in 0..<frame.width { buy[r] = (months[r] * threat[r] * worldDemand - hoard[r]) * adjust[r] }
                var bits: UInt64 = 0
                for r in 0..<frame.width { bits |= buy[r].bitPattern | hoard[r].bitPattern }
                if bits & ~(1 << 63) != 0 { any = true }
                continue
            }
            for r in 0..<frame.width {
                var wanted = months[r] * threat[r] * worldDemand
                if speculation[r] > 0 {
                    let rise = max(0, (price[r] - reference[r]) / reference[r])
                    wanted += speculation[r] * rise / (1 + rise) * worldDemand
                }
                buy[r] = (wanted - hoard[r]) * adjust[r]
                if buy[r] != 0 || hoard[r] != 0 { any = true }
            }
        }
        hasHoard = any
    }

    /// Steps 1–2: demand, direct flows and lost volume (``TradeInstance/computeDemandAndFlows(_:)``).
    func computeDemandAndFlows(_ frame: BatchFrame) {
        let w = frame.width
        let factorSame = layout.refs.demandFactor.isSameInEveryRun
        // A still commodity's price response, demand, direct flows and their totals are last
        // month's, which the state still holds (``findStillCommodities(_:)``): skipped.
        findStillCommodities(frame)
        let still = stillCommodities
        for c in 0..<C where !isStill(still, c) {
            let p0 = tables.basePrice[c]
            let elasticity = frame.parameter(layout.refs.demandElasticity, c)
            let price = frame.values(of: self.price, c)
            var response = frame.state(priceResponse, c)
            // Runs whose price and elasticity repeat the previous run's (every run, until their
            // draws part) reuse its power: the same function of the same arguments.
            var lastRatio = Double.nan, lastElasticity = Double.nan, lastResponse = 1.0
            for r in 0..<w {
                let ratio = price[r] / p0
                if ratio == 1 || elasticity[r] == 0 {
                    response[r] = 1
                } else if ratio.bitPattern == lastRatio.bitPattern, elasticity[r].bitPattern == lastElasticity.bitPattern {
                    response[r] = lastResponse
                } else {
                    lastResponse = pow(ratio, -elasticity[r])
                    (lastRatio, lastElasticity) = (ratio, elasticity[r])
                    response[r] = lastResponse
                }
            }
        }
        // Skipped when every commodity is still (the demand state holds last month's values); a
        // test per key would cost more than it saves in ensembles where none is (the defaults').
        if !everyCommodityStill {
          for k in 0..<(I * C) {
            let d0 = tables.baselineDemand[k]
            let factor = frame.input(layout.refs.demandFactor, k), purchased = frame.input(layout.refs.purchases, k)
            let response = frame.values(of: priceResponse, k % C)
            let sigma = frame.values(of: substitution, k), theta = frame.values(of: thrift, k)
            var demand = frame.state(self.demand, k)
            // The common case as one lean loop: θ never moved, the scenario's factor one value in
            // every run (d0 · factor is then one number, the same product), and no purchase with
            // its sign bit set (none below 0: no run sold stock, `wanted` as it is).
            // θ still +0 in every run (``thetaMayMove(_:)``) is judged by key.
            let thrifted = thetaMayMove(k)
            var signs: UInt64 = 0
            if !thrifted, factorSame[k] {
                for r in 0..<w { signs |= purchased[r].bitPattern }
            }
            if !thrifted, factorSame[k], signs >> 63 == 0 {
                let scaled = d0 * factor[0]
                for r in 0..<w { demand[r] = scaled * response[r] * (1 - sigma[r]) + purchased[r] }
            } else if thrifted {
                for r in 0..<w {
                    let wanted = d0 * factor[r] * response[r] * (1 - sigma[r]) * (1 - theta[r]) + purchased[r]
                    demand[r] = purchased[r] < 0 ? max(0, wanted) : wanted  // a stock sold back (v2)
                }
            } else {
                // θ never moved: +0 in every run, so the factor `1 − θ` is exactly 1, and a
                // product times 1 is that product.
                for r in 0..<w {
                    let wanted = d0 * factor[r] * response[r] * (1 - sigma[r]) + purchased[r]
                    demand[r] = purchased[r] < 0 ? max(0, wanted) : wanted  // a stock sold back (v2)
                }
            }
            // Open inputs: the adjustment changes demand; extra supply meets it before imports.
            if layout.refs.hasAdjustment {
                let adjustment = frame.input(layout.refs.demandAdjustment, k)
                for r in 0..<w { demand[r] = max(0, demand[r] + adjustment[r]) }
            }
            if layout.refs.hasExtraSupply {
                let extra = frame.input(layout.refs.extraSupply, k)
                for r in 0..<w { demand[r] = max(0, demand[r] - max(0, extra[r])) }
            }
          }
        }
        clearLostAndBlocked(frame)
        if hasHoard { addHoardPurchases(frame) }
        if layout.refs.hasOfftake { serveContracts(frame) }
        // Each importer's demand net of contracts, once for all its pairs, and `directTotal`
        // cleared in the same loop (a loop writing only zeros becomes a `memset`). Without
        // contracts every contracted total is +0 and demand − (+0) is demand: the flows read
        // demand, and each importer's first flow pair starts its total at 0 (`0 + flow`).
        let contracts = layout.refs.hasOfftake
        if contracts {
            let n = I * C * w
            let demand = frame.values(of: self.demand).extracting(0..<n), contract = frame.values(of: contractTotal).extracting(0..<n)
            var net = frame.state(netDemand), directTotal = frame.state(self.directTotal)
            for j in 0..<n {
                net[j] = demand[j] - contract[j]
                directTotal[j] = 0
            }
        } else {
            for ic in tables.importersWithoutFlow {
                var directTotal = frame.state(self.directTotal, ic)
                for r in 0..<w { directTotal[r] = 0 }
            }
        }
        let netSource = contracts ? netDemand : self.demand
        // `direct` needs no clearing: every flow pair is written below, and no other pair ever is.
        // Deferred deliveries (v2) are a second pass over the pairs, taken only when some run of
        // the block defers anything (never in v1), so the flow loop has no branch for them.
        let deferring = deferralSet
        // One flow pair (in ``TradeTables/flowPairs`` order). A still commodity's pairs are
        // skipped; without any, the loop takes no test per pair.
        @inline(__always) func flow(_ n: Int) {
            let k = tables.flowPairs[n], ic = tables.flowImporter[n]
            let share = tables.baselineShare[k]
            let net = frame.values(of: netSource, ic)
            let first = !contracts && tables.flowFirst[n]
            var direct = frame.state(self.direct, k), directTotal = frame.state(self.directTotal, ic)
            guard pairRestricted[k] else {
                // An open pair in every run: nothing stopped (adding 0 to `lost` and `blocked`,
                // which are never −0, would leave them unchanged).
                if first {
                    for r in 0..<w {
                        let base = share * net[r]
                        direct[r] = base
                        directTotal[r] = 0 + base
                    }
                } else {
                    for r in 0..<w {
                        let base = share * net[r]
                        direct[r] = base
                        directTotal[r] += base
                    }
                }
                return
            }
            if first {
                for r in 0..<w { directTotal[r] = 0 }
            }
            let leak = frame.parameter(layout.refs.leakage, k % C), restriction = frame.values(of: self.restriction, k)
            var lost = frame.state(self.lost, ic), blocked = frame.state(self.blocked, tables.flowExporter[n])
            for r in 0..<w {
                let base = share * net[r]
                let stopped = restriction[r] == 0 ? 0 : base * restriction[r] * (1 - leak[r])
                direct[r] = base - stopped
                directTotal[r] += base - stopped
                lost[r] += stopped
                blocked[r] += stopped
            }
            exporterBlocked[tables.flowExporter[n]] = true
        }
        if still == 0 {
            for n in 0..<tables.flowPairs.count { flow(n) }
        } else {
            for n in 0..<tables.flowPairs.count where !isStill(still, tables.flowPairs[n] % C) { flow(n) }
        }
        if deferring { deferBlocked(frame) }
    }

    /// Sets last month's lost volume, blocked exports and (with a backlog) late deliveries to 0:
    /// only the keys that may hold anything else (``importerLost``, ``exporterBlocked``; late
    /// deliveries are read only while some run has a backlog).
    private func clearLostAndBlocked(_ frame: BatchFrame) {
        let w = frame.width
        for k in 0..<(I * C) where importerLost[k] {
            var lost = frame.state(self.lost, k)
            for r in 0..<w { lost[r] = 0 }
            importerLost[k] = false
        }
        for k in 0..<(S * C) where exporterBlocked[k] {
            var blocked = frame.state(self.blocked, k)
            for r in 0..<w { blocked[r] = 0 }
            exporterBlocked[k] = false
        }
        if hasBacklog {
            for k in 0..<(I * C) {
                var catchUp = frame.state(self.catchUp, k)
                for r in 0..<w { catchUp[r] = 0 }
            }
        }
    }

    /// Deferred deliveries (v2): part of what a restriction blocks waits in the pair's backlog,
    /// and arrives once the pair is open again. `stopped` is computed as in the flow loop (the
    /// same operations, so the same number).
    ///
    /// Only the pairs some run may restrict (``pairRestricted``): elsewhere the restriction is +0
    /// in every run and nothing is deferred. Each run's new backlog is computed and selected
    /// (no branch per run, so the loop vectorises); a pair that gained any is marked in
    /// ``flowBacklog``.
    private func deferBlocked(_ frame: BatchFrame) {
        var deferring = false
        for n in 0..<tables.flowPairs.count where pairRestricted[tables.flowPairs[n]] {
            let k = tables.flowPairs[n], ic = tables.flowImporter[n], c = k % C
            let share = tables.baselineShare[k]
            let leak = frame.parameter(layout.refs.leakage, c), deferral = frame.parameter(layout.refs.deferredShare, c)
            let restriction = frame.values(of: self.restriction, k), demand = frame.values(of: self.demand, ic)
            let contract = frame.values(of: contractTotal, ic)
            var backlog = frame.state(self.backlog, k)
            var added: UInt64 = 0
            for r in 0..<frame.width {
                // Every value read in every run first, so that the loop vectorises.
                let (d, ct, x, l, q, b) = (demand[r], contract[r], restriction[r], leak[r], deferral[r], backlog[r])
                let base = share * (d - ct)
                let stopped = base * x * (1 - l)
                let adds = x != 0 && q > 0 && stopped > 0
                backlog[r] = adds ? b + q * stopped : b
                added |= adds ? 1 : 0
            }
            if added != 0 {
                flowBacklog[n] = true
                deferring = true
            }
        }
        if deferring { hasBacklog = true }
    }

    /// Adds each run's precautionary purchase (or sale) to demand, shared by baseline demand; a
    /// sale lowers demand at most to 0. `hoardBuy` becomes what was added.
    private func addHoardPurchases(_ frame: BatchFrame) {
        let w = frame.width
        for c in 0..<C {
            var buy = frame.state(hoardBuy, c)
            // Whether some run buys or sells (a value is != 0 exactly when its bits without the
            // sign are not 0): a reduction without branches, which vectorises.
            var bits: UInt64 = 0
            for r in 0..<w { bits |= buy[r].bitPattern << 1 }
            guard bits != 0 else { continue }
            let worldDemand = tables.worldDemand[c]
            guard worldDemand > 0 else {
                for r in 0..<w { buy[r] = 0 }
                continue
            }
            var added = frame.state(scratch, 0)
            if I == 0 {
                for r in 0..<w { added[r] = 0 }
            }
            // Each run's new demand computed and selected where it buys or sells, in loops that
            // each write one span, read every value in every run and have no branch, so that
            // they vectorise: first the sum of what is added (from +0, `0 + x` for the first
            // importer), from the demand before; then the demand, by the same operations.
            let bought = frame.values(of: hoardBuy, c)
            for i in 0..<I {
                let d0 = tables.baselineDemand[i * C + c]
                let n = added.count
                do {
                    let demand = frame.values(of: self.demand, i * C + c)
                    guard demand.count == n, bought.count == n else { preconditionFailure("trade: one value per run") }
                    if i == 0 {
                        for r in 0..<n {
                            let (d, b) = (demand[r], bought[r])
                            let raised = d + b * d0 / worldDemand
                            let after = raised >= 0 ? raised : 0  // max(0, raised), as Swift's max computes it
                            added[r] = b != 0 ? 0 + (after - d) : 0
                        }
                    } else {
                        for r in 0..<n {
                            let (d, b, a) = (demand[r], bought[r], added[r])
                            let raised = d + b * d0 / worldDemand
                            let after = raised >= 0 ? raised : 0
                            added[r] = b != 0 ? a + (after - d) : a
                        }
                    }
                }
                var demand = frame.state(self.demand, i * C + c)
                guard demand.count == n else { preconditionFailure("trade: one value per run") }
                for r in 0..<n {
                    let (d, b) = (demand[r], bought[r])
                    let raised = d + b * d0 / worldDemand
                    let after = raised >= 0 ? raised : 0
                    demand[r] = b != 0 ? after : d
                }
            }
            for r in 0..<w {
                let (b, a) = (buy[r], added[r])
                buy[r] = b != 0 ? a : b
            }
        }
    }

    /// Offtake contracts (v2): each is served first, from the exporter's capacity beyond its
    /// baseline flows, up to the importer's demand (``TradeInstance/serveContracts()``).
    private func serveContracts(_ frame: BatchFrame) {
        let w = frame.width
        for k in 0..<(I * C) {
            var total = frame.state(contractTotal, k)
            for r in 0..<w { total[r] = 0 }
        }
        for s in 0..<S {
            for c in 0..<C {
                var wanted = frame.state(scratch, 0), served = frame.state(scratch, 1)
                for r in 0..<w { wanted[r] = 0 }
                for i in 0..<I {
                    let volume = frame.input(layout.refs.offtake, (s * I + i) * C + c)
                    for r in 0..<w { wanted[r] += volume[r] }
                }
                let committed = tables.committed[s * C + c]
                let effective = frame.values(of: effectiveCapacity, s * C + c)
                for r in 0..<w {
                    let free = max(0, effective[r] - committed)
                    served[r] = wanted[r] > 0 ? min(1, free / wanted[r]) : 0
                }
                for i in 0..<I {
                    let k = (s * I + i) * C + c
                    let volume = frame.input(layout.refs.offtake, k), restriction = frame.values(of: self.restriction, k)
                    let demand = frame.values(of: self.demand, i * C + c)
                    var contracted = frame.state(self.contracted, k), total = frame.state(contractTotal, i * C + c)
                    for r in 0..<w {
                        let room = max(0, demand[r] - total[r])
                        contracted[r] = restriction[r] > 0 ? 0 : min(room, volume[r] * served[r])
                        total[r] += contracted[r]
                    }
                }
            }
        }
    }
}
