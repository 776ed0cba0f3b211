import CLodestonePluginABI
import LodestoneKernel

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// Finds and loads runtime plugins: shared libraries exporting the C table of `lodestone_plugin.h`.
///
/// `plugin("industry")` looks for `libindustry.so` next to the executable, then in `../lib/lodestone`
/// from there when it exists (where `make install` puts plugins), then in each directory of
/// `LODESTONE_PLUGIN_PATH` (colon-separated), in that order; a spec containing `/` or ending in
/// `.so` is a path. A library is opened with `dlopen(RTLD_NOW | RTLD_LOCAL)`, its ABI version is
/// checked before anything else is read, its manifest is parsed and checked, and it is never
/// closed (unloading Swift code is unsafe). Loading the same file twice gives the same modules.
///
/// ```swift
/// var registry = Registry()
/// PluginLoader.standard().install(in: &registry)
/// let names = try registry.loadPlugin("industry")   // ["industry"]
/// ```
public struct PluginLoader: Sendable {
    /// Directories searched for `libNAME.so`, in order.
    public var searchPath: [String]

    /// A loader searching `searchPath`.
    public init(searchPath: [String]) { self.searchPath = searchPath }

    /// The standard loader: the executable's directory, `../lib/lodestone` from it if it exists,
    /// then `LODESTONE_PLUGIN_PATH` from
    /// `environment` (the process environment when nil).
    public static func standard(environment: [String: String]? = nil) -> PluginLoader {
        var path: [String] = []
        if let directory = executableDirectory() {
            path.append(directory)
            // Where `make install` puts the plugins: PREFIX/lib/lodestone beside PREFIX/bin.
            let installed = directory + "/../lib/lodestone"
            if let stream = opendir(installed) {
                closedir(stream)
                path.append(installed)
            }
        }
        let variable =
            environment.map { $0["LODESTONE_PLUGIN_PATH"] }
            ?? getenv("LODESTONE_PLUGIN_PATH").map { String(cString: $0) }
        for entry in (variable ?? "").split(separator: ":") where !entry.isEmpty && !path.contains(String(entry)) {
            path.append(String(entry))
        }
        return PluginLoader(searchPath: path)
    }

    /// Sets `registry.pluginLoader`, so that ``Registry/loadPlugin(_:)`` (and `plugin("…")` in
    /// scripts) loads through this loader.
    public func install(in registry: inout Registry) {
        let loader = self
        registry.pluginLoader = { spec in try loader.load(spec).map { $0 as any Model } }
        registry.pluginNames = { loader.availableNames() }
    }

    /// The names of the plugins on the search path: `NAME` for each `libNAME.so` found, sorted,
    /// each once.
    public func availableNames() -> [String] {
        let suffix = "." + Self.libraryExtension
        var names = Set<String>()
        for directory in searchPath {
            for entry in Self.entries(of: directory) where entry.hasPrefix("lib") && entry.hasSuffix(suffix) && entry.count > 3 + suffix.count {
                names.insert(String(entry.dropFirst(3).dropLast(suffix.count)))
            }
        }
        return names.sorted()
    }

    /// The names in a directory (none when it cannot be read); without Foundation, which the kit
    /// does not link.
    static func entries(of directory: String) -> [String] {
        guard let stream = opendir(directory) else { return [] }
        defer { closedir(stream) }
        var names: [String] = []
        while let entry = readdir(stream) {
            let name = withUnsafeBytes(of: entry.pointee.d_name) { bytes in
                String(decoding: bytes.prefix { $0 != 0 }, as: UTF8.self)
            }
            names.append(name)
        }
        return names
    }

    /// The shared-library extension of this platform (`so`; `dylib` on macOS).
    public static var libraryExtension: String {
        #if canImport(Darwin)
            "dylib"
        #else
            "so"
        #endif
    }

    /// The file a plugin name is looked up as: `libNAME.so`.
    public static func fileName(for name: String) -> String { "lib\(name).\(libraryExtension)" }

    /// Whether `spec` is a path rather than a name.
    static func isPath(_ spec: String) -> Bool {
        spec.contains("/") || spec.hasSuffix(".so") || spec.hasSuffix(".dylib")
    }

    /// The file `spec` names: a path as given, or the first `libNAME.so` on the search path.
    public func locate(_ spec: String) throws(PluginError) -> String {
        if Self.isPath(spec) {
            guard access(spec, F_OK) == 0 else { throw .notFound(spec: spec, searched: [spec]) }
            return spec
        }
        guard !spec.isEmpty, spec.allSatisfy({ $0.isASCII && ($0.isLetter || $0.isNumber || $0 == "_" || $0 == "-") })
        else { throw .invalidName(spec) }
        for directory in searchPath {
            let candidate = (directory.hasSuffix("/") ? directory : directory + "/") + Self.fileName(for: spec)
            if access(candidate, F_OK) == 0 { return candidate }
        }
        throw .notFound(spec: spec, searched: searchPath)
    }

