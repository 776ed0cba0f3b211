import LodestoneAnalysis
import LodestoneKernel

/// `sensitivity`: global sensitivity analysis (Sobol, Morris) of one metric, and its result's members.
extension Session {
    static func sensitivityObject(_ value: Value) -> SensitivityObject? {
        if case .sensitivity(let s) = value { return s }
        return nil
    }

    /// Default base samples (Sobol) and trajectories (Morris).
    static let defaultSobolSamples = 1024
    static let defaultMorrisTrajectories = 50

    static let sensitivityMembers = MemberTable(
        properties: [
            property("metric", "the analysed metric") { _, v in sensitivityObject(v).map { .string($0.result.metric.id) } ?? .none },
            property("method", "\"sobol\" or \"morris\"") { _, v in sensitivityObject(v).map { .string($0.result.request.method.rawValue) } ?? .none },
            property("params", "the varied parameter paths") { _, v in
                .list((sensitivityObject(v)?.result.request.vary ?? []).map { .string($0.path) })
            },
            property("runs", "the designed ensemble behind the indices (an ensemble: samples, probability, …)") { _, v in
                sensitivityObject(v).map { .ensemble(EnsembleObject($0.result.ensemble)) } ?? .none
            },
            property("never", "runs in which a month metric never happened (counted as the month after the last)") { _, v in
                sensitivityObject(v).map { .number(Double($0.result.neverRuns)) } ?? .none
            },
        ],
        methods: [
            method("table", summary: "the indices per parameter: S1, S1 ±, ST, ST ± (Sobol) or mu*, mu* ±, mu, sigma (Morris)") {
                _, receiver, _ throws(ScriptError) in
                sensitivityObject(receiver).map { .table($0.result.table) } ?? .none
            },
            method(
                "index", positional: [.init("name", "\"S1\", \"ST\", \"mu*\", \"mu\" or \"sigma\"", required: true)],
                summary: "one index per parameter, as a record of paths to numbers"
            ) { _, receiver, args throws(ScriptError) in
                guard let s = sensitivityObject(receiver) else { return .none }
                let name = try requiredString(args, "name")
                let table = s.result.table
                guard let column = table.columns.firstIndex(of: name), column > 0 else {
                    let choices = table.columns.dropFirst().map { "\"\($0)\"" }.joined(separator: ", ")
                    throw ScriptError("this \(s.result.request.method.rawValue) analysis has the indices \(choices), not \"\(name)\"", at: args.range("name"))
                }
                return .record(Record(table.rows.map { row in
                    guard case .text(let path) = row[0], case .number(let x) = row[column] else { return ("", .none) }
                    return (path, .number(x))
                }))
            },
        ])

    static let analysisBuiltins: [Builtin] = [
        builtin(
            "sensitivity",
            positional: [.init("model", "a model", required: true), .init("scenario", "a scenario (default: the baseline)")],
            named: [
                .init("vary", "a record of parameter paths to distributions, e.g. {\"stockpile.cover_days[JP]\": uniform(30, 120)}"),
                .init("metric", "the metric analysed, e.g. \"stockpile.exhausted_at[JP/DyTb]\""),
                .init("method", "\"sobol\" (first-order and total indices, the default) or \"morris\" (screening)"),
                .init("samples", "Sobol: base samples N, N·(parameters + 2) runs (default 1024); Morris: trajectories (default 50)"),
                .init("seed", "the seed of every run, the Morris design and the bootstrap (default 1)"),
                .init("start", "the first month (default: the scenario's first event, or 2026-01)"),
                .init("months", "months per run (default 36)"),
                .init("shard", "run only shard \"i/n\" of the design (default: all, or --shard); the indices come from the merged shards (`lodestone merge`, `lodestone summary`)"),
            ],
            summary: "which varied parameters move a metric: Sobol indices or Morris screening, with bootstrap intervals"
        ) { session, args throws(ScriptError) in try session.sensitivity(args) },
    ]

    func sensitivity(_ args: Arguments) throws(ScriptError) -> Value {
        let model = try Self.modelArgument(args)
        let scenario = try Self.scenarioArgument(args)
        let variations = try variationsArgument(args, model)
        guard !variations.isEmpty else {
            throw ScriptError("`sensitivity` needs `vary:`, the parameters to analyse, e.g. {\"stockpile.cover_days[JP]\": uniform(30, 120)}", at: args.callRange)
        }
        guard let metric = try args.string("metric") else {
            throw ScriptError("`sensitivity` needs `metric:`, e.g. \"stockpile.exhausted_at[JP/DyTb]\"", at: args.callRange)
        }
        let methodName = try args.string("method") ?? SensitivityMethod.sobol.rawValue
        guard let method = SensitivityMethod(rawValue: methodName) else {
            throw ScriptError(
                "`method:` is \"sobol\" or \"morris\", not \"\(methodName)\"" + Suggestions.hint(for: methodName, among: SensitivityMethod.allCases.map(\.rawValue)),
                at: args.range("method"))
        }
        let samples = try args.integer("samples", minimum: 2) ?? (method == .sobol ? Self.defaultSobolSamples : Self.defaultMorrisTrajectories)
        let seed = try Self.seedArgument(args) ?? options.defaultSeed
        let months = try args.integer("months", minimum: 1)
        let start = try args.month("start")
        var request = SensitivityRequest(vary: variations, metric: metric, method: method, samples: samples, seed: seed)
        request.memoryBudget = options.memoryBudget
        request.threads = options.threads
        request.shard = try shardArgument(args)
        do {
            let plan = try makePlan(model, scenario, start: start, months: months)
            if plan.composition.metricIndex(of: metric) == nil {
                throw ScriptError(
                    "unknown metric `\(metric)`" + NameHint.hint(for: SignalLookup.normalize(metric), among: plan.composition.metrics.map(\.id)),
                    at: args.range("metric"))
            }
            var result = try SensitivityAnalysis.run(
                plan, parameters: model.parameters, request: request, isCancelled: options.isCancelled, progress: options.progress)
            result.tagShard(nextShardTag(request.shard))
            return .sensitivity(SensitivityObject(result))
        } catch let error as AnalysisError {
            throw ScriptError(error.message, at: args.range(error.message.hasPrefix("samples") ? "samples" : "vary"))
        } catch {
            throw Self.scenarioError(Self.kernelError(error, at: args.callRange), args)
        }
    }
}
