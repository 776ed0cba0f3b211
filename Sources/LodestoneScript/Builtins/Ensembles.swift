import LodestoneKernel

/// The result of `montecarlo(…)`: per-run metrics and monthly quantile bands of chosen signals.
public final class EnsembleObject {
    /// The kernel's result.
    public let result: EnsembleResult

    init(_ result: EnsembleResult) { self.result = result }

    /// The metrics that happened (month) or were non-zero (quantity) in some run.
    var keyMetrics: [MetricInfo] {
        result.metrics.filter { metric in
            (try? result.metricSamples(metric.id))?.contains { !$0.isNaN && ($0 != 0 || metric.kind == .month) } ?? false
        }
    }

    func display() -> String {
        let r = result
        var out = "ensemble \(ValueFormatter.quoted(r.scenario.name)): \(r.completedRuns) runs, \(r.start)…\(r.start + (r.months - 1)) (\(r.months) months), seed \(r.request.seed)"
        if !r.request.vary.isEmpty {
            out += "\nvaried: " + r.request.vary.map { "\($0.path) ~ \($0.distribution)" }.joined(separator: ", ")
        }
        if !r.bandSignals.isEmpty { out += "\nbands: " + r.bandSignals.map(\.id).joined(separator: ", ") }
        let metrics = keyMetrics
        if metrics.isEmpty {
            out += "\nno events: every metric is none or 0 in every run"
            return out
        }
        // What the runs disagree on first — when something happens (settlement, exhaustion), then
        // amounts whose 5–95 % range is wide — then the rest, each group in model order.
        let spread = metrics.map { spreadRank($0) }
        let ordered = (0...2).flatMap { rank in metrics.indices.filter { spread[$0] == rank }.map { metrics[$0] } }
        let shown = ordered.prefix(12)
        let width = shown.map(\.id.count).max() ?? 0
        for metric in shown {
            out += "\n  " + metric.id.padded(to: width) + "  " + summary(metric)
        }
        if metrics.count > shown.count { out += "\n  … \(metrics.count - shown.count) more (e.table() lists every metric)" }
        if !r.request.vary.isEmpty, r.completedRuns > 1, metrics.allSatisfy(isIdenticalInEveryRun) {
            // Worth saying: a spread of zero is more often a parameter that does not act on this
            // scenario (a settlement rate with no incident to settle) than a robust result.
            let varied = r.request.vary.map { "`\($0.path)`" }.joined(separator: ", ")
            out += "\nnote: every run gave the same metrics; varying \(varied) changes nothing in this scenario"
        }
        return out
    }

    /// Whether a metric has the same value (or none) in every run.
    private func isIdenticalInEveryRun(_ metric: MetricInfo) -> Bool {
        guard let samples = try? result.metricSamples(metric.id), let first = samples.first else { return true }
        return samples.allSatisfy { $0 == first || ($0.isNaN && first.isNaN) }
    }

    /// 0: a month metric on which runs differ (it happens in some runs only, or at different
    /// months); 1: a quantity whose 5–95 % range exceeds 1 % of its median; 2: anything else.
    private func spreadRank(_ metric: MetricInfo) -> Int {
        guard let samples = try? result.metricSamples(metric.id), !samples.isEmpty else { return 2 }
        switch metric.kind {
        case .month:
            let happened = samples.filter { !$0.isNaN }
            let differs = happened.count < samples.count || Set(happened).count > 1
            return differs && !happened.isEmpty ? 0 : 2
        case .quantity:
            guard let q = try? result.metricQuantiles(metric.id, [0.05, 0.5, 0.95]),
                case .number(let low) = q[0], case .number(let median) = q[1], case .number(let high) = q[2]
            else { return 2 }
            return high - low > 0.01 * max(abs(median), 1e-300) ? 1 : 2
        }
    }

