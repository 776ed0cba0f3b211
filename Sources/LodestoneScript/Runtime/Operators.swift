import Foundation
import LodestoneKernel

extension Session {
    func unary(_ op: UnaryOperator, _ value: Value, range: SourceRange) throws(ScriptError) -> Value {
        switch (op, value) {
        case (.negate, .number(let x)): return .number(-x)
        case (.not, .bool(let b)): return .bool(!b)
        case (.negate, _):
            throw ScriptError("cannot negate \(ValueFormatter.describeForError(value)); `-` needs a number", at: range)
        case (.not, _):
            throw ScriptError("`not` needs true or false, got \(ValueFormatter.describeForError(value))", at: range)
        }
    }

    func binary(
        _ op: BinaryOperator, _ l: Value, _ r: Value, expr: Expr, left: SourceRange, right: SourceRange
    ) throws(ScriptError) -> Value {
        switch op {
        case .equal, .notEqual:
            var budget = Self.maximumComparisons
            guard let same = Self.equal(l, r, budget: &budget, depth: 0) else {
                throw ScriptError(
                    "cannot compare these values with `\(op.rawValue)`: they hold more than \(Self.maximumComparisons) elements or are nested more than \(ValueFormatter.maximumDepth) deep",
                    at: expr.range)
            }
            return .bool(op == .equal ? same : !same)
        case .less, .lessEqual, .greater, .greaterEqual:
            let order = try compare(l, r, op: op, range: expr.range)
            switch op {
            case .less: return .bool(order < 0)
            case .lessEqual: return .bool(order <= 0)
            case .greater: return .bool(order > 0)
            default: return .bool(order >= 0)
            }
        default: break
        }
        switch (l, r) {
        case (.number(let a), .number(let b)):
            switch op {
            case .add: return try Self.finite(a + b, op, at: expr.range)
            case .subtract: return try Self.finite(a - b, op, at: expr.range)
            case .multiply: return try Self.finite(a * b, op, at: expr.range)
            case .divide:
                guard b != 0 else { throw ScriptError("division by zero", at: right) }
                return try Self.finite(a / b, op, at: expr.range)
            case .remainder:
                guard b != 0 else { throw ScriptError("division by zero (remainder of a division by 0)", at: right) }
                let m = a.truncatingRemainder(dividingBy: b)
                return .number(m != 0 && (m < 0) != (b < 0) ? m + b : m)
            case .power:
                let p = pow(a, b)
                guard !p.isNaN else {
                    throw ScriptError(
                        "\(ValueFormatter.number(a)) ^ \(ValueFormatter.number(b)) is not a real number", at: expr.range)
                }
                return try Self.finite(p, op, at: expr.range)
            default: break
            }
        case (.month(let m), .number(let n)) where op == .add || op == .subtract:
            let k = try wholeMonths(n, range: right)
            return .month(try Self.checkedMonth(op == .add ? m + k : m - k, range: expr.range))
        case (.number(let n), .month(let m)) where op == .add:
            return .month(try Self.checkedMonth(m + (try wholeMonths(n, range: left)), range: expr.range))
        case (.month(let a), .month(let b)) where op == .subtract:
            return .number(Double(a - b))
        case (.month, .month) where op == .add:
            throw ScriptError(
                "cannot add two months; add a number of months (`2026-03 + 12`) or subtract months to count them",
                at: expr.range)
        case (.list(let a), .list(let b)) where op == .add:
            guard a.count + b.count <= Self.maximumElements else {
                throw ScriptError(
                    "the joined list would have \(a.count + b.count) elements; the most a list may have is \(Self.maximumElements)",
                    at: expr.range)
            }
            return .list(a + b)
        case (.string, _) where op == .add, (_, .string) where op == .add:
            let (a, b) = (ValueFormatter.text(l), ValueFormatter.text(r))
            guard a.utf8.count + b.utf8.count <= Self.maximumTextBytes else {
                throw ScriptError(
                    "the joined text would be \(Self.megabytes(a.utf8.count + b.utf8.count)); the most a string may hold is \(Self.megabytes(Self.maximumTextBytes))",
                    at: expr.range)
            }
            return .string(a + b)
        case (.record(let a), .record(let b)) where op == .add:
            var merged = a
            for (key, value) in b.fields { merged[key] = value }
            return .record(merged)
        default: break
        }
        let symbol = op.rawValue
        var message = "cannot apply `\(symbol)` to \(ValueFormatter.describeForError(l)) and \(ValueFormatter.describeForError(r))"
        if case .none = l { message += " (the left side is none)" } else if case .none = r { message += " (the right side is none)" }
        if case .month = l, case .number = r, op == .multiply || op == .divide {
            message += "; months only add and subtract"
        }
        throw ScriptError(message, at: expr.range)
    }

    /// The most elements a list or range may have.
    static let maximumElements = 10_000_000
    /// The most UTF-8 bytes a string may hold (64 MB).
    static let maximumTextBytes = 64 << 20
    /// The most element comparisons one `==` may make.
    static let maximumComparisons = 10_000_000
    /// The first and last months a script may reach: years 0000 to 9999, as month literals write them.
    static let monthBounds = Month(0, 1)...Month(9999, 12)

