import Foundation
import LodestoneKernel

extension Session {
    /// Helper to declare a built-in function.
    static func builtin(
        _ name: String, positional: [Signature.Parameter] = [], variadic: Signature.Parameter? = nil,
        named: [Signature.Parameter] = [], summary: String,
        _ body: @escaping @Sendable (Session, Arguments) throws(ScriptError) -> Value
    ) -> Builtin {
        Builtin(signature: Signature(name, positional: positional, variadic: variadic, named: named, summary: summary), body: body)
    }

    /// Every built-in function.
    static func standardBuiltins() -> [Builtin] {
        coreBuiltins + mathBuiltins + domainBuiltins + ensembleBuiltins + analysisBuiltins + discoveryBuiltins + calibrationBuiltins
            + pluginBuiltins + scenarioLibraryBuiltins
    }

    static func numberArgument(_ args: Arguments, _ name: String) throws(ScriptError) -> Double {
        guard let x = try args.number(name) else { throw args.mismatch(name, "a number", args.value(name) ?? .none) }
        return x
    }

    /// The numbers of a list argument (a list, a range, or a parameter record).
    static func numbers(_ value: Value, _ args: Arguments, _ name: String, session: Session) throws(ScriptError) -> [Double] {
        let items: [Value]
        switch value {
        case .list(let xs): items = xs
        case .range(let r): items = try session.elements(of: r, at: args.range(name))
        case .record(let r): items = r.fields.map(\.value)
        default: throw args.mismatch(name, "a list of numbers", value)
        }
        var out: [Double] = []
        out.reserveCapacity(items.count)
        for (i, item) in items.enumerated() {
            guard case .number(let x) = item else {
                throw ScriptError(
                    "`\(args.callee)` expects a list of numbers, but element \(i) is \(ValueFormatter.describeForError(item))",
                    at: args.range(name))
            }
            guard x.isFinite else {
                throw ScriptError(
                    "`\(args.callee)` expects finite numbers, but element \(i) is \(ValueFormatter.number(x)) (a calculation overflowed)",
                    at: args.range(name))
            }
            out.append(x)
        }
        return out
    }

    static func listArgument(_ args: Arguments, _ name: String, session: Session) throws(ScriptError) -> [Value] {
        let value = try args.required(name)
        switch value {
        case .list(let xs): return xs
        case .range(let r): return try session.elements(of: r, at: args.range(name))
        default: throw args.mismatch(name, "a list", value)
        }
    }

    /// A list or range argument's elements, or a table's rows as records (for `map` and `filter`).
    static func listOrRows(_ args: Arguments, _ name: String, session: Session) throws(ScriptError) -> [Value] {
        if case .table(let table)? = args.value(name) {
            return table.rows.map { .record(Session.rowRecord(table, $0)) }
        }
        do { return try listArgument(args, name, session: session) } catch {
            throw args.mismatch(name, "a list, a range or a table", try args.required(name))
        }
    }

