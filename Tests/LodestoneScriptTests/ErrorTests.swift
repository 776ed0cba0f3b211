import Testing

@testable import LodestoneScript

/// The message and caret column of the error a snippet raises.
private func failure(_ source: String) -> (message: String, line: Int, column: Int, caret: String)? {
    let outcome = Harness.run(source, stepBudget: 10_000)
    guard let error = outcome.error, let range = error.range else { return nil }
    let rendered = error.render().split(separator: "\n", omittingEmptySubsequences: false)
    let (line, column) = range.lineAndColumn
    return (error.message, line, column, rendered.count > 2 ? String(rendered[2]) : "")
}

@Suite("Error messages")
struct ErrorTests {
    @Test("each error names the problem and points at it", arguments: [
        ("print(stockpile_dyas)\n", "unknown name `stockpile_dyas`", 1, 7),
        ("let m = model(trade, stokpile)", "unknown name `stokpile`; did you mean `stockpile`?", 1, 22),
        ("model(\"stokpile\")", "unknown module `stokpile`; did you mean `stockpile`? (modules: trade, stockpile, diplomacy, tank)", 1, 7),
        ("run(model(tank), seeds: 3)", "unknown argument `seeds:` for `run`; did you mean `seed:`? (arguments: model:, scenario:, start:, months:, seed:)", 1, 18),
        ("run(model(tank), months: \"x\")", "`months` of `run` expects a number, got the string \"x\"", 1, 26),
        ("run(model(tank), months: 2.5)", "`months` of `run` expects a whole number, got 2.5", 1, 26),
        ("run(model(tank), months: 0)", "`months` of `run` must be at least 1, got 0", 1, 26),
        ("run(model(tank), none, 3)", "`run` takes at most 2 positional arguments (model, scenario), got 3; name the others (start:, months:, seed:)", 1, 24),
        ("run()", "`run` needs `model` (a model); usage: run(model, scenario?, start:, months:, seed:)", 1, 1),
        ("run(tank)", "`model` of `run` expects a model (made with `model(trade, stockpile, …)`), got a module; wrap the module in a model: `model(tank)`", 1, 5),
        ("let m = model(tank)\nm.tank.use = 5000", "`tank.use` = 5000 is out of range: expected 0…1000 t/month", 2, 14),
        ("let m = model(tank)\nm.tank.usage = 5", "unknown parameter `usage` of module `tank` (parameters: start_level, use)", 2, 8),
        ("let m = model(tank)\nm.tank.start_level[\"XX\"] = 5", "`tank.start_level[XX]`: no key matches `XX` (keys: JP/NdPr, JP/Dy, JP/Tb, JP/HREE, JP/Other)", 2, 20),
        ("let m = model(tank)\nm.tank.use[\"JP\"] = 5", "`tank.use` is a single value and takes no key (got `[JP]`)", 2, 12),
        ("let m = model(tank)\nm.trade.ramp_months = 1", "the model has no module `trade`; add it: `model(tank, trade)`", 2, 3),
        ("let m = model(tank)\nm.tank = 1", "cannot assign to the module `tank` of a model; assign to one of its parameters, e.g. `m.tank.start_level = …`", 2, 1),
        ("run(model(tank), months: 2).series(\"tank.levl[JP/Dy]\")", "unknown signal `tank.levl[JP/Dy]`; did you mean `tank.level[JP/Dy]`?", 1, 36),
        ("run(model(tank), months: 2).series(\"tank.level\")", "unknown signal `tank.level`; did you mean `tank.level[JP/NdPr]`? (`tank.level` needs a key, e.g. `tank.level[…]`)", 1, 36),
        ("run(model(tank), months: 2).metric(\"tank.empty\")", "unknown metric `tank.empty`; did you mean `tank.empty_at[JP/NdPr]`?", 1, 36),
        ("let x = 1 / 0", "division by zero", 1, 13),
        ("let x = 5 % (1 - 1)", "division by zero (remainder of a division by 0)", 1, 13),
        ("let x = 3\nx(1)", "cannot call the number 3: `x` is not a function", 2, 1),
        ("tank(1)", "`tank` is a module, not a function; compose it with `model(tank, …)`", 1, 1),
        ("scenario(\"x\").restirct(from: \"CN\")", "a scenario has no member `restirct`; did you mean `restrict`? (members: add, capacity, copy, demand, events, incident, name, new_capacity, offtake, quota, remove, restrict, set, talks)", 1, 15),
        ("[1, 2, 3][3]", "index 3 is out of range for a list of 3 elements (valid: 0…2, or -3…-1 from the end)", 1, 11),
        ("[1][\"a\"]", "a list index must be a whole number or a range, got the string \"a\"", 1, 5),
        ("{\"a\": 1}.b", "the record has no field `b` (keys: a)", 1, 10),
        ("{\"abc\": 1}[\"abd\"]", "the record has no key \"abd\"; did you mean `abc`? (keys: abc)", 1, 12),
        ("2026-03 * 2", "cannot apply `*` to the month 2026-03 and the number 2; months only add and subtract", 1, 1),
        ("2026-03 + 1.5", "months move by whole numbers of months, got 1.5", 1, 11),
        ("2026-03 + 2026-04", "cannot add two months; add a number of months (`2026-03 + 12`) or subtract months to count them", 1, 1),
        ("none > 3", "cannot compare none with the number 3 using `>`; check for none first with `x == none`", 1, 1),
        ("if 1 { }", "the `if` condition must be true or false, got the number 1 (compare it, e.g. `x > 0`)", 1, 4),
        ("1 and true", "`and` needs true or false on its left, got the number 1", 1, 1),
        ("-\"a\"", "cannot negate the string \"a\"; `-` needs a number", 1, 1),
        ("fn f(n) { f(n + 1) }\nf(1)", "too many nested calls (more than 200) in `f`: does its recursion ever stop?", 1, 11),
        ("while true { }", "the script took more than 10000 steps; is there a loop that never ends?", 1, 1),
        ("fn f(a) { a }\nf(1, 2)", "`f` takes 1 argument (a), got 2", 2, 6),
        ("fn f(a) { a }\nf()", "`f` needs the argument `a` (parameters: a)", 2, 1),
        ("fn f(a) { a }\nf(b: 1)", "unknown argument `b:` for `f` (parameters: a)", 2, 3),
        ("count = 1", "unknown name `count`; declare a new variable with `let count = …`", 1, 1),
        ("print = 1", "`print` is built in; define your own variable with `let print = …`", 1, 1),
        ("for x in 5 { }", "cannot loop over the number 5; `for` needs a list, a range, a record or a table", 1, 10),
        ("list(1..2 step 0)", "a range's `step` must not be 0", 1, 16),
        ("scenario(\"x\").restrict(from: \"CN\", share: 150%)", "`share` of `restrict` must be within 0…1, got 1.5", 1, 43),
        ("scenario(\"x\").incident(from: \"CN\", severity: 0.5)", "`incident` needs `to:` (the target's region code); usage: incident(from:, to:, severity:, at:)", 1, 1),
        ("let s = scenario(\"typo\")\ns.restrict(from: \"CN\", to: \"JPN\")\nrun(model(tank), s)", "unknown region `JPN`; did you mean `JP`? (regions: CN, JP, US, EU, KR, MY, VN, IN, ROW; the event was not added)", 2, 28),
        ("let s = scenario(\"x\")\ns.set(\"tank.nope\", 1)\nrun(model(tank), s)", "scenario `x`: set: unknown parameter `nope` of module `tank`", 3, 18),
        ("data(\"no-such-dir/\")", "no such directory `no-such-dir/`", 1, 6),
        ("export(run(model(tank), months: 1), \"x.xlsx\")", "unknown export format `xlsx` (formats: csv, json, records, markdown, sqlite, svg, html)", 1, 37),
        ("help(\"restrictt\")", "no help on \"restrictt\"; did you mean `restrict`?; help() lists the topics", 1, 6),
        ("sweep(model(tank), param: \"tank.use\", values: [1, 5000])", "`tank.use` = 5000 is out of range: expected 0…1000 t/month", 1, 27),
        ("montecarlo(model(tank), runs: 0)", "`runs` of `montecarlo` must be at least 1, got 0", 1, 31),
        ("montecarlo(model(tank), runs: 2, vary: {\"tank.uses\": uniform(1, 2)})", "vary: unknown parameter `uses` of module `tank`; did you mean `use`?", 1, 40),
        ("uniform(2, 1)", "`uniform` needs low ≤ high, got 2 > 1", 1, 1),
        ("sqrt(-1)", "`sqrt` needs a number ≥ 0, got -1", 1, 6),
        ("print(1, sepp: \",\")", "unknown argument `sepp:` for `print`; did you mean `sep:`? (arguments: sep:)", 1, 10),
    ])
    func message(_ source: String, _ expected: String, _ line: Int, _ column: Int) throws {
        let error = try #require(failure(source), "`\(source)` should fail")
        #expect(error.message.hasPrefix(expected), "got: \(error.message)")
        #expect(error.line == line && error.column == column, "at \(error.line):\(error.column)")
        #expect(error.caret.hasPrefix(String(repeating: " ", count: column - 1) + "^"))
    }

