import Foundation

/// File-name completion: the entries of a directory that extend a typed path.
struct FileNames {
    /// The directory relative paths start from (the working directory when nil).
    var baseDirectory: String?

    /// Paths that extend `typed` (`data/` → `data/2010/`, `cu` → `curbs.lode`): directories end
    /// in `/`; names starting with `.` appear only when `typed`'s last component starts with `.`.
    func candidates(extending typed: String) -> [String] {
        let slash = typed.lastIndex(of: "/")
        let directoryPart = slash.map { String(typed[...$0]) } ?? ""
        let namePart = slash.map { String(typed[typed.index(after: $0)...]) } ?? typed
        let directory = resolve(directoryPart)
        guard let entries = try? FileManager.default.contentsOfDirectory(atPath: directory) else { return [] }
        var out: [String] = []
        for entry in entries where entry.hasPrefix(namePart) {
            if entry.hasPrefix("."), !namePart.hasPrefix(".") { continue }
            var isDirectory: ObjCBool = false
            let full = (directory as NSString).appendingPathComponent(entry)
            _ = FileManager.default.fileExists(atPath: full, isDirectory: &isDirectory)
            out.append(directoryPart + entry + (isDirectory.boolValue ? "/" : ""))
        }
        return out.sorted()
    }

    /// The directory a typed directory part names (`~/` expanded; relative to the base).
    private func resolve(_ directoryPart: String) -> String {
        if directoryPart.isEmpty { return baseDirectory ?? FileManager.default.currentDirectoryPath }
        if directoryPart.hasPrefix("~") { return (directoryPart as NSString).expandingTildeInPath }
        if directoryPart.hasPrefix("/") { return directoryPart }
        let base = baseDirectory ?? FileManager.default.currentDirectoryPath
        return (base as NSString).appendingPathComponent(directoryPart)
    }
}