    /// Loads the plugin `spec` (name or path) and returns its modules, ready to register.
    public func load(_ spec: String) throws(PluginError) -> [PluginModel] {
        let library = try PluginLibrary.open(try locate(spec))
        return library.manifest.models.indices.map { PluginModel(library: library, index: $0) }
    }

    /// The modules of a table already in memory (a plugin linked into the host, or a test),
    /// checked exactly like a loaded library's; `name` stands for the file in messages.
    public static func adapt(table: UnsafeRawPointer, name: String) throws(PluginError) -> [PluginModel] {
        let library = try PluginLibrary.adapt(table, path: name)
        return library.manifest.models.indices.map { PluginModel(library: library, index: $0) }
    }

    /// The directory of the running executable, if it can be found.
    static func executableDirectory() -> String? {
        #if os(Linux)
            var buffer = [CChar](repeating: 0, count: 4096)
            let count = readlink("/proc/self/exe", &buffer, buffer.count - 1)
            guard count > 0 else { return nil }
            let path = String(decoding: buffer[..<count].map { UInt8(bitPattern: $0) }, as: UTF8.self)
        #else
            guard let first = CommandLine.arguments.first, first.contains("/") else { return nil }
            let path = first
        #endif
        guard let slash = path.lastIndex(of: "/") else { return nil }
        return slash == path.startIndex ? "/" : String(path[..<slash])
    }
}

/// An opened plugin library: its table and parsed manifest, plus a cache of module descriptions.
/// Never closed.
final class PluginLibrary: @unchecked Sendable {
    let path: String
    /// The plugin's table, as far as its `size` reaches (fields of later revisions are NULL);
    /// a copy owned by the library object, which is never freed for a loaded file.
    let table: UnsafePointer<lodestone_plugin>
    let manifest: PluginManifest
    /// Whether the table has the batch form's functions (revision 2, none of them NULL).
    var hasBatchFunctions: Bool {
        let t = table.pointee
        return t.has_batch != nil && t.create_batch != nil && t.destroy_batch != nil && t.reset_batch != nil
            && t.step_batch != nil && t.metrics_batch != nil
    }
    private let lock = Lock()
    private var descriptions: [(model: Int, dataset: Dataset, scenario: Scenario, description: PluginDescription)] = []

    private static let lock = Lock()
    nonisolated(unsafe) private static var opened: [String: PluginLibrary] = [:]

    private init(path: String, table: lodestone_plugin, manifest: PluginManifest) {
        self.path = path
        let copy = UnsafeMutablePointer<lodestone_plugin>.allocate(capacity: 1)
        copy.initialize(to: table)
        self.table = UnsafePointer(copy)
        self.manifest = manifest
    }

    deinit { UnsafeMutablePointer(mutating: table).deallocate() }

    /// Opens the library at `path` (once per file), checking the table and manifest.
    static func open(_ path: String) throws(PluginError) -> PluginLibrary {
        let key =
            realpath(path, nil).map { pointer in
                defer { free(pointer) }
                return String(cString: pointer)
            } ?? path
        do {
            return try lock.withLock { () throws(PluginError) -> PluginLibrary in
                if let library = opened[key] { return library }
                let library = try load(path: path)
                opened[key] = library
                return library
            }
        } catch let error as PluginError {
            throw error
        } catch {
            throw .notLoadable(path: path, reason: "\(error)")
        }
    }

    private static func load(path: String) throws(PluginError) -> PluginLibrary {
        // dlopen searches the system for a bare file name: make it a path.
        let openPath = path.contains("/") ? path : "./" + path
        _ = dlerror()
        guard let handle = dlopen(openPath, RTLD_NOW | RTLD_LOCAL) else {
            let reason = dlerror().map { String(cString: $0) } ?? "unknown reason"
            throw .notLoadable(path: path, reason: reason)
        }
        guard let symbol = dlsym(handle, LODESTONE_PLUGIN_ENTRY_SYMBOL) else { throw .notAPlugin(path: path) }
        typealias Entry = @convention(c) () -> UnsafeRawPointer?
        let entry = unsafeBitCast(symbol, to: Entry.self)
        guard let raw = entry() else {
            throw .malformedManifest(path: path, reason: "lodestone_plugin_entry returned NULL instead of a table")
        }
        return try adapt(raw, path: path)
    }

