/// A worked example for every built-in function, shown by `:help NAME`.
///
/// A built-in added to the language without an entry here gets an example made from its
/// signature (see ``REPL/example(for:)``), so every topic has one.
enum Examples {
    static let builtins: [String: String] = [
        // Models and runs
        "data": #"let d = data("default")    # or data("mydata/") for CSV files, data("x.json")"#,
        "model": #"let m = model(trade, stockpile, diplomacy)"#,
        "scenario": #"let s = scenario("2026 curbs"); s.restrict(from: "CN", to: "JP", commodity: "Dy", share: 100%, start: 2026-02, months: 12)"#,
        "run": #"let r = run(m, s, start: 2026-01, months: 36, seed: 1)"#,
        "montecarlo": #"let e = montecarlo(m, s, runs: 1000, seed: 7, vary: {"diplomacy.settle_base": uniform(0.01, 0.06)})"#,
        "sweep": #"sweep(m, s, param: "stockpile.cover_days[JP]", values: 30..180 step 30)"#,
        "compare": #"compare(run(m), run(m, s))"#,
        "plot": #"plot(r, "stockpile.days_of_cover[JP/Dy]")"#,
        "export": #"export(r, "curbs.html")"#,
        "plugin": #"plugin("industry")"#,
        // Distributions
        "uniform": #"montecarlo(m, s, vary: {"diplomacy.settle_base": uniform(0.01, 0.06)})"#,
        "normal": #"montecarlo(m, s, vary: {"stockpile.cover_days[JP]": normal(60, 10)})"#,
        "triangular": #"montecarlo(m, s, vary: {"trade.ramp_months": triangular(2, 4, 9)})"#,
        "choice": #"montecarlo(m, s, vary: {"stockpile.cover_days[JP]": choice([30, 60, 90])})"#,
        // Values
        "print": #"print("cover:", r.metric("stockpile.exhausted_at[JP/Dy]"))"#,
        "help": #"help(run)    help("restrict")    help("syntax")"#,
        "describe": #"describe(trade)    describe(r)"#,
        "type": #"type(2026-03)    # "month""#,
        "str": #"str(2.5) + " t""#,
        "repr": #"repr("a\tb")    # "\"a\\tb\"""#,
        "num": #"num("25%")    # 0.25"#,
        "len": #"len(r.series("trade.imports[JP/Dy]"))"#,
        "list": #"list(2026-01..2026-06)"#,
        "map": #"map([30, 60, 90], fn (d) { d / 30 })"#,
        "filter": #"filter([1, 5, 12], fn (x) { x > 3 })"#,
        "sort": #"sort([3, 1, 2], descending: true)"#,
        "month": #"month(2026, 3) + 12    # 2027-03"#,
        "table": #"table({"days": [30, 60], "unmet": [12.5, 3]})"#,
        // Math
        "abs": "abs(-2.5)",
        "sqrt": "sqrt(2)",
        "floor": "floor(2.7)",
        "ceil": "ceil(2.1)",
        "exp": "exp(1)",
        "log": "log(10)",
        "round": "round(3.14159, 2)",
        "sum": #"sum(r.series("trade.imports[JP/Dy]"))"#,
        "mean": #"mean(r.series("stockpile.days_of_cover[JP/Dy]"))"#,
        "min": #"min(r.series("stockpile.days_of_cover[JP/Dy]"))"#,
        "max": "max(3, 7, 5)",
        "quantile": "quantile([4, 1, 3, 2], 50%)",
    ]
}
