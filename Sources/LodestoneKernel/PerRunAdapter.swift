/// Steps a model that has only the per-run form (``ModelInstance``: a plugin over the C ABI, a
/// module not yet written in the batch form) inside a block of runs: one instance per run, each
/// given a ``StepFrame`` over a run-major copy of its run's values. Before each call the adapter
/// copies the run's signals and parameters in from the block; after it, the slots the model
/// writes go back. The instance sees exactly what it would see in a ``Simulation``.
final class PerRunAdapter {
    private let instances: [any ModelInstance]
    private let width: Int
    private let slotCount: Int
    private let parameterCount: Int
    /// The slots the model writes (its outputs' keys).
    private let written: [Int]
    /// Per run: current signals, previous signals, then parameters (`stride` doubles).
    private let rows: UnsafeMutablePointer<Double>
    private let stride: Int
    private let metricCount: Int
    private let metricRow: UnsafeMutablePointer<Double>

    init(composition: Composition, model m: Int, width: Int) throws {
        var instances: [any ModelInstance] = []
        instances.reserveCapacity(width)
        for _ in 0..<width { instances.append(try composition.factories[m].makeInstance()) }
        self.instances = instances
        self.width = width
        slotCount = composition.slotCount
        parameterCount = composition.parameterLayout.values.count
        written = composition.wirings[m].outputs.values.flatMap { $0.base..<($0.base + $0.count) }.sorted()
        stride = 2 * max(1, slotCount) + max(1, parameterCount)
        rows = .allocate(capacity: stride * width)
        rows.initialize(repeating: 0, count: stride * width)
        metricCount = composition.metrics.count
        metricRow = .allocate(capacity: max(1, metricCount))
    }

    deinit {
        rows.deallocate()
        metricRow.deallocate()
    }

    func reset(_ frame: BatchFrame) throws {
        for r in 0..<width {
            let row = copyIn(frame, run: r)
            try instances[r].reset(runFrame(frame, row: row, run: r))
            copyOut(row, into: frame.current, run: r)
            copyOut(row + max(1, slotCount), into: frame.previous, run: r)
        }
    }

    func step(_ frame: BatchFrame) throws {
        for r in 0..<width {
            let row = copyIn(frame, run: r)
            try instances[r].step(runFrame(frame, row: row, run: r))
            copyOut(row, into: frame.current, run: r)
        }
    }

    func finish(_ metrics: BatchMetricFrame) {
        for r in 0..<width {
            for j in 0..<metricCount { metricRow[j] = metrics.values[j * width + r] }
            instances[r].finish(MetricFrame(values: metricRow, months: metrics.months))
            for j in 0..<metricCount { metrics.values[j * width + r] = metricRow[j] }
        }
    }

    /// Copies run `r`'s signals and parameters from the block into its row.
    private func copyIn(_ frame: BatchFrame, run r: Int) -> UnsafeMutablePointer<Double> {
        let row = rows + r * stride
        let previous = row + max(1, slotCount)
        let parameters = previous + max(1, slotCount)
        for s in 0..<slotCount {
            row[s] = frame.current[s * width + r]
            previous[s] = frame.previous[s * width + r]
        }
        for p in 0..<parameterCount { parameters[p] = frame.parameterValues[p * width + r] }
        return row
    }

    /// Copies the slots the model writes from a run's row back into the block.
    private func copyOut(_ row: UnsafeMutablePointer<Double>, into block: UnsafeMutablePointer<Double>, run r: Int) {
        for slot in written { block[slot * width + r] = row[slot] }
    }

    private func runFrame(_ frame: BatchFrame, row: UnsafeMutablePointer<Double>, run r: Int) -> StepFrame {
        StepFrame(
            monthIndex: frame.monthIndex, month: frame.month, current: row, previous: row + max(1, slotCount),
            parameters: row + 2 * max(1, slotCount), generator: frame.generators + r)
    }
}
