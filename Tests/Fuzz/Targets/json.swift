// Fuzz target `json`: the JSON reader and the JSON dataset loader and validator, then a short
// run of the built-in models on any dataset that loads (see `csv.swift` for the run and checks,
// compiled into this binary too). The bytes go through the same UTF-8 check as a file on disk.

@testable import LodestoneData
import LodestoneKernel

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzJSON(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    let text: String
    do {
        text = try FileSystem.decodeUTF8(bytes(data, size), display: "fuzz.json")
    } catch {
        checkDataError(error)
        return 0
    }
    do {
        let root = try JSONReader.parse(text, file: "fuzz.json")
        require(root.line >= 1 && root.column >= 1, "JSON root at \(root.line):\(root.column)")
    } catch {
        checkDataError(error)
    }
    let report = JSONTablesLoader.load(text: text, file: "fuzz.json", name: "fuzz", description: "fuzz")
    checkReport(report)
    if let dataset = report.dataset { runModels(on: dataset) }
    return 0
}
