import LodestoneKernel

/// A block of runs of a model inside the plugin, in its batch form: the model's own
/// ``BatchModelInstance`` stepped over signal buffers laid out `[inputs | outputs]`, each value
/// with the block's runs side by side, this month's and last month's, like the kernel's
/// ``BatchSimulation``. The batch counterpart of ``ExportedInstance``: run `r` sees exactly what
/// an ``ExportedInstance`` of that run sees.
final class ExportedBatch {
    private let instance: any BatchModelInstance
    private let width: Int
    private let inputCount: Int
    private let outputCount: Int
    private let metricCount: Int
    private var current: UnsafeMutablePointer<Double>
    private var previous: UnsafeMutablePointer<Double>
    private let generators: UnsafeMutablePointer<SeededGenerator>
    private let slots: Int

    init(instance: any BatchModelInstance, width: Int, inputCount: Int, outputCount: Int, metricCount: Int) {
        self.instance = instance
        self.width = width
        self.inputCount = inputCount
        self.outputCount = outputCount
        self.metricCount = metricCount
        slots = max(1, inputCount + outputCount) * width
        current = .allocate(capacity: slots)
        current.initialize(repeating: 0, count: slots)
        previous = .allocate(capacity: slots)
        previous.initialize(repeating: 0, count: slots)
        generators = .allocate(capacity: width)
        generators.initialize(repeating: SeededGenerator(seed: 0), count: width)
    }

    deinit {
        current.deallocate()
        previous.deallocate()
        generators.deinitialize(count: width)
        generators.deallocate()
    }

    func reset(
        start: Month, seeds: UnsafePointer<UInt64>, parameters: UnsafePointer<Double>,
        outputs: UnsafeMutablePointer<Double>
    ) throws {
        current.update(repeating: 0, count: slots)
        previous.update(repeating: 0, count: slots)
        for r in 0..<width { generators[r] = SeededGenerator(seed: seeds[r]) }
        try instance.reset(frame(index: -1, month: start, parameters: parameters))
        outputs.update(from: current + inputCount * width, count: outputCount * width)
    }

    func step(
        index: Int, month: Month, inputs: UnsafePointer<Double>?, parameters: UnsafePointer<Double>,
        outputs: UnsafeMutablePointer<Double>
    ) throws {
        swap(&current, &previous)
        if let inputs, inputCount > 0 {
            // Both buffers: a delayed input reads `previous`, and the host already resolved timing.
            current.update(from: inputs, count: inputCount * width)
            previous.update(from: inputs, count: inputCount * width)
        }
        try instance.step(frame(index: index, month: month, parameters: parameters))
        outputs.update(from: current + inputCount * width, count: outputCount * width)
    }

    func finish(months: Int, into values: UnsafeMutablePointer<Double>) {
        values.update(repeating: .nan, count: metricCount * width)
        instance.finish(.external(values: values, width: width, months: months))
    }

    private func frame(index: Int, month: Month, parameters: UnsafePointer<Double>) -> BatchFrame {
        .external(
            monthIndex: index, month: month, width: width, current: current, previous: previous,
            parameters: parameters, generators: generators)
    }
}
