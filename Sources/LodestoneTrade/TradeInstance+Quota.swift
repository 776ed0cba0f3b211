import LodestoneKernel

// Tonnage export quotas (market model v2, Docs/Models.md): the cut above the quota, the yearly
// carry-over of unused quota, and the room a quota leaves for re-sourcing.
extension TradeInstance {
    /// Export quotas (v2): an exporter ships legally at most its quota (plus this year's carry of
    /// last year's unused quota); when its direct exports exceed it, every flow is cut in
    /// proportion, a share `leakage` of the cut still arrives (smuggled), and the rest is lost to
    /// its importers, who can re-source it. A total quota cuts every commodity by the same factor.
    func applyQuotas(_ frame: StepFrame) {
        guard refs.hasQuota else { return }
        let leak = frame.parameters(refs.leakage)
        for k in 0..<(S * C) { exports[k] = 0 }
        for n in 0..<flowPairs.count { exports[flowExporter[n]] += direct[flowPairs[n]] }
        for s in 0..<S {
            var total = 0.0
            for c in 0..<C { total += exports[s * C + c] }
            let totalQuota = quotaByExporter[s] < 0 ? -1 : quotaByExporter[s] + totalCarry[s]
            let totalScale = totalQuota >= 0 && total > totalQuota ? (total > 0 ? totalQuota / total : 0) : 1
            var legalTotal = 0.0
            for c in 0..<C {
                let q = quotaByCommodity[s * C + c] < 0 ? -1 : quotaByCommodity[s * C + c] + quotaCarry[s * C + c]
                let shipped = exports[s * C + c] * totalScale
                let scale = totalScale * (q >= 0 && shipped > q ? (shipped > 0 ? q / shipped : 0) : 1)
                let legal = exports[s * C + c] * scale
                legalTotal += legal
                if q >= 0 {
                    quotaAllowed[s * C + c] += q - quotaCarry[s * C + c]
                    quotaShipped[s * C + c] += legal
                }
                exports[s * C + c] = legal  // what the quota leaves for re-sourcing is counted from this
                guard scale < 1 else { continue }
                for i in 0..<I {
                    let k = (s * I + i) * C + c
                    let cut = direct[k] * (1 - scale) * (1 - leak[c])
                    guard cut > 0 else { continue }
                    direct[k] -= cut
                    directTotal[i * C + c] -= cut
                    lost[i * C + c] += cut
                    blocked[s * C + c] += cut
                }
            }
            if totalQuota >= 0 {
                totalAllowed[s] += totalQuota - totalCarry[s]
                totalShipped[s] += legalTotal
            }
        }
    }

    /// At each January: the share `quota_carryover` of last year's unused quota becomes a monthly
    /// allowance on top of this year's quotas (unused ÷ 12); the year's accounts start afresh.
    func carryQuotaOver(_ frame: StepFrame) {
        let share = frame.parameter(refs.quotaCarryover, 0)
        for k in 0..<(S * C) {
            quotaCarry[k] = share * max(0, quotaAllowed[k] - quotaShipped[k]) / 12
            quotaAllowed[k] = 0
            quotaShipped[k] = 0
        }
        for s in 0..<S {
            totalCarry[s] = share * max(0, totalAllowed[s] - totalShipped[s]) / 12
            totalAllowed[s] = 0
            totalShipped[s] = 0
        }
    }

    /// What a quota leaves the exporter to offer re-sourcing (∞ without a quota).
    func quotaRoom(_ s: Int, _ c: Int) -> Double {
        var room = Double.infinity
        let q = quotaByCommodity[s * C + c]
        if q >= 0 { room = max(0, q + quotaCarry[s * C + c] - exports[s * C + c]) }
        let total = quotaByExporter[s]
        if total >= 0 {
            var shipped = 0.0
            for c2 in 0..<C { shipped += exports[s * C + c2] }
            room = min(room, max(0, total + totalCarry[s] - shipped))
        }
        return room
    }
}
