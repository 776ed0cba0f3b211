import LodestoneKernel

// Offtake contracts (market model v2, Docs/Models.md): bilateral volumes served before the spot
// pool.
extension TradeInstance {
    /// Offtake contracts (v2): each is served first, from the exporter's capacity beyond its
    /// baseline flows, up to the importer's demand; what remains is split by baseline shares.
    func serveContracts() {
        for k in 0..<(I * C) { contractTotal[k] = 0 }
        for s in 0..<S {
            for c in 0..<C {
                var wanted = 0.0
                for i in 0..<I { wanted += offtakeVolume[(s * I + i) * C + c] }
                let free = max(0, effectiveCapacity[s * C + c] - committed[s * C + c])
                let served = wanted > 0 ? min(1, free / wanted) : 0
                for i in 0..<I {
                    let k = (s * I + i) * C + c
                    let room = max(0, demand[i * C + c] - contractTotal[i * C + c])
                    contracted[k] = restriction[k] > 0 ? 0 : min(room, offtakeVolume[k] * served)
                    contractTotal[i * C + c] += contracted[k]
                }
            }
        }
    }
}
