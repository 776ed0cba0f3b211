import Foundation
import LodestoneKernel

/// How values print: plain and stable, so that scripts and tests can read the output.
///
/// Whole numbers print without a decimal point (`5`), others in shortest round-trip form (`0.1`),
/// months as `YYYY-MM`, missing values as `none`, lists as `[1, 2.5, none]`; tables as aligned text
/// with numbers rounded to six significant digits.
public enum ValueFormatter {
    /// A number: `5`, `0.1`, `2.5e-07`, `inf`, `nan`.
    public static func number(_ x: Double) -> String {
        if x.isNaN { return "nan" }
        if x.isInfinite { return x < 0 ? "-inf" : "inf" }
        if x == x.rounded(), abs(x) < 1e15 { return String(Int(x)) }
        return String(x)
    }

    /// A number rounded to six significant digits for tables and summaries (`1234.57`).
    public static func rounded(_ x: Double) -> String {
        guard x.isFinite, x != 0, x != x.rounded() || abs(x) >= 1e15 else { return number(x) }
        let magnitude = Int(floor(log10(abs(x))))
        if magnitude < -6 || magnitude >= 15 { return String(format: "%.6g", x) }
        let decimals = max(0, 5 - magnitude)
        let scale = pow(10, Double(decimals))
        let value = (x * scale).rounded() / scale
        return number(value)
    }

    /// The text `print` writes for a value: strings without quotes, everything else as
    /// ``display(_:)``.
    public static func text(_ value: Value) -> String {
        if case .string(let s) = value { return s }
        return display(value)
    }

    /// A value as the REPL and top-level expression statements show it.
    public static func display(_ value: Value) -> String {
        switch value {
        case .model(let m): return describe(model: m)
        case .moduleParameters(let m, let module): return describe(parameters: m, module: module)
        case .scenario(let s): return describe(scenario: s.scenario)
        case .run(let r): return summary(of: r)
        case .table(let t): return table(t)
        case .dataset(let d): return describe(dataset: d)
        case .module(let m): return "module \(m.model.name): \(m.model.summary)"
        case .ensemble(let e): return e.display()
        case .sweep(let s): return s.display()
        case .sensitivity(let s): return s.display()
        case .discovery(let d): return d.display()
        case .calibration(let c): return c.display()
        default: return inline(value)
        }
    }

    /// The most UTF-8 bytes ``inline(_:)`` writes for one value; a longer text ends with `…`.
    public static let maximumLength = 4 << 20
    /// The deepest nesting of lists and records ``inline(_:)`` shows (deeper levels print as `[…]`
    /// or `{…}`) and `==` compares.
    public static let maximumDepth = 1_000

    /// A value on one line, strings quoted (as inside lists). Lists and records nested deeper
    /// than ``maximumDepth`` print as `[…]`, and the text stops with `…` after
    /// ``maximumLength`` bytes, so that no value takes unbounded time or memory to show.
    public static func inline(_ value: Value) -> String {
        var out = ""
        append(value, to: &out, depth: 0)
        return out
    }

    private static func append(_ value: Value, to out: inout String, depth: Int) {
        guard out.utf8.count < maximumLength else {
            if !out.hasSuffix("…") { out += "…" }
            return
        }
        switch value {
        case .list(let items):
            guard depth < maximumDepth else { return out += "[…]" }
            out += "["
            for (i, item) in items.enumerated() {
                if i > 0 { out += ", " }
                append(item, to: &out, depth: depth + 1)
                if out.utf8.count >= maximumLength { break }
            }
            out += "]"
        case .record(let r):
            guard depth < maximumDepth else { return out += "{…}" }
            out += "{"
            for (i, field) in r.fields.enumerated() {
                if i > 0 { out += ", " }
                out += quoted(field.key) + ": "
                append(field.value, to: &out, depth: depth + 1)
                if out.utf8.count >= maximumLength { break }
            }
            out += "}"
        default:
            out += scalarInline(value)
        }
    }