    private func summary(_ metric: MetricInfo) -> String {
        let levels = (try? result.metricQuantiles(metric.id, [0.05, 0.5, 0.95])) ?? []
        let text = levels.map { ValueFormatter.inline(Session.metricValue($0)).replacingOccurrences(of: "\"", with: "") }
        switch metric.kind {
        case .month:
            let p = (try? result.probability(metric.id)) ?? .nan
            return "in \(ValueFormatter.rounded(p * 100))% of runs; 5/50/95%: \(text.joined(separator: " / "))"
        case .quantity:
            let mean = (try? result.metricMean(metric.id)) ?? .nan
            return "mean \(ValueFormatter.rounded(mean)); 5/50/95%: \(text.map { Double($0).map(ValueFormatter.rounded) ?? $0 }.joined(separator: " / "))"
        }
    }

    func inline() -> String { "<ensemble \(ValueFormatter.quoted(result.scenario.name)), \(result.completedRuns) runs>" }

    /// Per metric: the share of runs where it happened, the mean, and the 5/50/95 % quantiles.
    func summaryTable(_ ids: [String]) throws(LookupError) -> ResultTable {
        let chosen = ids.isEmpty ? keyMetrics.map(\.id) : ids
        var rows: [[ResultTable.Cell]] = []
        for id in chosen {
            let column = try result.metricColumn(id)
            let kind = result.metrics[column].kind
            let quantiles = try result.metricQuantiles(id, [0.05, 0.5, 0.95]).map(Self.cell)
            let mean = try result.metricMean(id)
            let meanCell: ResultTable.Cell =
                !mean.isFinite ? .none
                : kind == .month ? (abs(mean) < 1e9 ? .text((result.start + Int(mean.rounded())).description) : .none)
                : .number(mean)
            rows.append([.text(SignalLookup.normalize(id)), .number(try result.probability(id)), meanCell] + quantiles)
        }
        return ResultTable(columns: ["metric", "probability", "mean", "p5", "p50", "p95"], rows: rows)
    }

    static func cell(_ value: MetricValue) -> ResultTable.Cell {
        switch value {
        case .number(let x): .number(x)
        case .month(let m): .text(m.description)
        case .none: .none
        }
    }

    /// The quantile bands of a signal by month.
    func bandTable(_ id: String, levels: [Double]) throws(LookupError) -> ResultTable {
        var columns: [[Double]] = []
        for level in levels { columns.append(try result.band(id, level: level)) }
        let rows: [[ResultTable.Cell]] = (0..<result.months).map { t in
            [.text((result.start + t).description)] + columns.map { .number($0[t]) }
        }
        return ResultTable(columns: ["month"] + levels.map { "p" + ValueFormatter.number(($0 * 1000).rounded() / 10) }, rows: rows)
    }

    func charts(signals: [(String, SourceRange)], title: String?, session: Session, range: SourceRange) throws(ScriptError) -> [Chart] {
        let ids = signals.isEmpty ? result.bandSignals.map { ($0.id, range) } : signals
        guard !ids.isEmpty else {
            throw ScriptError("the ensemble kept no signal bands; ask for some with `bands:` in `montecarlo`", at: range)
        }
        var byUnit: [(unit: String, series: [(label: String, values: [Double])])] = []
        for (id, idRange) in ids {
            guard let info = result.bandSignals.first(where: { $0.id == SignalLookup.normalize(id) }) else {
                do { _ = try result.band(id, level: 0.5) } catch { throw ScriptError(error.message, at: idRange) }
                continue
            }
            var lines: [(String, [Double])] = []
            for level in [0.05, 0.5, 0.95] {
                do { lines.append(("\(info.id) p\(Int(level * 100))", try result.band(id, level: level))) } catch {
                    throw ScriptError(error.message, at: idRange)
                }
            }
            if let k = byUnit.firstIndex(where: { $0.unit == info.unit.symbol }) {
                byUnit[k].series += lines
            } else {
                byUnit.append((info.unit.symbol, lines))
            }
        }
        return byUnit.map { Chart(title: title ?? result.scenario.name, start: result.start, series: $0.series, unit: $0.unit) }
    }
}

/// The result of `sweep(…)`: one run per point of a grid of parameter values.
public final class SweepObject {
    /// The kernel's result.
    public let result: SweepResult

