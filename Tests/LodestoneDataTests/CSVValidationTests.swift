import Foundation
import LodestoneData
import LodestoneKernel
import Testing

/// Every validation rule of DESIGN §3.5 on a CSV directory: the default files with one thing
/// broken, checking the message and the line and column it names.
@Suite("CSV dataset validation")
struct CSVValidationTests {
    private let regionList = "CN, JP, US, MY, VN, FR, IN, EE, ROW"

    private func expectError(
        _ report: DataLoadReport, file: String, line: Int, column: Int, _ message: String,
        sourceLocation: Testing.SourceLocation = #_sourceLocation
    ) throws {
        let error = try onlyError(report, sourceLocation: sourceLocation)
        #expect(fileName(error.location) == file, sourceLocation: sourceLocation)
        #expect(error.location.line == line, sourceLocation: sourceLocation)
        #expect(error.location.column == column, sourceLocation: sourceLocation)
        #expect(error.message == message, sourceLocation: sourceLocation)
        #expect(error.description.hasSuffix("/\(file):\(line):\(column): error: \(message)"), sourceLocation: sourceLocation)
    }

    @Test func unknownRegionWithSuggestion() throws {
        let report = try loadEditedDefault { $0.set("imports.csv", line: 3, "JP,MYS,NdPr,2353,jare-lynas-2023") }
        try expectError(
            report, file: "imports.csv", line: 3, column: 4,
            "exporter: unknown region `MYS`; did you mean `MY`? (regions.csv defines \(regionList))")
    }

    @Test func unknownRegionWithoutSuggestion() throws {
        let report = try loadEditedDefault { $0.set("stockpiles.csv", line: 7, "Japan,Other,private,18,jogmec-stockpile") }
        try expectError(
            report, file: "stockpiles.csv", line: 7, column: 1,
            "region: unknown region `Japan` (regions.csv defines \(regionList))")
    }

    @Test func unknownCommodityWithSuggestion() throws {
        let report = try loadEditedDefault { $0.set("consumption.csv", line: 3, "JP,DyTB,400,assumption") }
        try expectError(
            report, file: "consumption.csv", line: 3, column: 4,
            "commodity: unknown commodity `DyTB`; did you mean `DyTb`? (commodities.csv defines NdPr, DyTb, Other)")
    }

    @Test func negativeTonnes() throws {
        let report = try loadEditedDefault { $0.set("imports.csv", line: 3, "JP,MY,NdPr,-5,jare-lynas-2023") }
        try expectError(
            report, file: "imports.csv", line: 3, column: 12,
            "tonnes_per_year: negative tonnes per year (-5); expected a number ≥ 0")
    }

    @Test func nonNumericTonnes() throws {
        let report = try loadEditedDefault { $0.set("capacity.csv", line: 2, "CN,NdPr,5.4k,assumption") }
        try expectError(
            report, file: "capacity.csv", line: 2, column: 9,
            "tonnes_per_year: expected a number of tonnes per year such as `1200` or `2.5e3`, found `5.4k`")
    }

