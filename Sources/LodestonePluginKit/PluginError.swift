/// A problem loading or running a runtime plugin, naming the file and what was expected.
public enum PluginError: Error, Sendable, Equatable, CustomStringConvertible {
    /// No file for the spec: a name searched as `libNAME.so` in `searched`, or a path that does not exist.
    case notFound(spec: String, searched: [String])
    /// The spec is neither a path nor a plugin name.
    case invalidName(String)
    /// The dynamic loader refused the file (not a shared library, wrong architecture, missing dependency).
    case notLoadable(path: String, reason: String)
    /// A shared library without the `lodestone_plugin_entry` symbol.
    case notAPlugin(path: String)
    /// The plugin was built for another version of the C ABI.
    case abiMismatch(path: String, found: UInt32, expected: UInt32)
    /// The table or its manifest is malformed.
    case malformedManifest(path: String, reason: String)
    /// A module's description (`describe`) is malformed.
    case malformedDescription(path: String, module: String, reason: String)
    /// A plugin function reported a failure (`describe`, `prepare`, `create`, `reset`).
    case failed(path: String, module: String, operation: String, message: String)

    /// The message a user sees: the file, what is wrong, and what to do.
    public var description: String {
        switch self {
        case .notFound(let spec, let searched) where searched.count == 1 && spec.contains("/"):
            "plugin `\(spec)`: no such file"
        case .notFound(let spec, let searched):
            "no plugin `\(spec)`: looked for \(PluginLoader.fileName(for: spec)) in "
                + (searched.isEmpty ? "no directory" : searched.joined(separator: ", "))
                + " (set LODESTONE_PLUGIN_PATH to a colon-separated list of directories, or give the file's path)"
        case .invalidName(let spec):
            "`\(spec)` is not a plugin name or path: expected a name such as `industry` (letters, digits, _ and -) or a path to lib<NAME>.\(PluginLoader.libraryExtension)"
        case .notLoadable(let path, let reason):
            "plugin \(path) cannot be loaded: \(reason) (expected a shared library built for this machine, e.g. libNAME.\(PluginLoader.libraryExtension) from `swift build --product NAME`)"
        case .notAPlugin(let path):
            "\(path) is not a Lodestone plugin: it has no `lodestone_plugin_entry` symbol"
                + " (export one with @_cdecl(\"lodestone_plugin_entry\") returning PluginExport.table(for:))"
        case .abiMismatch(let path, let found, let expected):
            "plugin \(path) was built for plugin ABI version \(found), but this Lodestone supports version \(expected): rebuild it against this version of LodestonePluginKit"
        case .malformedManifest(let path, let reason):
            "plugin \(path) has a malformed manifest: \(reason)"
        case .malformedDescription(let path, let module, let reason):
            "plugin \(path), module `\(module)`: malformed description: \(reason)"
        case .failed(let path, let module, let operation, let message):
            "plugin \(path), module `\(module)`: \(operation) failed: \(message)"
        }
    }
}

/// The failure a plugin's `step` reported, as the kernel's ``StepError`` message shows it.
struct PluginStepFailure: Error, CustomStringConvertible {
    let message: String
    let path: String
    var description: String { "\(message) (reported by plugin \(path))" }
}
