import Foundation
import LodestoneKernel

extension Session {
    /// The default number of months of a run.
    public static let defaultMonths = 36

    /// A kernel or I/O error as a script error at `range`.
    static func kernelError(_ error: any Error, at range: SourceRange) -> ScriptError {
        switch error {
        case let error as ScriptError: return error
        case is CancellationError: return ScriptError("cancelled", at: range, isCancellation: true)
        case let error as DataError:
            return ScriptError("in the data: \(error.location): \(error.message)", at: range)
        default:
            return ScriptError(String(describing: error), at: range)
        }
    }

    /// Loads (once per session) the dataset a spec names.
    ///
    /// A path is given its meaning once (``AccessPolicy/permittedPath(_:relativeTo:for:shown:)``):
    /// `~` expanded, relative to the script's folder when the file is there (else the working
    /// directory), and in safe mode with links and `..` resolved; the reader then opens exactly the
    /// path that was checked.
    func loadDataset(_ spec: String, at range: SourceRange) throws(ScriptError) -> DatasetObject {
        if let cached = datasets[spec] { return cached }
        var resolved = spec
        if registry.dataSources[spec] == nil {
            let written = spec.trimmingCharacters(in: .whitespacesAndNewlines)
            let expanded = FilePaths.expandingTilde(written)
            resolved = expanded
            if !expanded.hasPrefix("/"), let base = options.baseDirectory {
                let candidate = (base as NSString).appendingPathComponent(expanded)
                if FileManager.default.fileExists(atPath: candidate) { resolved = candidate + (expanded.hasSuffix("/") ? "/" : "") }
            }
            if written != Self.defaultDatasetName, options.access.isRestricted {
                switch options.access.permittedPath(resolved, for: .read, shown: spec) {
                case .failure(let denial): throw ScriptError(denial.message, at: range)
                case .success(let path): resolved = path
                }
                if let denial = readDenial(resolved, shown: spec) { throw ScriptError(denial, at: range) }
            }
        }
        do {
            let source = try registry.dataSource(resolved)
            let object = DatasetObject(spec: spec, dataset: try source.load())
            datasets[spec] = object
            return object
        } catch {
            var failure = Self.kernelError(error, at: range)
            if resolved != spec, options.access.isRestricted {
                failure.message = failure.message.replacingOccurrences(of: resolved, with: spec)
            }
            throw failure
        }
    }

    /// The name of the default embedded dataset (`baseline-2026`), which every policy allows, as
    /// it allows every other registered name.
    static let defaultDatasetName = "default"

