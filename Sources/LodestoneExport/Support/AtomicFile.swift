#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif
import Foundation
import LodestoneKernel

/// Writes files atomically: the bytes go to a temporary file in the destination's folder, which
/// is then renamed (or hard-linked, when overwriting is not allowed) into place. A failure at any
/// step removes the temporary file, so a destination is either untouched or complete.
enum AtomicFile {
    /// `path` with a leading `~` expanded.
    static func resolve(_ path: String) -> String {
        path.hasPrefix("~") ? NSString(string: path).expandingTildeInPath : path
    }

    /// Writes `text` (UTF-8) to `path`.
    static func write(_ text: String, to path: String, overwrite: Bool) throws(ExportError) {
        try write(Data(text.utf8), to: path, overwrite: overwrite)
    }

    /// Writes `data` to `path`.
    static func write(_ data: Data, to path: String, overwrite: Bool) throws(ExportError) {
        let target = try checkDestination(path, overwrite: overwrite)
        AtomicWrite.removeStaleTemporaries(inFolderOf: target)
        let temporary = temporaryPath(for: target)
        do {
            try writeBytes(data, to: temporary, reportedAs: path)
            try commit(temporary, to: target, overwrite: overwrite, reportedAs: path)
        } catch {
            unlink(temporary)
            throw error
        }
    }

    /// Checks that `path` can be written: a file name is given, its folder exists and is a folder,
    /// and the path is not a folder; an existing file is ``ExportError/exists(_:)`` unless
    /// `overwrite`. Returns the resolved path.
    static func checkDestination(_ path: String, overwrite: Bool) throws(ExportError) -> String {
        let target = resolve(path)
        guard !target.isEmpty, !target.hasSuffix("/") else {
            throw .writeFailed(path: path, reason: "expected a file name, e.g. `run.csv`")
        }
        let folder = folder(of: target)
        var isFolder: ObjCBool = false
        guard FileManager.default.fileExists(atPath: folder, isDirectory: &isFolder) else {
            if FilePaths.kind(of: folder) == .linkLoop {
                throw .writeFailed(path: path, reason: "the folder `\(folder)` is a symbolic link that leads back to itself (a loop of links)")
            }
            throw .writeFailed(path: path, reason: "the folder `\(folder)` does not exist; create it first")
        }
        guard isFolder.boolValue else {
            throw .writeFailed(path: path, reason: "`\(folder)` is a file, not a folder")
        }
        if FileManager.default.fileExists(atPath: target, isDirectory: &isFolder) {
            if isFolder.boolValue { throw .writeFailed(path: path, reason: "it is a folder; give a file name") }
            if !overwrite { throw .exists(path) }
        }
        guard access(folder, W_OK) == 0 else {
            throw .writeFailed(path: path, reason: "the folder `\(folder)` is not writable (\(errorText()))")
        }
        return target
    }

    /// The folder that holds `path` (`.` for a bare file name).
    static func folder(of path: String) -> String {
        guard let slash = path.lastIndex(of: "/") else { return "." }
        let folder = String(path[..<slash])
        return folder.isEmpty ? "/" : folder
    }

    /// A fresh hidden temporary path next to `path` (``AtomicWrite/temporaryPath(for:)``:
    /// `.NAME.tmp-PID-RANDOM`, which the next write to the folder removes if the write was
    /// interrupted).
    static func temporaryPath(for path: String) -> String { AtomicWrite.temporaryPath(for: path) }

    /// Moves the finished `temporary` file to `target`. Without `overwrite`, a file that appeared
    /// at `target` in the meantime is not replaced (hard link, which fails if it exists).
    static func commit(_ temporary: String, to target: String, overwrite: Bool, reportedAs path: String) throws(ExportError) {
        if overwrite {
            guard rename(temporary, target) == 0 else {
                throw .writeFailed(path: path, reason: "cannot move the finished file into place (\(errorText()))")
            }
            return
        }
        if link(temporary, target) == 0 {
            unlink(temporary)
            return
        }
        let code = errno
        if code == EEXIST { throw .exists(path) }
        // File systems without hard links: check, then rename.
        guard access(target, F_OK) != 0 else { throw .exists(path) }
        guard rename(temporary, target) == 0 else {
            throw .writeFailed(path: path, reason: "cannot move the finished file into place (\(errorText()))")
        }
    }

    private static func writeBytes(_ data: Data, to temporary: String, reportedAs path: String) throws(ExportError) {
        let descriptor = open(temporary, O_WRONLY | O_CREAT | O_EXCL, 0o666)
        guard descriptor >= 0 else {
            throw .writeFailed(path: path, reason: "cannot create a temporary file in its folder (\(errorText()))")
        }
        var failure: String?
        data.withUnsafeBytes { (buffer: UnsafeRawBufferPointer) in
            var offset = 0
            while offset < buffer.count, let base = buffer.baseAddress {
                let written = posixWrite(descriptor, base + offset, buffer.count - offset)
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
        if let failure { throw .writeFailed(path: path, reason: failure) }
    }

    private static func posixWrite(_ descriptor: Int32, _ bytes: UnsafeRawPointer, _ count: Int) -> Int {
        #if canImport(Glibc)
        Glibc.write(descriptor, bytes, count)
        #elseif canImport(Musl)
        Musl.write(descriptor, bytes, count)
        #else
        Darwin.write(descriptor, bytes, count)
        #endif
    }

    /// The current `errno` as text.
    static func errorText() -> String { String(cString: strerror(errno)) }
}
