import LodestoneKernel

// Step 7 of the trade equations (Docs/Models.md): substitution σ, lasting thrifting θ (v2) and
// capacity expansion, all driven by last month's price.
extension TradeInstance {
    /// Step 7: substitution and capacity expansion from last month's price. Looks first for a
    /// commodity that is not idle (``isIdle(_:idleAtZero:idleWhenLow:)``): a month in which none is leaves everything
    /// as it is, with no more set-up than that.
    func updateLongRun(_ frame: StepFrame) {
        thriftMoved = false
        let idleAtZero = !(0 > frame.parameter(refs.expansionLag, 0))
        let idleWhenLow = substitutionZero & substitutionIdleWhenLow
        for c in 0..<C where !isIdle(c, idleAtZero: idleAtZero, idleWhenLow: idleWhenLow) {
            updateLongRun(frame, from: c, idleAtZero: idleAtZero, idleWhenLow: idleWhenLow)
            return
        }
    }

    /// Whether commodity `c` is idle this month: its price not elevated, every importer's σ +0
    /// and staying +0 (`idleWhenLow`), θ not moving, its elevated months 0 and staying 0, and a
    /// count of 0 expanding nothing (`idleAtZero`: the expansion lag is not below 0). Step 7
    /// then changes nothing of it.
    @inline(__always)
    private func isIdle(_ c: Int, idleAtZero: Bool, idleWhenLow: UInt64) -> Bool {
        let state = self.state
        let commodity = state.values(of: byCommodity)
        let elevated = commodity[.price, c] > 1.5 * commodity[.basePrice, c]
        let bit: UInt64 = c < 64 ? 1 << c : 0
        return !elevated && idleWhenLow & bit != 0 && idleAtZero && commodity[.elevatedMonths, c] == 0
    }

    /// Step 7 for the commodities from `first` on (those before it are idle), with the masks
    /// ``updateLongRun(_:)`` found idle commodities by (a commodity's σ changes only its own bit,
    /// so they hold for the commodities after it).
    @inline(never)
    private func updateLongRun(_ frame: StepFrame, from first: Int, idleAtZero: Bool, idleWhenLow: UInt64) {
        let state = self.state
        var importer = state[byImporter], exporter = state[byExporter]
        let pair = state.values(of: byPair)
        var commodity = state[byCommodity]
        let C = commodity.length
        let perYear = frame.parameters(refs.substitutionPerYear, count: C)
        let ceiling = frame.parameters(refs.maxSubstitution, count: C)
        let expansion = frame.parameters(refs.expansionPerYear, count: C)
        let lag = frame.parameter(refs.expansionLag, 0)
        let thriftingPerYear = frame.parameters(refs.thriftingPerYear, count: C)
        let maxThrifting = frame.parameters(refs.maxThrifting, count: C)
        for c in first..<C {
            if isIdle(c, idleAtZero: idleAtZero, idleWhenLow: idleWhenLow) { continue }
            let elevated = commodity[.price, c] > 1.5 * commodity[.basePrice, c]
            let bit: UInt64 = c < 64 ? 1 << c : 0
            let move = perYear[c] / 12 * (elevated ? 1 : -1)
            let substitutionCeiling = ceiling[c]
            // While every importer's σ of c is +0 (bit c of ``substitutionZero``), each becomes
            // the same number: none changes while that number is +0 too.
            if substitutionZero & bit == 0 || min(substitutionCeiling, max(0, 0.0 + move)).bitPattern != 0 {
                var zero = true
                var k = c  // every importer's key i*C+c, in importer order
                while k < importer.length {
                    let substitution = min(substitutionCeiling, max(0, importer[.substitution, k] + move))
                    importer[.substitution, k] = substitution
                    zero = zero && substitution.bitPattern == 0
                    k &+= C
                }
                substitutionZero = zero ? substitutionZero | bit : substitutionZero & ~bit
            }
            // Thrifting θ: up while elevated, never down (v2; 0 per year in v1).
            let thriftRate = thriftingPerYear[c]
            if elevated, thriftRate > 0 {
                thriftMoved = true
                let thriftCeiling = maxThrifting[c]
                var k = c
                while k < importer.length {
                    importer[.thrift, k] = min(thriftCeiling, importer[.thrift, k] + thriftRate / 12)
                    k &+= C
                }
            }
            let months = elevated ? commodity[.elevatedMonths, c] + 1 : 0
            commodity[.elevatedMonths, c] = months
            guard months > lag else { continue }
            let added = expansion[c] / 12 * commodity[.worldDemand, c]
            var eligibleCapacity = 0.0
            for s in 0..<S where !restrictsAnyone(s, c, pair) { eligibleCapacity += exporter[.effectiveCapacity, s * C + c] }
            guard eligibleCapacity > 0, added > 0 else { continue }
            capacityCurrent = false  // added to in place below
            capacitySameAsLastMonth = false
            for s in 0..<S where !restrictsAnyone(s, c, pair) {
                let share = exporter[.effectiveCapacity, s * C + c] / eligibleCapacity
                exporter[.addedCapacity, s * C + c] += added * share
                exporter[.effectiveCapacity, s * C + c] += added * share * exporter[.factor, s * C + c]
            }
        }
    }

    @inline(__always)
    private func restrictsAnyone(_ s: Int, _ c: Int, _ pair: ColumnValues<Pair, Double>) -> Bool {
        // Each pair (s*I+i)*C+c = s*I*C + i*C+c, in importer order.
        let IC = I * C
        var kp = s * IC + c
        for _ in 0..<I {
            if pair[.restriction, kp] > 0 { return true }
            kp &+= C
        }
        return false
    }
}
