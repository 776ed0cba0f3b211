import CLodestonePluginABI
import LodestoneKernel

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// Turns ordinary Swift ``Model``s into the C table a runtime plugin exports, in one line:
///
/// ```swift
/// import LodestonePluginKit
///
/// @_cdecl("lodestone_plugin_entry")
/// public func entry() -> UnsafeRawPointer { PluginExport.table(for: IndustryModel()) }
/// ```
///
/// Build the target as a dynamic library product (`.library(name: "industry", type: .dynamic,
/// targets: ["IndustryPlugin"])`); `plugin("industry")` then finds `libindustry.so`. The kit and
/// the kernel are linked into the library, so host and plugin share nothing but the C ABI of
/// `lodestone_plugin.h`: the model sees the same ``Wiring``, ``StepFrame`` and ``MetricFrame`` as a
/// built-in, over buffers the kit fills from the host's. A model with a batch form
/// (``Model/prepareBatch(in:wiring:)``) exports it too: the host then steps blocks of runs
/// through it, each ``BatchModelInstance`` seeing the same ``BatchFrame`` as a built-in's.
///
/// A model's `step` may throw: the message reaches the user as a ``StepError`` naming the module and
/// the month. A trap (`fatalError`, an index out of range) still ends the process, as in a built-in.
public enum PluginExport {
    /// The table for one model; call it once, from the entry point. `plugin` names the plugin in
    /// messages (default: the model's name).
    public static func table(for model: some Model, plugin: String? = nil, version: String = "1.0.0")
        -> UnsafeRawPointer
    {
        table(for: [model], plugin: plugin ?? model.name, version: version)
    }

