import LodestoneKernel

/// `montecarlo` and `sweep`, and the members of their results.
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
            property("seed", "the ensemble's seed (as text beyond 2^53)") { _, v in
                ensemble(v).map { Session.seedValue($0.result.request.seed) } ?? .none
            },
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
                .init("threads", "worker threads, 1…\(MonteCarloRequest.maximumThreads) (default: one per core, or --threads); results do not depend on it"),
                .init("shard", "run only shard \"i/n\" of the runs: runs i−1, i−1+n, … (default: all, or --shard); `lodestone merge` combines the shards' SQLite exports"),
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
                .init("keep", "what to keep of each run: signal ids, or \"runs\" for whole runs (default: whole runs when they fit in 64 MB, else a few signals that change)"),
                .init("threads", "worker threads, 1…\(MonteCarloRequest.maximumThreads) (default: one per core, or --threads); results do not depend on it"),
                .init("shard", "run only shard \"i/n\" of the runs: runs i−1, i−1+n, … (default: all, or --shard); `lodestone merge` combines the shards' SQLite exports"),
            ],
            summary: "one run per parameter value (or grid point), with the same seed"
        ) { session, args throws(ScriptError) in try session.sweep(args) },
        builtin(
            "max_memory", positional: [.init("size", "a size such as \"4 GB\", \"512 MB\" or \"25%\" (of physical memory), or a number of bytes")],
            summary: "sets (or, without a size, shows) the memory a montecarlo or sweep may plan to use"
        ) { session, args throws(ScriptError) in try session.maxMemory(args) },
    ]

    /// Whole runs a sweep keeps by default when they fit in this many bytes (else a few signals).
    static let sweepWholeRunBytes = 64 << 20

    func maxMemory(_ args: Arguments) throws(ScriptError) -> Value {
        guard let value = args.value("size") else { return .string(options.memoryBudget.description) }
        if case .none = value { return .string(options.memoryBudget.description) }
        let bytes: Int?
        switch value {
        case .string(let text): bytes = MemoryBudget.parse(text)
        case .number(let x): bytes = x.isFinite && x >= 1 && x < 9e18 ? Int(x) : nil
        default: throw args.mismatch("size", "a size such as \"4 GB\" or a number of bytes", value)
        }
        guard let bytes else {
            throw ScriptError(
                "`max_memory` expects a size such as \"4 GB\", \"512 MB\" or \"25%\", or a number of bytes, got \(ValueFormatter.describeForError(value))",
                at: args.range("size"))
        }
        if options.access.isRestricted, bytes > options.memoryBudget.bytes {
            throw ScriptError(
                "safe mode: a script may lower the memory limit (\(options.memoryBudget)), not raise it; start Lodestone with --max-memory \(MemoryBudget.format(bytes))",
                at: args.range("size"))
        }
        options.memoryBudget = MemoryBudget(bytes: bytes)
        return .none
    }

    func monteCarlo(_ args: Arguments) throws(ScriptError) -> Value {
        let model = try Self.modelArgument(args)
        let scenario = try Self.scenarioArgument(args)
        let runs = try args.integer("runs", minimum: 1) ?? 1000
        if runs > MonteCarloRequest.maximumRuns {
            throw ScriptError("`runs` of `montecarlo` must be at most \(MonteCarloRequest.maximumRuns), got \(runs)", at: args.range("runs"))
        }
        let seed = try Self.seedArgument(args) ?? options.defaultSeed
        let threads = try threadsArgument(args)
        let shard = try shardArgument(args)
        let variations = try variationsArgument(args, model)
        let months = try args.integer("months", minimum: 1)
        let start = try args.month("start")
        var bands = try bandList(args)
        let range = args.callRange
        do {
            let plan = try makePlan(model, scenario, start: start, months: months)
            // Before the pilot run and the ensemble: refuse a request too large for memory.
            var probe = MonteCarloRequest(runs: runs, seed: seed, vary: variations, bandSignals: bands ?? ["", "", "", ""], threads: threads)
            probe.memoryBudget = options.memoryBudget
            try MonteCarlo.checkMemory(plan, request: probe)
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
            var request = MonteCarloRequest(runs: runs, seed: seed, vary: variations, bandSignals: bands ?? [], threads: threads)
            request.memoryBudget = options.memoryBudget
            request.shard = shard
            var result = try MonteCarlo.run(
                plan, parameters: model.parameters, request: request, isCancelled: options.isCancelled,
                progress: options.progress)
            if result.wasCancelled { throw ScriptError("cancelled", at: range, isCancellation: true) }
            result.shardTag = nextShardTag(shard)
            return .ensemble(EnsembleObject(result))
        } catch {
            throw Self.scenarioError(Self.kernelError(error, at: range), args)
        }
    }

    /// `vary:`: a record of parameter paths to distributions (a number means `choice([x])`, a
    /// list `choice(list)`); every path is checked against the model.
    func variationsArgument(_ args: Arguments, _ model: ModelObject) throws(ScriptError) -> [Variation] {
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
        return variations
    }

    /// `threads:` of `montecarlo` and `sweep` (1…``MonteCarloRequest/maximumThreads``), else the
    /// session's `--threads`, else nil (one per core).
    private func threadsArgument(_ args: Arguments) throws(ScriptError) -> Int? {
        guard let threads = try args.integer("threads", minimum: 1) else { return options.threads }
        guard threads <= MonteCarloRequest.maximumThreads else {
            throw ScriptError(
                "`threads` of `\(args.callee)` must be at most \(MonteCarloRequest.maximumThreads), got \(threads)",
                at: args.range("threads"))
        }
        return threads
    }

    /// `shard:` of `montecarlo`, `sweep` and `sensitivity` (`"i/n"`), else the session's
    /// `--shard`, else nil (every run).
    func shardArgument(_ args: Arguments) throws(ScriptError) -> Shard? {
        guard let text = try args.string("shard") else { return options.shard }
        do { return try Shard(parsing: text) } catch { throw ScriptError(error.message, at: args.range("shard")) }
    }

    /// The tag of the script's next sharded computation (nil when `shard` is nil).
    func nextShardTag(_ shard: Shard?) -> ShardTag? {
        guard let shard else { return nil }
        defer { shardedParts += 1 }
        return ShardTag(shard: shard, part: shardedParts)
    }

    /// `keep:` of `sweep`: `"runs"`, a signal id, or a list of them; nil when not given.
    private func keepArgument(_ args: Arguments) throws(ScriptError) -> SweepKeep? {
        switch args.value("keep") {
        case nil, .none?: return nil
        case .string("runs")?: return .runs
        case .string(let id)?: return .signals([id])
        case .list(let items)?:
            var ids: [String] = []
            for item in items {
                guard case .string(let id) = item else {
                    throw args.mismatch("keep", "\"runs\" or a list of signal ids", .list(items))
                }
                ids.append(id)
            }
            return .signals(ids)
        case let other?: throw args.mismatch("keep", "\"runs\" or a list of signal ids", other)
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
        let threads = try threadsArgument(args)
        let shard = try shardArgument(args)
        let months = try args.integer("months", minimum: 1)
        let start = try args.month("start")
        var keep = try keepArgument(args)
        do {
            let plan = try makePlan(model, scenario, start: start, months: months)
            let total = Int(points)
            if keep == nil {
                // Whole runs when they are small; else the signals a plot would show.
                let whole = Sweep.memoryEstimate(
                    plan, parameters: model.parameters, points: total, keptSignals: plan.composition.signals.count, threads: 1)
                if whole <= Self.sweepWholeRunBytes {
                    keep = .runs
                } else {
                    let pilot = try Runner.run(plan, parameters: model.parameters, seed: seed, isCancelled: options.isCancelled)
                    keep = .signals(Self.defaultSignals(pilot))
                }
            }
            var result = try Sweep.run(
                plan, parameters: model.parameters, grid: grid, seed: seed, keep: keep ?? .runs,
                memoryBudget: options.memoryBudget, threads: threads, shard: shard, isCancelled: options.isCancelled,
                progress: options.progress)
            if result.wasCancelled { throw ScriptError("cancelled", at: args.callRange, isCancellation: true) }
            result.shardTag = nextShardTag(shard)
            return .sweep(SweepObject(result))
        } catch {
            throw Self.scenarioError(Self.kernelError(error, at: args.callRange), args)
        }
    }
}
