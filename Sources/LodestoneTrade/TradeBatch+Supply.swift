import LodestoneKernel

// Quotas, deferred deliveries and re-sourcing (Docs/Models.md, steps 2–4 and market model v2)
// for a block of runs.
extension TradeBatch {
    /// Export quotas (v2): an exporter ships legally at most its quota plus this year's carry;
    /// above it every flow is cut in proportion, a share `leakage` of the cut still arrives and
    /// the rest is lost to its importers (``TradeInstance/applyQuotas(_:)``).
    func applyQuotas(_ frame: BatchFrame) {
        guard layout.refs.hasQuota else { return }
        let w = frame.width
        for k in 0..<(S * C) {
            var exports = frame.state(self.exports, k)
            for r in 0..<w { exports[r] = 0 }
        }
        for n in 0..<tables.flowPairs.count {
            var exports = frame.state(self.exports, tables.flowExporter[n])
            let direct = frame.values(of: self.direct, tables.flowPairs[n])
            for r in 0..<w { exports[r] += direct[r] }
        }
        for s in 0..<S {
            var total = frame.state(scratch, 0), totalQuota = frame.state(scratch, 1), totalScale = frame.state(scratch, 2)
            var legalTotal = frame.state(scratch, 3), scale = frame.state(scratch, 4)
            for r in 0..<w { total[r] = 0 }
            for c in 0..<C {
                let exports = frame.values(of: self.exports, s * C + c)
                for r in 0..<w { total[r] += exports[r] }
            }
            let quotaByExporter = frame.input(layout.refs.quotaTotal, s), carry = frame.values(of: totalCarry, s)
            for r in 0..<w {
                let quota = quotaByExporter[r] < 0 ? -1 : quotaByExporter[r] + carry[r]
                totalQuota[r] = quota
                totalScale[r] = quota >= 0 && total[r] > quota ? (total[r] > 0 ? quota / total[r] : 0) : 1
                legalTotal[r] = 0
            }
            for c in 0..<C {
                let quotaByCommodity = frame.input(layout.refs.quota, s * C + c), carry = frame.values(of: quotaCarry, s * C + c)
                var allowed = frame.state(quotaAllowed, s * C + c), shippedSum = frame.state(quotaShipped, s * C + c)
                var exports = frame.state(self.exports, s * C + c)
                var cutting = false
                for r in 0..<w {
                    let q = quotaByCommodity[r] < 0 ? -1 : quotaByCommodity[r] + carry[r]
                    let shipped = exports[r] * totalScale[r]
                    scale[r] = totalScale[r] * (q >= 0 && shipped > q ? (shipped > 0 ? q / shipped : 0) : 1)
                    let legal = exports[r] * scale[r]
                    legalTotal[r] += legal
                    if q >= 0 {
                        allowed[r] += q - carry[r]
                        shippedSum[r] += legal
                    }
                    exports[r] = legal  // what the quota leaves for re-sourcing is counted from this
                    if scale[r] < 1 { cutting = true }
                }
                guard cutting else { continue }
                exporterBlocked[s * C + c] = true
                let leak = frame.parameter(layout.refs.leakage, c)
                var blocked = frame.state(self.blocked, s * C + c)
                for i in 0..<I {
                    var direct = frame.state(self.direct, (s * I + i) * C + c)
                    var directTotal = frame.state(self.directTotal, i * C + c), lost = frame.state(self.lost, i * C + c)
                    for r in 0..<w where scale[r] < 1 {
                        let cut = direct[r] * (1 - scale[r]) * (1 - leak[r])
                        guard cut > 0 else { continue }
                        direct[r] -= cut
                        directTotal[r] -= cut
                        lost[r] += cut
                        blocked[r] += cut
                    }
                }
            }
            var allowed = frame.state(totalAllowed, s), shipped = frame.state(totalShipped, s)
            for r in 0..<w where totalQuota[r] >= 0 {
                allowed[r] += totalQuota[r] - carry[r]
                shipped[r] += legalTotal[r]
            }
        }
    }