    @Test func thousandsSeparatorIsExplained() throws {
        let report = try loadEditedDefault { $0.set("capacity.csv", line: 4, #"CN,Other,"65,000",assumption"#) }
        try expectError(
            report, file: "capacity.csv", line: 4, column: 10,
            "tonnes_per_year: expected a number of tonnes per year such as `1200` or `2.5e3`, found `65,000` "
                + "(write numbers without thousands separators)")
    }

    @Test func nonFiniteNumbersAreNotNumbers() throws {
        for text in ["inf", "nan", "0x10", "1e999", "12 t"] {
            let report = try loadEditedDefault { $0.set("capacity.csv", line: 2, "CN,NdPr,\(text),assumption") }
            let error = try onlyError(report)
            #expect(error.location.column == 9)
            #expect(error.message.hasSuffix("found `\(text)`"))
        }
    }

    @Test func negativeAndNonNumericDays() throws {
        let negative = try loadEditedDefault { $0.set("stockpiles.csv", line: 2, "JP,NdPr,state,-42,jogmec-stockpile") }
        try expectError(
            negative, file: "stockpiles.csv", line: 2, column: 15, "days: negative days (-42); expected a number ≥ 0")
        let text = try loadEditedDefault { $0.set("stockpiles.csv", line: 2, "JP,NdPr,state,forty,jogmec-stockpile") }
        try expectError(
            text, file: "stockpiles.csv", line: 2, column: 15,
            "days: expected a number of days such as `60` or `42.5`, found `forty`")
    }

    @Test func negativeZeroAndNonNumericPrice() throws {
        let name = #""Neodymium-praseodymium oxide (magnet light rare earths)""#
        let priceColumn = try #require(scalarColumn(of: ",56,", in: "NdPr,\(name),56,usgs-mcs-2025")) + 1
        let cases: [(String, String)] = [
            ("-56", "price_usd_per_kg: negative price (-56); expected a number ≥ 0"),
            ("abc", "price_usd_per_kg: expected a price in USD/kg such as `56` or `8.8`, found `abc`"),
            ("0", "price_usd_per_kg: a price of 0 USD/kg; the baseline price p0 must be greater than 0"),
        ]
        for (price, message) in cases {
            let report = try loadEditedDefault { $0.set("commodities.csv", line: 2, "NdPr,\(name),\(price),usgs-mcs-2025") }
            try expectError(report, file: "commodities.csv", line: 2, column: priceColumn, message)
        }
    }

    @Test func importerWithoutImportsOfWhatItConsumes() throws {
        let report = try loadEditedDefault { $0.removeLines("imports.csv", [5, 6]) }
        try expectError(
            report, file: "consumption.csv", line: 3, column: 1,
            "region: JP consumes 400 t/yr of DyTb but has no DyTb imports in imports.csv, so its import shares "
                + "cannot be formed; add its suppliers (a domestic producer imports from itself, e.g. "
                + "`JP,JP,DyTb,…`) or set its consumption to 0")
        let zero = try loadEditedDefault {
            $0.set("imports.csv", line: 5, "JP,CN,DyTb,0,assumption")
            $0.set("imports.csv", line: 6, "JP,VN,DyTb,0,assumption")
        }
        let error = try onlyError(zero)
        #expect(error.location.line == 3)
        #expect(error.message.contains("JP consumes 400 t/yr of DyTb but imports 0 t of DyTb in imports.csv"))
        // Consuming nothing needs no imports.
        let none = try loadEditedDefault {
            $0.removeLines("imports.csv", [5, 6])
            $0.set("consumption.csv", line: 3, "JP,DyTb,0,assumption")
        }
        #expect(none.errors.isEmpty, "\(none.diagnostics)")
        #expect(try none.get().baselineDemand(importer: "JP", commodity: "DyTb") == 0)
    }

    @Test func missingFile() throws {
        let report = try loadEditedDefault { $0.remove("capacity.csv") }
        try expectError(
            report, file: "capacity.csv", line: 1, column: 1,
            "missing file capacity.csv; expected a CSV file with the header `region,commodity,tonnes_per_year,source`")
    }

    @Test func missingColumn() throws {
        let report = try loadEditedDefault { files in
            files.mapLines("stockpiles.csv") { line in
                line.split(separator: ",", omittingEmptySubsequences: false).enumerated().filter { $0.offset != 3 }
                    .map { String($0.element) }.joined(separator: ",")
            }
        }
        try expectError(
            report, file: "stockpiles.csv", line: 1, column: 1,
            "missing column `days`; the header must be `region,commodity,holder,days,source` "
                + "(found `region,commodity,holder,source`)")
    }

    @Test func misspeltColumnIsPointedAt() throws {
        let report = try loadEditedDefault { $0.set("stockpiles.csv", line: 1, "region,commodity,holder,dayz,source") }
        try expectError(
            report, file: "stockpiles.csv", line: 1, column: 25,
            "missing column `days`: found `dayz` here; did you mean `days`? "
                + "(the header must be `region,commodity,holder,days,source`)")
        #expect(report.warnings.isEmpty)
    }

    @Test func unknownSourceID() throws {
        let report = try loadEditedDefault { $0.set("imports.csv", line: 2, "JP,CN,NdPr,2615,asumption") }
        try expectError(
            report, file: "imports.csv", line: 2, column: 17,
            "source: unknown source id `asumption`; did you mean `assumption`? (sources.csv defines usgs-mcs-2025, "
                + "jsnm-demand, jogmec-share-2024, gac-exports-2024, lynas-fy2025, jare-lynas-2023, toyotsu-india-2024, "
                + "us-imports-2024, mp-2024, jogmec-stockpile, assumption)")
    }

    @Test func holderOtherThanStateOrPrivate() throws {
        let report = try loadEditedDefault { $0.set("stockpiles.csv", line: 3, "JP,NdPr,public,18,jogmec-stockpile") }
        try expectError(
            report, file: "stockpiles.csv", line: 3, column: 9, "holder: `public` is not a holder; expected `state` (the national reserve) or `private` (industry inventories)")
        let capital = try loadEditedDefault { $0.set("stockpiles.csv", line: 2, "JP,NdPr,State,42,jogmec-stockpile") }
        try expectError(
            capital, file: "stockpiles.csv", line: 2, column: 9,
            "holder: `State` is not a holder; expected `state` (the national reserve) or `private` (industry inventories); did you mean `state`?")
    }

    @Test func duplicateRows() throws {
        let flow = try loadEditedDefault { $0.append("imports.csv", "JP,CN,NdPr,1,assumption") }
        try expectError(
            flow, file: "imports.csv", line: 30, column: 1,
            "duplicate row: (importer, exporter, commodity) = (JP, CN, NdPr) is already given on line 2; "
                + "keep one row per importer, exporter, commodity")
        let region = try loadEditedDefault { $0.append("regions.csv", "JP,Japan again") }
        try expectError(
            region, file: "regions.csv", line: 11, column: 1,
            "duplicate row: (code) = (JP) is already given on line 3; keep one row per code")
        let stock = try loadEditedDefault { $0.append("stockpiles.csv", "JP, DyTb ,state,10,assumption") }
        try expectError(
            stock, file: "stockpiles.csv", line: 8, column: 1,
            "duplicate row: (region, commodity, holder) = (JP, DyTb, state) is already given on line 4; "
                + "keep one row per region, commodity, holder")
        let source = try loadEditedDefault { $0.append("sources.csv", "mp-2024,Again,") }
        try expectError(
            source, file: "sources.csv", line: 13, column: 1,
            "duplicate row: (id) = (mp-2024) is already given on line 10; keep one row per id")
    }

    @Test func unknownExtraColumnIsAWarningAndIgnored() throws {
        let report = try loadEditedDefault { files in
            files.mapLines("consumption.csv") { $0.hasPrefix("region,") ? $0 + ",note" : $0 + ",checked" }
        }
        #expect(report.errors.isEmpty, "\(report.diagnostics)")
        let warning = try #require(report.warnings.first)
        #expect(report.warnings.count == 1)
        #expect(fileName(warning.location) == "consumption.csv")
        #expect((warning.location.line, warning.location.column) == (1, 41))
        #expect(
            warning.message
                == "unknown column `note` is ignored (consumption.csv has `region,commodity,tonnes_per_year,source`)")
        #expect(warning.warningDescription.hasSuffix("consumption.csv:1:41: warning: \(warning.message)"))
        expectSameTables(try report.get(), try defaultDataset())
    }

    @Test func crlfLineBreaksAndByteOrderMarksLoadTheSameDataset() throws {
        let report = try loadEditedDefault { files in
            for name in files.files.keys { files.mapLines(name) { $0 + "\r" } }
            files.set("regions.csv", line: 1, "\u{FEFF}code,name\r")
        }
        #expect(report.errors.isEmpty && report.warnings.isEmpty, "\(report.diagnostics)")
        expectSameTables(try report.get(), try defaultDataset())
        // Positions are unchanged by the CR: the price of DyTb is still named at its column.
        let broken = try loadEditedDefault { files in
            for name in files.files.keys { files.mapLines(name) { $0 + "\r" } }
            files.set("imports.csv", line: 3, "JP,MY,NdPr,-5,jare-lynas-2023\r")
        }
        try expectError(
            broken, file: "imports.csv", line: 3, column: 12,
            "tonnes_per_year: negative tonnes per year (-5); expected a number ≥ 0")
    }

    @Test func wrongFieldCounts() throws {
        let short = try loadEditedDefault { $0.set("imports.csv", line: 3, "JP,MY,NdPr,2353") }
        try expectError(
            short, file: "imports.csv", line: 3, column: 16,
            "expected 5 fields (`importer,exporter,commodity,tonnes_per_year,source`), found 4")
        let long = try loadEditedDefault { $0.set("imports.csv", line: 3, "JP,MY,NdPr,2,353,jare-lynas-2023") }
        try expectError(
            long, file: "imports.csv", line: 3, column: 18,
            "expected 5 fields (`importer,exporter,commodity,tonnes_per_year,source`), found 6; "
                + "put a field that contains a comma in double quotes")
    }

    @Test func csvSyntaxErrorNamesItsPlace() throws {
        let report = try loadEditedDefault { $0.set("sources.csv", line: 12, #"assumption,"Lodestone assumption"#) }
        try expectError(
            report, file: "sources.csv", line: 12, column: 12,
            "unterminated quoted field: the quote opened here is never closed (write `\"\"` for a quote inside a field)")
    }

    @Test func emptyRequiredCells() throws {
        let commodity = try loadEditedDefault { $0.set("consumption.csv", line: 2, "JP,,5229,jsnm-demand") }
        try expectError(
            commodity, file: "consumption.csv", line: 2, column: 4,
            "commodity: empty; expected a commodity code from commodities.csv")
        let name = try loadEditedDefault { $0.set("regions.csv", line: 3, "JP, ") }
        try expectError(name, file: "regions.csv", line: 3, column: 4, "name: empty; expected a display name")
    }

    @Test func badRegionCode() throws {
        let report = try loadEditedDefault { $0.set("regions.csv", line: 5, "M/Y,Malaysia (Lynas)") }
        let first = try #require(report.errors.first)
        #expect(fileName(first.location) == "regions.csv")
        #expect((first.location.line, first.location.column) == (5, 1))
        #expect(
            first.message
                == "code: the region code `M/Y` may contain only letters, digits, `_` and `-` "
                + "(codes appear in signal keys such as `CN>JP/DyTb`)")
    }

    @Test func tableWithoutRows() throws {
        let report = try loadEditedDefault { $0.removeLines("commodities.csv", [2, 3, 4]) }
        let first = try #require(report.errors.first)
        #expect(fileName(first.location) == "commodities.csv")
        #expect((first.location.line, first.location.column) == (1, 1))
        #expect(first.message == "commodities.csv has no rows; a dataset needs at least one commodity")
        let empty = try loadEditedDefault { $0.files["regions.csv"] = [] }
        let error = try #require(empty.errors.first)
        #expect(fileName(error.location) == "regions.csv")
        #expect(error.message == "empty file; expected the header `code,name`")
    }

    @Test func badDatasetIsRejectedWholeAndErrorsComeInFileOrder() throws {
        let report = try loadEditedDefault { files in
            files.set("stockpiles.csv", line: 3, "JP,NdPr,public,18,jogmec-stockpile")
            files.set("imports.csv", line: 9, "JP,FR,Other,-1056,assumption")
            files.set("imports.csv", line: 3, "JP,MY,NdPr,lots,jare-lynas-2023")
            files.set("regions.csv", line: 6, "VN,")
        }
        #expect(report.dataset == nil)
        #expect(report.errors.map { fileName($0.location) } == ["regions.csv", "imports.csv", "imports.csv", "stockpiles.csv"])
        #expect(report.errors.map(\.location.line) == [6, 3, 9, 3])
        #expect(throws: report.errors[0]) { try report.get() }
        let diagnostics = report.diagnostics.components(separatedBy: "\n")
        #expect(diagnostics.count == 4)
        #expect(diagnostics[1].hasSuffix("imports.csv:3:12: error: tonnes_per_year: expected a number of tonnes per year such as `1200` or `2.5e3`, found `lots`"))
    }

    @Test func invalidUTF8IsLocated() throws {
        try withTemporaryDirectory { directory in
            try DatasetWriter.writeCSVDirectory(try defaultDataset(), to: directory)
            var bytes = Array("code,name\nCN,China\nJP,Jap".utf8)
            bytes += [0xFF]
            bytes += Array("an\n".utf8)
            try Data(bytes).write(to: URL(fileURLWithPath: directory + "/regions.csv"))
            let error = try onlyError(CSVDirectorySource(path: directory).loadReport())
            #expect(error.location == Place(file: directory + "/regions.csv", line: 3, column: 7))
            #expect(error.message == "the file is not valid UTF-8 text here; save it as UTF-8")
        }
    }

    @Test func missingDirectory() throws {
        let source = CSVDirectorySource(path: "/nonexistent/lodestone-data/")
        #expect(source.name == "/nonexistent/lodestone-data/")
        let error = try onlyError(source.loadReport())
        #expect(error.location == Place(file: "/nonexistent/lodestone-data/", line: 1, column: 1))
        #expect(error.message.hasPrefix("expected a directory of CSV files (regions.csv, commodities.csv,"))
        #expect(error.message.hasSuffix("found nothing"))
        #expect(throws: DataError.self) { try source.load() }
    }

    @Test func datasetBuiltInCodeIsCheckedByTheSameRules() throws {
        var dataset = try defaultDataset()
        dataset.flows[0].tonnesPerYear = -1
        dataset.stockpiles[1].region = "JPN"
        let report = DatasetValidator.validate(dataset)
        #expect(report.dataset == nil)
        #expect(report.errors.count == 2)
        #expect(report.errors[0] == DataError(
            Place(file: "baseline-2024/imports.csv", line: 2, column: 12),
            "tonnes_per_year: negative tonnes per year (-1); expected a number ≥ 0"))
        #expect(report.errors[1].location == Place(file: "baseline-2024/stockpiles.csv", line: 3, column: 1))
        #expect(report.errors[1].message.hasPrefix("region: unknown region `JPN`; did you mean `JP`?"))
        let sound = DatasetValidator.validate(try defaultDataset())
        #expect(sound.errors.isEmpty)
        expectSameTables(try sound.get(), try defaultDataset())
    }
}

