import LodestoneKernel
import Testing

@testable import LodestoneScript

/// Inputs that crashed, hung or exhausted memory before the hardening (found by probing the
/// limits and by the fuzz targets of `Tests/Fuzz`), each now a located error with the same
/// message every time.
@Suite("Fuzz findings")
struct FuzzRegressionTests {
    @Test("a range too large for an Int is an error, not a trap", arguments: ["0..1e300", "0..1e19", "-1e300..1e300 step 1e-300", "0..<1e16"])
    func rangeBeyondInt(_ range: String) throws {
        let outcome = Harness.run("len(\(range))")
        let error = try #require(outcome.error)
        #expect(error.message.hasPrefix("the range has about "), "\(error.message)")
        #expect(error.message.hasSuffix("the most a range may have is 10000000 (use a larger `step`, or a smaller range)"))
        #expect(error.range?.text == range)
    }

    @Test("a range of months with a huge step is an error, not a trap")
    func monthRangeStep() throws {
        let outcome = Harness.run("for m in 2026-01..2030-01 step 1e300 { print(m) }")
        #expect(
            outcome.error?.message
                == "a range of months steps by a whole number of months other than 0 (at most 1000000), got 1e+300")
        // An ordinary step still works, including one larger than the span.
        #expect(Harness.run("print(list(2026-01..2026-12 step 5))").stdout == "[2026-01, 2026-06, 2026-11]\n")
        #expect(Harness.run("print(list(2026-01..<2026-03 step 12))").stdout == "[2026-01]\n")
        #expect(Harness.run("print(list(2026-03..2026-01 step -1))").stdout == "[2026-03, 2026-02, 2026-01]\n")
    }

    @Test("doubling a list or a string in a loop stops at the size limit instead of exhausting memory")
    func doubling() {
        let list = Harness.run("let xs = [1]\nfor i in 1..40 { xs = xs + xs }\nprint(len(xs))")
        #expect(list.error?.message == "the joined list would have 16777216 elements; the most a list may have is 10000000")
        #expect(list.error?.range?.text == "xs + xs")
        let text = Harness.run("let s = \"Lodestone \"\nfor i in 1..40 { s = s + s }")
        #expect(text.error?.message == "the joined text would be 80 MB; the most a string may hold is 64 MB")
    }

    @Test("a list that holds itself many times over prints and compares in bounded time")
    func selfSimilarList() throws {
        let outcome = Harness.run("let x = [1]\nfor i in 1..60 { x = [x, x] }\nlet n = len(str(x))\nprint(n > 4000000 and n < 4200000)\nx == x")
        #expect(outcome.stdout == "true\n")
        #expect(outcome.error?.message.hasPrefix("cannot compare these values with `==`: they hold more than 10000000 elements") == true)
        // Small nested values still compare structurally.
        #expect(Harness.run("print([[1, 2], {\"a\": [3]}] == [[1, 2], {\"a\": [3]}])").stdout == "true\n")
        #expect(Harness.run("print([[1, 2]] != [[1, 3]])").stdout == "true\n")
    }

    @Test("lists and records nest at most 1000 deep, however they are built, so that freeing them cannot overflow the stack")
    func nestingLimit() {
        let message =
            "lists and records may nest at most 1000 levels deep; this would nest deeper (keep data flat: a list of records, or a record of lists)"
        // A list nested three million deep used to crash `lodestone` when it was freed.
        let literal = Harness.run("let x = []\nfor i in 1..3000000 { x = [x] }")
        #expect(literal.error?.message == message)
        #expect(literal.error?.range?.text == "[x]")
        #expect(Harness.run("let r = {}\nfor i in 1..2000 { r = {\"next\": r} }").error?.message == message)
        #expect(Harness.run("let x = [1]\nfor i in 1..2000 { x = map([0], fn(e) { x }) }").error?.message == message)
        let assigned = Harness.run("let x = [0]\nfor i in 1..2000 { x = [0, x]; x[0] = x }")
        #expect(assigned.error?.message == message)
        // Up to the limit everything works, and a list holding itself twice per level is cheap to measure.
        let deep = Harness.run("let x = []\nfor i in 1..999 { x = [x] }\nlet y = [1]\nfor i in 1..500 { y = [y, y] }\nprint(len(str(x)), len(y))")
        #expect(deep.error == nil, "\(deep.stderr)")
        #expect(deep.stdout == "2000 2\n")
    }

    @Test("months stay within years 0000 to 9999")
    func monthBounds() {
        #expect(Harness.run("2026-01 + 1e8").error?.message == "the month would fall outside 0000-01…9999-12 (years 0000 to 9999)")
        #expect(Harness.run("0000-01 - 1").error?.message == "the month would fall outside 0000-01…9999-12 (years 0000 to 9999)")
        #expect(Harness.run("month(1e14, 1)").error?.message == "`year` of `month` must be within 0…9999, got 100000000000000")
        #expect(Harness.run("print(9999-11 + 1)").stdout == "9999-12\n")
    }

    @Test("a sweep with too many points is refused before it starts, naming the sizes")
    func sweepPoints() {
        let outcome = Harness.run(
            "let m = model(trade, stockpile)\nsweep(m, grid: {\"stockpile.cover_days[JP]\": 1..1000, \"trade.ramp_months\": 1..1000})")
        #expect(
            outcome.error?.message
                == "`sweep` would make 1000000 runs (1000 × 1000 values); the most is 100000: use fewer values, e.g. a larger `step`")
    }

    @Test("the sealed access policy refuses every file and plugin")
    func sealedPolicy() {
        var options = Session.Options()
        options.access = .sealed
        let sink = OutputSink()
        options.output = { sink.text += $0 }
        let session = Session(registry: Harness.registry, options: options)
        for (code, message) in [
            ("data(\"x/\")", "this session may not read files (\"x/\"); use the embedded dataset, data(\"default\")"),
            ("export(run(model(trade), months: 2), \"r.csv\")", "this session may not write files (\"r.csv\")"),
            ("plugin(\"industry\")", "this session may not load plugins (\"industry\")"),
        ] {
            do {
                try session.run(code, file: "sealed.lode")
                Issue.record("\(code) ran")
            } catch {
                #expect(error.message == message)
            }
        }
        #expect(throws: Never.self) { try session.run("print(len(data(\"default\").regions))", file: "sealed.lode") }
        #expect(sink.text == "9\n")
    }

    @Test("a script that is not UTF-8 is located at its first bad byte")
    func invalidUTF8() throws {
        #expect(try SourceFile.text(utf8: Array("let x = \"é\"\n".utf8)) == "let x = \"é\"\n")
        #expect(throws: InvalidUTF8(line: 2, column: 13, byte: 0xE9)) {
            try SourceFile.text(utf8: Array("print(1)\nlet x = \"caf".utf8) + [0xE9, 0x22])
        }
        #expect(InvalidUTF8(line: 2, column: 10, byte: 0xE9).description == "line 2, column 10 (byte 0xE9)")
        #expect(throws: InvalidUTF8(line: 1, column: 1, byte: 0xFF)) { try SourceFile.text(utf8: [0xFF]) }
    }

    @Test("plotting values whose span overflows a Double draws a chart instead of trapping")
    func plotHugeSpan() {
        // Terminal charts divide by max − min, which is infinite for ±1e308: values are drawn at ±1e300.
        let outcome = Harness.run("plot([-1e308, 1e308, 0])\nplot([-1.7e308, 0], title: \"t\")")
        #expect(outcome.error == nil, "\(outcome.stderr)")
        #expect(outcome.stdout.contains("┤"))
        let chart = Chart(title: "", start: Month(2026, 1), series: [("v", [-1e308, 1e308, .nan])], unit: nil)
        #expect(chart.drawable().series[0].values.prefix(2) == [-1e300, 1e300])
        #expect(chart.drawable().series[0].values[2].isNaN)
        #expect(chart.plainText().contains("v\n  "))
    }

    @Test("a long chain of functions, each calling the one before, is freed without overflowing the stack")
    func functionChain() {
        // Each `f` holds the scope of its loop iteration, which holds the `f` before: freed
        // recursively, 300 000 links overflowed the stack.
        let outcome = Harness.run("let f = fn() { 1 }\nfor i in 1..300000 { let g = f; f = fn() { g() } }\nprint(type(f))")
        #expect(outcome.error == nil, "\(outcome.stderr)")
        #expect(outcome.stdout == "function\n")
        // Calling it is stopped by the call-depth limit, as any deep recursion.
        let called = Harness.run("let f = fn() { 1 }\nfor i in 1..1000 { let g = f; f = fn() { g() } }\nf()")
        #expect(called.error?.message.hasPrefix("too many nested calls (more than 200)") == true)
    }
}
