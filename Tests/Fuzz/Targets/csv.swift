// Fuzz target `csv`: the CSV reader and the dataset loader and validator, then a short run of
// the built-in models on any dataset that loads. The input is cut at NUL bytes into the seven
// files in table order (regions, commodities, consumption, imports, capacity, stockpiles,
// sources); files the input does not reach are the embedded baseline's. The bytes go through the
// same UTF-8 check as a file on disk.

@testable import LodestoneData
import LodestoneKernel

private let baseline = Baseline2024Dataset.files
private let tables = DataTable.allCases

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzCSV(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    let input = bytes(data, size)
    // The whole input as one file: the reader alone.
    do {
        let whole = try FileSystem.decodeUTF8(input, display: "fuzz.csv")
        let records = try CSVReader.records(in: whole, file: "fuzz.csv")
        for record in records {
            for field in record.fields { require(field.line >= 1 && field.column >= 1, "field at line \(field.line), column \(field.column)") }
        }
    } catch {
        checkDataError(error)
    }
    // The input as the seven files.
    let pieces = parts(data, size, limit: tables.count)
    var files = baseline
    for (i, piece) in pieces.enumerated() where i < files.count {
        files[i] = (tables[i].fileName, piece)
    }
    let report = EmbeddedCSVSource(name: "fuzz", files: files).loadReport()
    checkReport(report)
    if let dataset = report.dataset { runModels(on: dataset) }
    return 0
}
