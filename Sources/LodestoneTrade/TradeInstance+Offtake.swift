import LodestoneKernel

// Offtake contracts (market model v2, Docs/Models.md): bilateral volumes served before the spot
// pool.
extension TradeInstance {
    /// Offtake contracts (v2): each is served first, from the exporter's capacity beyond its
    /// baseline flows, up to the importer's demand; what remains is split by baseline shares.
    func serveContracts(
        _ importer: inout ColumnSpan<Importer, Double>, _ pair: inout ColumnSpan<Pair, Double>,
        _ exporter: borrowing ColumnSpan<Exporter, Double>
    ) {
        for k in 0..<importer.length { importer[.contractTotal, k] = 0 }
        for s in 0..<S {
            for c in 0..<C {
                var wanted = 0.0
                for i in 0..<I { wanted += pair[.offtake, (s * I + i) * C + c] }
                let free = max(0, exporter[.effectiveCapacity, s * C + c] - exporter[.committed, s * C + c])
                let served = wanted > 0 ? min(1, free / wanted) : 0
                for i in 0..<I {
                    let k = (s * I + i) * C + c
                    let room = max(0, importer[.demand, i * C + c] - importer[.contractTotal, i * C + c])
                    pair[.contracted, k] = pair[.restriction, k] > 0 ? 0 : min(room, pair[.offtake, k] * served)
                    importer[.contractTotal, i * C + c] += pair[.contracted, k]
                }
            }
        }
    }
}