    init(_ result: SweepResult) { self.result = result }

    /// Each point's run, labelled `path=value`.
    var labelledRuns: [(label: String, run: RunResult)] {
        result.points.map { point in
            (zip(result.paths, point.values).map { "\($0)=\(ValueFormatter.number($1))" }.joined(separator: ", "), point.result)
        }
    }

    /// The metrics that are not none or 0 at some point, those that differ between points first
    /// (what the sweep moved), each group in declaration order.
    var keyMetrics: [String] {
        guard let first = result.points.first?.result else { return [] }
        let present = first.metrics.filter { metric in
            result.points.contains { point in
                let raw = point.result.metricValues[metric.index]
                return !raw.isNaN && (raw != 0 || metric.kind == .month)
            }
        }
        let varying = present.filter { metric in
            let values = result.points.map { $0.result.metricValues[metric.index].bitPattern }
            return Set(values).count > 1
        }
        let steady = present.filter { metric in !varying.contains { $0.index == metric.index } }
        return (varying + steady).map(\.id)
    }

    func display() -> String {
        var out = "sweep of \(result.paths.joined(separator: " × ")): \(result.points.count) runs"
        if let first = result.points.first?.result {
            out += ", \(first.start)…\(first.end) (\(first.months) months), seed \(first.seed)"
        }
        let metrics = keyMetrics
        if let table = try? result.table(Array(metrics.prefix(4))) {
            out += "\n" + ValueFormatter.table(table)
        }
        if metrics.count > 4 {
            out += "\n… \(metrics.count - 4) more metrics (`.table(\"id\")` on the sweep shows any metric or signal)"
        }
        return out
    }

    func inline() -> String { "<sweep of \(result.paths.joined(separator: " × ")), \(result.points.count) runs>" }
}

extension Session {
    /// Runs a lookup, turning its error into a script error at `range`.
    static func lookup<T>(at range: SourceRange, _ body: () throws(LookupError) -> T) throws(ScriptError) -> T {
        do { return try body() } catch { throw ScriptError(error.message, at: range) }
    }

    static func ensemble(_ value: Value) -> EnsembleObject? {
        if case .ensemble(let e) = value { return e }
        return nil
    }

    static func sweepObject(_ value: Value) -> SweepObject? {
        if case .sweep(let s) = value { return s }
        return nil
    }

