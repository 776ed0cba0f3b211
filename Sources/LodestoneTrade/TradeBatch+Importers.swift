import LodestoneKernel

// Step 5 of the trade equations (Docs/Models.md) by importer, for a block of runs: what arrives,
// the shortfall, the importer outputs and metrics, and each commodity's sums over importers.
extension TradeBatch {
    /// The importer part of ``TradeInstance/settle(_:)``: for every importer and commodity,
    /// delivered re-sourced volume, imports, shortfall and the outputs and metrics by importer;
    /// then, for each commodity, the sums over importers its price needs (`shortSums`,
    /// `demandSums`, `lostSums`, `importSums`, `releaseSums`).
    ///
    /// Element-wise equations run as one loop over every key and run at once (key `k` of run `r`
    /// at `k * width + r`, the layout of whole variables and outputs), each loop writing one span,
    /// so the compiler vectorises them and no key pays for a loop of its own. A sum over importers
    /// starts at 0 and adds importer 0, 1, … in order, as the per-run step does.
    func settleImporters(_ frame: BatchFrame) {
        let n = I * C * frame.width
        // Every commodity still this month and last (``findStillCommodities(_:)``): every importer
        // output is the month before last's, which this month's buffer already holds, and every
        // sum over importers is last month's.
        importerStillMonths = everyCommodityStill ? min(2, importerStillMonths + 1) : 0
        if importerStillMonths >= 2, frame.outputsAlternate {
            keepImporters(frame)
            return
        }
        let lost = frame.values(of: self.lost).extracting(0..<n), demand = frame.values(of: self.demand).extracting(0..<n)
        let contract = frame.values(of: contractTotal).extracting(0..<n)
        var altOut = frame.outputs(layout.refs.outAlt), importsOut = frame.outputs(layout.refs.outImports)
        var shortOut = frame.outputs(layout.refs.outShortfall)
        do {
            let alt = frame.values(of: self.alt).extracting(0..<n)
            for j in 0..<n { altOut[j] = min(alt[j], lost[j]) }
        }
        let delivered = altOut.span.extracting(0..<n)
        do {
            let directTotal = frame.values(of: self.directTotal).extracting(0..<n)
            if layout.refs.hasOfftake {
                for j in 0..<n { importsOut[j] = directTotal[j] + delivered[j] + contract[j] }
            } else {
                // No contracts: every contracted total is the +0 it started as (no load needed).
                for j in 0..<n { importsOut[j] = directTotal[j] + delivered[j] + 0 }
            }
        }
        let imports = importsOut.span.extracting(0..<n)
        do {
            var shortfallSum = frame.state(self.shortfallSum)
            for j in 0..<n {
                let wanted = demand[j]
                let unmet = max(0, wanted - imports[j])
                let short = unmet < 1e-9 * wanted ? 0 : unmet
                shortOut[j] = short
                shortfallSum[j] += short
            }
        }
        let short = shortOut.span.extracting(0..<n)
        var surplusOut = frame.outputs(layout.refs.outSurplus)
        // No backlog this month nor in the two before: this month's buffer already holds the
        // zero surpluses written the month before last (``BatchFrame/outputsAlternate``).
        let surplusKept = !hasBacklog && surplusZeroMonths >= 2 && frame.outputsAlternate
        surplusZeroMonths = hasBacklog ? 0 : min(2, surplusZeroMonths + 1)
        if surplusKept {
            var demandOut = frame.outputs(layout.refs.outDemand)
            for j in 0..<n { demandOut[j] = demand[j] }
        } else {
            // Surplus 0 (late deliveries below may change it) in the same loop: a loop that only
            // writes zeros becomes a `memset`, whose `rep stosb` path costs an instruction a byte.
            var demandOut = frame.outputs(layout.refs.outDemand)
            for j in 0..<n {
                demandOut[j] = demand[j]
                surplusOut[j] = 0
            }
        }
        let sigma = frame.values(of: substitution).extracting(0..<n)
        do {
            var perImport = frame.state(self.perImport), substitutionOut = frame.outputs(layout.refs.outSubstitution)
            for j in 0..<n {
                let arrived = imports[j]
                let inverse = 1 / arrived  // used where imports are positive
                perImport[j] = arrived > 0 ? inverse : 0
                substitutionOut[j] = sigma[j]
            }
        }
        // Months without an alternative: only where something was lost (no run loses anything in
        // most months).
        // Without a scan when the keys fit a mask: a key no run lost anything of this month
        // (``lostKeys``, from ``resource(_:)``) holds +0 in every run.
        let losing = I * C <= 64 ? lostKeys != 0 : lost.mayBeNonZero
        nothingLost = !losing
        if losing {
            let allocated = frame.values(of: self.allocated).extracting(0..<n)
            var months = frame.state(noAlternativeMonths)
            for j in 0..<n {
                months[j] = lost[j] > 0 && allocated[j] == 0 && contract[j] == 0 ? months[j] + 1 : months[j]
            }
        }
        let theta = frame.values(of: thrift).extracting(0..<n)
        // σ stayed +0 on every key this month (``substitutionStill``), θ never moved
        // (``thriftMoved``): both are +0 in every run, which their scans would find.
        let everyKey: UInt64 = I * C >= 64 ? ~0 : (1 << UInt64(I * C)) - 1
        let sigmaZero = I * C <= 64 && substitutionStill & everyKey == everyKey
        if (!sigmaZero && sigma.mayBeNonZero) || (thriftMoved && theta.mayBeNonZero) { countMaxResponse(frame) }
        if hasBacklog {
            // Only late deliveries can exceed demand (rounding aside): count those alone, for the
            // importers of pairs that may hold a backlog (``flowBacklog``; every other key's
            // late deliveries are +0 in every run, so its surplus is the 0 written above).
            let w = frame.width
            var late: UInt64 = I * C <= 64 ? 0 : ~0
            if I * C <= 64 {
                for p in 0..<tables.flowPairs.count where flowBacklog[p] { late |= 1 << tables.flowImporter[p] }
            }
            let catchUp = frame.values(of: self.catchUp).extracting(0..<n)
            for k in 0..<(I * C) where k >= 64 || late & (1 << k) != 0 {
                let keyRuns = (k * w)..<((k + 1) * w)
                let (arrived, imported, wanted) = (catchUp.extracting(keyRuns), imports.extracting(keyRuns), demand.extracting(keyRuns))
                var surplus = frame.output(layout.refs.outSurplus, k)
                for r in 0..<w {
                    // Every value read in every run first, so that the loop vectorises; `max(0, x)`
                    // and `min(u, x)` written as Swift's max and min compute them.
                    let (u, m, d) = (arrived[r], imported[r], wanted[r])
                    let excess = m - d >= 0 ? m - d : 0
                    surplus[r] = u > 0 ? (excess < u ? excess : u) : 0
                }
            }
        }
        if hasAllocation {
            var perAllocation = frame.state(self.perAllocation)
            for j in 0..<n { perAllocation[j] = delivered[j] }
        }
        sumOverImporters(frame, short, into: shortSums)
        sumOverImporters(frame, demand, into: demandSums)
        if losing {
            sumOverImporters(frame, lost, into: lostSums)
        } else {
            // Every value +0: each sum is +0 + (+0) + …, +0 (what the sums would give).
            var sums = frame.state(lostSums)
            for j in 0..<(C * frame.width) { sums[j] = 0 }
        }
        // Sums some runs of the block need, skipped when none does (v1 needs none): releases count
        // in the price only with a weight; bought stock fills from imports.
        if releasePriced { sumReleases(frame) }
        if hasHoard { sumOverImporters(frame, imports, into: importSums) }
    }

