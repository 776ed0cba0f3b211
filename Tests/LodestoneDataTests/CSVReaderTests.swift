import LodestoneData
import LodestoneKernel
import Testing

@Suite("CSV reader")
struct CSVReaderTests {
    /// (text, line, column, quoted) of every field of every record.
    private func fields(_ text: String) throws -> [[(String, Int, Int, Bool)]] {
        try CSVReader.records(in: text, file: "t.csv").map { record in
            record.fields.map { ($0.text, $0.line, $0.column, $0.isQuoted) }
        }
    }

    private func readError(_ text: String) -> DataError? {
        do {
            _ = try CSVReader.records(in: text, file: "t.csv")
            return nil
        } catch {
            return error
        }
    }

    @Test func plainFieldsHaveTheirPositions() throws {
        let records = try fields("code,name\nJP,Japan\n")
        #expect(records.count == 2)
        #expect(records[0].map(\.0) == ["code", "name"])
        #expect(records[1][0] == ("JP", 2, 1, false))
        #expect(records[1][1] == ("Japan", 2, 4, false))
    }

    @Test func quotedFieldWithCommaAndEscapedQuotes() throws {
        let records = try fields(#"x,"a, ""b""",c"#)
        #expect(records[0][0] == ("x", 1, 1, false))
        #expect(records[0][1] == (#"a, "b""#, 1, 3, true))
        // The closing quote is column 12, the comma 13.
        #expect(records[0][2] == ("c", 1, 14, false))
    }

    @Test func embeddedLineBreakMovesLaterPositions() throws {
        let records = try fields("a,\"line1\nline2\",b\nc,d\n")
        #expect(records.count == 2)
        #expect(records[0][1] == ("line1\nline2", 1, 3, true))
        #expect(records[0][2] == ("b", 2, 8, false))
        #expect(records[1][0] == ("c", 3, 1, false))
        #expect(records[1][1] == ("d", 3, 3, false))
    }

    @Test func crlfLineBreaks() throws {
        let records = try fields("a,b\r\nc,\"x\r\ny\"\r\ne,f")
        #expect(records.count == 3)
        #expect(records[0][1] == ("b", 1, 3, false))
        #expect(records[1][1] == ("x\ny", 2, 3, true))
        #expect(records[2][0] == ("e", 4, 1, false))
        #expect(records[2][1] == ("f", 4, 3, false))
    }

    @Test func loneCarriageReturnEndsALine() throws {
        let records = try fields("a,b\rc,d")
        #expect(records.map { $0.map(\.0) } == [["a", "b"], ["c", "d"]])
        #expect(records[1][1] == ("d", 2, 3, false))
    }

    @Test func byteOrderMarkIsSkippedAndNotCounted() throws {
        let records = try fields("\u{FEFF}code,name\nJP,Japan")
        #expect(records[0][0] == ("code", 1, 1, false))
        #expect(records[0][1] == ("name", 1, 6, false))
    }

    @Test func emptyFieldsAndTrailingComma() throws {
        let records = try fields("a,,b\n,,\nx,\"\",\n")
        #expect(records[0] .map(\.0) == ["a", "", "b"])
        #expect(records[0][1] == ("", 1, 3, false))
        #expect(records[1].map(\.0) == ["", "", ""])
        #expect(records[1][2] == ("", 2, 3, false))
        #expect(records[2][1] == ("", 3, 3, true))
        #expect(records[2][2] == ("", 3, 6, false))
    }

    @Test func blankLinesAreSkippedButCounted() throws {
        let records = try fields("a\n\n   \nb\n\n")
        #expect(records.count == 2)
        #expect(records[1][0] == ("b", 4, 1, false))
    }

    @Test func missingFinalLineBreakAndRecordEnd() throws {
        let records = try CSVReader.records(in: "ab,c\nde,f", file: "t.csv")
        #expect(records.count == 2)
        #expect(records[0].endLine == 1)
        #expect(records[0].endColumn == 5)
        #expect(records[1].line == 2)
        #expect(records[1].endColumn == 5)
    }

    @Test func columnsCountUnicodeScalars() throws {
        let records = try fields("é,ü,👍,x")
        #expect(records[0].map(\.2) == [1, 3, 5, 7])
    }

    @Test func unterminatedQuoteIsReportedWhereItOpens() throws {
        let error = try #require(readError("a,b\nc,\"open\nmore\n"))
        #expect(error.location == Place(file: "t.csv", line: 2, column: 3))
        #expect(error.message.hasPrefix("unterminated quoted field"))
    }

    @Test func textAfterClosingQuoteIsAnError() throws {
        let error = try #require(readError("a,\"ab\"c,d"))
        #expect(error.location == Place(file: "t.csv", line: 1, column: 7))
        #expect(error.message == "unexpected `c` after a closing quote; expected `,` or the end of the line")
    }

    @Test func quoteInsideUnquotedFieldIsAnError() throws {
        let error = try #require(readError("name\nsay \"hi\"\n"))
        #expect(error.location == Place(file: "t.csv", line: 2, column: 5))
        #expect(error.message.contains("inside an unquoted field"))
    }

    @Test func writerEscapesWhatTheReaderReadsBack() throws {
        let row = ["plain", "a, b", "say \"hi\"", "two\nlines", " padded ", "", "é👍"]
        let text = CSVWriter.text(header: ["h1", "h2", "h3", "h4", "h5", "h6", "h7"], rows: [row])
        #expect(CSVWriter.escape("a, b") == "\"a, b\"")
        #expect(CSVWriter.escape("say \"hi\"") == "\"say \"\"hi\"\"\"")
        #expect(CSVWriter.escape("plain") == "plain")
        let records = try CSVReader.records(in: text, file: "t.csv")
        #expect(records.count == 2)
        #expect(records[1].fields.map(\.text) == row)
    }
}
