import LodestoneKernel

// Step 3 of the trade equations (Docs/Models.md): re-sourcing lost volume from the spare capacity of
// exporters that do not restrict.
extension TradeInstance {
    /// Step 3: spare capacity of non-restricting exporters, shared pro rata to lost volume.
    func resource() {
        let state = self.state
        var importer = state[byImporter], pair = state[byPair]
        let exporter = state.values(of: byExporter)
        let IC = importer.length
        // Only a month that re-sourced (`hasAllocation`) leaves anything but +0 in `allocated`
        // and `allocation`.
        if hasAllocation {
            for k in 0..<IC { importer[.allocated, k] = 0 }
            for k in 0..<pair.length { pair[.allocation, k] = 0 }
            hasAllocation = false
        }
        // Volume is lost only where a pair is restricted or a quota binds (``mayHaveBlocked``):
        // otherwise every lost volume is the +0 it started the month as.
        var anyLoss = false
        if mayHaveBlocked { for k in 0..<IC where importer[.lost, k] > 0 { anyLoss = true } }
        guard anyLoss else { return }
        hasAllocation = true
        // Commodity-major: each (s, c) is computed alone, and each importer's `allocated` still adds
        // its exporters in order. A commodity no importer lost anything of has no eligible loss
        // (nothing > 0 to add), so nothing to allocate: skipped.
        for c in 0..<C {
            var lostSome = false
            var k = c  // every importer's key i*C+c, in importer order
            while k < IC {
                if importer[.lost, k] > 0 { lostSome = true }
                k &+= C
            }
            guard lostSome else { continue }
            for s in 0..<S {
                guard exporter[.effectiveCapacity, s * C + c] > 0 else { continue }
                var eligibleLoss = 0.0
                // Each importer's key i*C+c and pair (s*I+i)*C+c = s*I*C + i*C+c, in importer order.
                var (k, kp) = (c, s * IC + c)
                while k < IC {
                    if pair[.restriction, kp] == 0 { eligibleLoss += importer[.lost, k] }
                    k &+= C
                    kp &+= C
                }
                // The exporter's baseline flows Σ_i flows0, summed in importer order once per layout.
                var spare = max(0, exporter[.effectiveCapacity, s * C + c] - exporter[.committed, s * C + c])
                if refs.hasOfftake {
                    for i in 0..<I { spare -= pair[.contracted, (s * I + i) * C + c] }
                    spare = max(0, spare)
                }
                if refs.hasQuota { spare = min(spare, quotaRoom(s, c, exporter)) }
                guard spare > 0, eligibleLoss > 0 else { continue }
                (k, kp) = (c, s * IC + c)
                while k < IC {
                    if pair[.restriction, kp] == 0 {
                        let allocation = spare * importer[.lost, k] / eligibleLoss
                        pair[.allocation, kp] = allocation
                        importer[.allocated, k] += allocation
                    }
                    k &+= C
                    kp &+= C
                }
            }
        }
        for k in 0..<IC { importer[.allocated, k] = min(importer[.lost, k], importer[.allocated, k]) }
    }
}
