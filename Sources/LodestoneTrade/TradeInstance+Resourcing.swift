import LodestoneKernel

// Step 3 of the trade equations (Docs/Models.md): re-sourcing lost volume from the spare capacity of
// exporters that do not restrict.
extension TradeInstance {
    /// Step 3: spare capacity of non-restricting exporters, shared pro rata to lost volume.
    func resource() {
        // Only a month that re-sourced (`hasAllocation`) leaves anything but +0 in `allocated`
        // and `allocation`.
        if hasAllocation {
            for k in 0..<(I * C) { allocated[k] = 0 }
            for k in 0..<(S * I * C) { allocation[k] = 0 }
            hasAllocation = false
        }
        // Volume is lost only where a pair is restricted or a quota binds (``mayHaveBlocked``):
        // otherwise every lost volume is the +0 it started the month as.
        var anyLoss = false
        if mayHaveBlocked { for k in 0..<(I * C) where lost[k] > 0 { anyLoss = true } }
        guard anyLoss else { return }
        hasAllocation = true
        // Commodity-major: each (s, c) is computed alone, and each importer's `allocated` still adds
        // its exporters in order. A commodity no importer lost anything of has no eligible loss
        // (nothing > 0 to add), so nothing to allocate: skipped.
        for c in 0..<C {
            var lostSome = false
            for i in 0..<I where lost[i * C + c] > 0 { lostSome = true }
            guard lostSome else { continue }
            for s in 0..<S {
                guard effectiveCapacity[s * C + c] > 0 else { continue }
                var eligibleLoss = 0.0
                for i in 0..<I where restriction[(s * I + i) * C + c] == 0 { eligibleLoss += lost[i * C + c] }
                // The exporter's baseline flows Σ_i flows0, summed in importer order once per layout.
                var spare = max(0, effectiveCapacity[s * C + c] - committed[s * C + c])
                if refs.hasOfftake {
                    for i in 0..<I { spare -= contracted[(s * I + i) * C + c] }
                    spare = max(0, spare)
                }
                if refs.hasQuota { spare = min(spare, quotaRoom(s, c)) }
                guard spare > 0, eligibleLoss > 0 else { continue }
                for i in 0..<I {
                    let k = (s * I + i) * C + c
                    guard restriction[k] == 0 else { continue }
                    allocation[k] = spare * lost[i * C + c] / eligibleLoss
                    allocated[i * C + c] += allocation[k]
                }
            }
        }
        for k in 0..<(I * C) { allocated[k] = min(lost[k], allocated[k]) }
    }
}
