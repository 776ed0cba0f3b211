import CLodestonePluginABI
import LodestoneKernel

/// One run of a plugin module: marshals the frame's inputs and parameters into flat buffers, calls
/// the plugin's `step`, and copies its outputs back. All buffers are allocated once, here.
final class PluginInstance: ModelInstance {
    private let preparation: PluginPreparation
    private let table: UnsafePointer<lodestone_plugin>
    private let handle: UnsafeMutableRawPointer
    private let layout: PluginLayout
    private let module: String
    private let arena = StateArena()
    private let inputs: UnsafeMutableBufferPointer<Double>
    private let outputs: UnsafeMutableBufferPointer<Double>
    private let parameters: UnsafeMutableBufferPointer<Double>
    private let metrics: UnsafeMutableBufferPointer<Double>
    private let message: UnsafeMutableBufferPointer<CChar>
    /// The layout's references, copied once into buffers: the monthly step indexes them instead
    /// of iterating arrays of references, which allocated in debug builds (issue 16's note:
    /// ≈ 1 allocation per declaration and month, from the unspecialised array iterator).
    private let inputRefs: UnsafeMutableBufferPointer<InputRef>
    private let outputRefs: UnsafeMutableBufferPointer<OutputRef>
    private let parameterRefs: UnsafeMutableBufferPointer<ParameterRef>
    /// Mixed into the seed so that two plugins forked from the same generator draw differently.
    private let nameHash: UInt64

    init(preparation: PluginPreparation, handle: UnsafeMutableRawPointer, layout: PluginLayout, module: String) {
        self.preparation = preparation
        self.table = preparation.library.table
        self.handle = handle
        self.layout = layout
        self.module = module
        inputs = arena.doubles(layout.inputCount)
        outputs = arena.doubles(layout.outputCount)
        parameters = arena.doubles(layout.parameterCount)
        metrics = arena.doubles(layout.metricCount)
        message = .allocate(capacity: 1024)
        message.initialize(repeating: 0)
        inputRefs = .allocate(capacity: layout.inputs.count)
        _ = inputRefs.initialize(from: layout.inputs)
        outputRefs = .allocate(capacity: layout.outputs.count)
        _ = outputRefs.initialize(from: layout.outputs)
        parameterRefs = .allocate(capacity: layout.parameters.count)
        _ = parameterRefs.initialize(from: layout.parameters)
        nameHash = Self.nameHash(module)
    }

    /// FNV-1a of the module's name: mixed into each run's seed for the plugin.
    static func nameHash(_ module: String) -> UInt64 {
        var hash: UInt64 = 0xCBF2_9CE4_8422_2325
        for byte in module.utf8 { hash = (hash ^ UInt64(byte)) &* 0x100_0000_01B3 }
        return hash
    }

    deinit {
        table.pointee.destroy(handle)
        message.deallocate()
        inputRefs.deinitialize().deallocate()
        outputRefs.deinitialize().deallocate()
        parameterRefs.deinitialize().deallocate()
    }

    func reset(_ frame: StepFrame) throws {
        gatherParameters(frame)
        // The plugin's own stream, derived from the run's generator without advancing it.
        var fork = frame.forkedGenerator()
        let seed = fork.next() ^ nameHash
        message[0] = 0
        let status = table.pointee.reset(
            handle, Int64(frame.month.ordinal), seed, parameters.baseAddress, outputs.baseAddress, message.baseAddress,
            message.count)
        guard status == LODESTONE_PLUGIN_OK else { throw failure("reset") }
        var offset = 0
        for j in 0..<outputRefs.count {
            let ref = outputRefs[j]
            for k in 0..<ref.count { frame.setInitial(ref, k, outputs[offset + k]) }
            offset += ref.count
        }
    }

    func step(_ frame: StepFrame) throws {
        var offset = 0
        for j in 0..<inputRefs.count {
            let ref = inputRefs[j]
            for k in 0..<ref.count { inputs[offset + k] = frame.read(ref, k) }
            offset += ref.count
        }
        gatherParameters(frame)
        message[0] = 0
        let status = table.pointee.step(
            handle, Int64(frame.monthIndex), Int64(frame.month.ordinal), inputs.baseAddress, parameters.baseAddress,
            outputs.baseAddress, message.baseAddress, message.count)
        guard status == LODESTONE_PLUGIN_OK else { throw failure("step") }
        offset = 0
        for j in 0..<outputRefs.count {
            let ref = outputRefs[j]
            for k in 0..<ref.count { frame.write(ref, k, outputs[offset + k]) }
            offset += ref.count
        }
    }

    func finish(_ frame: MetricFrame) {
        guard layout.metricCount > 0 else { return }
        metrics.update(repeating: .nan)
        table.pointee.metrics(handle, Int64(frame.months), metrics.baseAddress)
        var offset = 0
        for ref in layout.metrics {
            for k in 0..<ref.count { frame.write(ref, k, metrics[offset + k]) }
            offset += ref.count
        }
    }

    private func gatherParameters(_ frame: StepFrame) {
        var offset = 0
        for j in 0..<parameterRefs.count {
            let ref = parameterRefs[j]
            for k in 0..<ref.count { parameters[offset + k] = frame.parameter(ref, k) }
            offset += ref.count
        }
    }

    private func failure(_ operation: String) -> PluginStepFailure {
        Self.failure(operation, message: message, path: preparation.library.path)
    }

    /// The error for a failed `reset` or `step` (per run or batch), with the plugin's message.
    static func failure(_ operation: String, message: UnsafeMutableBufferPointer<CChar>, path: String)
        -> PluginStepFailure
    {
        message[message.count - 1] = 0  // in case the plugin filled it without a terminator
        let text = CText.string(message.baseAddress!)
        return PluginStepFailure(
            message: text.isEmpty ? "the plugin's \(operation) failed without a message" : text, path: path)
    }
}