    static let ensembleMembers = MemberTable(
        properties: [
            property("runs", "the number of completed runs") { _, v in ensemble(v).map { .number(Double($0.result.completedRuns)) } ?? .none },
            property("seed", "the ensemble's seed") { _, v in ensemble(v).map { .number(Double($0.result.request.seed)) } ?? .none },
            property("start", "the first month") { _, v in ensemble(v).map { .month($0.result.start) } ?? .none },
            property("months", "months per run") { _, v in ensemble(v).map { .number(Double($0.result.months)) } ?? .none },
            property("scenario", "the scenario's name") { _, v in ensemble(v).map { .string($0.result.scenario.name) } ?? .none },
            property("bands", "the signals with monthly quantile bands") { _, v in
                .list((ensemble(v)?.result.bandSignals ?? []).map { .string($0.id) })
            },
        ],
        methods: [
            method(
                "quantiles",
                positional: [
                    .init("id", "a metric id, or a signal kept with `bands:`", required: true),
                    .init("levels", "probabilities such as [5%, 50%, 95%] (default 5, 25, 50, 75, 95 %)"),
                ],
                summary: "a metric's quantiles over the runs (a list), or a signal's monthly quantile bands (a table)"
            ) { session, receiver, args throws(ScriptError) in
                guard let e = ensemble(receiver) else { return .none }
                let id = try requiredString(args, "id")
                var levels = EnsembleResult.bandLevels
                if let given = args.value("levels") {
                    levels = try numbers(given, args, "levels", session: session)
                    if let bad = levels.first(where: { !(0...1).contains($0) }) {
                        throw ScriptError("quantile levels must be within 0…100%, got \(ValueFormatter.number(bad))", at: args.range("levels"))
                    }
                }
                return try lookup(at: args.range("id")) { () throws(LookupError) -> Value in
                    if e.result.bandSignals.contains(where: { $0.id == SignalLookup.normalize(id) }) {
                        return .table(try e.bandTable(id, levels: levels))
                    }
                    return .list(try e.result.metricQuantiles(id, levels).map(metricValue))
                }
            },
            method(
                "mean", positional: [.init("id", "a metric id, or a signal kept with `bands:`", required: true)],
                summary: "a metric's mean over the runs where it happened, or a signal's monthly means (a list)"
            ) { _, receiver, args throws(ScriptError) in
                guard let e = ensemble(receiver) else { return .none }
                let id = try requiredString(args, "id")
                return try lookup(at: args.range("id")) { () throws(LookupError) -> Value in
                    if e.result.bandSignals.contains(where: { $0.id == SignalLookup.normalize(id) }) {
                        return .list(try e.result.meanSeries(id).map(Value.number))
                    }
                    let column = try e.result.metricColumn(id)
                    let mean = try e.result.metricMean(id)
                    if !mean.isFinite { return .none }
                    if e.result.metrics[column].kind == .month {
                        // The mean month index, to the nearest month (as the exports show it).
                        return abs(mean) < 1e9 ? .month(e.result.start + Int(mean.rounded())) : .none
                    }
                    return .number(mean)
                }
            },
            method(
                "probability", positional: [.init("metric", "a metric id such as \"stockpile.exhausted_at[JP/DyTb]\"", required: true)],
                named: [.init("by", "a month: count only runs where it happened by then (month metrics)")],
                summary: "the share of runs in which the metric happened (was not none), or happened by a month"
            ) { _, receiver, args throws(ScriptError) in
                guard let e = ensemble(receiver) else { return .none }
                let id = try requiredString(args, "metric")
                let by = try args.month("by")
                return .number(try lookup(at: args.range(by == nil ? "metric" : "by")) { () throws(LookupError) -> Double in
                    if let by { return try e.result.probability(id, by: by) }
                    return try e.result.probability(id)
                })
            },
            method(
                "samples", positional: [.init("metric", "a metric id", required: true)],
                summary: "the metric's value in every run (numbers, months or none)"
            ) { _, receiver, args throws(ScriptError) in
                guard let e = ensemble(receiver) else { return .none }
                let id = try requiredString(args, "metric")
                return try lookup(at: args.range("metric")) { () throws(LookupError) -> Value in
                    let column = try e.result.metricColumn(id)
                    let kind = e.result.metrics[column].kind
                    return .list(try e.result.metricSamples(id).map { metricValue(RunResult.metricValue($0, kind: kind, start: e.result.start)) })
                }
            },
            method(
                "table", variadic: .init("metric", "metric ids (default: those that happen in some run)"),
                summary: "per metric: probability, mean, and 5/50/95 % quantiles"
            ) { _, receiver, args throws(ScriptError) in
                guard let e = ensemble(receiver) else { return .none }
                let ids = try stringList(args, what: "metric ids")
                for (id, range) in ids { _ = try lookup(at: range) { () throws(LookupError) in try e.result.metricColumn(id) } }
                return .table(try lookup(at: args.callRange) { () throws(LookupError) in try e.summaryTable(ids.map(\.0)) })
            },
        ])

    static let sweepMembers = MemberTable(
        properties: [
            property("params", "the swept parameter paths") { _, v in .list((sweepObject(v)?.result.paths ?? []).map(Value.string)) },
            property("runs", "the runs, in grid order") { _, v in .list((sweepObject(v)?.result.points ?? []).map { .run($0.result) }) },
            property("points", "each run's parameter values, as lists") { _, v in
                .list((sweepObject(v)?.result.points ?? []).map { .list($0.values.map(Value.number)) })
            },
        ],
        methods: [
            method(
                "table", variadic: .init("id", "metric or signal ids; a signal shows its last value, \"signal@2026-06\" a given month"),
                summary: "a table with a column per swept parameter and one per id"
            ) { _, receiver, args throws(ScriptError) in
                guard let s = sweepObject(receiver) else { return .none }
                let ids = try stringList(args, what: "metric or signal ids")
                let chosen = ids.isEmpty ? s.keyMetrics.map { ($0, args.callRange) } : ids
                for (id, range) in chosen { _ = try lookup(at: range) { () throws(LookupError) in try s.result.table([id]) } }
                return .table(try lookup(at: args.callRange) { () throws(LookupError) in try s.result.table(chosen.map(\.0)) })
            },
        ])

