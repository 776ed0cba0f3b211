import LodestoneKernel

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// The plugin side of the table: the models a library exports, behind the table's `context`.
final class ExportedModels {
    let models: [any Model]
    /// The manifest text the table points at (`malloc`'d, owned): it lives as long as the table,
    /// which for a loaded library is as long as the process.
    let manifest: UnsafeMutablePointer<CChar>?

    init(models: [any Model], manifest: UnsafeMutablePointer<CChar>?) {
        self.models = models
        self.manifest = manifest
    }

    deinit { free(manifest) }

    private func model(_ index: Int) throws(PluginFormatError) -> any Model {
        guard models.indices.contains(index) else {
            throw PluginFormatError("no model #\(index): this plugin has \(models.count)")
        }
        return models[index]
    }

    /// `describe`: the model's declarations on the host's dataset and scenario, as JSON.
    func describe(model index: Int, context json: String) throws -> String {
        let model = try model(index)
        let context = try PluginJSON.decode(PluginContext.self, from: json, what: "context").modelContext()
        let description = PluginDescription(
            parameters: model.parameters(for: context.dataset), interface: try model.interface(in: context))
        return try PluginJSON.encode(description)
    }

    /// `prepare`: lays the model's names out in the ABI's flat buffers and lets it prepare.
    func prepare(model index: Int, context json: String, produced: [UInt8]) throws -> ExportedPreparation {
        let model = try model(index)
        let context = try PluginJSON.decode(PluginContext.self, from: json, what: "context").modelContext()
        let parameters = model.parameters(for: context.dataset)
        let interface = try model.interface(in: context)
        let description = PluginDescription(parameters: parameters, interface: interface)
        let inputCount = description.inputCount
        guard produced.isEmpty || produced.count == inputCount else {
            throw PluginFormatError("the host sent \(produced.count) produced flags for \(inputCount) input values")
        }
        var inputs: [String: InputRef] = [:]
        var slot = 0
        for input in interface.inputs {
            let count = max(1, input.keys.count)
            inputs[input.signal] = .external(
                slots: Array(slot..<slot + count), delayed: input.timing == .delayed,
                produced: (slot..<slot + count).map { produced.isEmpty || produced[$0] != 0 })
            slot += count
        }
        var outputs: [String: OutputRef] = [:]
        for output in interface.outputs {
            let count = max(1, output.keys.count)
            outputs[output.name] = .external(base: slot, count: count)
            slot += count
        }
        var parameterRefs: [String: ParameterRef] = [:]
        var base = 0
        for parameter in parameters {
            parameterRefs[parameter.name] = .external(base: base, count: parameter.count)
            base += parameter.count
        }
        var metrics: [String: MetricRef] = [:]
        var metricCount = 0
        for metric in interface.metrics {
            let count = max(1, metric.keys.count)
            metrics[metric.name] = .external(base: metricCount, count: count)
            metricCount += count
        }
        let wiring = Wiring.external(
            module: model.name, inputs: inputs, outputs: outputs, parameters: parameterRefs, metrics: metrics)
        let factory = try model.prepare(in: context, wiring: wiring)
        // One instance now, so that wiring errors surface when the host composes, not in a run.
        _ = try factory.makeInstance()
        let batch = try model.prepareBatch(in: context, wiring: wiring)
        _ = try batch?.makeBatch(width: 1)
        return ExportedPreparation(
            factory: factory, batch: batch, inputCount: inputCount, outputCount: description.outputCount,
            metricCount: metricCount)
    }
}

/// A model prepared for one composition: makes the per-run instances, and the batch instances
/// when the model has a batch form.
final class ExportedPreparation {
    let factory: any ModelFactory
    /// The model's batch form on this composition, if it has one.
    let batch: (any BatchModelFactory)?
    let inputCount: Int
    let outputCount: Int
    let metricCount: Int

    init(
        factory: any ModelFactory, batch: (any BatchModelFactory)?, inputCount: Int, outputCount: Int, metricCount: Int
    ) {
        self.factory = factory
        self.batch = batch
        self.inputCount = inputCount
        self.outputCount = outputCount
        self.metricCount = metricCount
    }

    func makeInstance() throws -> ExportedInstance {
        ExportedInstance(
            instance: try factory.makeInstance(), inputCount: inputCount, outputCount: outputCount,
            metricCount: metricCount)
    }

    /// A batch instance for `width` runs (the model has a batch form: ``batch`` is not nil).
    func makeBatch(width: Int) throws -> ExportedBatch {
        guard let batch else { throw PluginFormatError("this module has no batch form") }
        return ExportedBatch(
            instance: try batch.makeBatch(width: width), width: width, inputCount: inputCount,
            outputCount: outputCount, metricCount: metricCount)
    }
}

/// One run of a model inside the plugin: the model's own instance stepped over signal buffers laid
/// out `[inputs | outputs]`, this month's and last month's, like the kernel's ``Simulation``.
final class ExportedInstance {
    private let instance: any ModelInstance
    private let inputCount: Int
    private let outputCount: Int
    private let metricCount: Int
    private var current: UnsafeMutablePointer<Double>
    private var previous: UnsafeMutablePointer<Double>
    private let generator: UnsafeMutablePointer<SeededGenerator>

    init(instance: any ModelInstance, inputCount: Int, outputCount: Int, metricCount: Int) {
        self.instance = instance
        self.inputCount = inputCount
        self.outputCount = outputCount
        self.metricCount = metricCount
        let slots = max(1, inputCount + outputCount)
        current = .allocate(capacity: slots)
        current.initialize(repeating: 0, count: slots)
        previous = .allocate(capacity: slots)
        previous.initialize(repeating: 0, count: slots)
        generator = .allocate(capacity: 1)
        generator.initialize(to: SeededGenerator(seed: 0))
    }

    deinit {
        current.deallocate()
        previous.deallocate()
        generator.deinitialize(count: 1)
        generator.deallocate()
    }

    func reset(start: Month, seed: UInt64, parameters: UnsafePointer<Double>, outputs: UnsafeMutablePointer<Double>)
        throws
    {
        let slots = max(1, inputCount + outputCount)
        current.update(repeating: 0, count: slots)
        previous.update(repeating: 0, count: slots)
        generator.pointee = SeededGenerator(seed: seed)
        try instance.reset(
            .external(
                monthIndex: -1, month: start, current: current, previous: previous, parameters: parameters,
                generator: generator))
        outputs.update(from: current + inputCount, count: outputCount)
    }

    func step(
        index: Int, month: Month, inputs: UnsafePointer<Double>?, parameters: UnsafePointer<Double>,
        outputs: UnsafeMutablePointer<Double>
    ) throws {
        swap(&current, &previous)
        if let inputs, inputCount > 0 {
            // Both buffers: a delayed input reads `previous`, and the host already resolved timing.
            current.update(from: inputs, count: inputCount)
            previous.update(from: inputs, count: inputCount)
        }
        try instance.step(
            .external(
                monthIndex: index, month: month, current: current, previous: previous, parameters: parameters,
                generator: generator))
        outputs.update(from: current + inputCount, count: outputCount)
    }

    func finish(months: Int, into values: UnsafeMutablePointer<Double>) {
        values.update(repeating: .nan, count: metricCount)
        instance.finish(.external(values: values, months: months))
    }
}
