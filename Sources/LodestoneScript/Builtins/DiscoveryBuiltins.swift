import LodestoneAnalysis
import LodestoneKernel

/// `discover`: scenario discovery (PRIM) on an ensemble with varied parameters.
extension Session {
    static func discoveryObject(_ value: Value) -> DiscoveryObject? {
        if case .discovery(let d) = value { return d }
        return nil
    }

    static let discoveryMembers = MemberTable(
        properties: [
            property("condition", "the condition marking the runs of interest") { _, v in discoveryObject(v).map { .string($0.result.condition.description) } ?? .none },
            property("coverage", "the share of the runs of interest inside the box") { _, v in discoveryObject(v).map { .number($0.result.box.coverage) } ?? .none },
            property("density", "the share of the box's runs that are of interest") { _, v in discoveryObject(v).map { .number($0.result.box.density) } ?? .none },
            property("mass", "the share of all runs inside the box") { _, v in discoveryObject(v).map { .number($0.result.box.mass) } ?? .none },
            property("sentence", "the finding in one sentence") { _, v in discoveryObject(v).map { .string($0.sentence) } ?? .none },
            property("box", "the restricted parameters: a record of paths to [low, high]") { _, v in
                guard let d = discoveryObject(v) else { return .none }
                return .record(Record(d.result.restrictions.map { r in
                    (d.result.parameters[r.parameter], .list([.number(d.result.box.lower[r.parameter]), .number(d.result.box.upper[r.parameter])]))
                }))
            },
        ],
        methods: [
            method("table", summary: "the box's restricted parameters: their range in the box, the full range, and quasi-p-values") {
                _, receiver, _ throws(ScriptError) in
                discoveryObject(receiver).map { .table($0.result.table) } ?? .none
            },
            method("tradeoff", summary: "the peeling trajectory: coverage, density and mass of each box") {
                _, receiver, _ throws(ScriptError) in
                discoveryObject(receiver).map { .table($0.result.tradeoff) } ?? .none
            },
        ])

    static let discoveryBuiltins: [Builtin] = [
        builtin(
            "discover",
            positional: [.init("ensemble", "an ensemble made with `montecarlo(…, vary: …)`", required: true)],
            named: [
                .init("where", "the runs of interest, e.g. \"stockpile.exhausted_at[JP/DyTb] <= 2026-12\" (never is later than any month)"),
                .init("threshold", "the density the chosen box should reach (default 80%)"),
            ],
            summary: "scenario discovery (PRIM): which ranges of the varied parameters lead to the runs of interest"
        ) { session, args throws(ScriptError) in try session.discover(args) },
    ]

    func discover(_ args: Arguments) throws(ScriptError) -> Value {
        let value = try args.required("ensemble")
        guard case .ensemble(let ensemble) = value else {
            throw args.mismatch("ensemble", "an ensemble (made with `montecarlo(…, vary: …)`)", value)
        }
        guard let text = try args.string("where") else {
            throw ScriptError("`discover` needs `where:`, e.g. \"stockpile.exhausted_at[JP/DyTb] <= 2026-12\"", at: args.callRange)
        }
        let threshold = try args.number("threshold") ?? 0.8
        guard (0...1).contains(threshold) else {
            throw ScriptError("`threshold:` is a share within 0…100%, got \(ValueFormatter.number(threshold))", at: args.range("threshold"))
        }
        do {
            let condition = try MetricCondition(parsing: text)
            let result = try ScenarioDiscovery.run(ensemble.result, where: condition, threshold: threshold)
            return .discovery(DiscoveryObject(result))
        } catch let error as AnalysisError {
            throw ScriptError(error.message, at: args.range(error.message.hasPrefix("discover needs") ? "ensemble" : "where"))
        } catch let error as LookupError {
            throw ScriptError("where: " + error.message, at: args.range("where"))
        } catch {
            throw Self.kernelError(error, at: args.callRange)
        }
    }
}