    /// `12.5 MB`, for messages about sizes.
    static func megabytes(_ bytes: Int) -> String {
        "\(ValueFormatter.rounded((Double(bytes) / Double(1 << 20) * 10).rounded() / 10)) MB"
    }

    /// `month` when it lies within ``monthBounds``; an error at `range` otherwise.
    static func checkedMonth(_ month: Month, range: SourceRange) throws(ScriptError) -> Month {
        guard monthBounds.contains(month) else {
            throw ScriptError(
                "the month would fall outside \(monthBounds.lowerBound)…\(monthBounds.upperBound) (years 0000 to 9999)", at: range)
        }
        return month
    }

    /// `x` as a value, or an error when an arithmetic operator overflowed: numbers stay finite,
    /// so no ±∞ reaches a parameter, a run or an export.
    static func finite(_ x: Double, _ op: BinaryOperator, at range: SourceRange) throws(ScriptError) -> Value {
        guard x.isFinite else {
            throw ScriptError(
                "the result of `\(op.rawValue)` is too large (beyond ±1.8e308, the largest number); check the values, or scale them down",
                at: range)
        }
        return .number(x)
    }

    private func wholeMonths(_ n: Double, range: SourceRange) throws(ScriptError) -> Int {
        guard n == n.rounded(), abs(n) < 1e9 else {
            throw ScriptError("months move by whole numbers of months, got \(ValueFormatter.number(n))", at: range)
        }
        return Int(n)
    }

    /// -1, 0 or 1 for numbers, months and strings.
    func compare(_ l: Value, _ r: Value, op: BinaryOperator, range: SourceRange) throws(ScriptError) -> Int {
        switch (l, r) {
        case (.number(let a), .number(let b)):
            guard !a.isNaN, !b.isNaN else { throw ScriptError("cannot order nan (not a number, e.g. the result of 0 * inf); test for it first with `x != x`", at: range) }
            return a < b ? -1 : (a > b ? 1 : 0)
        case (.month(let a), .month(let b)): return a < b ? -1 : (a > b ? 1 : 0)
        case (.string(let a), .string(let b)): return a < b ? -1 : (a > b ? 1 : 0)
        default:
            var message = "cannot compare \(ValueFormatter.describeForError(l)) with \(ValueFormatter.describeForError(r)) using `\(op.rawValue)`"
            if l.isNone || r.isNone { message += "; check for none first with `x == none`" }
            throw ScriptError(message, at: range)
        }
    }

    /// Structural equality for plain values, identity for shared objects (false when the values
    /// are too large to compare; `==` reports that as an error).
    static func equal(_ l: Value, _ r: Value) -> Bool {
        var budget = maximumComparisons
        return equal(l, r, budget: &budget, depth: 0) ?? false
    }

    /// Structural equality that gives up (nil) after `budget` element comparisons or below
    /// ``ValueFormatter/maximumDepth`` levels of nesting, so that a list holding itself many times
    /// over (`x = [x, x]` in a loop) cannot hang the comparison.
    static func equal(_ l: Value, _ r: Value, budget: inout Int, depth: Int) -> Bool? {
        budget -= 1
        guard budget >= 0, depth <= ValueFormatter.maximumDepth else { return nil }
        switch (l, r) {
        case (.list(let a), .list(let b)):
            guard a.count == b.count else { return false }
            for (x, y) in zip(a, b) {
                guard let same = equal(x, y, budget: &budget, depth: depth + 1) else { return nil }
                if !same { return false }
            }
            return true
        case (.record(let a), .record(let b)):
            guard a.keys.sorted() == b.keys.sorted() else { return false }
            for field in a.fields {
                guard let other = b[field.key] else { return false }
                guard let same = equal(field.value, other, budget: &budget, depth: depth + 1) else { return nil }
                if !same { return false }
            }
            return true
        default:
            return shallowEqual(l, r)
        }
    }

    private static func shallowEqual(_ l: Value, _ r: Value) -> Bool {
        switch (l, r) {
        case (.none, .none): return true
        case (.bool(let a), .bool(let b)): return a == b
        case (.number(let a), .number(let b)): return a == b
        case (.string(let a), .string(let b)): return a == b
        case (.month(let a), .month(let b)): return a == b
        case (.range(let a), .range(let b)):
            return equal(a.lower, b.lower) && equal(a.upper, b.upper) && a.inclusive == b.inclusive && a.step == b.step
        case (.function(let a), .function(let b)): return a === b
        case (.builtin(let a), .builtin(let b)): return a.signature.name == b.signature.name
        case (.dataset(let a), .dataset(let b)): return a === b
        case (.module(let a), .module(let b)): return a.model.name == b.model.name
        case (.model(let a), .model(let b)): return a === b
        case (.scenario(let a), .scenario(let b)): return a === b
        case (.table(let a), .table(let b)): return a == b
        case (.distribution(let a), .distribution(let b)): return a == b
        default: return false
        }
    }

    // MARK: Indexing