    static let ensembleBuiltins: [Builtin] = [
        builtin(
            "montecarlo",
            positional: [.init("model", "a model", required: true), .init("scenario", "a scenario (default: the baseline)")],
            named: [
                .init("runs", "how many runs (default 1000)"),
                .init("seed", "the ensemble's seed (default 1)"),
                .init("vary", "a record of parameter paths to distributions, e.g. {\"diplomacy.settle_base\": uniform(0.01, 0.06)}"),
                .init("bands", "signal ids to keep monthly quantile bands of (default: a few that change)"),
                .init("start", "the first month (default: the scenario's first event, or 2026-01)"),
                .init("months", "months per run (default 36)"),
            ],
            summary: "runs the model many times with drawn parameters and random events, in parallel"
        ) { session, args throws(ScriptError) in try session.monteCarlo(args) },
        builtin(
            "sweep",
            positional: [.init("model", "a model", required: true), .init("scenario", "a scenario (default: the baseline)")],
            named: [
                .init("param", "the parameter path to sweep, e.g. \"stockpile.cover_days[JP]\""),
                .init("values", "its values: a list or a range such as 30..180 step 30"),
                .init("grid", "several parameters at once: a record of paths to lists of values"),
                .init("seed", "the seed of every run (default 1)"),
                .init("start", "the first month (default: the scenario's first event, or 2026-01)"),
                .init("months", "months per run (default 36)"),
            ],
            summary: "one run per parameter value (or grid point), with the same seed"
        ) { session, args throws(ScriptError) in try session.sweep(args) },
    ]

    func monteCarlo(_ args: Arguments) throws(ScriptError) -> Value {
        let model = try Self.modelArgument(args)
        let scenario = try Self.scenarioArgument(args)
        let runs = try args.integer("runs", minimum: 1) ?? 1000
        if runs > MonteCarloRequest.maximumRuns {
            throw ScriptError("`runs` of `montecarlo` must be at most \(MonteCarloRequest.maximumRuns), got \(runs)", at: args.range("runs"))
        }
        let seed = try Self.seedArgument(args) ?? options.defaultSeed
        var variations: [Variation] = []
        switch args.value("vary") {
        case .record(let record)?:
            for (path, value) in record.fields {
                let distribution: Distribution
                switch value {
                case .distribution(let d): distribution = d
                case .number(let x): distribution = .choice([x])
                case .list:
                    distribution = .choice(try Self.numbers(value, args, "vary", session: self))
                default:
                    throw ScriptError(
                        "vary: \(ValueFormatter.quoted(path)) needs a distribution such as uniform(0.01, 0.06), got \(ValueFormatter.describeForError(value))",
                        at: args.range("vary"))
                }
                do { _ = try model.parameters.positions(path) } catch {
                    throw ScriptError("vary: \(error.message)", at: args.range("vary"))
                }
                variations.append(Variation(path, distribution))
            }
        case nil, .none?: break
        case let other?: throw args.mismatch("vary", "a record of parameter paths to distributions", other)
        }
        let months = try args.integer("months", minimum: 1)
        let start = try args.month("start")
        var bands = try bandList(args)
        let range = args.callRange
        do {
            let plan = try makePlan(model, scenario, start: start, months: months)
            if bands == nil {
                let pilot = try Runner.run(plan, parameters: model.parameters, seed: seed, isCancelled: options.isCancelled)
                bands = Self.defaultSignals(pilot)
            } else {
                for (id, idRange) in zip(bands ?? [], try bandRanges(args)) where plan.composition.slot(of: id) == nil {
                    throw ScriptError(
                        "unknown signal `\(id)`" + NameHint.hint(for: SignalLookup.normalize(id), among: plan.composition.signals.map(\.id)),
                        at: idRange)
                }
            }
            let request = MonteCarloRequest(runs: runs, seed: seed, vary: variations, bandSignals: bands ?? [])
            let result = try MonteCarlo.run(
                plan, parameters: model.parameters, request: request, isCancelled: options.isCancelled,
                progress: options.progress)
            if result.wasCancelled { throw ScriptError("cancelled", at: range, isCancellation: true) }
            return .ensemble(EnsembleObject(result))
        } catch {
            throw Self.scenarioError(Self.kernelError(error, at: range), args)
        }
    }

