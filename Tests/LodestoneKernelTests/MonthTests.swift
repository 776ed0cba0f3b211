import Foundation
import LodestoneKernel
import Testing

@Suite("Month")
struct MonthTests {
    @Test("YYYY-MM parses into year and month and prints back", arguments: [
        ("2026-03", 2026, 3), ("2026-01", 2026, 1), ("2026-12", 2026, 12), ("1999-07", 1999, 7), ("0001-01", 1, 1),
    ])
    func parses(text: String, year: Int, month: Int) throws {
        let parsed = try #require(Month(text))
        #expect(parsed.year == year)
        #expect(parsed.month == month)
        #expect(parsed == Month(year, month))
        #expect(parsed.ordinal == year * 12 + month - 1)
        #expect(parsed.description == text)
    }

    @Test("anything but YYYY-MM with a month in 1…12 is rejected", arguments: [
        "2026-13", "2026-00", "26-01", "2026-1", "02026-01", "2026/03", "2026-03-01", "", "-", "2026-",
        "-03", "abcd-ef", "2026-0x", "+026-01", "2026-+1", "-026-01", " 2026-01", "2026-01 ", "２０２６-01",
    ])
    func rejects(text: String) {
        #expect(Month(text) == nil)
    }

    @Test("adding and subtracting months crosses years")
    func arithmetic() {
        let march = Month(2026, 3)
        #expect(march + 12 == Month(2027, 3))
        #expect(march + 10 == Month(2027, 1))
        #expect(march + 0 == march)
        #expect(march - 3 == Month(2025, 12))
        #expect(march + -15 == Month(2024, 12))
        #expect(Month(2027, 1) - Month(2026, 3) == 10)
        #expect(Month(2026, 3) - Month(2027, 1) == -10)
        #expect((march + 25).description == "2028-04")
    }

    @Test("months order by time")
    func ordering() {
        #expect(Month(2025, 12) < Month(2026, 1))
        #expect(Month(2026, 2) > Month(2026, 1))
        #expect([Month(2026, 5), Month(2024, 1), Month(2026, 1)].sorted() == [
            Month(2024, 1), Month(2026, 1), Month(2026, 5),
        ])
        #expect(Month(2026, 1).hashValue == Month("2026-01")?.hashValue)
    }

    @Test("years below 1000 print with four digits")
    func padding() {
        #expect(Month(0, 1).description == "0000-01")
        #expect(Month(987, 11).description == "0987-11")
        #expect(Month(ordinal: 0) == Month(0, 1))
    }

    @Test("months encode as YYYY-MM strings and decoding names a bad one")
    func codable() throws {
        let data = try JSONEncoder().encode([Month(2026, 3)])
        #expect(String(decoding: data, as: UTF8.self) == "[\"2026-03\"]")
        #expect(try JSONDecoder().decode([Month].self, from: data) == [Month(2026, 3)])
        let bad = Data("[\"2026-13\"]".utf8)
        let error = #expect(throws: DecodingError.self) { try JSONDecoder().decode([Month].self, from: bad) }
        guard case .dataCorrupted(let context) = error else {
            Issue.record("expected dataCorrupted, got \(String(describing: error))")
            return
        }
        #expect(context.debugDescription == "expected a month YYYY-MM, got 2026-13")
    }

    @Test("a month has 365.25 / 12 days")
    func daysPerMonth() {
        #expect(SimulationCalendar.daysPerMonth == 30.4375)
    }
}
