#if canImport(Glibc)
    import Glibc
#elseif canImport(Musl)
    import Musl
#elseif canImport(Darwin)
    import Darwin
#endif

/// How Lodestone turns a path a user wrote into the file it reads or writes: one place, so that a
/// check (safe mode, ``FilePaths/resolved(_:)``) and the reader or writer cannot disagree about
/// what a path means.
///
/// A path is expanded the way a shell would — `~` and `~user` to home folders — then made
/// absolute against a base folder (the script's folder, or the working directory).
public enum FilePaths {
    /// `path` as the file system will see it: `~`/`~user` expanded, a relative path joined to
    /// `base` (default: the working directory). `..` and symbolic links are left for
    /// ``resolved(_:)``.
    public static func absolute(_ path: String, relativeTo base: String? = nil) -> String {
        let expanded = expandingTilde(path)
        if expanded.hasPrefix("/") { return expanded }
        let folder = base.map(expandingTilde) ?? currentDirectory()
        let root = folder.hasPrefix("/") ? folder : currentDirectory() + "/" + folder
        return (root.hasSuffix("/") ? root : root + "/") + expanded
    }

    /// The folder part of `path`, as `NSString.deletingLastPathComponent` gives it: `a/b` → `a`,
    /// `/x` → `/`, `x` → `` (empty), `a/b/` → `a`.
    ///
    /// Written here rather than taken from Foundation because that method traps on a path of one
    /// character in this toolchain's Foundation (swift-corelibs-foundation, Swift 6.3.1):
    /// `lodestone run x` crashed instead of saying there is no such file.
    public static func folder(of path: String) -> String {
        let trimmed = trimmingTrailingSlashes(Substring(path))
        guard let slash = trimmed.lastIndex(of: "/") else { return "" }
        if slash == trimmed.startIndex { return "/" }
        return String(trimmingTrailingSlashes(trimmed[..<slash]))
    }

    /// The last component of `path`, as `NSString.lastPathComponent` gives it: `a/b` → `b`, `a/b/`
    /// → `b`, `/` → `/`, `x` → `x` (see ``folder(of:)`` for why it is written here).
    public static func lastComponent(of path: String) -> String {
        let trimmed = trimmingTrailingSlashes(Substring(path))
        guard trimmed.count > 1, let slash = trimmed.lastIndex(of: "/") else { return String(trimmed) }
        return String(trimmed[trimmed.index(after: slash)...])
    }

    /// `path` without trailing slashes, keeping a lone `/`.
    private static func trimmingTrailingSlashes(_ path: Substring) -> Substring {
        var path = path
        while path.count > 1, path.hasSuffix("/") { path = path.dropLast() }
        return path
    }

    /// `path` with a leading `~` (the user's home, `$HOME`) or `~user` expanded; other paths as
    /// they are.
    public static func expandingTilde(_ path: String) -> String {
        guard path.hasPrefix("~") else { return path }
        let slash = path.firstIndex(of: "/") ?? path.endIndex
        let user = String(path[path.index(after: path.startIndex)..<slash])
        let home: String?
        if user.isEmpty {
            home = getenv("HOME").map { String(cString: $0) } ?? homeDirectory(of: nil)
        } else {
            home = homeDirectory(of: user)
        }
        guard let home, !home.isEmpty else { return path }
        return home + path[slash...]
    }

    /// `path` made absolute (``absolute(_:relativeTo:)``) with symbolic links and `..` resolved:
    /// the part that exists through `realpath`, the rest (which a writer may create) lexically.
    /// Nil when the existing part cannot be resolved (a broken or looping link).
    public static func resolved(_ path: String, relativeTo base: String? = nil) -> String? {
        let components = absolute(path, relativeTo: base).split(separator: "/").map(String.init)
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

    /// Whether `path` is `root` or inside it (both resolved, absolute).
    public static func isInside(_ path: String, _ root: String) -> Bool {
        if root == "/" { return true }
        let trimmed = root.hasSuffix("/") ? String(root.dropLast()) : root
        return path == trimmed || path.hasPrefix(trimmed + "/")
    }

    /// What is at a path (following symbolic links).
    public enum Kind: Sendable, Equatable {
        /// A regular file.
        case file
        /// A directory.
        case directory
        /// Nothing: no such file or folder.
        case missing
        /// A symbolic link that leads back to itself (or through too many links).
        case linkLoop
        /// A named pipe (FIFO): reading it would wait for a writer.
        case namedPipe
        /// Something else that is not a file: a socket or a device.
        case special
        /// It cannot be looked at: a folder on the way may not be entered (the `errno` text).
        case inaccessible(String)
    }

    /// What is at `path`.
    public static func kind(of path: String) -> Kind {
        guard !path.unicodeScalars.contains("\0") else { return .missing }
        var info = stat()
        guard stat(path, &info) == 0 else {
            switch errno {
            case ELOOP: return .linkLoop
            case ENOENT, ENOTDIR: return .missing
            default: return .inaccessible(String(cString: strerror(errno)))
            }
        }
        switch info.st_mode & S_IFMT {
        case S_IFREG: return .file
        case S_IFDIR: return .directory
        case S_IFIFO: return .namedPipe
        default: return .special
        }
    }

    /// Why `path` (shown as `shown`) cannot be read as a file, or nil when it is a regular file or
    /// missing (the caller says what a missing file means). A named pipe is refused before it is
    /// opened: reading it would wait for a writer forever.
    public static func readProblem(_ path: String, shown: String) -> String? {
        if path.unicodeScalars.contains("\0") { return "\(shown) contains a NUL character, which no file name can" }
        switch kind(of: path) {
        case .file, .missing: return nil
        case .directory: return "\(shown) is a directory, not a file"
        case .linkLoop: return "\(shown) is a symbolic link that leads back to itself (a loop of links); point it at an existing file or folder"
        case .namedPipe: return "\(shown) is a named pipe (FIFO), not a file; save the input to a file first"
        case .special: return "\(shown) is a socket or device, not a file"
        case .inaccessible(let reason): return "cannot look at \(shown): \(reason.lowercased())"
        }
    }

    private static func currentDirectory() -> String {
        var buffer = [CChar](repeating: 0, count: Int(PATH_MAX) + 1)
        guard getcwd(&buffer, buffer.count) != nil else { return "/" }
        return String(decoding: buffer.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)
    }

    private static func homeDirectory(of user: String?) -> String? {
        let entry = user.map { getpwnam($0) } ?? getpwuid(getuid())
        guard let entry, let directory = entry.pointee.pw_dir else { return nil }
        return String(cString: directory)
    }
}
