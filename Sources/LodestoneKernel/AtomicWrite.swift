#if canImport(Glibc)
    import Glibc
#elseif canImport(Musl)
    import Musl
#elseif canImport(Darwin)
    import Darwin
#endif

/// Atomic file writes: the bytes go to a hidden temporary file in the destination's folder, which
/// is then renamed into place, so a destination is either untouched or complete.
///
/// A temporary file is named `.NAME.tmp-PID-RANDOM` after the process writing it. A write that was
/// interrupted (the process killed, the machine switched off) leaves its temporary file behind;
/// the next write to the same folder removes every such file whose process is gone
/// (``removeStaleTemporaries(inFolderOf:)``).
public enum AtomicWrite {
    /// Why a write failed (the `errno` text or what to do).
    public struct Failure: Error, Sendable, Equatable {
        /// What went wrong.
        public var reason: String
        /// Creates a failure.
        public init(reason: String) { self.reason = reason }
    }

    /// Writes `bytes` to `path` atomically, replacing a file already there.
    public static func write(_ bytes: [UInt8], to path: String) throws(Failure) {
        removeStaleTemporaries(inFolderOf: path)
        let temporary = temporaryPath(for: path)
        let descriptor = open(temporary, O_WRONLY | O_CREAT | O_EXCL, 0o666)
        guard descriptor >= 0 else { throw Failure(reason: "cannot create a temporary file in its folder (\(errorText()))") }
        var failure: String?
        bytes.withUnsafeBytes { buffer in
            var offset = 0
            while offset < buffer.count, let base = buffer.baseAddress {
                let written = systemWrite(descriptor, base + offset, buffer.count - offset)
                if written < 0 {
                    if errno == EINTR { continue }
                    failure = errorText()
                    return
                }
                offset += written
            }
        }
        if failure == nil, fsync(descriptor) != 0 { failure = errorText() }
        if close(descriptor) != 0, failure == nil { failure = errorText() }
        if failure == nil, rename(temporary, path) != 0 { failure = errorText() }
        if let failure {
            unlink(temporary)
            throw Failure(reason: failure)
        }
    }

    /// A fresh temporary path next to `path`: `.NAME.tmp-PID-RANDOM`.
    public static func temporaryPath(for path: String) -> String {
        let folder = folder(of: path)
        let name = path.split(separator: "/").last.map(String.init) ?? path
        let random = String(UInt64.random(in: 0...UInt64.max), radix: 36)
        return (folder == "/" ? "" : folder) + "/.\(name).tmp-\(getpid())-\(random)"
    }

    /// Removes the temporary files of interrupted writes in `path`'s folder: those named
    /// `.NAME.tmp-PID-RANDOM` whose process `PID` no longer runs. Returns how many it removed.
    @discardableResult
    public static func removeStaleTemporaries(inFolderOf path: String) -> Int {
        let folder = folder(of: path)
        guard let directory = opendir(folder) else { return 0 }
        defer { closedir(directory) }
        var removed = 0
        while let entry = readdir(directory) {
            let name = withUnsafeBytes(of: entry.pointee.d_name) { raw in
                String(decoding: raw.prefix(while: { $0 != 0 }), as: UTF8.self)
            }
            guard let pid = writerProcess(ofTemporary: name), pid != getpid() else { continue }
            if kill(pid, 0) != 0, errno == ESRCH, unlink(folder + "/" + name) == 0 { removed += 1 }
        }
        return removed
    }

    /// The process id in a temporary file's name `.NAME.tmp-PID-RANDOM`, or nil for other names.
    static func writerProcess(ofTemporary name: String) -> pid_t? {
        let pieces = name.split(separator: ".tmp-", omittingEmptySubsequences: false)
        guard name.hasPrefix("."), pieces.count >= 2, let last = pieces.last else { return nil }
        let parts = last.split(separator: "-", omittingEmptySubsequences: false)
        guard parts.count == 2, !parts[1].isEmpty, parts[1].allSatisfy({ $0.isLetter || $0.isNumber }),
            let pid = pid_t(parts[0]), pid > 0
        else { return nil }
        return pid
    }

    /// The folder that holds `path` (`.` for a bare file name).
    static func folder(of path: String) -> String {
        guard let slash = path.lastIndex(of: "/") else { return "." }
        let folder = String(path[..<slash])
        return folder.isEmpty ? "/" : folder
    }

    private static func systemWrite(_ descriptor: Int32, _ bytes: UnsafeRawPointer, _ count: Int) -> Int {
        #if canImport(Glibc)
            Glibc.write(descriptor, bytes, count)
        #elseif canImport(Musl)
            Musl.write(descriptor, bytes, count)
        #else
            Darwin.write(descriptor, bytes, count)
        #endif
    }

    private static func errorText() -> String { String(cString: strerror(errno)) }
}

extension FilePaths {
    /// Why `path` cannot be opened for reading, as the `errno` text (`permission denied`), checked
    /// without blocking (a named pipe is not waited on).
    public static func openError(_ path: String) -> String {
        let descriptor = open(path, O_RDONLY | O_NONBLOCK)
        if descriptor >= 0 {
            close(descriptor)
            return "it could not be read"
        }
        return String(cString: strerror(errno)).lowercased()
    }
}
