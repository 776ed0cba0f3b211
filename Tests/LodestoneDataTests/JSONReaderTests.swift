import LodestoneData
import LodestoneKernel
import Testing

@Suite("JSON reader")
struct JSONReaderTests {
    private func readError(_ text: String) -> DataError? {
        do {
            _ = try JSONReader.parse(text, file: "d.json")
            return nil
        } catch {
            return error
        }
    }

    @Test func valuesKeepTheirPositions() throws {
        let text = """
            {
              "imports": [
                {"importer": "JP", "tonnes_per_year": 2615.5}
              ]
            }
            """
        let root = try JSONReader.parse(text, file: "d.json")
        #expect(root.line == 1 && root.column == 1)
        guard case .object(let members) = root.value, let imports = members.first else {
            Issue.record("expected an object")
            return
        }
        #expect(imports.key == "imports")
        #expect((imports.keyLine, imports.keyColumn) == (2, 3))
        #expect((imports.value.line, imports.value.column) == (2, 14))
        guard case .array(let rows) = imports.value.value, case .object(let fields) = rows.first?.value else {
            Issue.record("expected an array of objects")
            return
        }
        #expect((rows[0].line, rows[0].column) == (3, 5))
        #expect(fields.map(\.key) == ["importer", "tonnes_per_year"])
        #expect(fields[0].value == JSONNode(value: .string("JP"), line: 3, column: 18))
        #expect(fields[1].value == JSONNode(value: .number(2615.5), line: 3, column: 43))
    }

    @Test func scalarsAndEscapes() throws {
        let root = try JSONReader.parse(#"[true, false, null, -0.5e2, 0, "a\"b\\c\/\n\u00e9\ud83d\udc4d"]"#, file: "d.json")
        guard case .array(let values) = root.value else {
            Issue.record("expected an array")
            return
        }
        #expect(values.map(\.value) == [.bool(true), .bool(false), .null, .number(-50), .number(0), .string("a\"b\\c/\né👍")])
        #expect(values.map(\.column) == [2, 8, 15, 21, 29, 32])
    }

    @Test func duplicateKeyIsAnErrorAtTheSecondKey() throws {
        let error = try #require(readError("{\"a\": 1,\n \"a\": 2}"))
        #expect(error.location == Place(file: "d.json", line: 2, column: 2))
        #expect(error.message == "duplicate key \"a\" (first given on line 1)")
    }

    @Test func missingCommaIsReportedWhereTheNextValueStarts() throws {
        let error = try #require(readError("[1,\n 2\n 3]"))
        #expect(error.location == Place(file: "d.json", line: 3, column: 2))
        #expect(error.message == "expected `,` or `]` after an array element, found `3`")
    }

    @Test func unterminatedStringIsReportedWhereItOpens() throws {
        let error = try #require(readError("{\"a\": \"abc}"))
        #expect(error.location == Place(file: "d.json", line: 1, column: 7))
        #expect(error.message.hasPrefix("unterminated string"))
    }

    @Test func malformedNumbersAndWords() throws {
        #expect(readError("[01]")?.message == "a number must not have a leading zero (write `7`, not `07`)")
        #expect(readError("[1.]")?.location == Place(file: "d.json", line: 1, column: 2))
        #expect(readError("[tru]")?.message == "expected `true`")
        #expect(readError("[1e400]")?.message.contains("too large") == true)
        #expect(readError("{} x")?.location == Place(file: "d.json", line: 1, column: 4))
        #expect(readError("")?.message.hasSuffix("found the end of the file") == true)
    }
}