    func subscriptValue(_ base: Value, _ index: Value, baseRange: SourceRange, indexRange: SourceRange) throws(ScriptError) -> Value {
        switch (base, index) {
        case (.list(let items), .number):
            return items[try position(index, count: items.count, range: indexRange, what: "list")]
        case (.list(let items), .range(let r)):
            return .list(try slice(items, r, range: indexRange))
        case (.string(let s), .number):
            let characters = Array(s)
            return .string(String(characters[try position(index, count: characters.count, range: indexRange, what: "string")]))
        case (.range(let r), _):
            return try subscriptValue(.list(try elements(of: r, at: baseRange)), index, baseRange: baseRange, indexRange: indexRange)
        case (.record(let record), .string(let key)):
            guard let value = record[key] else {
                throw ScriptError(
                    "the record has no key \(ValueFormatter.quoted(key))" + NameHint.hint(for: key, among: record.keys)
                        + (record.keys.isEmpty ? "" : " (keys: \(record.keys.prefix(12).joined(separator: ", "))\(record.keys.count > 12 ? ", …" : ""))"),
                    at: indexRange)
            }
            return value
        case (.parameter(let view), .string(let selector)):
            if let entry = view.model.parameters.entry(view.path), entry.declaration.keys.isEmpty {
                throw ScriptError("`\(view.path)` is a single value and takes no key (got `[\(selector)]`)", at: indexRange)
            }
            guard view.selector == nil else {
                throw ScriptError("`\(view.fullPath)` already has a key; write both parts in one key, e.g. [\"JP/DyTb\"]", at: indexRange)
            }
            let narrowed = ParameterView(model: view.model, path: view.path, selector: selector)
            do { _ = try view.model.parameters.positions(narrowed.fullPath) } catch {
                throw ScriptError(error.message, at: indexRange)
            }
            return try materialize(.parameter(narrowed), at: indexRange)
        case (.table(let table), .string(let column)):
            return try tableColumn(table, column, range: indexRange)
        case (.table(let table), .number):
            let row = table.rows[try position(index, count: table.rows.count, range: indexRange, what: "table")]
            return .record(Self.rowRecord(table, row))
        case (.run(let run), .string(let id)):
            return try series(run, id, range: indexRange)
        case (.parameter, _):
            throw ScriptError("a parameter's key must be a string such as \"JP\" or \"JP/DyTb\", got \(ValueFormatter.describeForError(index))", at: indexRange)
        case (.list, _), (.string, _):
            throw ScriptError("a \(base.typeName) index must be a whole number or a range, got \(ValueFormatter.describeForError(index))", at: indexRange)
        case (.record, _):
            throw ScriptError("a record key must be a string, got \(ValueFormatter.describeForError(index))", at: indexRange)
        default:
            throw ScriptError("cannot index \(ValueFormatter.describeForError(base)) with `[…]`", at: baseRange.through(indexRange))
        }
    }

    /// The 0-based position an index names; negative indexes count from the end.
    func position(_ index: Value, count: Int, range: SourceRange, what: String) throws(ScriptError) -> Int {
        guard case .number(let x) = index, x == x.rounded(), abs(x) < 1e15 else {
            throw ScriptError("a \(what) index must be a whole number, got \(ValueFormatter.describeForError(index))", at: range)
        }
        let i = Int(x)
        let p = i < 0 ? count + i : i
        guard p >= 0, p < count else {
            let valid = count == 0 ? "the \(what) is empty" : "valid: 0…\(count - 1), or -\(count)…-1 from the end"
            throw ScriptError("index \(i) is out of range for a \(what) of \(count) element\(count == 1 ? "" : "s") (\(valid))", at: range)
        }
        return p
    }

    private func slice(_ items: [Value], _ r: RangeValue, range: SourceRange) throws(ScriptError) -> [Value] {
        guard case .number(let a) = r.lower, case .number(let b) = r.upper, r.step == nil,
            a == a.rounded(), b == b.rounded(), abs(a) < 1e15, abs(b) < 1e15
        else {
            throw ScriptError("a slice needs whole-number bounds without a step, such as xs[1..3]", at: range)
        }
        let n = items.count
        var lower = Int(a), upper = Int(b)
        if lower < 0 { lower += n }
        if upper < 0 { upper += n }
        if r.inclusive { upper += 1 }
        lower = max(0, min(lower, n))
        upper = max(lower, min(upper, n))
        return Array(items[lower..<upper])
    }

    func tableColumn(_ table: ResultTable, _ column: String, range: SourceRange) throws(ScriptError) -> Value {
        guard let j = table.columns.firstIndex(of: column) else {
            throw ScriptError(
                "the table has no column \(ValueFormatter.quoted(column))" + NameHint.hint(for: column, among: table.columns)
                    + " (columns: \(table.columns.joined(separator: ", ")))",
                at: range)
        }
        return .list(table.rows.map { j < $0.count ? Self.cellValue($0[j]) : .none })
    }

    func series(_ run: RunResult, _ id: String, range: SourceRange) throws(ScriptError) -> Value {
        do { return .list(try run.series(id).map(Value.number)) } catch {
            throw ScriptError(Self.lookupMessage(error, id: id, in: run), at: range)
        }
    }
}
