import Foundation
import LodestoneData
import LodestoneKernel
import Testing

/// The JSON form: the same rules as CSV, with errors naming the JSON path and the value's
/// line and column.
@Suite("JSON dataset validation")
struct JSONValidationTests {
    /// The default dataset as JSON lines (one row object per line).
    private func defaultJSONLines() throws -> [String] {
        DatasetWriter.jsonText(try defaultDataset()).components(separatedBy: "\n")
    }

    /// The line number (from 1) of the first line containing `needle`.
    private func lineNumber(of needle: String, in lines: [String]) throws -> Int {
        try #require(lines.firstIndex { $0.contains(needle) }) + 1
    }

    private let japanChinaDyTb = #"{"importer": "JP", "exporter": "CN", "commodity": "DyTb", "tonnes_per_year": 380"#

    /// Writes `text` as `data.json` in a temporary directory and loads it.
    private func load(_ text: String) throws -> (report: DataLoadReport, path: String) {
        try withTemporaryDirectory { directory in
            let path = directory + "/data.json"
            try text.write(toFile: path, atomically: true, encoding: .utf8)
            return (JSONFileSource(path: path).loadReport(), path)
        }
    }

    /// Loads the default JSON with line `line` (from 1) rewritten.
    private func loadEdited(line: Int, _ transform: (String) -> String) throws -> (report: DataLoadReport, path: String, text: String) {
        var lines = try defaultJSONLines()
        lines[line - 1] = transform(lines[line - 1])
        let (report, path) = try load(lines.joined(separator: "\n"))
        return (report, path, lines[line - 1])
    }

    @Test func negativeTonnesNamesPathLineAndColumn() throws {
        let line = try lineNumber(of: japanChinaDyTb, in: try defaultJSONLines())
        let (report, path, text) = try loadEdited(line: line) { $0.replacingOccurrences(of: ": 380", with: ": -380") }
        let error = try onlyError(report)
        let column = try #require(scalarColumn(of: "-380", in: text))
        #expect(error.location == Place(file: path, line: line, column: column))
        #expect(error.message == "imports[3].tonnes_per_year: negative tonnes per year (-380); expected a number ≥ 0")
        #expect(error.description == "\(path):\(line):\(column): error: \(error.message)")
    }

    @Test func unknownRegionWithSuggestion() throws {
        let line = try lineNumber(of: japanChinaDyTb, in: try defaultJSONLines())
        let (report, path, text) = try loadEdited(line: line) {
            $0.replacingOccurrences(of: #""exporter": "CN""#, with: #""exporter": "CNN""#)
        }
        let error = try onlyError(report)
        #expect(error.location == Place(file: path, line: line, column: try #require(scalarColumn(of: #""CNN""#, in: text))))
        #expect(
            error.message
                == "imports[3].exporter: unknown region `CNN`; did you mean `CN`? "
                + "(the `regions` table defines CN, JP, US, MY, VN, FR, IN, EE, ROW)")
    }

