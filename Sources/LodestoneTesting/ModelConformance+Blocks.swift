import LodestoneKernel

extension ModelConformance {
    /// Blocks of runs (``BatchSimulation``, the model's batch form when it has one) compute what
    /// each run computes alone (``Simulation``), bit for bit: every signal in every month and
    /// every metric, for blocks of 1 and of `sets.count` runs, run `r` with parameter set `r` and
    /// the generator of stream `r`. A batch form that mixes runs, or differs from the per-run form
    /// in one operation, fails here.
    func blockFindings(_ plan: RunPlan, sets: [ParameterSet]) -> [ConformanceFinding] {
        guard let base = sets.first else { return [] }
        let signals = plan.composition.signals
        do {
            var alone: [[Double]] = []
            var aloneMetrics: [[Double]] = []
            for (r, parameters) in sets.enumerated() {
                let simulation = try Simulation(plan: plan, parameters: parameters, seed: 7, stream: UInt64(r))
                var values: [Double] = []
                while !simulation.isFinished {
                    try simulation.step()
                    for slot in signals.indices { values.append(simulation.value(slot: slot)) }
                }
                alone.append(values)
                aloneMetrics.append(simulation.finishMetrics())
            }
            for width in Set([1, sets.count]).sorted() {
                for first in stride(from: 0, to: sets.count, by: width) {
                    let runs = first..<min(sets.count, first + width)
                    let block = try BatchSimulation(
                        plan: plan, parameters: base,
                        generators: runs.map { SeededGenerator(seed: 7, stream: UInt64($0)) }
                    ) { r, values in
                        for p in 0..<values.count { values[p] = sets[first + r].values[p] }
                    }
                    var t = 0
                    while !block.isFinished {
                        try block.step()
                        for r in runs {
                            for slot in signals.indices
                            where block.value(slot: slot, run: r - first).bitPattern
                                != alone[r][t * signals.count + slot].bitPattern
                            {
                                return [
                                    .init(
                                        .blocks,
                                        "in a block of \(width) runs, run \(r) has \(signals[slot].id) = \(block.value(slot: slot, run: r - first)) in \(plan.start + t), but \(alone[r][t * signals.count + slot]) alone: each run of a block must compute exactly what it computes alone"
                                    )
                                ]
                            }
                        }
                        t += 1
                    }
                    let metricCount = plan.composition.metrics.count
                    var metrics = [Double](repeating: 0, count: metricCount * runs.count)
                    metrics.withUnsafeMutableBufferPointer { block.finishMetrics(into: $0) }
                    for r in runs {
                        for j in 0..<metricCount
                        where metrics[(r - first) * metricCount + j].bitPattern != aloneMetrics[r][j].bitPattern {
                            return [
                                .init(
                                    .blocks,
                                    "in a block of \(width) runs, run \(r) has metric \(plan.composition.metrics[j].id) = \(metrics[(r - first) * metricCount + j]), but \(aloneMetrics[r][j]) alone"
                                )
                            ]
                        }
                    }
                }
            }
        } catch {
            return [.init(.blocks, "runs in blocks failed: \(error)")]
        }
        return []
    }
}
