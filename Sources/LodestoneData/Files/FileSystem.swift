#if canImport(FoundationEssentials)
    import FoundationEssentials
#else
    import Foundation
#endif
#if canImport(Glibc)
    import Glibc
#elseif canImport(Musl)
    import Musl
#elseif canImport(Darwin)
    import Darwin
#endif
import LodestoneKernel

/// The little file access LodestoneData needs: reading UTF-8 text with located errors, and
/// atomic writes (a temporary file in the same directory, then a rename).
enum FileSystem {
    /// What is at a path.
    enum Kind { case missing, file, directory }

    static func kind(of path: String) -> Kind {
        var info = stat()
        guard stat(path, &info) == 0 else { return .missing }
        return (info.st_mode & S_IFMT) == S_IFDIR ? .directory : .file
    }

    /// The size of the file at `path` in bytes, or nil when it cannot be read.
    static func size(of path: String) -> Int? {
        var info = stat()
        guard stat(path, &info) == 0 else { return nil }
        return Int(info.st_size)
    }

    /// The file's text, or nil if nothing is there. `display` names it in errors. Invalid
    /// UTF-8 is an error at the line and column of the first bad byte; a file larger than
    /// ``DataLimits/maximumFileBytes`` is refused before it is read.
    static func readText(atPath path: String, display: String) throws(DataError) -> String? {
        switch kind(of: path) {
        case .missing:
            guard FilePaths.kind(of: path) == .linkLoop else { return nil }
            throw DataError(
                SourceLocation(file: display, line: 1, column: 1), FilePaths.readProblem(path, shown: "it") ?? "a loop of links")
        case .directory:
            throw DataError(SourceLocation(file: display, line: 1, column: 1), "expected a file, found a directory")
        case .file:
            // A named pipe, a device or a loop of links: say so instead of waiting or "missing".
            if let problem = FilePaths.readProblem(path, shown: "it") {
                throw DataError(SourceLocation(file: display, line: 1, column: 1), problem)
            }
        }
        if let size = size(of: path), size > DataLimits.maximumFileBytes {
            throw DataError(SourceLocation(file: display, line: 1, column: 1), DataLimits.tooLargeMessage(bytes: size))
        }
        guard let data = FileManager.default.contents(atPath: path) else {
            throw DataError(SourceLocation(file: display, line: 1, column: 1), "cannot read the file: \(FilePaths.openError(path))")
        }
        return try decodeUTF8(Array(data), display: display)
    }

    /// Decodes UTF-8 bytes, naming the place of the first invalid byte.
    static func decodeUTF8(_ bytes: [UInt8], display: String) throws(DataError) -> String {
        var text = String.UnicodeScalarView()
        var iterator = bytes.makeIterator()
        var decoder = UTF8()
        var line = 1, column = 1
        while true {
            switch decoder.decode(&iterator) {
            case .scalarValue(let scalar):
                text.append(scalar)
                if scalar == "\n" {
                    line += 1
                    column = 1
                } else {
                    column += 1
                }
            case .emptyInput:
                return String(text)
            case .error:
                throw DataError(
                    SourceLocation(file: display, line: line, column: column),
                    "the file is not valid UTF-8 text here; save it as UTF-8")
            }
        }
    }

    /// Writes `text` to `path` atomically: to a temporary file next to it, then renamed over it.
    static func writeAtomically(_ text: String, toPath path: String) throws(ExportError) {
        do { try AtomicWrite.write(Array(text.utf8), to: path) } catch {
            throw .writeFailed(path: path, reason: error.reason)
        }
    }

    /// Creates the directory and its parents if needed.
    static func createDirectory(atPath path: String) throws(ExportError) {
        switch kind(of: path) {
        case .directory: return
        case .file: throw .writeFailed(path: path, reason: "a file is in the way; expected a directory")
        case .missing:
            do {
                try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
            } catch {
                throw .writeFailed(path: path, reason: "cannot create the directory: \(error)")
            }
        }
    }

    /// The directory part of a path (`.` for a bare name).
    static func parentDirectory(of path: String) -> String {
        guard let slash = path.lastIndex(of: "/") else { return "." }
        return slash == path.startIndex ? "/" : String(path[..<slash])
    }

    /// `directory/name`, without doubling a slash.
    static func join(_ directory: String, _ name: String) -> String {
        if directory.isEmpty { return name }
        return directory.hasSuffix("/") ? directory + name : directory + "/" + name
    }

    /// The path without trailing slashes (`data/` → `data`; `/` stays).
    static func trimmingTrailingSlashes(_ path: String) -> String {
        var path = Substring(path)
        while path.count > 1, path.hasSuffix("/") { path = path.dropLast() }
        return String(path)
    }

    /// The current directory.
    static var currentDirectory: String { FileManager.default.currentDirectoryPath }
}