    /// At each January: the share `quota_carryover` of last year's unused quota becomes a monthly
    /// allowance on top of this year's quotas (unused ÷ 12); the year's accounts start afresh.
    func carryQuotaOver(_ frame: BatchFrame) {
        let share = frame.parameter(layout.refs.quotaCarryover, 0)
        func carry(_ allowed: BatchState.Doubles, _ shipped: BatchState.Doubles, _ carried: BatchState.Doubles, keys: Int) {
            for k in 0..<keys {
                var allowed = frame.state(allowed, k), shipped = frame.state(shipped, k), carried = frame.state(carried, k)
                for r in 0..<frame.width {
                    carried[r] = share[r] * max(0, allowed[r] - shipped[r]) / 12
                    allowed[r] = 0
                    shipped[r] = 0
                }
            }
        }
        carry(quotaAllowed, quotaShipped, quotaCarry, keys: S * C)
        carry(totalAllowed, totalShipped, totalCarry, keys: S)
    }

    /// Deferred deliveries (v2): once a pair is open again, the share `1 − e^(−1/catch_up_months)`
    /// of its backlog arrives each month, outside any quota.
    ///
    /// Only the pairs that may hold a backlog (``flowBacklog``; every other pair's is +0 in every
    /// run); a pair whose backlog is no longer above 0 in any run is unmarked. Each run's values
    /// are computed and selected (no branch per run, so the loops vectorise).
    func deliverLate(_ frame: BatchFrame) {
        guard hasBacklog else { return }
        let rate = frame.values(of: lagRate, Lag.catchUp.rawValue)
        var waiting = false
        for n in 0..<tables.flowPairs.count where flowBacklog[n] {
            let k = tables.flowPairs[n], ic = tables.flowImporter[n]
            let restriction = frame.values(of: self.restriction, k)
            var held: UInt64 = 0
            var backlog = frame.state(self.backlog, k), direct = frame.state(self.direct, k)
            var directTotal = frame.state(self.directTotal, ic), catchUp = frame.state(self.catchUp, ic)
            for r in 0..<frame.width {
                // Every value read in every run first, so that the loop vectorises.
                let (b, x, q, d, t, u) = (backlog[r], restriction[r], rate[r], direct[r], directTotal[r], catchUp[r])
                let late = q == 1 ? b : b * q
                held |= b > 0 ? 1 : 0
                let arrives = b > 0 && x == 0
                backlog[r] = arrives ? b - late : b
                direct[r] = arrives ? d + late : d
                directTotal[r] = arrives ? t + late : t
                catchUp[r] = arrives ? u + late : u
            }
            if held != 0 { waiting = true } else { flowBacklog[n] = false }
        }
        hasBacklog = waiting
    }

    /// Step 3: spare capacity of non-restricting exporters, shared pro rata to lost volume
    /// (``TradeInstance/resource()``).
    ///
    /// Work no run needs is skipped, exactly: an importer/commodity that lost nothing in any run
    /// (every value +0) adds +0 to the eligible volume and is allocated +0, the value `allocation`
    /// already holds; an exporter/commodity with no eligible volume in any run allocates nothing.
    /// The loops use selects rather than `where` filters, so that they vectorise.
    func resource(_ frame: BatchFrame) {
        let w = frame.width
        // `allocated` and `allocation` hold anything but +0 only after a month that re-sourced
        // something (`hasAllocation`): otherwise they are still +0 from the month they were
        // cleared in (or from the start), and need no clearing.
        if hasAllocation {
            for k in 0..<(I * C) {
                var allocated = frame.state(self.allocated, k)
                for r in 0..<w { allocated[r] = 0 }
            }
            // Only a pair that can carry supply is ever allocated anything.
            for n in 0..<tables.supplyPairs.count {
                var allocation = frame.state(self.allocation, tables.supplyPairs[n])
                for r in 0..<w { allocation[r] = 0 }
            }
            hasAllocation = false
        }
        var allocating = frame.state(self.allocating, 0)
        for r in 0..<w { allocating[r] = 0 }
        // Bit `i*C+c`: the importer may have lost some of the commodity, through a flow pair
        // some run restricts (``pairRestricted``; the flows add to `lost` only there) or a quota
        // (which may cut any flow). A clear bit: every run's loss is the +0 it was cleared to.
        var mayLose: UInt64 = layout.refs.hasQuota || I * C > 64 ? ~0 : 0
        if mayLose == 0 {
            for n in 0..<tables.flowPairs.count where pairRestricted[tables.flowPairs[n]] {
                mayLose |= 1 << tables.flowImporter[n]
            }
        }
        var losingKeys: UInt64 = 0
        for k in 0..<(I * C) {
            let lost = frame.values(of: self.lost, k)
            let losing = (k >= 64 || mayLose & (1 << k) != 0) && lost.mayBeNonZero
            importerLost[k] = losing
            guard losing else { continue }
            if k < 64 { losingKeys |= 1 << k }
            for r in 0..<w { allocating[r] = lost[r] > 0 ? 1 : allocating[r] }
        }
        lostKeys = losingKeys
        guard allocating.span.mayBeNonZero else { return }
        hasAllocation = true
        for s in 0..<S {
            for c in 0..<C {
                var eligible = frame.state(scratch, 0)
                for r in 0..<w { eligible[r] = 0 }
                for i in 0..<I where importerLost[i * C + c] {
                    let restriction = frame.values(of: self.restriction, (s * I + i) * C + c), lost = frame.values(of: self.lost, i * C + c)
                    for r in 0..<w {
                        let added = eligible[r] + lost[r]  // computed in every run, so that the loop vectorises
                        eligible[r] = restriction[r] == 0 ? added : eligible[r]
                    }
                }
                guard eligible.span.mayBeNonZero else { continue }
                allocate(frame, s, c)
            }
        }
        for k in 0..<(I * C) {
            let lost = frame.values(of: self.lost, k)
            var allocated = frame.state(self.allocated, k)
            for r in 0..<w { allocated[r] = min(lost[r], allocated[r]) }
        }
    }

