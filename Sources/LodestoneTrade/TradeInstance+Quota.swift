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
        let leak = frame.parameters(refs.leakage, count: C)
        let state = self.state
        var importer = state[byImporter], pair = state[byPair], exporter = state[byExporter]
        var total = state[byExporterTotal]
        let flowPair = state.values(of: self.flowPair, bound: pair.length)
        let flowExporter = state.values(of: self.flowExporter, count: flowPair.count, bound: exporter.length)
        for k in 0..<exporter.length { exporter[.exports, k] = 0 }
        for n in 0..<flowPair.count { exporter[.exports, flowExporter[n]] += pair[.direct, flowPair[n]] }
        for s in 0..<S {
            var exported = 0.0
            for c in 0..<C { exported += exporter[.exports, s * C + c] }
            let totalQuota = total[.quota, s] < 0 ? -1 : total[.quota, s] + total[.carry, s]
            let totalScale =
                totalQuota >= 0 && exported > totalQuota ? (exported > 0 ? totalQuota / exported : 0) : 1
            var legalTotal = 0.0
            for c in 0..<C {
                let sc = s * C + c
                let q = exporter[.quota, sc] < 0 ? -1 : exporter[.quota, sc] + exporter[.quotaCarry, sc]
                let shipped = exporter[.exports, sc] * totalScale
                let scale = totalScale * (q >= 0 && shipped > q ? (shipped > 0 ? q / shipped : 0) : 1)
                let legal = exporter[.exports, sc] * scale
                legalTotal += legal
                if q >= 0 {
                    exporter[.quotaAllowed, sc] += q - exporter[.quotaCarry, sc]
                    exporter[.quotaShipped, sc] += legal
                }
                exporter[.exports, sc] = legal  // what the quota leaves for re-sourcing is counted from this
                guard scale < 1 else { continue }
                for i in 0..<I {
                    let k = (s * I + i) * C + c
                    let cut = pair[.direct, k] * (1 - scale) * (1 - leak[c])
                    guard cut > 0 else { continue }
                    pair[.direct, k] -= cut
                    importer[.directTotal, i * C + c] -= cut
                    importer[.lost, i * C + c] += cut
                    exporter[.blocked, sc] += cut
                }
            }
            if totalQuota >= 0 {
                total[.allowed, s] += totalQuota - total[.carry, s]
                total[.shipped, s] += legalTotal
            }
        }
    }

    /// At each January: the share `quota_carryover` of last year's unused quota becomes a monthly
    /// allowance on top of this year's quotas (unused ÷ 12); the year's accounts start afresh.
    func carryQuotaOver(_ frame: StepFrame) {
        let share = frame.parameter(refs.quotaCarryover, 0)
        let state = self.state
        var exporter = state[byExporter]
        for k in 0..<exporter.length {
            exporter[.quotaCarry, k] = share * max(0, exporter[.quotaAllowed, k] - exporter[.quotaShipped, k]) / 12
            exporter[.quotaAllowed, k] = 0
            exporter[.quotaShipped, k] = 0
        }
        var total = state[byExporterTotal]
        for s in 0..<total.length {
            total[.carry, s] = share * max(0, total[.allowed, s] - total[.shipped, s]) / 12
            total[.allowed, s] = 0
            total[.shipped, s] = 0
        }
    }

    /// What a quota leaves the exporter to offer re-sourcing (∞ without a quota).
    func quotaRoom(_ s: Int, _ c: Int, _ exporter: ColumnValues<Exporter, Double>) -> Double {
        let state = self.state
        let total = state.values(of: byExporterTotal)
        var room = Double.infinity
        let q = exporter[.quota, s * C + c]
        if q >= 0 { room = max(0, q + exporter[.quotaCarry, s * C + c] - exporter[.exports, s * C + c]) }
        let totalQuota = total[.quota, s]
        if totalQuota >= 0 {
            var shipped = 0.0
            for c2 in 0..<C { shipped += exporter[.exports, s * C + c2] }
            room = min(room, max(0, totalQuota + total[.carry, s] - shipped))
        }
        return room
    }
}