    /// Checks a table (its version first) and parses its manifest.
    static func adapt(_ raw: UnsafeRawPointer, path: String) throws(PluginError) -> PluginLibrary {
        // The version is the first field: read it before trusting anything else in the table.
        let version = raw.load(as: UInt32.self)
        let expected = UInt32(LODESTONE_PLUGIN_ABI_VERSION)
        guard version == expected else { throw .abiMismatch(path: path, found: version, expected: expected) }
        let size = raw.load(fromByteOffset: 4, as: UInt32.self)
        // A plugin built before a revision has a shorter table: any size from revision 1's up.
        let smallest = lodestone_plugin_size_revision_1()
        guard size >= smallest else {
            throw .malformedManifest(
                path: path, reason: "the table is \(size) bytes, expected at least \(smallest) (its `size` field)")
        }
        // Copy only the fields the plugin's table has: the rest stay NULL (no batch form).
        var t = lodestone_plugin()
        withUnsafeMutableBytes(of: &t) { fields in
            fields.copyMemory(from: UnsafeRawBufferPointer(start: raw, count: min(Int(size), fields.count)))
        }
        let functions: [(String, Bool)] = [
            ("describe", t.describe != nil), ("free_text", t.free_text != nil), ("prepare", t.prepare != nil),
            ("release", t.release != nil), ("create", t.create != nil), ("destroy", t.destroy != nil),
            ("reset", t.reset != nil), ("step", t.step != nil), ("metrics", t.metrics != nil),
        ]
        if let missing = functions.first(where: { !$0.1 }) {
            throw .malformedManifest(path: path, reason: "the table's `\(missing.0)` function is NULL")
        }
        guard let text = t.manifest else { throw .malformedManifest(path: path, reason: "the manifest is NULL") }
        let manifest: PluginManifest
        do {
            manifest = try PluginJSON.decode(PluginManifest.self, from: CText.string(text), what: "manifest")
        } catch {
            throw .malformedManifest(path: path, reason: error.message)
        }
        guard !manifest.models.isEmpty else {
            throw .malformedManifest(path: path, reason: "models: expected at least one model, got an empty list")
        }
        var names = Set<String>()
        for (m, model) in manifest.models.enumerated() {
            do { try PluginDescription.checkName(model.name, place: "models[\(m)].name") } catch {
                throw .malformedManifest(path: path, reason: error.message)
            }
            guard model.name == model.name.lowercased() else {
                throw .malformedManifest(path: path, reason: "models[\(m)].name: `\(model.name)` must be lowercase")
            }
            guard names.insert(model.name).inserted else {
                throw .malformedManifest(path: path, reason: "models[\(m)].name: `\(model.name)` appears twice")
            }
        }
        return PluginLibrary(path: path, table: t, manifest: manifest)
    }

    /// Model `index`'s description on `context`, from the cache or `describe`.
    func description(model index: Int, context: ModelContext) throws(PluginError) -> PluginDescription {
        let cached = lock.withLock {
            descriptions.last { $0.model == index && $0.dataset == context.dataset && $0.scenario == context.scenario }
        }
        if let cached { return cached.description }
        let module = manifest.models[index].name
        let json: String
        do { json = try PluginJSON.encode(PluginContext(context)) } catch {
            throw .failed(
                path: path, module: module, operation: "describe", message: "cannot encode the context: \(error)")
        }
        var message = [CChar](repeating: 0, count: 1024)
        let text = message.withUnsafeMutableBufferPointer { buffer in
            table.pointee.describe(table.pointee.context, UInt32(index), json, buffer.baseAddress, buffer.count)
        }
        guard let text else {
            throw .failed(path: path, module: module, operation: "describe", message: Self.message(message))
        }
        let body = CText.string(text)
        table.pointee.free_text(text)
        let description: PluginDescription
        do {
            description = try PluginJSON.decode(PluginDescription.self, from: body, what: "description")
            _ = try description.parameterDeclarations()
            _ = try description.modelInterface()
        } catch {
            throw .malformedDescription(path: path, module: module, reason: error.message)
        }
        lock.withLock {
            descriptions.append((index, context.dataset, context.scenario, description))
            if descriptions.count > 8 { descriptions.removeFirst() }
        }
        return description
    }

    /// The text of an error buffer, or a stand-in when the plugin wrote none.
    static func message(_ buffer: [CChar]) -> String {
        var buffer = buffer
        buffer[buffer.count - 1] = 0  // in case the plugin filled it without a terminator
        let text = buffer.withUnsafeBufferPointer { CText.string($0.baseAddress!) }
        return text.isEmpty ? "no message" : text
    }
}