/// Datasets saved by Windows tools and values too large to add up (issue 15).
@Suite("Data files: Windows line ends, finite totals")
struct DataHardeningTests {
    @Test("CSV files with a byte-order mark and CRLF line ends load like Unix ones")
    func windowsFiles() throws {
        let plain = try withTemporaryDirectory { directory -> Dataset in
            for file in Baseline2024Dataset.files {
                try file.text.write(toFile: directory + "/" + file.name, atomically: true, encoding: .utf8)
            }
            return try CSVDirectorySource(path: directory).load()
        }
        let windows = try withTemporaryDirectory { directory -> Dataset in
            for file in Baseline2024Dataset.files {
                let text = file.text.replacingOccurrences(of: "\r\n", with: "\n").replacingOccurrences(of: "\n", with: "\r\n")
                let bytes = [UInt8]([0xEF, 0xBB, 0xBF]) + Array(text.utf8)
                #expect(FileManager.default.createFile(atPath: directory + "/" + file.name, contents: Data(bytes)))
            }
            return try CSVDirectorySource(path: directory).load()
        }
        #expect(windows.regions.map(\.code) == plain.regions.map(\.code))
        #expect(windows.flows.map(\.tonnesPerYear) == plain.flows.map(\.tonnesPerYear))
        #expect(windows.sources.map(\.url) == plain.sources.map(\.url))
    }

    @Test(
        "a value so large that totals or products with prices overflow is refused where it is",
        arguments: [
            ("imports.csv", "tonnes_per_year", "1.7e308", "1.7e+308 t/yr is too large; expected at most 1e20 t/yr"),
            ("commodities.csv", "price_usd_per_kg", "1e308", "1e+308 USD/kg is too large; expected at most 1e12 USD/kg"),
            ("stockpiles.csv", "days", "1e300", "1e+300 days is too large; expected at most 1e9 days"),
        ])
    func hugeValues(_ file: String, _ column: String, _ value: String, _ expected: String) throws {
        let report = try loadEditedDefault { files in
            let header = files.line(file, 1).split(separator: ",").map(String.init)
            let index = try! #require(header.firstIndex(of: column))
            var cells = files.line(file, 2).split(separator: ",", omittingEmptySubsequences: false).map(String.init)
            cells[index] = value
            files.set(file, line: 2, cells.joined(separator: ","))
        }
        let error = try onlyError(report)
        #expect(error.location.line == 2)
        #expect(error.message.contains(expected), "\(error.message)")
    }
}
