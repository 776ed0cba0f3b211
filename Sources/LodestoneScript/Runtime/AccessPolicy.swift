import Foundation
import LodestoneKernel

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
        if case .failure(let denial) = permittedPath(path, for: operation, shown: shown) { return denial.message }
        return nil
    }

    /// The path a reader or writer must open for `path`, or why the policy refuses it. This is the
    /// one place a path is given its meaning (``FilePaths``): `~` and `~user` expanded, made
    /// absolute against `base` (default: the working directory), and — when only some folders are
    /// allowed — with `..` and symbolic links resolved, so that the path checked is exactly the
    /// path opened. `shown` is how the user wrote it (default: `path`).
    public func permittedPath(
        _ path: String, relativeTo base: String? = nil, for operation: Operation, shown: String? = nil
    ) -> Result<String, PathDenial> {
        let shown = shown ?? path
        let verb = operation == .read ? "read" : "write"
        if path.unicodeScalars.contains("\0") {
            return .failure(PathDenial(message: "cannot \(verb) \"\(shown)\": a file name cannot contain a NUL character"))
        }
        let absolute = FilePaths.absolute(path, relativeTo: base)
        switch files {
        case .anywhere:
            // A plain relative path stays relative (to the working directory), as the user wrote it.
            return .success(base == nil && !path.hasPrefix("~") ? path : absolute)
        case .nowhere:
            return .failure(PathDenial(message: "this session may not \(verb) files (\"\(shown)\")"
                + (operation == .read ? "; use the embedded dataset, data(\"default\")" : "")))
        case .within(let root):
            let realRoot = FilePaths.resolved(root) ?? root
            guard let resolved = FilePaths.resolved(absolute) else {
                return .failure(PathDenial(
                    message: "safe mode: cannot \(verb) \"\(shown)\": its path leads through a broken symbolic link or a loop of links"))
            }
            if FilePaths.isInside(resolved, realRoot) {
                // Keep a trailing `/`: it says "a directory" to the data reader.
                return .success(resolved + (path.hasSuffix("/") && !resolved.hasSuffix("/") ? "/" : ""))
            }
            let fix =
                operation == .read
                ? "copy it into \(realRoot) and use a relative path"
                : "write to a relative path inside \(realRoot), e.g. \"\(Self.lastComponent(shown))\""
            return .failure(PathDenial(
                message: "safe mode: cannot \(verb) \"\(shown)\": it is outside \(realRoot), the directory "
                    + "Lodestone started in; \(fix) (or run without --safe / `:safe off`)"))
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

    private static func lastComponent(_ path: String) -> String {
        path.split(separator: "/").last.map(String.init) ?? path
    }
}

/// Why an ``AccessPolicy`` refuses a path: a message for the user that names the path and what to
/// do instead.
public struct PathDenial: Error, Sendable, Equatable {
    /// The message.
    public var message: String
}