    static let coreBuiltins: [Builtin] = [
        builtin(
            "print", variadic: .init("value", "anything"), named: [.init("sep", "the text between values (default \" \")")],
            summary: "prints values on one line"
        ) { session, args throws(ScriptError) in
            let separator = try args.string("sep") ?? " "
            session.options.output(args.rest.map { ValueFormatter.text($0.value) }.joined(separator: separator) + "\n")
            return .none
        },
        builtin(
            "help", positional: [.init("topic", "a function, a value, or a name in quotes such as \"run\" or \"restrict\"")],
            summary: "explains a function, a type's methods, a module, or the language"
        ) { session, args throws(ScriptError) in
            session.options.output(try session.helpText(args.value("topic"), range: args.range("topic")) + "\n")
            return .none
        },
        builtin(
            "describe", positional: [.init("value", "a dataset, module, model, scenario, run or table", required: true)],
            summary: "prints a detailed description (parameters, signals, events, citations)"
        ) { session, args throws(ScriptError) in
            session.options.output(try session.describe(try args.required("value"), range: args.range("value")) + "\n")
            return .none
        },
        builtin("type", positional: [.init("value", "anything", required: true)], summary: "the type's name, as a string") {
            _, args throws(ScriptError) in .string(try args.required("value").typeName)
        },
        builtin("str", positional: [.init("value", "anything", required: true)], summary: "the value as text") {
            _, args throws(ScriptError) in .string(ValueFormatter.text(try args.required("value")))
        },
        builtin("repr", positional: [.init("value", "anything", required: true)], summary: "the value on one line as a script would write it (strings quoted)") {
            _, args throws(ScriptError) in .string(ValueFormatter.inline(try args.required("value")))
        },
        builtin("num", positional: [.init("text", "a string such as \"2.5\" or \"25%\"", required: true)], summary: "a number read from text") {
            _, args throws(ScriptError) in
            let value = try args.required("text")
            switch value {
            case .number: return value
            case .string(let s):
                let kinds = tokens(s.trimmingCharacters(in: .whitespaces)).map(\.kind)
                if kinds.count == 2, case .number(let x) = kinds[0] { return .number(x) }
                if kinds.count == 3, kinds[0] == .symbol(.minus), case .number(let x) = kinds[1] { return .number(-x) }
                throw ScriptError(
                    "cannot read a number from \(ValueFormatter.quoted(s)); expected digits such as \"12.5\", \"-3\", \"1e3\" or \"25%\"",
                    at: args.range("text"))
            default: throw args.mismatch("text", "a string", value)
            }
        },
        builtin("len", positional: [.init("value", "a list, string, record, range or table", required: true)], summary: "the number of elements") {
            session, args throws(ScriptError) in
            let value = try args.required("value")
            switch value {
            case .list(let xs): return .number(Double(xs.count))
            case .string(let s): return .number(Double(s.count))
            case .record(let r): return .number(Double(r.count))
            case .table(let t): return .number(Double(t.rows.count))
            case .range(let r): return .number(Double(try session.elements(of: r, at: args.range("value")).count))
            default: throw args.mismatch("value", "a list, string, record, range or table", value)
            }
        },
        builtin("list", positional: [.init("value", "a range, record (its keys), string or table (its rows)", required: true)], summary: "the elements as a list") {
            session, args throws(ScriptError) in
            .list(try session.iterate(try args.required("value"), range: args.range("value")))
        },
        builtin(
            "map", positional: [.init("list", "a list, a range, or a table (each row as a record)", required: true), .init("function", "a function of one element", required: true)],
            summary: "applies a function to every element"
        ) { session, args throws(ScriptError) in
            let items = try listOrRows(args, "list", session: session)
            let function = try args.required("function")
            var out: [Value] = []
            for item in items { out.append(try session.invoke(function, [item], at: args.range("function"))) }
            try session.checkNesting(.list(out), levels: 0, at: args.callRange)
            return .list(out)
        },
        builtin(
            "filter", positional: [.init("list", "a list, a range, or a table (each row as a record; gives a table)", required: true), .init("function", "a function returning true or false", required: true)],
            summary: "the elements for which the function returns true"
        ) { session, args throws(ScriptError) in
            let items = try listOrRows(args, "list", session: session)
            let function = try args.required("function")
            var out: [Value] = []
            var keptRows: [Int] = []
            for (index, item) in items.enumerated() {
                let keep = try session.invoke(function, [item], at: args.range("function"))
                guard case .bool(let b) = keep else {
                    throw ScriptError("the function given to `filter` must return true or false, got \(ValueFormatter.describeForError(keep))", at: args.range("function"))
                }
                if b {
                    out.append(item)
                    keptRows.append(index)
                }
            }
            if case .table(let table)? = args.value("list") {
                return .table(ResultTable(columns: table.columns, rows: keptRows.map { table.rows[$0] }))
            }
            return .list(out)
        },
        builtin(
            "sort", positional: [.init("list", "a list of numbers, strings or months", required: true)],
            named: [.init("by", "a function giving each element's sort key"), .init("descending", "true to sort from largest")],
            summary: "the list in order"
        ) { session, args throws(ScriptError) in
            let items = try listArgument(args, "list", session: session)
            var keyed: [(key: Value, item: Value)] = []
            for item in items {
                let key = try args.value("by").map { (f) throws(ScriptError) -> Value in try session.invoke(f, [item], at: args.range("by")) } ?? item
                keyed.append((key, item))
            }
            var failure: ScriptError?
            keyed.sort { a, b in
                guard failure == nil else { return false }
                do { return try session.compare(a.key, b.key, op: .less, range: args.range("list")) < 0 } catch let error as ScriptError {
                    failure = error
                    return false
                } catch {
                    failure = ScriptError("\(error)", at: args.range("list"))
                    return false
                }
            }
            if let failure { throw failure }
            if try args.bool("descending") == true { keyed.reverse() }
            return .list(keyed.map(\.item))
        },
        builtin(
            "month", positional: [.init("year", "a year, or a string \"YYYY-MM\"", required: true), .init("month", "1…12")],
            summary: "a month from a year and month number, or from text"
        ) { _, args throws(ScriptError) in
            if case .string = args.value("year") {
                guard let m = try args.month("year") else { return .none }
                return .month(m)
            }
            guard let year = try args.integer("year") else { return .none }
            guard let month = try args.integer("month") else { throw args.mismatch("month", "a month number 1…12", .none) }
            guard (1...12).contains(month) else {
                throw ScriptError("`month` of `month` must be within 1…12, got \(month)", at: args.range("month"))
            }
            guard (0...9999).contains(year) else {
                throw ScriptError("`year` of `month` must be within 0…9999, got \(year)", at: args.range("year"))
            }
            return .month(Month(year, month))
        },
        builtin(
            "table", positional: [.init("columns", "a record of equal-length lists, or a list of records", required: true)],
            summary: "a table built from columns or rows"
        ) { _, args throws(ScriptError) in try makeTable(args) },
    ]

