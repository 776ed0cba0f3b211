import Foundation
import LodestoneAnalysis
import LodestoneKernel

/// `calibrate`: fitting parameters to observed monthly series, and its result's members.
extension Session {
    static func calibrationObject(_ value: Value) -> CalibrationObject? {
        if case .calibration(let c) = value { return c }
        return nil
    }

    static let calibrationMembers = MemberTable(
        properties: [
            property("objective", "the objective at the optimum (see `objective:` of calibrate)") { _, v in
                calibrationObject(v).map { .number($0.result.objective) } ?? .none
            },
            property("values", "the fitted values: a record of parameter paths to numbers") { _, v in
                guard let c = calibrationObject(v) else { return .none }
                return .record(Record(zip(c.result.request.bounds, c.result.values).map { ($0.path, .number($1)) }))
            },
            property("model", "a copy of the model with the fitted values set") { _, v in
                calibrationObject(v).map { .model($0.fitted.copy()) } ?? .none
            },
            property("rmse", "the RMSE per observed series, in the series' units: a record of names to numbers") { _, v in
                guard let c = calibrationObject(v) else { return .none }
                return .record(Record(c.result.fits.map { ($0.name, .number($0.rmse)) }))
            },
            property("relative", "RMSE / mean |observed| per observed series: a record of names to numbers") { _, v in
                guard let c = calibrationObject(v) else { return .none }
                return .record(Record(c.result.fits.map { ($0.name, .number($0.relative)) }))
            },
            property("starts", "the objective reached from each start, in start order") { _, v in
                .list((calibrationObject(v)?.result.restartObjectives ?? []).map { .number($0) })
            },
            property("runs", "the model runs the search made") { _, v in calibrationObject(v).map { .number(Double($0.result.evaluations)) } ?? .none },
        ],
        methods: [
            method("table", summary: "per parameter: fitted value, range, at bound, objective with the parameter 5 % of its range down and up") {
                _, receiver, _ throws(ScriptError) in
                calibrationObject(receiver).map { .table($0.table) } ?? .none
            },
            method("series", summary: "per observed series: the signal compared, observations, RMSE and relative RMSE") {
                _, receiver, _ throws(ScriptError) in
                calibrationObject(receiver).map { .table($0.seriesTable) } ?? .none
            },
        ])

    static let calibrationBuiltins: [Builtin] = [
        builtin(
            "calibrate",
            positional: [.init("model", "a model", required: true), .init("scenario", "a scenario (default: the baseline)")],
            named: [
                .init("to", "the observations: a CSV file with the header month,series,value, or a table with those columns"),
                .init("vary", "a record of parameter paths to search ranges, [low, high] or uniform(low, high)"),
                .init("series", "a record of observed series names to signal ids (a name not listed is a signal id itself)"),
                .init("objective", "\"relative\" (mean over series of RMSE / mean |observed|, the default) or \"rmse\" (mean RMSE)"),
                .init("restarts", "Nelder–Mead starts: the centre of the ranges, then Sobol points (default 4)"),
                .init("seed", "the seed of every run (default 1)"),
                .init("start", "the first month (default: the first observed month)"),
                .init("months", "months per run (default: through the last observed month)"),
            ],
            summary: "fit parameters to observed monthly series (Nelder–Mead with restarts): the fit, the error per series, local sensitivity"
        ) { session, args throws(ScriptError) in try session.calibrate(args) },
    ]

    func calibrate(_ args: Arguments) throws(ScriptError) -> Value {
        let model = try Self.modelArgument(args)
        let scenario = try Self.scenarioArgument(args)
        guard let to = args.value("to"), !Self.isNone(to) else {
            throw ScriptError("`calibrate` needs `to:`, the observations: a CSV file with the header month,series,value", at: args.callRange)
        }
        let (observed, source) = try observationsArgument(to, args)
        let bounds = try calibrationBounds(args, model)
        var signals: [String: String] = [:]
        switch args.value("series") {
        case .record(let record)?:
            let names = observed.names
            for (name, value) in record.fields {
                guard case .string(let signal) = value else {
                    throw ScriptError("series: \(ValueFormatter.quoted(name)) needs a signal id such as \"trade.price[DyTb]\", got \(ValueFormatter.describeForError(value))", at: args.range("series"))
                }
                guard names.contains(name) else {
                    throw ScriptError(
                        "series: no observed series \(ValueFormatter.quoted(name)) in \(source)" + NameHint.hint(for: name, among: names),
                        at: args.range("series"))
                }
                signals[name] = signal
            }
        case nil, .none?: break
        case let other?: throw args.mismatch("series", "a record of observed series names to signal ids", other)
        }
        let objectiveName = try args.string("objective") ?? CalibrationObjective.relative.rawValue
        guard let objective = CalibrationObjective(rawValue: objectiveName) else {
            throw ScriptError(
                "`objective:` is \"relative\" or \"rmse\", not \"\(objectiveName)\"" + Suggestions.hint(for: objectiveName, among: CalibrationObjective.allCases.map(\.rawValue)),
                at: args.range("objective"))
        }
        let restarts = try args.integer("restarts", minimum: 1) ?? 4
        guard restarts <= 100 else { throw ScriptError("`restarts` of `calibrate` must be at most 100, got \(restarts)", at: args.range("restarts")) }
        let seed = try Self.seedArgument(args) ?? options.defaultSeed
        let first = observed.observations.map(\.month).min()!
        let last = observed.observations.map(\.month).max()!
        let start = try args.month("start") ?? first
        let months = try args.integer("months", minimum: 1) ?? max(1, last - start + 1)
        let request = CalibrationRequest(bounds: bounds, signals: signals, objective: objective, restarts: restarts, seed: seed)
        do {
            let plan = try makePlan(model, scenario, start: start, months: months)
            let result = try Calibration.run(plan, parameters: model.parameters, observed: observed, request: request, isCancelled: options.isCancelled)
            let fitted = model.copy()
            for (b, value) in zip(bounds, result.values) { try fitted.parameters.set(b.path, to: value) }
            return .calibration(CalibrationObject(result, source: source, observations: observed.observations.count, fitted: fitted))
        } catch let error as AnalysisError {
            let argument = error.message.hasPrefix("observed series") ? (error.message.contains("outside the run") ? "to" : "series") : "vary"
            throw ScriptError(error.message, at: args.range(args.has(argument) ? argument : "to"))
        } catch {
            throw Self.scenarioError(Self.kernelError(error, at: args.callRange), args)
        }
    }

