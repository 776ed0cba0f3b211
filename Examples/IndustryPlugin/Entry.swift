import LodestonePluginKit

/// The plugin's entry point: the C table `plugin("industry")` loads from `libindustry.so`.
@_cdecl("lodestone_plugin_entry")
public func lodestonePluginEntry() -> UnsafeRawPointer {
    PluginExport.table(for: IndustryModel(), plugin: "industry", version: "1.0.0")
}
