import CLodestonePluginABI
import LodestoneKernel

/// Makes block instances of a prepared plugin module that has a batch form; shared by an
/// ensemble's threads.
struct PluginBatchFactory: BatchModelFactory {
    let preparation: PluginPreparation
    let layout: PluginLayout
    let module: String

    func makeBatch(width: Int) throws -> any BatchModelInstance {
        var message = [CChar](repeating: 0, count: 1024)
        let table = preparation.library.table
        let handle = message.withUnsafeMutableBufferPointer { buffer in
            table.pointee.create_batch(preparation.handle, UInt32(width), buffer.baseAddress, buffer.count)
        }
        guard let handle else {
            throw PluginError.failed(
                path: preparation.library.path, module: module, operation: "create_batch",
                message: PluginLibrary.message(message))
        }
        return PluginBatchInstance(
            preparation: preparation, handle: handle, layout: layout, module: module, width: width)
    }
}

/// A block of runs of a plugin module: copies each input and parameter key of the block (one
/// value per run, runs side by side) into the plugin's structure-of-arrays buffers, calls the
/// table's batch functions once per month for the whole block, and copies the outputs back. Run
/// `r` gets exactly what a ``PluginInstance`` of that run gets, its seed included. All buffers
/// are allocated once, here.
final class PluginBatchInstance: BatchModelInstance {
    private let preparation: PluginPreparation
    private let table: UnsafePointer<lodestone_plugin>
    private let handle: UnsafeMutableRawPointer
    private let layout: PluginLayout
    private let width: Int
    private let arena = StateArena()
    private let inputs: UnsafeMutableBufferPointer<Double>
    private let outputs: UnsafeMutableBufferPointer<Double>
    private let parameters: UnsafeMutableBufferPointer<Double>
    private let metrics: UnsafeMutableBufferPointer<Double>
    private let seeds: UnsafeMutableBufferPointer<UInt64>
    private let message: UnsafeMutableBufferPointer<CChar>
    /// The layout's references, copied once into buffers (see ``PluginInstance``).
    private let inputRefs: UnsafeMutableBufferPointer<InputRef>
    private let outputRefs: UnsafeMutableBufferPointer<OutputRef>
    private let parameterRefs: UnsafeMutableBufferPointer<ParameterRef>
    private let nameHash: UInt64

    init(preparation: PluginPreparation, handle: UnsafeMutableRawPointer, layout: PluginLayout, module: String, width: Int) {
        self.preparation = preparation
        self.table = preparation.library.table
        self.handle = handle
        self.layout = layout
        self.width = width
        inputs = arena.doubles(layout.inputCount * width)
        outputs = arena.doubles(layout.outputCount * width)
        parameters = arena.doubles(layout.parameterCount * width)
        metrics = arena.doubles(layout.metricCount * width)
        seeds = .allocate(capacity: width)
        seeds.initialize(repeating: 0)
        message = .allocate(capacity: 1024)
        message.initialize(repeating: 0)
        inputRefs = .allocate(capacity: layout.inputs.count)
        _ = inputRefs.initialize(from: layout.inputs)
        outputRefs = .allocate(capacity: layout.outputs.count)
        _ = outputRefs.initialize(from: layout.outputs)
        parameterRefs = .allocate(capacity: layout.parameters.count)
        _ = parameterRefs.initialize(from: layout.parameters)
        nameHash = PluginInstance.nameHash(module)
    }

    deinit {
        table.pointee.destroy_batch(handle)
        seeds.deallocate()
        message.deallocate()
        inputRefs.deinitialize().deallocate()
        outputRefs.deinitialize().deallocate()
        parameterRefs.deinitialize().deallocate()
    }

    func reset(_ frame: BatchFrame) throws {
        gatherParameters(frame)
        for r in 0..<width {
            // Each run's own stream, derived from its generator without advancing it, as per run.
            var fork = frame.forkedGenerator(run: r)
            seeds[r] = fork.next() ^ nameHash
        }
        message[0] = 0
        let status = table.pointee.reset_batch(
            handle, Int64(frame.month.ordinal), seeds.baseAddress, parameters.baseAddress, outputs.baseAddress,
            message.baseAddress, message.count)
        guard status == LODESTONE_PLUGIN_OK else { throw failure("reset") }
        scatterOutputs(frame)
    }

    func step(_ frame: BatchFrame) throws {
        var offset = 0
        for j in 0..<inputRefs.count {
            let ref = inputRefs[j]
            for k in 0..<ref.count {
                let values = frame.input(ref, k)
                let row = (offset + k) * width
                for r in 0..<width { inputs[row + r] = values[r] }
            }
            offset += ref.count
        }
        gatherParameters(frame)
        message[0] = 0
        let status = table.pointee.step_batch(
            handle, Int64(frame.monthIndex), Int64(frame.month.ordinal), inputs.baseAddress, parameters.baseAddress,
            outputs.baseAddress, message.baseAddress, message.count)
        guard status == LODESTONE_PLUGIN_OK else { throw failure("step") }
        scatterOutputs(frame)
    }

    func finish(_ frame: BatchMetricFrame) {
        guard layout.metricCount > 0 else { return }
        metrics.update(repeating: .nan)
        table.pointee.metrics_batch(handle, Int64(frame.months), metrics.baseAddress)
        var offset = 0
        for ref in layout.metrics {
            for k in 0..<ref.count {
                var values = frame.metric(ref, k)
                let row = (offset + k) * width
                for r in 0..<width { values[r] = metrics[row + r] }
            }
            offset += ref.count
        }
    }

    private func gatherParameters(_ frame: BatchFrame) {
        var offset = 0
        for j in 0..<parameterRefs.count {
            let ref = parameterRefs[j]
            for k in 0..<ref.count {
                let values = frame.parameter(ref, k)
                let row = (offset + k) * width
                for r in 0..<width { parameters[row + r] = values[r] }
            }
            offset += ref.count
        }
    }

    private func scatterOutputs(_ frame: BatchFrame) {
        var offset = 0
        for j in 0..<outputRefs.count {
            let ref = outputRefs[j]
            for k in 0..<ref.count {
                var values = frame.output(ref, k)
                let row = (offset + k) * width
                for r in 0..<width { values[r] = outputs[row + r] }
            }
            offset += ref.count
        }
    }

    private func failure(_ operation: String) -> PluginStepFailure {
        PluginInstance.failure(operation, message: message, path: preparation.library.path)
    }
}