    @Test("syntax errors", arguments: [
        ("let xs = [1, 2,\n  3\nprint(xs)", "expected `,` or `]` in the list, found `print` (is a `]` missing for the `[` at line 1, column 10?)", 3, 1),
        ("let xs = [1, 2", "missing `]` to close this list", 1, 10),
        ("f(1, 2", "missing `)` to close the call", 1, 2),
        ("let r = {\"a\": 1", "missing `}` to close this record", 1, 9),
        ("if true { print(1)", "missing `}` to close the `{` of the `if`", 1, 9),
        ("let x = 1 2", "expected the end of the statement (a new line or `;`), found a number", 1, 11),
        ("let = 3", "expected a name after `let`, found `=`", 1, 5),
        ("let for = 3", "expected a name after `let`, found `for` (`for` is a reserved word)", 1, 5),
        ("let m = 2026-13", "invalid month `2026-13`: the month must be 01…12 (write `2026 - 13` with spaces for a subtraction)", 1, 9),
        ("print(\"open)", "unterminated string: add a closing \" before the end of the line", 1, 7),
        ("print(\u{201C}x\u{201D})", "curly quote `\u{201C}`: write strings with straight quotes \"…\"", 1, 7),
        ("let x = 3 @ 4", "unexpected character `@`; it means nothing in .lode (operators: + - * / % ^ == != < <= > >= and or not; # starts a comment)", 1, 11),
        ("true & false", "unexpected character `&`; write `and` (or `&&`)", 1, 6),
        ("let x = 2x", "invalid number `2x`: a name cannot start with a digit", 1, 9),
        ("1 < 2 < 3", "comparisons cannot be chained; write `a < b and b < c`", 1, 7),
        ("3 = 4", "cannot assign to this expression: the left of `=` must be a name, a field, an index or a parameter path", 1, 1),
        ("else { }", "`else` without an `if` (put it on the same line as the `}` before it)", 1, 1),
        ("f(a: 1, 2)", "positional argument after the named argument `a:`; put positional arguments first", 1, 9),
        ("f(a: 1, a: 2)", "argument `a:` is given twice", 1, 9),
        ("{\"a\": 1, \"a\": 2}", "key \"a\" appears twice in the record", 1, 10),
        ("fn f(a, a) { }", "parameter `a` appears twice", 1, 9),
        ("fn f(a = 1, b) { }", "parameter `b` needs a default value because the one before it has one", 1, 13),
        ("x.1", "expected a name after `.`, found a number", 1, 3),
        ("let y = \"a\\q\"", "unknown escape `\\q` in a string (use \\n, \\t, \\\", \\' or \\\\)", 1, 11),
        ("}", "unexpected `}` with no open `{`", 1, 1),
        ("return 1", "`return` outside a function", 1, 1),
        ("break", "`break` outside a loop", 1, 1),
        ("xs[]", "expected an index inside `[]`", 1, 3),
    ])
    func syntax(_ source: String, _ expected: String, _ line: Int, _ column: Int) throws {
        let error = try #require(failure(source), "`\(source)` should fail")
        #expect(error.message == expected, "got: \(error.message)")
        #expect(error.line == line && error.column == column, "at \(error.line):\(error.column)")
    }

    @Test("render: location line, source line, caret under the span, optional colour")
    func render() {
        let file = SourceFile(name: "curbs.lode", text: "let a = 1\n\tlet m = model(stokpile)\n")
        let error = ScriptError("unknown name `stokpile`", at: SourceRange(file: file, start: 24, end: 32))
        #expect(
            error.render() == "curbs.lode:2:15: error: unknown name `stokpile`\n\tlet m = model(stokpile)\n\t             ^~~~~~~~\n")
        #expect(error.render(colour: true).contains("\u{1B}[1;31merror:"))
        #expect(ScriptError("no place", at: nil).render() == "error: no place\n")
    }
}