    private static func scalarInline(_ value: Value) -> String {
        switch value {
        case .none: return "none"
        case .bool(let b): return b ? "true" : "false"
        case .number(let x): return number(x)
        case .string(let s): return quoted(s)
        case .month(let m): return m.description
        case .list, .record: return inline(value)
        case .range(let r):
            let op = r.inclusive ? ".." : "..<"
            return "\(inline(r.lower))\(op)\(inline(r.upper))" + (r.step.map { " step \(number($0))" } ?? "")
        case .function(let f):
            return "<fn \(f.declaration.name ?? "")(\(f.declaration.parameters.map(\.name).joined(separator: ", ")))>"
        case .builtin(let b): return "<builtin \(b.signature.usage)>"
        case .method(let m): return "<method \(m.receiver.typeName).\(m.method.signature.usage)>"
        case .dataset(let d): return "<dataset \(d.spec)>"
        case .module(let m): return "<module \(m.model.name)>"
        case .model(let m): return "<model \(m.moduleNames.joined(separator: ", "))>"
        case .moduleParameters(let m, let module): return "<parameters of \(module) in model \(m.moduleNames.joined(separator: ", "))>"
        case .parameter(let p):
            if let value = try? p.model.parameters.values(p.fullPath) {
                if value.count == 1, value[0].key.isEmpty { return number(value[0].value) }
                return "{" + value.map { "\(quoted($0.key)): \(number($0.value))" }.joined(separator: ", ") + "}"
            }
            return "<parameter \(p.fullPath)>"
        case .scenario(let s): return "<scenario \(quoted(s.scenario.name)), \(s.scenario.events.count) event\(s.scenario.events.count == 1 ? "" : "s")>"
        case .run(let r): return "<run \(quoted(r.scenario.name)) \(r.start)…\(r.end)>"
        case .table(let t): return "<table \(t.columns.count) columns × \(t.rows.count) rows>"
        case .distribution(let d): return d.description
        case .ensemble(let e): return e.inline()
        case .sweep(let s): return s.inline()
        case .sensitivity(let s): return s.inline()
        case .discovery(let d): return d.inline()
        case .calibration(let c): return c.inline()
        }
    }

    /// A string in double quotes with escapes.
    public static func quoted(_ s: String) -> String {
        var out = "\""
        for c in s.unicodeScalars {
            switch c {
            case "\"": out += "\\\""
            case "\\": out += "\\\\"
            case "\n": out += "\\n"
            case "\t": out += "\\t"
            default: out.unicodeScalars.append(c)
            }
        }
        return out + "\""
    }

    /// A value as an error message mentions it: `the number 2.5`, `a run`.
    public static func describeForError(_ value: Value) -> String {
        switch value {
        case .none: return "none"
        case .bool(let b): return "the bool \(b)"
        case .number(let x): return "the number \(number(x))"
        case .string(let s): return "the string \(quoted(s.count > 40 ? String(s.prefix(40)) + "…" : s))"
        case .month(let m): return "the month \(m)"
        default: return value.typeDescription
        }
    }

    // MARK: Tables

    /// A table as aligned text: a header, a rule, then rows; numbers right-aligned and rounded to
    /// six significant digits, text left-aligned.
    public static func table(_ table: ResultTable) -> String {
        let cells: [[String]] = table.rows.map { row in
            row.map { cell in
                switch cell {
                case .number(let x): rounded(x)
                case .text(let s): s
                case .none: "none"
                }
            }
        }
        var widths = table.columns.map { $0.count }
        for row in cells {
            for (j, cell) in row.enumerated() where j < widths.count { widths[j] = max(widths[j], cell.count) }
        }
        let numeric: [Bool] = table.columns.indices.map { j in
            table.rows.contains { row in
                guard j < row.count else { return false }
                if case .number = row[j] { return true }
                return false
            }
        }
        func pad(_ s: String, _ j: Int) -> String {
            let fill = String(repeating: " ", count: max(0, widths[j] - s.count))
            return numeric[j] ? fill + s : s + fill
        }
        func line(_ row: [String]) -> String {
            var parts: [String] = []
            for j in table.columns.indices { parts.append(pad(j < row.count ? row[j] : "", j)) }
            var text = parts.joined(separator: "  ")
            while text.last == " " { text.removeLast() }
            return text
        }
        var out = line(table.columns) + "\n"
        out += widths.map { String(repeating: "-", count: $0) }.joined(separator: "  ") + "\n"
        for row in cells { out += line(row) + "\n" }
        if table.rows.isEmpty { out += "(no rows)\n" }
        out.removeLast()
        return out
    }

