import CLodestonePluginABI
import LodestoneKernel

/// A model module loaded from a runtime plugin: the host's view of one entry of a plugin's table.
///
/// Its parameters, inputs, outputs and metrics come from the plugin's description on the dataset
/// and scenario; its instances step through the table's C functions over flat buffers, copying the
/// frame's inputs in and the plugin's outputs back, without allocating per month. Register it like
/// any module; it composes, runs in ensembles and passes the conformance kit like a built-in.
public struct PluginModel: Model {
    let library: PluginLibrary
    let index: Int

    init(library: PluginLibrary, index: Int) {
        self.library = library
        self.index = index
    }

    /// The module's name, from the manifest.
    public var name: String { library.manifest.models[index].name }
    /// One line for `:modules`, from the manifest.
    public var summary: String { library.manifest.models[index].summary }
    /// The file the module was loaded from.
    public var path: String { library.path }
    /// The plugin's manifest.
    public var manifest: PluginManifest { library.manifest }

    /// The plugin's parameters on `dataset`; empty when the plugin cannot describe itself there
    /// (``interface(in:)`` then reports why).
    public func parameters(for dataset: Dataset) -> [ParameterDeclaration] {
        let context = ModelContext(dataset: dataset, scenario: Scenario("baseline"))
        guard let description = try? library.description(model: index, context: context) else { return [] }
        return (try? description.parameterDeclarations()) ?? []
    }

    /// The plugin's inputs, outputs and metrics on the dataset and scenario.
    public func interface(in context: ModelContext) throws -> ModelInterface {
        let description = try library.description(model: index, context: context)
        return try description.modelInterface()
    }

    /// Resolves the plugin's names once and lets the plugin prepare; the factory makes instances.
    public func prepare(in context: ModelContext, wiring: Wiring) throws -> any ModelFactory {
        let json = try PluginJSON.encode(PluginContext(context))
        let description = try library.description(model: index, context: context)
        let layout = try PluginLayout(description: description, wiring: wiring, module: name)
        var message = [CChar](repeating: 0, count: 1024)
        let produced = layout.produced
        let table = library.table
        let handle = message.withUnsafeMutableBufferPointer { buffer in
            produced.withUnsafeBufferPointer { flags in
                table.pointee.prepare(
                    table.pointee.context, UInt32(index), json, flags.baseAddress, flags.count, buffer.baseAddress,
                    buffer.count)
            }
        }
        guard let handle else {
            throw PluginError.failed(
                path: path, module: name, operation: "prepare", message: PluginLibrary.message(message))
        }
        return PluginFactory(
            preparation: PluginPreparation(library: library, handle: handle), layout: layout, module: name)
    }

    /// The plugin's batch form when it has one (a revision-2 table whose prepared model says
    /// so): a factory of instances that step a block of runs through the table's batch
    /// functions. Nil for a plugin built before the batch form, or a module without one: the
    /// kernel then steps its per-run instances run by run. Prepares the plugin once more (its own
    /// handle, released with the factory).
    public func prepareBatch(in context: ModelContext, wiring: Wiring) throws -> (any BatchModelFactory)? {
        guard library.hasBatchFunctions else { return nil }
        guard let factory = try prepare(in: context, wiring: wiring) as? PluginFactory else { return nil }
        guard library.table.pointee.has_batch(factory.preparation.handle) != 0 else { return nil }
        return PluginBatchFactory(preparation: factory.preparation, layout: factory.layout, module: name)
    }

    /// A fresh instance (``prepare(in:wiring:)`` is the efficient path; this one prepares anew).
    public func instantiate(in context: ModelContext, wiring: Wiring) throws -> any ModelInstance {
        try prepare(in: context, wiring: wiring).makeInstance()
    }
}

/// Where each of the plugin's flat buffer values lives in the kernel's frame.
struct PluginLayout: Sendable {
    let inputs: [InputRef]
    let outputs: [OutputRef]
    let parameters: [ParameterRef]
    let metrics: [MetricRef]
    let inputCount: Int
    let outputCount: Int
    let parameterCount: Int
    let metricCount: Int
    /// 1 for each input value a module produces, 0 where the fallback is read.
    let produced: [UInt8]

    init(description: PluginDescription, wiring: Wiring, module: String) throws {
        func checked(_ kind: String, _ name: String, _ count: Int, _ expected: Int) throws {
            guard count == expected else {
                throw CompositionError(
                    "module `\(module)`: \(kind) `\(name)` has \(count) values in the composition but the plugin declares \(expected)"
                )
            }
        }
        inputs = try description.inputs.map { input in
            let ref = try wiring.input(input.signal)
            try checked("input", input.signal, ref.count, max(1, input.keys.count))
            return ref
        }
        outputs = try description.outputs.map { output in
            let ref = try wiring.output(output.name)
            try checked("output", output.name, ref.count, max(1, output.keys.count))
            return ref
        }
        parameters = try description.parameters.map { parameter in
            let ref = try wiring.parameter(parameter.name)
            try checked("parameter", parameter.name, ref.count, max(1, parameter.keys.count))
            return ref
        }
        metrics = try description.metrics.map { metric in
            let ref = try wiring.metric(metric.name)
            try checked("metric", metric.name, ref.count, max(1, metric.keys.count))
            return ref
        }
        inputCount = description.inputCount
        outputCount = description.outputCount
        parameterCount = description.parameterCount
        metricCount = description.metricCount
        produced = inputs.flatMap { $0.isProduced.map { $0 ? 1 : 0 } }
    }
}

/// A prepared handle inside the plugin, released when the last factory and instance are gone.
final class PluginPreparation: @unchecked Sendable {
    let library: PluginLibrary
    let handle: UnsafeMutableRawPointer

    init(library: PluginLibrary, handle: UnsafeMutableRawPointer) {
        self.library = library
        self.handle = handle
    }

    deinit { library.table.pointee.release(handle) }
}

/// Makes per-run instances of a prepared plugin module; shared by an ensemble's threads.
struct PluginFactory: ModelFactory {
    let preparation: PluginPreparation
    let layout: PluginLayout
    let module: String

    func makeInstance() throws -> any ModelInstance {
        var message = [CChar](repeating: 0, count: 1024)
        let table = preparation.library.table
        let handle = message.withUnsafeMutableBufferPointer { buffer in
            table.pointee.create(preparation.handle, buffer.baseAddress, buffer.count)
        }
        guard let handle else {
            throw PluginError.failed(
                path: preparation.library.path, module: module, operation: "create",
                message: PluginLibrary.message(message))
        }
        return PluginInstance(preparation: preparation, handle: handle, layout: layout, module: module)
    }
}
