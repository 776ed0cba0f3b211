import LodestoneKernel

// Step 7 of the trade equations (Docs/Models.md): substitution σ, lasting thrifting θ (v2) and
// capacity expansion, all driven by last month's price.
extension TradeInstance {
    /// Step 7: substitution and capacity expansion from last month's price.
    func updateLongRun(_ frame: StepFrame) {
        let perYear = frame.parameters(refs.substitutionPerYear)
        let ceiling = frame.parameters(refs.maxSubstitution)
        let expansion = frame.parameters(refs.expansionPerYear)
        let lag = frame.parameter(refs.expansionLag, 0)
        let thriftingPerYear = frame.parameters(refs.thriftingPerYear), maxThrifting = frame.parameters(refs.maxThrifting)
        thriftMoved = false
        for c in 0..<C {
            let elevated = price[c] > 1.5 * basePrice[c]
            let move = perYear[c] / 12 * (elevated ? 1 : -1)
            for i in 0..<I {
                substitution[i * C + c] = min(ceiling[c], max(0, substitution[i * C + c] + move))
            }
            // Thrifting θ: up while elevated, never down (v2; 0 per year in v1).
            let thriftRate = thriftingPerYear[c]
            if elevated, thriftRate > 0 {
                thriftMoved = true
                let thriftCeiling = maxThrifting[c]
                for i in 0..<I { thrift[i * C + c] = min(thriftCeiling, thrift[i * C + c] + thriftRate / 12) }
            }
            elevatedMonths[c] = elevated ? elevatedMonths[c] + 1 : 0
            guard Double(elevatedMonths[c]) > lag else { continue }
            let added = expansion[c] / 12 * worldDemand[c]
            var eligibleCapacity = 0.0
            for s in 0..<S where !restrictsAnyone(s, c) { eligibleCapacity += effectiveCapacity[s * C + c] }
            guard eligibleCapacity > 0, added > 0 else { continue }
            capacityCurrent = false  // added to in place below
            capacitySameAsLastMonth = false
            for s in 0..<S where !restrictsAnyone(s, c) {
                let share = effectiveCapacity[s * C + c] / eligibleCapacity
                addedCapacity[s * C + c] += added * share
                effectiveCapacity[s * C + c] += added * share * factorByExporter[s * C + c]
            }
        }
    }

    @inline(__always)
    private func restrictsAnyone(_ s: Int, _ c: Int) -> Bool {
        for i in 0..<I where restriction[(s * I + i) * C + c] > 0 { return true }
        return false
    }
}
