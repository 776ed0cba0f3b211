/// Everything fixed about a run except its parameters and seed: the composition, the start
/// month, the length, and the scenario turned into a month-by-signal table. Shared by all runs
/// of an ensemble.
public struct RunPlan: Sendable {
    /// The composed models.
    public let composition: Composition
    /// The first month.
    public let start: Month
    /// Number of months.
    public let months: Int
    /// Scenario signal values, `months × composition.scenarioCount`, row per month.
    let scenarioTable: [Double]
    /// Parameter changes from `set` events: (month index, positions in the parameter values,
    /// value), in month order.
    let parameterChanges: [(monthIndex: Int, positions: [Int], value: Double)]

    /// Upper bound on `months` (1,000 years), so that a typo cannot exhaust memory.
    public static let maximumMonths = 12_000

    /// Plans `months` months from `start`. `set` events are validated here: an unknown path or an
    /// out-of-range value is an error naming the scenario and the path.
    public init(composition: Composition, start: Month, months: Int) throws {
        guard months >= 1, months <= Self.maximumMonths else {
            throw CompositionError("months: expected 1…\(Self.maximumMonths), got \(months)")
        }
        self.composition = composition
        self.start = start
        self.months = months
        let keys = composition.scenarioKeys
        var table = [Double](repeating: 0, count: months * keys.count)
        let events = composition.scenario.events
        for t in 0..<months {
            let month = start + t
            let active = events.filter { $0.isActive(in: month) }
            for (j, (name, key)) in keys.enumerated() {
                table[t * keys.count + j] = Self.value(name: name, key: key, active: active)
            }
        }
        scenarioTable = table
        var changes: [(Int, [Int], Double)] = []
        var probe = composition.parameterLayout
        for event in events {
            if case .set(let path, let value, let at) = event {
                do { try probe.set(path, to: value) } catch {
                    throw CompositionError("scenario `\(composition.scenario.name)`: set: \(error.message)")
                }
                let index = max(0, at - start)
                if index < months { changes.append((index, try probe.positions(path), value)) }
            }
        }
        parameterChanges = changes.enumerated().sorted { ($0.element.0, $0.offset) < ($1.element.0, $1.offset) }
            .map(\.element)
    }

    private static func value(name: String, key: String, active: [ScenarioEvent]) -> Double {
        let parts = key.split(separator: "/").map(String.init)
        switch name {
        case "restriction":
            let pair = parts[0].split(separator: ">").map(String.init)
            let (s, i, c) = (pair[0], pair[1], parts[1])
            var open = 1.0
            for case .restrict(let from, let to, let commodity, let share, _, _) in active
            where from == s && (to == nil || to == i) && (commodity == nil || commodity == c) {
                open *= 1 - share
            }
            return 1 - open
        case "demand_factor":
            var factor = 1.0
            for case .demand(let region, let commodity, let f, _, _) in active
            where region == parts[0] && (commodity == nil || commodity == parts[1]) {
                factor *= f
            }
            return factor
        case "capacity_factor":
            var factor = 1.0
            for case .capacity(let region, let commodity, let f, _, _) in active
            where region == parts[0] && (commodity == nil || commodity == parts[1]) {
                factor *= f
            }
            return factor
        case "incident":
            var calm = 1.0
            for case .incident(let from, let to, let severity, _) in active where "\(from)>\(to)" == key {
                calm *= 1 - severity
            }
            return 1 - calm
        case "talks":
            var boost = 0.0
            for case .talks(let from, let to, let b, _) in active where "\(from)>\(to)" == key { boost += b }
            return boost
        default:
            return 0
        }
    }
}
