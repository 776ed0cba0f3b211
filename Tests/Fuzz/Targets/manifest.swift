// Fuzz target `manifest`: what the host reads from a runtime plugin. The input is cut at the
// first NUL byte into the manifest (`lodestone_plugin.manifest`) and the description `describe`
// returns; both go through a stand-in plugin table whose functions do nothing else. When the
// manifest is accepted, each module's parameters and interface are read on the embedded dataset,
// and the first module is composed with trade and stockpile and run for a year (its `step` writes
// nothing, so its outputs stay as the host initialised them).

import CLodestonePluginABI
import Foundation
import LodestoneData
import LodestoneKernel
import LodestonePluginKit
import LodestoneStockpile
import LodestoneTrade

/// The description the stand-in `describe` returns for the current input.
nonisolated(unsafe) private var currentDescription: [CChar] = [0]
nonisolated(unsafe) private var manifestText: [CChar] = [0]
private let dataset = try? Baseline2024Dataset.source.load()

nonisolated(unsafe) private var table: lodestone_plugin = {
    var t = lodestone_plugin()
    t.abi_version = UInt32(LODESTONE_PLUGIN_ABI_VERSION)
    t.size = UInt32(MemoryLayout<lodestone_plugin>.size)
    t.describe = { _, _, _, _, _ in currentDescription.withUnsafeBufferPointer { strdup($0.baseAddress!) } }
    t.free_text = { free($0) }
    t.prepare = { _, _, _, _, _, _, _ in UnsafeMutableRawPointer(bitPattern: 0x1000) }
    t.release = { _ in }
    t.create = { _, _, _ in UnsafeMutableRawPointer(bitPattern: 0x2000) }
    t.destroy = { _ in }
    t.reset = { _, _, _, _, _, _, _ in Int32(LODESTONE_PLUGIN_OK) }
    t.step = { _, _, _, _, _, _, _, _ in Int32(LODESTONE_PLUGIN_OK) }
    t.metrics = { _, _, _ in }
    return t
}()

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzManifest(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    let pieces = parts(data, size, limit: 2)
    manifestText = Array(pieces[0].utf8CString)
    currentDescription = Array((pieces.count > 1 ? pieces[1] : "").utf8CString)
    let modules: [PluginModel]
    do {
        modules = try manifestText.withUnsafeBufferPointer { text throws(PluginError) -> [PluginModel] in
            table.manifest = text.baseAddress
            defer { table.manifest = nil }
            return try withUnsafePointer(to: &table) { pointer throws(PluginError) -> [PluginModel] in
                try PluginLoader.adapt(table: UnsafeRawPointer(pointer), name: "libfuzz.so")
            }
        }
    } catch {
        require(!"\(error)".isEmpty, "empty plugin error")
        return 0
    }
    require(!modules.isEmpty, "a plugin accepted with no module")
    guard let dataset else { return 0 }
    let context = ModelContext(dataset: dataset, scenario: Scenario("baseline"))
    for module in modules {
        _ = module.parameters(for: dataset)
        do { _ = try module.interface(in: context) } catch {
            require(!"\(error)".isEmpty, "empty interface error")
        }
    }
    var registry = Registry()
    try? registerTrade(in: &registry)
    try? registerStockpile(in: &registry)
    do {
        let models: [any Model] = [try registry.model(named: "trade"), try registry.model(named: "stockpile"), modules[0]]
        let result = try Runner.run(
            models: models, dataset: dataset, scenario: Scenario("baseline"), start: Month(2026, 1), months: 12, seed: 1)
        require(result.months == 12, "a run of 12 months has \(result.months)")
    } catch {
        require(!"\(error)".isEmpty, "empty run error")
    }
    return 0
}