    /// The importer part of a month in which every commodity is still and was last month: the
    /// outputs stay as the buffer holds them, and only what accumulates is updated: the surplus
    /// counter counts the month (no backlog), and releases are summed (they are the stockpile's,
    /// not still). The shortfall's sum over months would get this month's shortfall, last
    /// month's: each commodity's price was still last month, which it is only after the settle at
    /// p0 (``atBasePrice(_:_:_:)``: every run's `shortSums` value +0), so every shortfall was ±0
    /// (a shortfall is never below 0), and adding ±0 to a sum from +0 (never −0) leaves it as it
    /// is. Nothing is lost (no flow pair restricted, no quota), so no month without an
    /// alternative is counted, and σ and θ are +0 (no month at the maximum response).
    private func keepImporters(_ frame: BatchFrame) {
        surplusZeroMonths = min(2, surplusZeroMonths + 1)
        nothingLost = true
        if releasePriced { sumReleases(frame) }
    }

    /// Counts a month at the maximum response for each run, importer and commodity whose
    /// substitution or thrifting has reached its ceiling.
    private func countMaxResponse(_ frame: BatchFrame) {
        let w = frame.width
        let still = substitutionStill & ~thriftMovedKeys
        for k in 0..<(I * C) {
            // σ +0 and θ +0 in every run (σ still this month, the key's θ never moved; keys from
            // the 64th on are never counted as still): `sigma > 0` and
            // `theta > 0` are false, no run has reached a ceiling, the count stays as it is.
            if k < 64, still & (1 << k) != 0 { continue }
            let c = k % C
            let maxSubstitution = frame.parameter(layout.refs.maxSubstitution, c), maxThrifting = frame.parameter(layout.refs.maxThrifting, c)
            let sigma = frame.values(of: substitution, k), theta = frame.values(of: thrift, k)
            var months = frame.state(maxResponseMonths, k)
            for r in 0..<w {
                let reached = sigma[r] > 0 && sigma[r] >= maxSubstitution[r] || theta[r] > 0 && theta[r] >= maxThrifting[r]
                months[r] = reached ? months[r] + 1 : months[r]
            }
        }
    }

