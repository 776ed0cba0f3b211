#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif
import LodestoneKernel

extension AtomicFile {
    /// Writes several files that belong together (a CSV, its metrics and its metadata): every
    /// destination is checked before anything is written, then each file is written atomically in
    /// order. If one fails, the files this call created are removed again, so that no partial set
    /// is left behind.
    static func writeAll(_ files: [(path: String, text: String)], overwrite: Bool) throws(ExportError) {
        var existed: [Bool] = []
        for file in files {
            let target = try checkDestination(file.path, overwrite: overwrite)
            existed.append(access(target, F_OK) == 0)
        }
        for (n, file) in files.enumerated() {
            do { try write(file.text, to: file.path, overwrite: overwrite) } catch {
                for m in 0..<n where !existed[m] { unlink(resolve(files[m].path)) }
                throw error
            }
        }
    }
}