    // MARK: Domain objects

    /// A run's summary: scenario, span, seed, modules, and its metrics that have a value — the
    /// months things happened first (a stock exhausted, a settlement), then the quantities — and
    /// a warning for each output that sat at a bound or cap (``RunResult/boundWarnings``).
    public static func summary(of run: RunResult, limit: Int = 12) -> String {
        var out = "run \(quoted(run.scenario.name)): \(run.start)…\(run.end) (\(run.months) months), seed \(run.seed)\n"
        out += "modules: \(run.modules.joined(separator: ", ")) · data: \(run.datasetName)"
        var lines: [(String, String)] = []
        let shown = run.metrics.filter { $0.bound == nil }
        let monthsFirst = shown.filter { $0.kind == .month } + shown.filter { $0.kind != .month }
        for metric in monthsFirst {
            let value = RunResult.metricValue(run.metricValues[metric.index], kind: metric.kind, start: run.start)
            switch value {
            case .none: continue
            case .number(let x) where x == 0: continue
            case .number(let x): lines.append((metric.id, rounded(x)))
            case .month(let m): lines.append((metric.id, m.description))
            }
        }
        let warnings = run.boundWarnings.map { "\nwarning: " + $0 }.joined()
        if lines.isEmpty {
            out += "\nno events: every metric is none or 0"
            return out + warnings
        }
        let width = lines.prefix(limit).map(\.0.count).max() ?? 0
        for (id, value) in lines.prefix(limit) {
            out += "\n  " + id + String(repeating: " ", count: width - id.count + 2) + value
        }
        if lines.count > limit {
            out += "\n  … \(lines.count - limit) more (r.summary() lists every metric)"
        }
        return out + warnings
    }

    /// A scenario and its events, one per line.
    public static func describe(scenario: Scenario) -> String {
        var out = "scenario \(quoted(scenario.name)) (\(scenario.events.count) event\(scenario.events.count == 1 ? "" : "s"))"
        for event in scenario.events { out += "\n  " + event.summary }
        return out
    }

    /// A model: its modules, dataset and changed parameters.
    public static func describe(model: ModelObject) -> String {
        var out = "model(\(model.moduleNames.joined(separator: ", "))) on data \(quoted(model.dataset.spec))"
        let changes = model.parameters.changes
        if changes.isEmpty {
            out += "\n  all parameters at their defaults"
        } else {
            for change in changes { out += "\n  \(change.path) = \(number(change.value))" }
        }
        return out
    }

    /// The parameters of one module of a model as a table.
    public static func describe(parameters model: ModelObject, module: String) -> String {
        table(parameterTable(model, module: module))
    }

    /// Parameter path, value, default, unit and range for one module (every module when nil).
    static func parameterTable(_ model: ModelObject, module: String?) -> ResultTable {
        var rows: [[ResultTable.Cell]] = []
        for entry in model.parameters.entries where module == nil || entry.module == module {
            let declaration = entry.declaration
            for k in 0..<declaration.count {
                let key = declaration.keys.isEmpty ? "" : "[\(declaration.keys[k])]"
                rows.append([
                    .text(entry.path + key), .number(model.parameters.values[entry.base + k]),
                    .number(declaration.defaults[k]), .text(declaration.unit.symbol),
                    .text(ParameterSet.format(declaration.range)),
                ])
            }
        }
        return ResultTable(columns: ["parameter", "value", "default", "unit", "range"], rows: rows)
    }

    /// A dataset in one paragraph: tables and sizes.
    public static func describe(dataset: DatasetObject) -> String {
        let d = dataset.dataset
        return "dataset \(quoted(dataset.spec)): \(d.regions.count) regions (\(d.regionCodes.joined(separator: ", "))), "
            + "\(d.commodities.count) commodities (\(d.commodityCodes.joined(separator: ", "))), "
            + "\(d.flows.count) trade flows, \(d.sources.count) sources"
    }
}