    private static func tokens(_ s: String) -> [Token] {
        (try? Lexer.tokenize(SourceFile(name: "<num>", text: s))) ?? []
    }

    static func cell(_ value: Value) -> ResultTable.Cell {
        switch value {
        case .number(let x): .number(x)
        case .none: .none
        case .month(let m): .text(m.description)
        default: .text(ValueFormatter.text(value))
        }
    }

    private static func makeTable(_ args: Arguments) throws(ScriptError) -> Value {
        let value = try args.required("columns")
        switch value {
        case .record(let record):
            var count: Int?
            var columns: [[Value]] = []
            for (key, column) in record.fields {
                guard case .list(let items) = column else {
                    throw ScriptError("column \(ValueFormatter.quoted(key)) must be a list, got \(ValueFormatter.describeForError(column))", at: args.range("columns"))
                }
                if let count, count != items.count {
                    throw ScriptError("column \(ValueFormatter.quoted(key)) has \(items.count) values but the first column has \(count)", at: args.range("columns"))
                }
                count = items.count
                columns.append(items)
            }
            let rows = (0..<(count ?? 0)).map { i in columns.map { cell($0[i]) } }
            return .table(ResultTable(columns: record.keys, rows: rows))
        case .list(let items):
            var titles: [String] = []
            for item in items {
                guard case .record(let r) = item else {
                    throw ScriptError("`table` expects a list of records, got \(ValueFormatter.describeForError(item)) in the list", at: args.range("columns"))
                }
                for key in r.keys where !titles.contains(key) { titles.append(key) }
            }
            let rows: [[ResultTable.Cell]] = items.map { item in
                guard case .record(let r) = item else { return [] }
                return titles.map { r[$0].map(cell) ?? .none }
            }
            return .table(ResultTable(columns: titles, rows: rows))
        default:
            throw args.mismatch("columns", "a record of lists or a list of records", value)
        }
    }
}