    @Test func numericStringsAreNumbersAndWrongTypesAreErrors() throws {
        let line = try lineNumber(of: japanChinaDyTb, in: try defaultJSONLines())
        let quoted = try loadEdited(line: line) { $0.replacingOccurrences(of: ": 380", with: #": "380""#) }
        expectSameTables(try quoted.report.get(), try defaultDataset())

        let boolean = try loadEdited(line: line) { $0.replacingOccurrences(of: ": 380", with: ": true") }
        #expect(
            try onlyError(boolean.report).message
                == "imports[3].tonnes_per_year: expected a number of tonnes per year such as `1200` or `2.5e3`, found a boolean")
        let number = try loadEdited(line: line) { $0.replacingOccurrences(of: #""importer": "JP""#, with: #""importer": 5"#) }
        let error = try onlyError(number.report)
        #expect(error.message == "imports[3].importer: expected text in double quotes, found a number")
        #expect(error.location.column == 18)
    }

    @Test func missingFieldIsReportedAtTheRowObject() throws {
        let line = try lineNumber(of: japanChinaDyTb, in: try defaultJSONLines())
        let (report, path, _) = try loadEdited(line: line) {
            $0.replacingOccurrences(of: #", "source": "assumption"}"#, with: "}")
        }
        let error = try onlyError(report)
        #expect(error.location == Place(file: path, line: line, column: 5))
        #expect(error.message == "imports[3]: missing field `source`")
    }

    @Test func unknownFieldIsAWarning() throws {
        let line = try lineNumber(of: japanChinaDyTb, in: try defaultJSONLines())
        let (report, path, text) = try loadEdited(line: line) {
            $0.replacingOccurrences(of: #""source": "assumption"}"#, with: #""source": "assumption", "note": "x"}"#)
        }
        #expect(report.errors.isEmpty, "\(report.diagnostics)")
        let warning = try #require(report.warnings.first)
        #expect(warning.location == Place(file: path, line: line, column: try #require(scalarColumn(of: #""note""#, in: text))))
        #expect(
            warning.message
                == "imports[3].note: unknown field `note` is ignored "
                + "(imports rows have importer, exporter, commodity, tonnes_per_year, source)")
        expectSameTables(try report.get(), try defaultDataset())
    }

    @Test func missingTable() throws {
        let lines = try defaultJSONLines()
        let line = try lineNumber(of: #""capacity": ["#, in: lines)
        let misspelt = try loadEdited(line: line) { $0.replacingOccurrences(of: "capacity", with: "capacty") }
        let error = try onlyError(misspelt.report)
        #expect(error.location == Place(file: misspelt.path, line: line, column: 3))
        #expect(error.message == #"missing table `capacity`: found "capacty" here; did you mean "capacity"?"#)
        #expect(misspelt.report.warnings.isEmpty)

        let other = try loadEdited(line: line) { $0.replacingOccurrences(of: "capacity", with: "capacities") }
        let missing = try onlyError(other.report)
        #expect(missing.location == Place(file: other.path, line: 1, column: 1))
        #expect(
            missing.message
                == #"missing table `capacity`; expected "capacity": an array of objects with the fields "#
                + "region, commodity, tonnes_per_year, source")
        #expect(other.report.warnings.map(\.message) == [
            #"unknown table "capacities" is ignored (tables: regions, commodities, consumption, imports, capacity, stockpiles, sources)"#
        ])
    }

    @Test func duplicateRowNamesTheFirstOne() throws {
        var lines = try defaultJSONLines()
        let first = try lineNumber(of: #"{"importer": "JP", "exporter": "CN", "commodity": "NdPr""#, in: lines)
        lines.insert(lines[first - 1], at: first)
        let (report, path) = try load(lines.joined(separator: "\n"))
        let error = try onlyError(report)
        #expect(error.location == Place(file: path, line: first + 1, column: 18))
        #expect(
            error.message
                == "duplicate row: (importer, exporter, commodity) = (JP, CN, NdPr) is already given at imports[0], "
                + "line \(first); keep one row per importer, exporter, commodity")
    }

    @Test func shareThatCannotBeFormed() throws {
        let lines = try defaultJSONLines().filter { !($0.contains(#""importer": "JP""#) && $0.contains(#""DyTb""#)) }
        let (report, path) = try load(lines.joined(separator: "\n"))
        let error = try onlyError(report)
        let line = try lineNumber(of: #"{"region": "JP", "commodity": "DyTb""#, in: lines)
        #expect(error.location == Place(file: path, line: line, column: 16))
        #expect(error.message.hasPrefix("consumption[1].region: JP consumes 400 t/yr of DyTb but has no DyTb imports in the `imports` table"))
    }

    @Test func syntaxAndShapeErrors() throws {
        let lines = try defaultJSONLines()
        let line = try lineNumber(of: japanChinaDyTb, in: lines)
        let missingComma = try loadEdited(line: line) { String($0.dropLast()) }
        let syntax = try onlyError(missingComma.report)
        #expect(syntax.location == Place(file: missingComma.path, line: line + 1, column: 5))
        #expect(syntax.message == "expected `,` or `]` after an array element, found `{`")

        let array = try onlyError(try load("[]").report)
        #expect(array.location.line == 1 && array.location.column == 1)
        #expect(
            array.message
                == "expected an object with one array per table (regions, commodities, consumption, imports, "
                + "capacity, stockpiles, sources), found an array")

        let regions = try lineNumber(of: #""regions": ["#, in: lines)
        var broken = lines
        broken[regions - 1] = #"  "regions": {"CN": "China"}, "unused": ["#
        let object = try load(broken.joined(separator: "\n")).report
        #expect(object.dataset == nil)
        #expect(object.errors.first?.message == "regions: expected an array of objects with the fields code, name, found an object")
        #expect(object.errors.first?.location.column == 14)
    }

    @Test func missingFile() throws {
        let source = JSONFileSource(path: "/nonexistent/data.json")
        let error = try onlyError(source.loadReport())
        #expect(error.location == Place(file: "/nonexistent/data.json", line: 1, column: 1))
        #expect(error.message == "no such file; expected a JSON file with one array per table")
    }
}
