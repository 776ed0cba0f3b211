import LodestonePluginKit

/// The plugin's entry point: the C table `plugin("recycling")` loads from `librecycling.so`.
@_cdecl("lodestone_plugin_entry")
public func lodestonePluginEntry() -> UnsafeRawPointer {
    PluginExport.table(for: RecyclingModel(), plugin: "recycling", version: "1.0.0")
}