    /// `releaseSums[c]` = Σ_i `stockpile.release[i/c]` for every run, from 0 and in importer
    /// order: as one span when the input's keys are consecutive (``sumOverImporters(_:_:into:)``,
    /// the same additions), otherwise key by key.
    private func sumReleases(_ frame: BatchFrame) {
        let w = frame.width
        if layout.refs.releases.isConsecutive, layout.refs.releases.count == I * C {
            sumOverImporters(frame, frame.inputs(layout.refs.releases), into: releaseSums)
            return
        }
        for c in 0..<C {
            var sum = frame.state(releaseSums, c)
            for r in 0..<w { sum[r] = 0 }
            for i in 0..<I {
                let released = frame.input(layout.refs.releases, i * C + c)
                for r in 0..<w { sum[r] += released[r] }
            }
        }
    }

    /// `sums[c]` = Σ_i `values[i*C+c]` for every run, from 0 and in importer order. `values` holds
    /// every importer/commodity key, key `k` of run `r` at `k * width + r`; the keys of one
    /// importer are consecutive, so each importer adds one loop over all commodities and runs.
    private func sumOverImporters(_ frame: BatchFrame, _ values: Span<Double>, into sums: BatchState.Doubles) {
        let m = C * frame.width
        var sums = frame.state(sums)
        guard I > 0 else {
            for j in 0..<m { sums[j] = 0 }
            return
        }
        // `0 + x`, not `x`: the per-run sum starts at +0, and +0 + (−0) is +0. The first three
        // importers in one loop (the same additions in the same order, one store instead of three).
        let first = values.extracting(0..<m)
        let fused = min(I, 3)
        switch fused {
        case 3:
            let second = values.extracting(m..<(2 * m)), third = values.extracting((2 * m)..<(3 * m))
            for j in 0..<m { sums[j] = 0 + first[j] + second[j] + third[j] }
        case 2:
            let second = values.extracting(m..<(2 * m))
            for j in 0..<m { sums[j] = 0 + first[j] + second[j] }
        default:
            for j in 0..<m { sums[j] = 0 + first[j] }
        }
        for i in fused..<I {
            let importer = values.extracting((i * m)..<((i + 1) * m))
            for j in 0..<m { sums[j] += importer[j] }
        }
    }
}
