import Foundation

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// What a script may reach outside its session: the files it reads (`data("…")`, the REPL's
/// `:load`) and writes (`export`, `plot(…, file:)`, `:save`), and runtime plugins (`plugin("…")`).
///
/// `lodestone run --safe` and the REPL's `:safe on` use ``safe(root:)``: files only inside the
/// directory Lodestone started in, and no plugins — for workshops where people run each other's
/// scripts. Paths are checked after resolving `..` and symbolic links, so neither
/// `"../x.csv"` nor a link pointing out of the tree gets through.
///
/// ```swift
/// var options = Session.Options()
/// options.access = .safe(root: "/home/ana/workshop")
/// ```
public struct AccessPolicy: Sendable, Equatable {
    /// Where a script may read and write files.
    public enum Files: Sendable, Equatable {
        /// Anywhere the user running Lodestone may.
        case anywhere
        /// Only inside this directory's tree (an absolute path).
        case within(String)
        /// Nowhere: datasets come only from registered sources such as `default`.
        case nowhere
    }

    /// Whether a file is to be read or written.
    public enum Operation: Sendable {
        /// Reading a dataset or a script.
        case read
        /// Writing an export, a chart or a saved session.
        case write
    }

    /// Where files may be read and written.
    public var files: Files
    /// Whether `plugin("…")` may load a runtime plugin (one already loaded stays usable).
    public var allowsPlugins: Bool

    /// Creates a policy.
    public init(files: Files, allowsPlugins: Bool) {
        self.files = files
        self.allowsPlugins = allowsPlugins
    }

    /// Everything the user may do (the default).
    public static let unrestricted = AccessPolicy(files: .anywhere, allowsPlugins: true)

    /// Safe mode: files only inside `root`'s tree, no plugins. `root` defaults to the working
    /// directory.
    public static func safe(root: String? = nil) -> AccessPolicy {
        AccessPolicy(files: .within(root ?? FileManager.default.currentDirectoryPath), allowsPlugins: false)
    }

    /// No files and no plugins at all (embedding, fuzzing).
    public static let sealed = AccessPolicy(files: .nowhere, allowsPlugins: false)

    /// Whether this is safe mode (or stricter): some files or plugins are refused.
    public var isRestricted: Bool { self != .unrestricted }

    /// Nil when `path` may be read or written; otherwise why not and what to do instead, as a
    /// message for the user. A relative `path` is relative to the working directory; `shown` is
    /// how the user wrote it (default: `path`).
    public func denial(of path: String, for operation: Operation, shown: String? = nil) -> String? {
        let shown = shown ?? path
        let verb = operation == .read ? "read" : "write"
        switch files {
        case .anywhere:
            return nil
        case .nowhere:
            return "this session may not \(verb) files (\"\(shown)\")"
                + (operation == .read ? "; use the embedded dataset, data(\"default\")" : "")
        case .within(let root):
            let realRoot = Self.resolve(root) ?? root
            guard let resolved = Self.resolve(path) else {
                return "safe mode: cannot \(verb) \"\(shown)\": its path leads through a broken symbolic link"
            }
            if Self.isInside(resolved, realRoot) { return nil }
            let fix =
                operation == .read
                ? "copy it into \(realRoot) and use a relative path"
                : "write to a relative path inside \(realRoot), e.g. \"\(Self.lastComponent(shown))\""
            return "safe mode: cannot \(verb) \"\(shown)\": it is outside \(realRoot), the directory "
                + "Lodestone started in; \(fix) (or run without --safe / `:safe off`)"
        }
    }

    /// Nil when the plugin `spec` may be loaded; otherwise why not and what to do instead.
    public func pluginDenial(_ spec: String) -> String? {
        if allowsPlugins { return nil }
        let name = spec.isEmpty ? "…" : spec
        return files == .nowhere
            ? "this session may not load plugins (\"\(name)\")"
            : "safe mode: scripts may not load plugins (\"\(name)\"); load it when starting Lodestone "
                + "(lodestone --plugin \(name) --safe …), or run without --safe / `:safe off`"
    }

    // MARK: Paths

    /// `path` made absolute (against the working directory), with symbolic links and `..`
    /// resolved: the part that exists through `realpath`, the rest (which `export` may create)
    /// lexically. Nil when the existing part cannot be resolved (a broken link).
    static func resolve(_ path: String) -> String? {
        let absolute = path.hasPrefix("/") ? path : FileManager.default.currentDirectoryPath + "/" + path
        let components = absolute.split(separator: "/").map(String.init)
        var existing = components.count
        while existing > 0 {
            var info = stat()
            if lstat("/" + components[..<existing].joined(separator: "/"), &info) == 0 { break }
            existing -= 1
        }
        let prefix = "/" + components[..<existing].joined(separator: "/")
        guard let pointer = realpath(prefix, nil) else { return nil }
        let real = String(cString: pointer)
        free(pointer)
        var parts = real.split(separator: "/").map(String.init)
        for component in components[existing...] {
            switch component {
            case ".": continue
            case "..": if !parts.isEmpty { parts.removeLast() }
            default: parts.append(component)
            }
        }
        return "/" + parts.joined(separator: "/")
    }

    /// Whether `path` is `root` or inside it (both resolved).
    static func isInside(_ path: String, _ root: String) -> Bool {
        if root == "/" { return true }
        let trimmed = root.hasSuffix("/") ? String(root.dropLast()) : root
        return path == trimmed || path.hasPrefix(trimmed + "/")
    }

    private static func lastComponent(_ path: String) -> String {
        path.split(separator: "/").last.map(String.init) ?? path
    }
}
