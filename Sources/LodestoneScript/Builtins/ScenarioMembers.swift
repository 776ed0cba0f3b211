import LodestoneKernel

extension Session {
    /// The month scenario events start in when the script gives none (also the default run start).
    public static let defaultStart = Month(2026, 1)

    static func scenarioObject(_ value: Value) -> ScenarioObject? {
        if case .scenario(let s) = value { return s }
        return nil
    }

    /// Adds `event` to the scenario, once the region and commodity codes it names (`from:`,
    /// `to:`, `region:`, `commodity:`) are known: an unknown code is an error then, with
    /// suggestions, and the event is not added.
    func add(_ event: ScenarioEvent, to receiver: Value, checking args: Arguments) throws(ScriptError) -> Value {
        try checkCodes(args)
        Self.scenarioObject(receiver)?.scenario.add(event)
        return .none
    }

    /// Checks the codes named in `args` against the datasets the session knows: the default one
    /// and those loaded with `data(…)` (a code of a dataset loaded later is not known yet).
    func checkCodes(_ args: Arguments) throws(ScriptError) {
        var known: [Dataset] = []
        if registry.dataSources[Self.defaultDatasetName] != nil,
            let object = try? loadDataset(Self.defaultDatasetName, at: args.callRange)
        {
            known.append(object.dataset)
        }
        known += datasets.filter { $0.key != Self.defaultDatasetName }.sorted { $0.key < $1.key }.map(\.value.dataset)
        guard !known.isEmpty else { return }
        // In the datasets' order, each code once.
        func unique(_ codes: [String]) -> [String] {
            var seen = Set<String>()
            return codes.filter { seen.insert($0).inserted }
        }
        let regions = unique(known.flatMap(\.regionCodes)), commodities = unique(known.flatMap(\.commodityCodes))
        for (name, codes, what) in [
            ("from", regions, "region"), ("to", regions, "region"), ("region", regions, "region"),
            ("commodity", commodities, "commodity"),
        ] {
            guard let code = try args.string(name), !codes.contains(code) else { continue }
            throw ScriptError(
                "unknown \(what) `\(code)`" + Suggestions.hint(for: code, among: codes)
                    + " (\(what == "region" ? "regions" : "commodities"): \(codes.joined(separator: ", ")); the event was not added)",
                at: args.range(name),
                notes: ["to use the codes of another dataset, load it with data(…) before adding the event"])
        }
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
            ) { session, receiver, args throws(ScriptError) in
                let from = try requiredString(args, "from")
                let share = try args.number("share", in: 0...1) ?? 1
                let event = ScenarioEvent.restrict(
                    from: from, to: try args.string("to"), commodity: try args.string("commodity"), share: share,
                    start: try args.month("start") ?? defaultStart, months: try args.integer("months", minimum: 0))
                return try session.add(event, to: receiver, checking: args)
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
            ) { session, receiver, args throws(ScriptError) in
                let event = ScenarioEvent.incident(
                    from: try requiredString(args, "from"), to: try requiredString(args, "to"),
                    severity: try requiredNumber(args, "severity", in: 0...1), at: try args.month("at") ?? defaultStart)
                return try session.add(event, to: receiver, checking: args)
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
            ) { session, receiver, args throws(ScriptError) in
                let event = ScenarioEvent.talks(
                    from: try requiredString(args, "from"), to: try requiredString(args, "to"),
                    boost: try requiredNumber(args, "boost", in: 0...1), at: try args.month("at") ?? defaultStart)
                return try session.add(event, to: receiver, checking: args)
            },
            method(
                "set",
                positional: [
                    .init("path", "a parameter path such as \"trade.ramp_months\" or \"stockpile.cover_days[JP]\"", required: true),
                    .init("value", "the new value", required: true),
                ],
                named: [.init("at", "the month it takes effect (default 2026-01)")],
                summary: "changes a parameter from a month on"
            ) { session, receiver, args throws(ScriptError) in
                let path = try requiredString(args, "path")
                try parameterPathForm(path, at: args.range("path"))
                guard let value = try args.number("value") else { throw args.mismatch("value", "a number", .none) }
                return try session.add(.set(path: path, value: value, at: try args.month("at") ?? defaultStart), to: receiver, checking: args)
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
            ) { session, receiver, args throws(ScriptError) in
                let event = ScenarioEvent.demand(
                    region: try requiredString(args, "region"), commodity: try args.string("commodity"),
                    factor: try requiredNumber(args, "factor", in: 0...Double.infinity),
                    start: try args.month("start") ?? defaultStart, months: try args.integer("months", minimum: 0))
                return try session.add(event, to: receiver, checking: args)
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
            ) { session, receiver, args throws(ScriptError) in
                let event = ScenarioEvent.capacity(
                    region: try requiredString(args, "region"), commodity: try args.string("commodity"),
                    factor: try requiredNumber(args, "factor", in: 0...Double.infinity),
                    start: try args.month("start") ?? defaultStart, months: try args.integer("months", minimum: 0))
                return try session.add(event, to: receiver, checking: args)
            },
            method(
                "remove", positional: [.init("index", "the event's position in s.events, from 0 (-1: the last)", required: true)],
                summary: "removes an event and returns its description"
            ) { _, receiver, args throws(ScriptError) in
                guard let object = scenarioObject(receiver) else { return .none }
                guard let index = try args.integer("index") else { throw args.mismatch("index", "a whole number", .none) }
                let count = object.scenario.events.count
                let position = index < 0 ? count + index : index
                guard position >= 0, position < count else {
                    throw ScriptError(
                        count == 0
                            ? "the scenario has no events to remove"
                            : "the scenario has \(count) event\(count == 1 ? "" : "s"): give an index from 0 to \(count - 1) (or -1 for the last); s.events lists them",
                        at: args.range("index"))
                }
                return .string(object.scenario.events.remove(at: position).summary)
            },
            method(
                "quota",
                named: [
                    .init("from", "the exporter's region code", required: true),
                    .init("commodity", "a commodity code (default: all commodities together)"),
                    .init("tonnes", "the quota in tonnes a year", required: true),
                    .init("start", "the first month (default 2026-01)"),
                    .init("months", "how many months it lasts (default: to the end of the run)"),
                ],
                summary: "adds a tonnage export quota, binding only when buyers want more"
            ) { session, receiver, args throws(ScriptError) in
                let event = ScenarioEvent.quota(
                    from: try requiredString(args, "from"), commodity: try args.string("commodity"),
                    tonnesPerYear: try requiredNumber(args, "tonnes", in: 0...1e12),
                    start: try args.month("start") ?? defaultStart, months: try args.integer("months", minimum: 0))
                return try session.add(event, to: receiver, checking: args)
            },
            method(
                "offtake",
                named: [
                    .init("from", "the exporter's region code", required: true),
                    .init("to", "the importer's region code", required: true),
                    .init("commodity", "a commodity code", required: true),
                    .init("tonnes", "the contracted volume in tonnes a year", required: true),
                    .init("start", "the first month (default 2026-01)"),
                    .init("months", "how many months it lasts (default: to the end of the run)"),
                ],
                summary: "adds an offtake contract, served before the spot market from the exporter's free capacity"
            ) { session, receiver, args throws(ScriptError) in
                let event = ScenarioEvent.offtake(
                    from: try requiredString(args, "from"), to: try requiredString(args, "to"),
                    commodity: try requiredString(args, "commodity"),
                    tonnesPerYear: try requiredNumber(args, "tonnes", in: 0...1e12),
                    start: try args.month("start") ?? defaultStart, months: try args.integer("months", minimum: 0))
                return try session.add(event, to: receiver, checking: args)
            },
            method(
                "new_capacity",
                named: [
                    .init("region", "the exporter's region code", required: true),
                    .init("commodity", "a commodity code", required: true),
                    .init("tonnes", "the new capacity in tonnes a year", required: true),
                    .init("start", "the month it comes on line (default 2026-01)"),
                ],
                summary: "adds export capacity that comes on line in a month (a new mine or separation plant)"
            ) { session, receiver, args throws(ScriptError) in
                let event = ScenarioEvent.newCapacity(
                    region: try requiredString(args, "region"), commodity: try requiredString(args, "commodity"),
                    tonnesPerYear: try requiredNumber(args, "tonnes", in: 0...1e12),
                    start: try args.month("start") ?? defaultStart)
                return try session.add(event, to: receiver, checking: args)
            },
            method(
                "add",
                positional: [
                    .init("piece", "a scenario whose events to add, such as a piece from scenarios(\"2025-controls\")", required: true)
                ],
                summary: "adds every event of another scenario (a piece), in its order"
            ) { session, receiver, args throws(ScriptError) in
                guard case .scenario(let piece)? = args.value("piece") else {
                    throw args.mismatch("piece", "a scenario", args.value("piece") ?? .none)
                }
                guard let target = scenarioObject(receiver) else { return .none }
                for event in piece.scenario.events { target.scenario.add(event) }
                return .none
            },
            method("copy", summary: "an independent copy of the scenario") { _, receiver, _ in
                guard let s = scenarioObject(receiver) else { return .none }
                return .scenario(ScenarioObject(s.scenario))
            },
        ])
}