    /// Why the access policy refuses to read the data path `path` (a file, or a directory and every
    /// file in it), or nil.
    func readDenial(_ path: String, shown: String) -> String? {
        guard options.access.isRestricted else { return nil }
        if let denial = options.access.denial(of: path, for: .read, shown: shown) { return denial }
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory), isDirectory.boolValue,
            let names = try? FileManager.default.contentsOfDirectory(atPath: path)
        else { return nil }
        for name in names.sorted() {
            let file = (path as NSString).appendingPathComponent(name)
            if let denial = options.access.denial(of: file, for: .read, shown: (shown as NSString).appendingPathComponent(name)) {
                return denial
            }
        }
        return nil
    }

    /// Composes and runs a model once.
    func runModel(
        _ model: ModelObject, _ scenario: Scenario, start: Month?, months: Int?, seed: UInt64?, at range: SourceRange
    ) throws(ScriptError) -> RunResult {
        try checkCancelled(range)
        do {
            let plan = try makePlan(model, scenario, start: start, months: months)
            return try Runner.run(
                plan, parameters: model.parameters, seed: seed ?? options.defaultSeed, isCancelled: options.isCancelled)
        } catch {
            throw Self.kernelError(error, at: range)
        }
    }

    func makePlan(_ model: ModelObject, _ scenario: Scenario, start: Month?, months: Int?) throws -> RunPlan {
        // Composed once per model structure and scenario shape (`PlanCache`): a loop of runs
        // costs the runs, not the composing.
        // `lazy`: the earliest event's month without an array of every event's month per run.
        let start = start ?? scenario.events.lazy.map(\.start).min() ?? Self.defaultStart
        return try model.plans.plan(
            scenario: scenario, start: start, months: months ?? Self.defaultMonths, parameters: model.parameters)
    }

    static func modelArgument(_ args: Arguments, _ name: String = "model") throws(ScriptError) -> ModelObject {
        let value = try args.required(name)
        guard case .model(let model) = value else {
            var error = args.mismatch(name, "a model (made with `model(trade, stockpile, …)`)", value)
            if case .module(let m) = value { error.message += "; wrap the module in a model: `model(\(m.model.name))`" }
            throw error
        }
        return model
    }

    static func scenarioArgument(_ args: Arguments, _ name: String = "scenario") throws(ScriptError) -> Scenario {
        guard let value = args.value(name) else { return Scenario("baseline") }
        switch value {
        case .scenario(let s): return s.scenario
        case .none: return Scenario("baseline")
        default: throw args.mismatch(name, "a scenario (made with `scenario(\"name\")`)", value)
        }
    }

    /// A scenario problem found at compose time points at the scenario argument.
    static func scenarioError(_ error: ScriptError, _ args: Arguments) -> ScriptError {
        guard error.message.hasPrefix("scenario `"), args.has("scenario"), !error.isCancellation else { return error }
        var moved = error
        moved.range = args.range("scenario")
        return moved
    }

    /// `seed:`: a whole number, or (for seeds beyond 2⁵³, which a script's numbers cannot hold
    /// exactly) its decimal digits as text, `seed: "18446744073709551615"`, as `r.seed` gives them.
    static func seedArgument(_ args: Arguments) throws(ScriptError) -> UInt64? {
        if case .string(let text)? = args.value("seed") {
            guard let seed = UInt64(text) else {
                throw ScriptError(
                    "`seed` of `\(args.callee)` expects a whole number from 0 to 18446744073709551615 (as text beyond 2^53), got \"\(text)\"",
                    at: args.range("seed"))
            }
            return seed
        }
        guard let seed = try args.integer("seed", minimum: 0) else { return nil }
        return UInt64(seed)
    }

    /// A seed as a script value: a number when a script's numbers hold it exactly (up to 2⁵³),
    /// else its digits as text, which `seed:` accepts, so that `run(m, s, seed: r.seed)` repeats `r`.
    static func seedValue(_ seed: UInt64) -> Value {
        seed <= 1 << 53 ? .number(Double(seed)) : .string(String(seed))
    }

    static let domainBuiltins: [Builtin] = [
        builtin(
            "data",
            positional: [
                .init("spec", "\"default\" (baseline-2026), \"baseline-2024\", \"history-2009\", a CSV directory \"dir/\" or a JSON file \"data.json\"")
            ],
            summary: "loads a dataset (default: the embedded baseline-2026, the world as of early 2026)"
        ) { session, args throws(ScriptError) in
            .dataset(try session.loadDataset(try args.string("spec") ?? "default", at: args.range("spec")))
        },
        builtin(
            "model", variadic: .init("module", "modules such as trade, stockpile, diplomacy", required: true),
            named: [
                .init("data", "a dataset from `data(…)`, or its spec (default: data(\"default\"), which is baseline-2026)"),
                .init("preset", "a named parameter set the modules ship, such as \"v1\" (Lodestone 1's equations); see `:help presets`"),
            ],
            summary: "composes modules on a dataset into a model with default parameters (or a preset's)"
        ) { session, args throws(ScriptError) in try session.makeModel(args) },
        builtin(
            "scenario", positional: [.init("name", "the scenario's title")],
            summary: "a new, empty scenario; add events with its methods (restrict, quota, incident, talks, set, demand, capacity, offtake, new_capacity)"
        ) { _, args throws(ScriptError) in
            .scenario(ScenarioObject(Scenario(try args.string("name") ?? "scenario")))
        },
        builtin(
            "run", positional: [.init("model", "a model", required: true), .init("scenario", "a scenario (default: none, the baseline)")],
            named: [
                .init("start", "the first month (default: the scenario's first event, or 2026-01)"),
                .init("months", "how many months (default 36)"),
                .init("seed", "the random seed (default 1)"),
            ],
            summary: "runs the model month by month and returns the run"
        ) { session, args throws(ScriptError) in
            let model = try modelArgument(args)
            let scenario = try scenarioArgument(args)
            let months = try args.integer("months", minimum: 1)
            if let months, months > RunPlan.maximumMonths {
                throw ScriptError("`months` of `run` must be at most \(RunPlan.maximumMonths), got \(months)", at: args.range("months"))
            }
            do {
                return .run(
                    try session.runModel(
                        model, scenario, start: try args.month("start"), months: months, seed: try seedArgument(args),
                        at: args.callRange))
            } catch let error as ScriptError {
                throw scenarioError(error, args)
            } catch {
                throw kernelError(error, at: args.callRange)
            }
        },
        builtin(
            "compare", variadic: .init("run", "runs or ensembles, a list of them, or a record of them by label", required: true),
            named: [
                .init("metrics", "metric ids to compare (default: every metric that is not none or 0 in some run)"),
                .init("signal", "a signal id: compare its monthly values (an ensemble's median) instead"),
            ],
            summary: "a table comparing runs, or ensembles' distributions, side by side"
        ) { session, args throws(ScriptError) in try session.compare(args) },
        builtin(
            "plot", positional: [.init("value", "a run, a list of numbers, a list or record of runs or of ensembles, a sweep, or an ensemble", required: true)],
            variadic: .init("signal", "signal ids (default: a few that change)"),
            named: [
                .init("file", "write the chart to a file instead (\"chart.svg\")"),
                .init("title", "the chart's title"), .init("overwrite", "replace an existing file"),
            ],
            summary: "draws signals as a chart in the terminal, or to a file"
        ) { session, args throws(ScriptError) in try session.plot(args) },
        builtin(
            "export", positional: [.init("value", "a run, a list or record of runs, a table, a sweep or an ensemble", required: true),
                .init("path", "the file to write; its extension picks the format", required: true)],
            named: [
                .init("format", "the format's name (csv, json, records, markdown, sqlite, svg, html), overriding the extension"),
                .init("overwrite", "replace an existing file (default false)"),
                .init("signals", "signal ids to include (default: the exporter's choice); a report also puts metric ids named here first"),
                .init("keep", "what an ensemble keeps in a database: \"everything\" (default), \"metrics\", \"bands\" or \"summary\""),
            ],
            summary: "writes results to a file with the exporter for its format"
        ) { session, args throws(ScriptError) in try session.export(args) },
        builtin(
            "uniform", positional: [.init("low", "the lower bound", required: true), .init("high", "the upper bound", required: true)],
            summary: "a uniform distribution for montecarlo's vary:"
        ) { _, args throws(ScriptError) in
            let low = try numberArgument(args, "low"), high = try numberArgument(args, "high")
            guard low <= high else { throw ScriptError("`uniform` needs low ≤ high, got \(ValueFormatter.number(low)) > \(ValueFormatter.number(high))", at: args.callRange) }
            return .distribution(.uniform(low: low, high: high))
        },
        builtin(
            "normal", positional: [.init("mean", "the mean", required: true), .init("sd", "the standard deviation ≥ 0", required: true)],
            summary: "a normal distribution for montecarlo's vary:"
        ) { _, args throws(ScriptError) in
            let mean = try numberArgument(args, "mean")
            guard let sd = try args.number("sd", in: 0...Double.infinity) else { return .none }
            return .distribution(.normal(mean: mean, sd: sd))
        },
        builtin(
            "triangular",
            positional: [.init("low", "the lower bound", required: true), .init("mode", "the most likely value", required: true), .init("high", "the upper bound", required: true)],
            summary: "a triangular distribution for montecarlo's vary:"
        ) { _, args throws(ScriptError) in
            let low = try numberArgument(args, "low"), mode = try numberArgument(args, "mode"), high = try numberArgument(args, "high")
            guard low <= mode, mode <= high else {
                throw ScriptError("`triangular` needs low ≤ mode ≤ high, got \(ValueFormatter.number(low)), \(ValueFormatter.number(mode)), \(ValueFormatter.number(high))", at: args.callRange)
            }
            return .distribution(.triangular(low: low, mode: mode, high: high))
        },
        builtin(
            "choice", positional: [.init("values", "a non-empty list of numbers", required: true)],
            summary: "picks one of the values, each equally likely, for montecarlo's vary:"
        ) { session, args throws(ScriptError) in
            let xs = try numbers(try args.required("values"), args, "values", session: session)
            guard !xs.isEmpty else { throw ScriptError("`choice` needs at least one value", at: args.range("values")) }
            return .distribution(.choice(xs))
        },
    ]

    // MARK: model

    func makeModel(_ args: Arguments) throws(ScriptError) -> Value {
        var modules: [any Model] = []
        var ranges: [SourceRange] = []
        func add(_ value: Value, _ range: SourceRange) throws(ScriptError) {
            switch value {
            case .module(let m):
                modules.append(m.model)
                ranges.append(range)
            case .string(let name):
                do { modules.append(try registry.model(named: name)) } catch { throw ScriptError(error.message, at: range) }
                ranges.append(range)
            case .list(let items):
                for item in items { try add(item, range) }
            default:
                let known = registry.models.map(\.name).joined(separator: ", ")
                throw ScriptError(
                    "`model` expects modules (\(known)), got \(ValueFormatter.describeForError(value))", at: range)
            }
        }
        for (value, range) in args.rest { try add(value, range) }
        if modules.isEmpty {
            throw ScriptError(
                "`model` needs at least one module, e.g. `model(\(registry.models.map(\.name).joined(separator: ", ")))`",
                at: args.callRange)
        }
        for (i, module) in modules.enumerated() where modules[..<i].contains(where: { $0.name == module.name }) {
            throw ScriptError("module `\(module.name)` appears twice; name each module once", at: ranges[i])
        }
        let dataset: DatasetObject
        switch args.value("data") {
        case .dataset(let d)?: dataset = d
        case .string(let spec)?: dataset = try loadDataset(spec, at: args.range("data"))
        case nil, .none?: dataset = try loadDataset("default", at: args.callRange)
        case let other?: throw args.mismatch("data", "a dataset from `data(…)`", other)
        }
        var parameters = ParameterSet(models: modules, dataset: dataset.dataset)
        if let preset = try args.string("preset") {
            do { try parameters.apply(preset: preset, of: modules, dataset: dataset.dataset) } catch {
                throw ScriptError(error.message, at: args.range("preset"))
            }
        }
        let names = Set(modules.map(\.name))
        for (path, value) in options.parameterOverrides {
            guard let module = path.split(separator: ".").first.map(String.init), names.contains(module) else { continue }
            do { try parameters.set(path, to: value) } catch {
                throw ScriptError("--set \(path)=\(ValueFormatter.number(value)): \(error.message)", at: args.callRange)
            }
        }
        return .model(ModelObject(modules: modules, dataset: dataset, parameters: parameters))
    }

    // MARK: compare

    /// Runs with labels from positional arguments: runs, lists of runs, records of runs.
    func labelledRuns(_ items: [(value: Value, range: SourceRange)], callee: String) throws(ScriptError) -> [(label: String, run: RunResult)] {
        var runs: [(String?, RunResult)] = []
        func add(_ value: Value, label: String?, range: SourceRange) throws(ScriptError) {
            switch value {
            case .run(let r): runs.append((label, r))
            case .list(let items): for item in items { try add(item, label: nil, range: range) }
            case .record(let record): for (key, item) in record.fields { try add(item, label: key, range: range) }
            case .sweep(let sweep): runs += sweep.labelledRuns.map { ($0.label, $0.run) }
            case .ensemble:
                throw ScriptError(
                    "`\(callee)` takes runs or ensembles, not both: give it the ensembles together, or runs made with `run(…)`",
                    at: range)
            default:
                throw ScriptError("`\(callee)` expects runs, got \(ValueFormatter.describeForError(value))", at: range)
            }
        }
        for item in items { try add(item.value, label: nil, range: item.range) }
        return Self.labelled(runs) { $0.scenario.name }.map { ($0.label, $0.item) }
    }

    /// Labels for things compared side by side: the given label, else `name`'s; a label used
    /// before gets `#2`, `#3`, ….
    static func labelled<T>(_ items: [(String?, T)], name: (T) -> String) -> [(label: String, item: T)] {
        var used: [String: Int] = [:]
        return items.map { label, item in
            let base = label ?? name(item)
            used[base, default: 0] += 1
            return (used[base]! > 1 ? "\(base) #\(used[base]!)" : base, item)
        }
    }

    /// A table with a row per month from the earliest start to the latest end of `series`, and a
    /// column per series (`none` outside its months).
    static func monthTable(_ series: [(label: String, start: Month, values: [Double])]) -> ResultTable {
        guard let start = series.map(\.start).min(),
            let end = series.map({ $0.start + ($0.values.count - 1) }).max(), end >= start
        else { return ResultTable(columns: ["month"] + series.map(\.label), rows: []) }
        let rows: [[ResultTable.Cell]] = (0...(end - start)).map { t in
            let month = start + t
            return [.text(month.description)] + series.map { entry in
                let i = month - entry.start
                return i >= 0 && i < entry.values.count ? .number(entry.values[i]) : .none
            }
        }
        return ResultTable(columns: ["month"] + series.map(\.label), rows: rows)
    }

    /// The ids given in `metrics:` (one id or a list of them), or nil without `metrics:`.
    static func metricIDs(_ args: Arguments) throws(ScriptError) -> [String]? {
        guard let metrics = args.value("metrics") else { return nil }
        switch metrics {
        case .string(let s): return [s]
        case .list(let items):
            var ids: [String] = []
            for item in items {
                guard case .string(let s) = item else { throw args.mismatch("metrics", "a list of metric ids", metrics) }
                ids.append(s)
            }
            return ids
        default: throw args.mismatch("metrics", "a metric id or a list of them", metrics)
        }
    }

    func compare(_ args: Arguments) throws(ScriptError) -> Value {
        if let ensembles = labelledEnsembles(args.rest) { return try compareEnsembles(ensembles, args) }
        let runs = try labelledRuns(args.rest, callee: "compare")
        guard !runs.isEmpty else { throw ScriptError("`compare` needs at least one run or ensemble, e.g. compare(r1, r2) or compare({\"60 days\": e1, \"120 days\": e2})", at: args.callRange) }
        if let signal = try args.string("signal") {
            var series: [(label: String, start: Month, values: [Double])] = []
            for (label, run) in runs {
                do { series.append((label, run.start, try run.series(signal))) } catch {
                    throw ScriptError(error.message, at: args.range("signal"))
                }
            }
            return .table(Self.monthTable(series))
        }
        var ids: [String] = []
        if let given = try Self.metricIDs(args) {
            ids = given
        } else {
            for (_, run) in runs {
                for metric in run.metrics where !ids.contains(metric.id) {
                    let raw = run.metricValues[metric.index]
                    if !raw.isNaN, raw != 0 || metric.kind == .month { ids.append(metric.id) }
                }
            }
            let order = runs[0].run.metrics.map(\.id)
            ids.sort { (order.firstIndex(of: $0) ?? Int.max, $0) < (order.firstIndex(of: $1) ?? Int.max, $1) }
        }
        var rows: [[ResultTable.Cell]] = []
        for id in ids {
            var row: [ResultTable.Cell] = [.text(SignalLookup.normalize(id))]
            for (_, run) in runs {
                do {
                    switch try run.metric(id) {
                    case .number(let x): row.append(.number(x))
                    case .month(let m): row.append(.text(m.description))
                    case .none: row.append(.none)
                    }
                } catch {
                    if args.has("metrics") { throw ScriptError(error.message, at: args.range("metrics")) }
                    row.append(.none)
                }
            }
            rows.append(row)
        }
        return .table(ResultTable(columns: ["metric"] + runs.map(\.label), rows: rows))
    }
}
