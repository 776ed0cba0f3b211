extension MonteCarlo {
    /// Run `run`'s generator, after drawing its varied values into its row of `shared.varied`
    /// (or mapping its design point; a designed run draws from stream 0, any other from stream
    /// `run`).
    static func drawVaried(_ run: Int, request: MonteCarloRequest, shared: SharedBuffers) -> SeededGenerator {
        let varyCount = request.vary.count
        let varied = UnsafeMutableBufferPointer(rebasing: shared.varied[(run * varyCount)..<((run + 1) * varyCount)])
        // The run's index in the whole ensemble (its seed and design point); `run` is its row here.
        let index = request.shard?.runIndex(run) ?? run
        if let design = request.design {
            for v in 0..<varyCount { varied[v] = request.vary[v].distribution.quantile(design[index * varyCount + v]) }
            return SeededGenerator(seed: request.seed, stream: 0)
        }
        var generator = SeededGenerator(seed: request.seed, stream: UInt64(index))
        for v in 0..<varyCount { varied[v] = request.vary[v].distribution.draw(using: &generator) }
        return generator
    }

    /// The runs per block when a request does not say: every model with a batch form steps this
    /// many runs per call. A whole chunk (``chunkSize``, 64): a module's set-up per key and call
    /// (taking its spans, about 60–70 instructions) is then shared by 64 runs; the v1 ensemble
    /// measured 7,844 instructions per run-month with blocks of 16 and 6,663 with 32 (callgrind,
    /// session 8), and 3,628 with 32 and 3,270 with 64 (session 10). A block holds two months of
    /// every signal and the parameter values of each of its runs (16 bytes per signal and run,
    /// 8 per parameter value and run, per worker): twice a block of 32. Results do not depend on
    /// it (runs are bit-identical for any block size).
    public static let defaultBlockSize = chunkSize

    /// The block size `request` runs with: nil when every run goes alone through ``Simulation``
    /// (no block size asked for and some model has only the per-run form: copying its runs in
    /// and out of the block would cost more than the block saves).
    static func blockSize(_ request: MonteCarloRequest, _ plan: RunPlan) -> Int? {
        if let size = request.blockSize { return size }
        return plan.composition.batchFactories.allSatisfy { $0 != nil } ? defaultBlockSize : nil
    }

    /// Runs `runs` (consecutive, within one chunk) as blocks of `size`: draws each run's varied
    /// parameters from its own generator exactly as ``runOne`` does, steps the block together,
    /// records band signals and metrics. On any failure the chunk is run again one run at a time,
    /// so that the error (and which run it names) is the one the per-run path reports.
    static func runBlocks(
        _ runs: Range<Int>, size: Int, plan: RunPlan, parameters: ParameterSet, request: MonteCarloRequest,
        positions: [[Int]], bandSlots: [Int], firstColumn: Int, bandStride: Int, shared: SharedBuffers
    ) throws {
        let varyCount = request.vary.count
        let months = plan.months
        let metricCount = plan.composition.metrics.count
        var lower = runs.lowerBound
        while lower < runs.upperBound {
            let upper = min(runs.upperBound, lower + size)
            var generators: [SeededGenerator] = []
            generators.reserveCapacity(upper - lower)
            for run in lower..<upper { generators.append(drawVaried(run, request: request, shared: shared)) }
            let block = try BatchSimulation(plan: plan, parameters: parameters, generators: generators) { r, values in
                let run = lower + r
                for v in 0..<varyCount {
                    let drawn = shared.varied[run * varyCount + v]
                    for position in positions[v] { values[position] = parameters.clamped(drawn, at: position) }
                }
            }
            for run in lower..<upper {
                for v in 0..<varyCount {
                    let index = run * varyCount + v
                    shared.varied[index] = positions[v].first.map { block.parameterValue(at: $0, run: run - lower) } ?? shared.varied[index]
                }
            }
            for t in 0..<months {
                try block.step()
                for (b, slot) in bandSlots.enumerated() {
                    let row = (b * months + t) * bandStride + firstColumn + (lower - runs.lowerBound)
                    block.copyValues(slot: slot, into: UnsafeMutableBufferPointer(rebasing: shared.bands[row..<(row + upper - lower)]))
                }
            }
            let rows = UnsafeMutableBufferPointer(rebasing: shared.metrics[(lower * metricCount)..<(upper * metricCount)])
            block.finishMetrics(into: rows)
            // Run by run (the error names the first run with a ±∞ metric) only when a run has one.
            let anyInfinite = containsInfinity(UnsafeBufferPointer(rows))
            for run in lower..<upper {
                if anyInfinite {
                    let row = UnsafeBufferPointer(rebasing: shared.metrics[(run * metricCount)..<((run + 1) * metricCount)])
                    try Runner.checkFinite(row, plan.composition.metrics)
                }
                shared.done[run] = 1
            }
            lower = upper
        }
    }
}
