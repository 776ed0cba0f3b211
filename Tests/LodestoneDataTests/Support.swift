import Foundation
import LodestoneData
import LodestoneKernel
import Testing

/// A fresh directory under the system's temporary directory, removed after `body`.
func withTemporaryDirectory<T>(_ body: (String) throws -> T) throws -> T {
    let path = FileManager.default.temporaryDirectory.path + "/lodestone-data-tests-" + UUID().uuidString
    try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
    defer { try? FileManager.default.removeItem(atPath: path) }
    return try body(path)
}

/// The default dataset's CSV files as lines, by file name, for tests to edit.
func defaultLines() -> [String: [String]] {
    var files: [String: [String]] = [:]
    for file in Baseline2024Dataset.files {
        var lines = file.text.components(separatedBy: "\n")
        if lines.last == "" { lines.removeLast() }
        files[file.name] = lines
    }
    return files
}

/// The default dataset's CSV files, for a test to break in one place.
struct EditableFiles {
    /// Lines by file name; a removed file is absent.
    var files: [String: [String]] = defaultLines()

    /// Replaces line `line` (from 1) of `file`.
    mutating func set(_ file: String, line: Int, _ text: String) { files[file]?[line - 1] = text }
    /// Appends a line to `file`.
    mutating func append(_ file: String, _ text: String) { files[file]?.append(text) }
    /// Removes lines (from 1) of `file`.
    mutating func removeLines(_ file: String, _ lines: Set<Int>) {
        files[file] = files[file]?.enumerated().filter { !lines.contains($0.offset + 1) }.map(\.element)
    }
    /// Deletes `file`.
    mutating func remove(_ file: String) { files[file] = nil }
    /// Rewrites every line of `file`.
    mutating func mapLines(_ file: String, _ transform: (String) -> String) { files[file] = files[file]?.map(transform) }
    /// Line `line` (from 1) of `file`.
    func line(_ file: String, _ line: Int) -> String { files[file]?[line - 1] ?? "" }
}

/// Writes the default CSV files, edited by `edit`, into a temporary directory and loads it
/// through ``CSVDirectorySource``.
func loadEditedDefault(_ edit: (inout EditableFiles) -> Void) throws -> DataLoadReport {
    var files = EditableFiles()
    edit(&files)
    return try withTemporaryDirectory { directory in
        for (name, lines) in files.files {
            try (lines.joined(separator: "\n") + "\n").write(
                toFile: directory + "/" + name, atomically: true, encoding: .utf8)
        }
        return CSVDirectorySource(path: directory).loadReport()
    }
}

/// The one error of a report, after checking there is exactly one and no dataset.
func onlyError(_ report: DataLoadReport, sourceLocation: Testing.SourceLocation = #_sourceLocation) throws -> DataError {
    #expect(report.dataset == nil, sourceLocation: sourceLocation)
    #expect(report.errors.count == 1, "\(report.diagnostics)", sourceLocation: sourceLocation)
    return try #require(report.errors.first, sourceLocation: sourceLocation)
}

/// The file name part of a location (`imports.csv`).
func fileName(_ location: LodestoneKernel.SourceLocation) -> String {
    String(location.file.split(separator: "/").last ?? "")
}

/// The 1-based column of the first occurrence of `needle` in `line`, in Unicode scalars.
func scalarColumn(of needle: String, in line: String) -> Int? {
    let scalars = Array(line.unicodeScalars), target = Array(needle.unicodeScalars)
    guard scalars.count >= target.count else { return nil }
    for start in 0...(scalars.count - target.count) where Array(scalars[start..<start + target.count]) == target {
        return start + 1
    }
    return nil
}

/// Checks that two datasets hold the same tables (names and descriptions may differ).
func expectSameTables(_ a: Dataset, _ b: Dataset, sourceLocation: Testing.SourceLocation = #_sourceLocation) {
    #expect(a.regions == b.regions, sourceLocation: sourceLocation)
    #expect(a.commodities == b.commodities, sourceLocation: sourceLocation)
    #expect(a.consumption == b.consumption, sourceLocation: sourceLocation)
    #expect(a.flows == b.flows, sourceLocation: sourceLocation)
    #expect(a.capacities == b.capacities, sourceLocation: sourceLocation)
    #expect(a.stockpiles == b.stockpiles, sourceLocation: sourceLocation)
    #expect(a.sources == b.sources, sourceLocation: sourceLocation)
}

/// The default dataset, loaded.
func defaultDataset() throws -> Dataset { try Baseline2024Dataset.report.get() }
typealias Place = LodestoneKernel.SourceLocation