    private func bandList(_ args: Arguments) throws(ScriptError) -> [String]? {
        switch args.value("bands") {
        case nil, .none?: return nil
        case .string(let s)?: return [s]
        case .list(let items)?:
            var out: [String] = []
            for item in items {
                guard case .string(let s) = item else { throw args.mismatch("bands", "a list of signal ids", .list(items)) }
                out.append(s)
            }
            return out
        case let other?: throw args.mismatch("bands", "a list of signal ids", other)
        }
    }

    private func bandRanges(_ args: Arguments) throws(ScriptError) -> [SourceRange] {
        Array(repeating: args.range("bands"), count: try bandList(args)?.count ?? 0)
    }

    func sweep(_ args: Arguments) throws(ScriptError) -> Value {
        let model = try Self.modelArgument(args)
        let scenario = try Self.scenarioArgument(args)
        var grid: [(path: String, values: [Double])] = []
        if let path = try args.string("param") {
            guard let values = args.value("values") else {
                throw ScriptError("`sweep` needs `values:` for `param:` (a list, or a range such as 30..180 step 30)", at: args.callRange)
            }
            grid.append((path, try Self.numbers(values, args, "values", session: self)))
        } else if args.has("values") {
            throw ScriptError("`sweep` needs `param:` to say which parameter `values:` are for", at: args.range("values"))
        }
        switch args.value("grid") {
        case .record(let record)?:
            for (path, values) in record.fields {
                var bound = Arguments(callee: "sweep", callRange: args.callRange)
                bound.values["grid"] = (values, args.range("grid"))
                grid.append((path, try Self.numbers(values, bound, "grid", session: self)))
            }
        case nil, .none?: break
        case let other?: throw args.mismatch("grid", "a record of parameter paths to lists of values", other)
        }
        guard !grid.isEmpty else {
            throw ScriptError("`sweep` needs `param:` and `values:`, or `grid:`", at: args.callRange)
        }
        let points = grid.reduce(1.0) { $0 * Double($1.values.count) }
        if points > Double(Sweep.maximumPoints) {
            let sizes = grid.map { String($0.values.count) }.joined(separator: " × ")
            throw ScriptError(
                "`sweep` would make \(ValueFormatter.rounded(points)) runs (\(sizes) values); the most is \(Sweep.maximumPoints): use fewer values, e.g. a larger `step`",
                at: args.has("grid") && !args.has("param") ? args.range("grid") : args.range("values"))
        }
        for axis in grid {
            do {
                var probe = model.parameters
                for value in axis.values { try probe.set(axis.path, to: value) }
            } catch {
                throw ScriptError(error.message, at: args.has("grid") && !args.has("param") ? args.range("grid") : args.range("param"))
            }
        }
        let seed = try Self.seedArgument(args) ?? options.defaultSeed
        let months = try args.integer("months", minimum: 1)
        let start = try args.month("start")
        do {
            let plan = try makePlan(model, scenario, start: start, months: months)
            let result = try Sweep.run(
                plan, parameters: model.parameters, grid: grid, seed: seed, isCancelled: options.isCancelled,
                progress: options.progress)
            if result.wasCancelled { throw ScriptError("cancelled", at: args.callRange, isCancellation: true) }
            return .sweep(SweepObject(result))
        } catch {
            throw Self.scenarioError(Self.kernelError(error, at: args.callRange), args)
        }
    }
}
