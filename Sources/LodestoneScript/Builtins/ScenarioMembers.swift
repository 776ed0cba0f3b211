import LodestoneKernel

extension Session {
    /// The month scenario events start in when the script gives none (also the default run start).
    public static let defaultStart = Month(2026, 1)

    static func scenarioObject(_ value: Value) -> ScenarioObject? {
        if case .scenario(let s) = value { return s }
        return nil
    }

    static func add(_ event: ScenarioEvent, to receiver: Value) -> Value {
        scenarioObject(receiver)?.scenario.add(event)
        return .none
    }

    static func requiredString(_ args: Arguments, _ name: String) throws(ScriptError) -> String {
        guard let s = try args.string(name) else { throw args.mismatch(name, "a string", .none) }
        guard !s.isEmpty else { throw ScriptError("`\(name)` of `\(args.callee)` must not be empty", at: args.range(name)) }
        return s
    }

    static func requiredNumber(_ args: Arguments, _ name: String, in bounds: ClosedRange<Double>) throws(ScriptError) -> Double {
        guard let x = try args.number(name, in: bounds) else { throw args.mismatch(name, "a number", .none) }
        return x
    }

    static func parameterPathForm(_ path: String, at range: SourceRange) throws(ScriptError) {
        do { _ = try ParameterSet.split(path) } catch { throw ScriptError(error.message, at: range) }
    }

    static let scenarioMembers = MemberTable(
        properties: [
            property("name", "the scenario's title") { _, v in .string(scenarioObject(v)?.scenario.name ?? "") },
            property("events", "the events as text, one per entry") { _, v in
                .list((scenarioObject(v)?.scenario.events ?? []).map { .string($0.summary) })
            },
        ],
        methods: [
            method(
                "restrict",
                named: [
                    .init("from", "the restricting exporter's region code, e.g. \"CN\"", required: true),
                    .init("to", "the importer's region code (default: every importer)"),
                    .init("commodity", "a commodity code such as \"DyTb\" (default: every commodity)"),
                    .init("share", "the share of exports blocked, 0…100% (default 100%)"),
                    .init("start", "the first month (default 2026-01)"),
                    .init("months", "how many months it lasts (default: to the end of the run)"),
                ],
                summary: "adds an export restriction"
            ) { _, receiver, args throws(ScriptError) in
                let from = try requiredString(args, "from")
                let share = try args.number("share", in: 0...1) ?? 1
                let event = ScenarioEvent.restrict(
                    from: from, to: try args.string("to"), commodity: try args.string("commodity"), share: share,
                    start: try args.month("start") ?? defaultStart, months: try args.integer("months", minimum: 0))
                return add(event, to: receiver)
            },
            method(
                "incident",
                named: [
                    .init("from", "the restrictor's region code", required: true),
                    .init("to", "the target's region code", required: true),
                    .init("severity", "how much tension rises, 0…1", required: true),
                    .init("at", "the month (default 2026-01)"),
                ],
                summary: "adds a diplomatic incident that raises tension between two regions"
            ) { _, receiver, args throws(ScriptError) in
                let event = ScenarioEvent.incident(
                    from: try requiredString(args, "from"), to: try requiredString(args, "to"),
                    severity: try requiredNumber(args, "severity", in: 0...1), at: try args.month("at") ?? defaultStart)
                return add(event, to: receiver)
            },
            method(
                "talks",
                named: [
                    .init("from", "the restrictor's region code", required: true),
                    .init("to", "the target's region code", required: true),
                    .init("boost", "the added settlement hazard that month, 0…1", required: true),
                    .init("at", "the month (default 2026-01)"),
                ],
                summary: "adds talks that make a settlement more likely in one month"
            ) { _, receiver, args throws(ScriptError) in
                let event = ScenarioEvent.talks(
                    from: try requiredString(args, "from"), to: try requiredString(args, "to"),
                    boost: try requiredNumber(args, "boost", in: 0...1), at: try args.month("at") ?? defaultStart)
                return add(event, to: receiver)
            },
            method(
                "set",
                positional: [
                    .init("path", "a parameter path such as \"trade.ramp_months\" or \"stockpile.cover_days[JP]\"", required: true),
                    .init("value", "the new value", required: true),
                ],
                named: [.init("at", "the month it takes effect (default 2026-01)")],
                summary: "changes a parameter from a month on"
            ) { _, receiver, args throws(ScriptError) in
                let path = try requiredString(args, "path")
                try parameterPathForm(path, at: args.range("path"))
                guard let value = try args.number("value") else { throw args.mismatch("value", "a number", .none) }
                return add(.set(path: path, value: value, at: try args.month("at") ?? defaultStart), to: receiver)
            },
            method(
                "demand",
                named: [
                    .init("region", "the importer's region code", required: true),
                    .init("commodity", "a commodity code (default: every commodity)"),
                    .init("factor", "the multiplier of baseline demand, e.g. 1.2", required: true),
                    .init("start", "the first month (default 2026-01)"),
                    .init("months", "how many months it lasts (default: to the end of the run)"),
                ],
                summary: "multiplies a region's demand"
            ) { _, receiver, args throws(ScriptError) in
                let event = ScenarioEvent.demand(
                    region: try requiredString(args, "region"), commodity: try args.string("commodity"),
                    factor: try requiredNumber(args, "factor", in: 0...Double.infinity),
                    start: try args.month("start") ?? defaultStart, months: try args.integer("months", minimum: 0))
                return add(event, to: receiver)
            },
            method(
                "capacity",
                named: [
                    .init("region", "the exporter's region code", required: true),
                    .init("commodity", "a commodity code (default: every commodity)"),
                    .init("factor", "the multiplier of export capacity, e.g. 0.5", required: true),
                    .init("start", "the first month (default 2026-01)"),
                    .init("months", "how many months it lasts (default: to the end of the run)"),
                ],
                summary: "multiplies an exporter's capacity"
            ) { _, receiver, args throws(ScriptError) in
                let event = ScenarioEvent.capacity(
                    region: try requiredString(args, "region"), commodity: try args.string("commodity"),
                    factor: try requiredNumber(args, "factor", in: 0...Double.infinity),
                    start: try args.month("start") ?? defaultStart, months: try args.integer("months", minimum: 0))
                return add(event, to: receiver)
            },
            method("copy", summary: "an independent copy of the scenario") { _, receiver, _ in
                guard let s = scenarioObject(receiver) else { return .none }
                return .scenario(ScenarioObject(s.scenario))
            },
        ])
}