    /// Shares exporter `s`'s spare capacity of commodity `c` among the importers that lost volume
    /// and that it does not restrict, pro rata to their loss (`scratch[0]` holds the eligible
    /// volume).
    private func allocate(_ frame: BatchFrame, _ s: Int, _ c: Int) {
        let w = frame.width
        let effective = frame.values(of: effectiveCapacity, s * C + c)
        let committed = tables.committed[s * C + c]
        var spare = frame.state(scratch, 1)
        for r in 0..<w { spare[r] = max(0, effective[r] - committed) }
        if layout.refs.hasOfftake {
            for i in 0..<I {
                let contracted = frame.values(of: self.contracted, (s * I + i) * C + c)
                for r in 0..<w { spare[r] -= contracted[r] }
            }
            for r in 0..<w { spare[r] = max(0, spare[r]) }
        }
        if layout.refs.hasQuota { limitToQuota(frame, s, c, &spare) }
        let eligible = frame.values(of: scratch, 0)
        for i in 0..<I where importerLost[i * C + c] {
            let restriction = frame.values(of: self.restriction, (s * I + i) * C + c), lost = frame.values(of: self.lost, i * C + c)
            var allocation = frame.state(self.allocation, (s * I + i) * C + c)
            for r in 0..<w {
                let shared = effective[r] > 0 && spare[r] > 0 && eligible[r] > 0 && restriction[r] == 0
                allocation[r] = shared ? spare[r] * lost[r] / eligible[r] : allocation[r]
            }
            // Runs not sharing keep allocation +0 (zeroed above), and adding +0 leaves the
            // allocated sum as it is (a sum from +0 is never −0).
            var allocated = frame.state(self.allocated, i * C + c)
            for r in 0..<w { allocated[r] = allocation[r] == 0 ? allocated[r] : allocated[r] + allocation[r] }
        }
    }

    /// Limits each run's spare capacity of exporter `s` for commodity `c` to what its quotas
    /// leave (``TradeInstance/quotaRoom(_:_:_:)``).
    private func limitToQuota(_ frame: BatchFrame, _ s: Int, _ c: Int, _ spare: inout MutableSpan<Double>) {
        let w = frame.width
        var shipped = frame.state(scratch, 2)
        for r in 0..<w { shipped[r] = 0 }
        for c2 in 0..<C {
            let exports = frame.values(of: self.exports, s * C + c2)
            for r in 0..<w { shipped[r] += exports[r] }
        }
        let quota = frame.input(layout.refs.quota, s * C + c), carry = frame.values(of: quotaCarry, s * C + c)
        let exports = frame.values(of: self.exports, s * C + c)
        let total = frame.input(layout.refs.quotaTotal, s), totalCarry = frame.values(of: self.totalCarry, s)
        for r in 0..<w {
            var room = Double.infinity
            if quota[r] >= 0 { room = max(0, quota[r] + carry[r] - exports[r]) }
            if total[r] >= 0 { room = min(room, max(0, total[r] + totalCarry[r] - shipped[r])) }
            spare[r] = min(spare[r], room)
        }
    }
}