    /// `vary:` of `calibrate`: each path's search range, checked against the parameter's range.
    private func calibrationBounds(_ args: Arguments, _ model: ModelObject) throws(ScriptError) -> [(path: String, low: Double, high: Double)] {
        guard case .record(let record)? = args.value("vary"), !record.fields.isEmpty else {
            if let value = args.value("vary"), !Self.isNone(value), !Self.isRecord(value) {
                throw args.mismatch("vary", "a record of parameter paths to search ranges", value)
            }
            throw ScriptError("`calibrate` needs `vary:`, the parameters to fit and their search ranges, e.g. {\"trade.ramp_months\": [1, 12]}", at: args.callRange)
        }
        var bounds: [(path: String, low: Double, high: Double)] = []
        for (path, value) in record.fields {
            var range: (Double, Double)?
            switch value {
            case .distribution(.uniform(let low, let high)): range = (low, high)
            case .list(let items) where items.count == 2:
                if case .number(let low) = items[0], case .number(let high) = items[1] { range = (low, high) }
            default: break
            }
            guard let (low, high) = range else {
                throw ScriptError(
                    "vary: \(ValueFormatter.quoted(path)) needs a search range [low, high] or uniform(low, high), got \(ValueFormatter.describeForError(value))",
                    at: args.range("vary"))
            }
            guard low.isFinite, high.isFinite, low < high else {
                throw ScriptError("vary: \(ValueFormatter.quoted(path)) needs low < high, got \(ValueFormatter.number(low))…\(ValueFormatter.number(high))", at: args.range("vary"))
            }
            var probe = model.parameters
            do {
                try probe.set(path, to: low)
                try probe.set(path, to: high)
            } catch {
                throw ScriptError("vary: \(error.message)", at: args.range("vary"))
            }
            bounds.append((path, low, high))
        }
        return bounds
    }

    private static func isNone(_ value: Value) -> Bool {
        if case .none = value { return true }
        return false
    }

    private static func isRecord(_ value: Value) -> Bool {
        if case .record = value { return true }
        return false
    }

    /// `to:` of `calibrate`: a CSV file (relative to the script's folder when it is there) or a
    /// table with the columns month, series and value.
    private func observationsArgument(_ value: Value, _ args: Arguments) throws(ScriptError) -> (ObservedSeries, String) {
        switch value {
        case .string(let spec):
            var path = FilePaths.expandingTilde(spec)
            if !path.hasPrefix("/"), let base = options.baseDirectory {
                let candidate = (base as NSString).appendingPathComponent(path)
                if FileManager.default.fileExists(atPath: candidate) { path = candidate }
            }
            switch options.access.permittedPath(path, for: .read, shown: spec) {
            case .failure(let denial): throw ScriptError(denial.message, at: args.range("to"))
            case .success(let permitted): path = permitted
            }
            let text: String
            do { text = try String(contentsOfFile: path, encoding: .utf8) } catch {
                throw ScriptError("to: cannot read \(spec): \(FileManager.default.fileExists(atPath: path) ? "not UTF-8 text" : "no such file")", at: args.range("to"))
            }
            do { return (try ObservedSeries(csv: text, file: spec), spec) } catch { throw ScriptError(error.message, at: args.range("to")) }
        case .table(let table):
            guard let m = table.columns.firstIndex(of: "month"), let s = table.columns.firstIndex(of: "series"),
                let v = table.columns.firstIndex(of: "value")
            else {
                throw ScriptError("to: the table needs the columns month, series and value, it has \(table.columns.joined(separator: ", "))", at: args.range("to"))
            }
            var observations: [ObservedSeries.Observation] = []
            for (i, row) in table.rows.enumerated() {
                let place = "to: row \(i + 1) of the table"
                guard case .text(let monthText) = row[m], let month = Month(monthText) else {
                    throw ScriptError("\(place): expected a month such as 2026-03 in `month`, got \(row[m])", at: args.range("to"))
                }
                guard case .text(let name) = row[s], !name.isEmpty else {
                    throw ScriptError("\(place): expected a series name in `series`, got \(row[s])", at: args.range("to"))
                }
                guard case .number(let x) = row[v], x.isFinite else {
                    throw ScriptError("\(place): expected a finite number in `value`, got \(row[v])", at: args.range("to"))
                }
                observations.append(.init(month: month, series: name, value: x))
            }
            guard !observations.isEmpty else { throw ScriptError("to: the table has no rows", at: args.range("to")) }
            return (ObservedSeries(observations), "a table")
        default:
            throw args.mismatch("to", "a CSV file name (month,series,value) or a table with those columns", value)
        }
    }
}
