import LodestoneKernel

extension Session {
    static func runResult(_ value: Value) -> RunResult? {
        if case .run(let r) = value { return r }
        return nil
    }

    /// A metric as a script value: a number, a month, or none.
    static func metricValue(_ value: MetricValue) -> Value {
        switch value {
        case .number(let x): .number(x)
        case .month(let m): .month(m)
        case .none: .none
        }
    }

    /// Signal ids from variadic string arguments (lists of strings are flattened).
    static func stringList(_ args: Arguments, what: String) throws(ScriptError) -> [(String, SourceRange)] {
        var out: [(String, SourceRange)] = []
        for (value, range) in args.rest {
            switch value {
            case .string(let s): out.append((s, range))
            case .list(let items):
                for item in items {
                    guard case .string(let s) = item else {
                        throw ScriptError("`\(args.callee)` expects \(what) as strings, got \(ValueFormatter.describeForError(item)) in the list", at: range)
                    }
                    out.append((s, range))
                }
            default:
                throw ScriptError("`\(args.callee)` expects \(what) as strings, got \(ValueFormatter.describeForError(value))", at: range)
            }
        }
        return out
    }

    /// A table of the given signals by month.
    static func seriesTable(_ run: RunResult, _ ids: [(String, SourceRange)]) throws(ScriptError) -> ResultTable {
        var columns: [[Double]] = []
        var titles: [String] = []
        let chosen =
            ids.isEmpty
            ? run.signals.filter { $0.producer != ScenarioSignals.module }.map { ($0.id, SourceRange?.none) }
            : ids.map { ($0.0, Optional($0.1)) }
        for (id, range) in chosen {
            do { columns.append(try run.series(id)) } catch {
                throw ScriptError(lookupMessage(error, id: id, in: run), at: range)
            }
            titles.append(SignalLookup.normalize(id))
        }
        let rows: [[ResultTable.Cell]] = (0..<run.months).map { t in
            [.text((run.start + t).description)] + columns.map { .number($0[t]) }
        }
        return ResultTable(columns: ["month"] + titles, rows: rows)
    }

    /// Every metric of a run as a table (metric, value).
    static func metricTable(_ run: RunResult) -> ResultTable {
        let rows: [[ResultTable.Cell]] = run.metrics.map { metric in
            let value = RunResult.metricValue(run.metricValues[metric.index], kind: metric.kind, start: run.start)
            let cell: ResultTable.Cell =
                switch value {
                case .number(let x): .number(x)
                case .month(let m): .text(m.description)
                case .none: .none
                }
            return [.text(metric.id), cell]
        }
        return ResultTable(columns: ["metric", "value"], rows: rows)
    }

    static func filtered(_ ids: [String], _ args: Arguments) throws(ScriptError) -> Value {
        let prefix = try args.string("prefix") ?? ""
        return .list(ids.filter { $0.hasPrefix(prefix) }.map(Value.string))
    }

    static let runMembers = MemberTable(
        properties: [
            property("start", "the first month") { _, v in runResult(v).map { .month($0.start) } ?? .none },
            property("end", "the last month") { _, v in runResult(v).map { .month($0.end) } ?? .none },
            property("months", "the number of months") { _, v in runResult(v).map { .number(Double($0.months)) } ?? .none },
            property("seed", "the seed (as text beyond 2^53)") { _, v in runResult(v).map { Session.seedValue($0.seed) } ?? .none },
            property("scenario", "the scenario's name") { _, v in runResult(v).map { .string($0.scenario.name) } ?? .none },
            property("modules", "the module names in step order") { _, v in
                .list((runResult(v)?.modules ?? []).map(Value.string))
            },
            property("data", "the dataset's name") { _, v in runResult(v).map { .string($0.datasetName) } ?? .none },
        ],
        methods: [
            method(
                "series", positional: [.init("signal", "a signal id such as \"stockpile.level[JP/DyTb]\"", required: true)],
                summary: "the signal's monthly values, entry 0 being the start month"
            ) { session, receiver, args throws(ScriptError) in
                guard let run = runResult(receiver) else { return .none }
                return try session.series(run, try requiredString(args, "signal"), range: args.range("signal"))
            },
            method(
                "metric", positional: [.init("metric", "a metric id such as \"stockpile.exhausted_at[JP/DyTb]\"", required: true)],
                summary: "a run metric: a number, a month, or none"
            ) { _, receiver, args throws(ScriptError) in
                guard let run = runResult(receiver) else { return .none }
                let id = try requiredString(args, "metric")
                do { return metricValue(try run.metric(id)) } catch let error as LookupError {
                    throw ScriptError(lookupMessage(error, id: id, in: run), at: args.range("metric"))
                } catch let error as ScriptError { throw error } catch { throw ScriptError("\(error)", at: args.range("metric")) }
            },
            method(
                "table", variadic: .init("signal", "signal ids (none: every signal the modules write)"),
                summary: "a table of signals by month"
            ) { _, receiver, args throws(ScriptError) in
                guard let run = runResult(receiver) else { return .none }
                return .table(try seriesTable(run, try stringList(args, what: "signal ids")))
            },
            method("summary", summary: "a table of every metric of the run") { _, receiver, _ in
                guard let run = runResult(receiver) else { return .none }
                return .table(metricTable(run))
            },
            method(
                "signals", positional: [.init("prefix", "only ids that start with it, e.g. \"stockpile\"")],
                summary: "the signal ids of the run"
            ) { _, receiver, args throws(ScriptError) in
                try filtered(runResult(receiver)?.signals.map(\.id) ?? [], args)
            },
            method(
                "metrics", positional: [.init("prefix", "only ids that start with it")],
                summary: "the metric ids of the run"
            ) { _, receiver, args throws(ScriptError) in
                try filtered(runResult(receiver)?.metrics.map(\.id) ?? [], args)
            },
        ])
}