    /// The table for several models in one library; call it once, from the entry point.
    public static func table(for models: [any Model], plugin: String, version: String = "1.0.0") -> UnsafeRawPointer {
        let manifest = PluginManifest(
            plugin: plugin, version: version, models: models.map { .init(name: $0.name, summary: $0.summary) })
        let text = (try? PluginJSON.encode(manifest)) ?? "{}"
        let exported = ExportedModels(models: models, manifest: CText.duplicate(text))
        let table = UnsafeMutablePointer<lodestone_plugin>.allocate(capacity: 1)
        table.initialize(
            to: lodestone_plugin(
                abi_version: UInt32(LODESTONE_PLUGIN_ABI_VERSION),
                size: UInt32(MemoryLayout<lodestone_plugin>.size),
                manifest: UnsafePointer(exported.manifest),
                context: Unmanaged.passRetained(exported).toOpaque(),
                describe: { context, model, json, message, capacity in
                    guard let context, let json else { return nil }
                    let exported = Unmanaged<ExportedModels>.fromOpaque(context).takeUnretainedValue()
                    do {
                        return CText.duplicate(try exported.describe(model: Int(model), context: CText.string(json)))
                    } catch {
                        CText.write("\(error)", to: message, capacity: capacity)
                        return nil
                    }
                },
                free_text: { text in free(text) },
                prepare: { context, model, json, produced, producedCount, message, capacity in
                    guard let context, let json else { return nil }
                    let exported = Unmanaged<ExportedModels>.fromOpaque(context).takeUnretainedValue()
                    let flags = produced.map { Array(UnsafeBufferPointer(start: $0, count: producedCount)) } ?? []
                    do {
                        let prepared = try exported.prepare(
                            model: Int(model), context: CText.string(json), produced: flags)
                        return Unmanaged.passRetained(prepared).toOpaque()
                    } catch {
                        CText.write("\(error)", to: message, capacity: capacity)
                        return nil
                    }
                },
                release: { prepared in
                    guard let prepared else { return }
                    Unmanaged<ExportedPreparation>.fromOpaque(prepared).release()
                },
                create: { prepared, message, capacity in
                    guard let prepared else { return nil }
                    let preparation = Unmanaged<ExportedPreparation>.fromOpaque(prepared).takeUnretainedValue()
                    do {
                        return Unmanaged.passRetained(try preparation.makeInstance()).toOpaque()
                    } catch {
                        CText.write("\(error)", to: message, capacity: capacity)
                        return nil
                    }
                },
                destroy: { instance in
                    guard let instance else { return }
                    Unmanaged<ExportedInstance>.fromOpaque(instance).release()
                },
                reset: { instance, start, seed, parameters, outputs, message, capacity in
                    guard let instance, let parameters, let outputs else { return LODESTONE_PLUGIN_FAILED }
                    let exported = Unmanaged<ExportedInstance>.fromOpaque(instance).takeUnretainedValue()
                    do {
                        try exported.reset(
                            start: Month(ordinal: Int(start)), seed: seed, parameters: parameters, outputs: outputs)
                        return LODESTONE_PLUGIN_OK
                    } catch {
                        CText.write("\(error)", to: message, capacity: capacity)
                        return LODESTONE_PLUGIN_FAILED
                    }
                },
                step: { instance, index, month, inputs, parameters, outputs, message, capacity in
                    guard let instance, let parameters, let outputs else { return LODESTONE_PLUGIN_FAILED }
                    let exported = Unmanaged<ExportedInstance>.fromOpaque(instance).takeUnretainedValue()
                    do {
                        try exported.step(
                            index: Int(index), month: Month(ordinal: Int(month)), inputs: inputs,
                            parameters: parameters,
                            outputs: outputs)
                        return LODESTONE_PLUGIN_OK
                    } catch {
                        CText.write("\(error)", to: message, capacity: capacity)
                        return LODESTONE_PLUGIN_FAILED
                    }
                },
                metrics: { instance, months, values in
                    guard let instance, let values else { return }
                    Unmanaged<ExportedInstance>.fromOpaque(instance).takeUnretainedValue().finish(
                        months: Int(months), into: values)
                },
                has_batch: { prepared in
                    guard let prepared else { return 0 }
                    return Unmanaged<ExportedPreparation>.fromOpaque(prepared).takeUnretainedValue().batch == nil ? 0 : 1
                },
                create_batch: { prepared, width, message, capacity in
                    guard let prepared, width > 0 else { return nil }
                    let preparation = Unmanaged<ExportedPreparation>.fromOpaque(prepared).takeUnretainedValue()
                    do {
                        return Unmanaged.passRetained(try preparation.makeBatch(width: Int(width))).toOpaque()
                    } catch {
                        CText.write("\(error)", to: message, capacity: capacity)
                        return nil
                    }
                },
                destroy_batch: { batch in
                    guard let batch else { return }
                    Unmanaged<ExportedBatch>.fromOpaque(batch).release()
                },
                reset_batch: { batch, start, seeds, parameters, outputs, message, capacity in
                    guard let batch, let seeds, let parameters, let outputs else { return LODESTONE_PLUGIN_FAILED }
                    let exported = Unmanaged<ExportedBatch>.fromOpaque(batch).takeUnretainedValue()
                    do {
                        try exported.reset(
                            start: Month(ordinal: Int(start)), seeds: seeds, parameters: parameters, outputs: outputs)
                        return LODESTONE_PLUGIN_OK
                    } catch {
                        CText.write("\(error)", to: message, capacity: capacity)
                        return LODESTONE_PLUGIN_FAILED
                    }
                },
                step_batch: { batch, index, month, inputs, parameters, outputs, message, capacity in
                    guard let batch, let parameters, let outputs else { return LODESTONE_PLUGIN_FAILED }
                    let exported = Unmanaged<ExportedBatch>.fromOpaque(batch).takeUnretainedValue()
                    do {
                        try exported.step(
                            index: Int(index), month: Month(ordinal: Int(month)), inputs: inputs,
                            parameters: parameters, outputs: outputs)
                        return LODESTONE_PLUGIN_OK
                    } catch {
                        CText.write("\(error)", to: message, capacity: capacity)
                        return LODESTONE_PLUGIN_FAILED
                    }
                },
                metrics_batch: { batch, months, values in
                    guard let batch, let values else { return }
                    Unmanaged<ExportedBatch>.fromOpaque(batch).takeUnretainedValue().finish(
                        months: Int(months), into: values)
                }))
        return UnsafeRawPointer(table)
    }

    /// Frees a table made by ``table(for:plugin:version:)`` in the same process, with its models
    /// and manifest text.
    ///
    /// A library's table is never freed: it is made once, by the entry point, and lives as long as
    /// the process that loaded the library (the loader never closes one). Tests that make tables in
    /// memory free them with this once nothing made from the table — a module adapted from it, its
    /// preparations and instances — is used any more.
    static func freeTable(_ table: UnsafeRawPointer) {
        let table = UnsafeMutablePointer(mutating: table.assumingMemoryBound(to: lodestone_plugin.self))
        if let context = table.pointee.context {
            Unmanaged<ExportedModels>.fromOpaque(context).release()
        }
        table.deinitialize(count: 1)
        table.deallocate()
    }
}
