/// A named list of timed events that drive a run: export restrictions, diplomatic incidents and
/// talks, parameter changes, and changes to demand or capacity.
///
/// Modules never read events directly: the kernel turns them into `scenario.*` signals each month
/// (see ``ScenarioSignals``), which models declare as inputs like any other signal.
public struct Scenario: Sendable, Equatable {
    /// The scenario's title (`2026 export curbs`).
    public var name: String
    /// The events, in the order they were added.
    public var events: [ScenarioEvent]

    /// Creates a scenario.
    public init(_ name: String, events: [ScenarioEvent] = []) {
        self.name = name
        self.events = events
    }

    /// Adds an event.
    public mutating func add(_ event: ScenarioEvent) { events.append(event) }

    /// The keys of the supply signals (`quota`, `quota_total`, `offtake`, `new_capacity`) that the
    /// events name, in first-seen order; `commodities` expands a quota on every commodity.
    public func supplyKeys(commodities: [String]) -> (quota: [String], quotaTotal: [String], offtake: [String], newCapacity: [String]) {
        var keys: (quota: [String], quotaTotal: [String], offtake: [String], newCapacity: [String]) = ([], [], [], [])
        func add(_ key: String, to list: inout [String]) { if !list.contains(key) { list.append(key) } }
        for event in events {
            switch event {
            case .quota(let from, let commodity?, _, _, _): add("\(from)/\(commodity)", to: &keys.quota)
            case .quota(let from, nil, _, _, _): add(from, to: &keys.quotaTotal)
            case .offtake(let from, let to, let commodity, _, _, _): add("\(from)>\(to)/\(commodity)", to: &keys.offtake)
            case .newCapacity(let region, let commodity, _, _): add("\(region)/\(commodity)", to: &keys.newCapacity)
            default: continue
            }
        }
        return keys
    }

    /// What the scenario's events name, without their amounts and months: one entry per event,
    /// its kind and the regions, commodities or parameter path it names (`restrict CN>JP/DyTb`).
    /// Two scenarios with equal shapes give every region, commodity and pair the same signals, so
    /// a composition made for one serves the other (``Composition/reused(for:)``).
    public var shape: [String] {
        events.map { event in
            switch event {
            case .restrict(let from, let to, let commodity, _, _, _):
                "restrict \(from)>\(to ?? "*")/\(commodity ?? "*")"
            case .incident(let from, let to, _, _): "incident \(from)>\(to)"
            case .talks(let from, let to, _, _): "talks \(from)>\(to)"
            case .set(let path, _, _): "set \(path)"
            case .demand(let region, let commodity, _, _, _): "demand \(region)/\(commodity ?? "*")"
            case .capacity(let region, let commodity, _, _, _): "capacity \(region)/\(commodity ?? "*")"
            case .quota(let from, let commodity, _, _, _): "quota \(from)/\(commodity ?? "*")"
            case .offtake(let from, let to, let commodity, _, _, _): "offtake \(from)>\(to)/\(commodity)"
            case .newCapacity(let region, let commodity, _, _): "new_capacity \(region)/\(commodity)"
            }
        }
    }

    /// Directed pairs (`CN>JP`) named by incident or talks events, in first-seen order.
    public var diplomaticPairs: [String] {
        var seen: [String] = []
        for event in events {
            switch event {
            case .incident(let from, let to, _, _), .talks(let from, let to, _, _):
                let pair = "\(from)>\(to)"
                if !seen.contains(pair) { seen.append(pair) }
            default: continue
            }
        }
        return seen
    }
}

/// One timed event of a ``Scenario``.
public enum ScenarioEvent: Sendable, Equatable {
    /// `from` restricts a `share` (0...1) of its exports of `commodity` (nil: all) to `to` (nil:
    /// every importer) from `start` for `months` months (nil: to the end of the run).
    case restrict(from: String, to: String?, commodity: String?, share: Double, start: Month, months: Int?)
    /// A diplomatic incident between `from` (the restrictor) and `to` (the target) in month `at`,
    /// raising tension by `severity · (1 − θ)`; severity in 0...1.
    case incident(from: String, to: String, severity: Double, at: Month)
    /// Talks between `from` and `to` in month `at`, adding `boost` to that month's settlement hazard.
    case talks(from: String, to: String, boost: Double, at: Month)
    /// Sets a parameter path (`trade.ramp_months`, `stockpile.cover_days[JP]`) to `value` from
    /// month `at` on.
    case set(path: String, value: Double, at: Month)
    /// Multiplies `region`'s demand for `commodity` (nil: all) by `factor` from `start` for
    /// `months` months (nil: to the end).
    case demand(region: String, commodity: String?, factor: Double, start: Month, months: Int?)
    /// Multiplies `region`'s export capacity of `commodity` (nil: all) by `factor` from `start` for
    /// `months` months (nil: to the end).
    case capacity(region: String, commodity: String?, factor: Double, start: Month, months: Int?)
    /// `from` may export at most `tonnesPerYear` of `commodity` (nil: of all commodities together)
    /// from `start` for `months` months (nil: to the end): a tonnage quota, binding only when
    /// buyers want more.
    case quota(from: String, commodity: String?, tonnesPerYear: Double, start: Month, months: Int?)
    /// An offtake contract: `to` buys up to `tonnesPerYear` of `commodity` from `from` before the
    /// spot market, from `start` for `months` months (nil: to the end).
    case offtake(from: String, to: String, commodity: String, tonnesPerYear: Double, start: Month, months: Int?)
    /// New export capacity of `tonnesPerYear` of `commodity` in `region` from `start` on (a mine
    /// or separation plant coming on line).
    case newCapacity(region: String, commodity: String, tonnesPerYear: Double, start: Month)

    /// The event's kind as written in scripts (`restrict`, `incident`, …).
    public var kind: String {
        switch self {
        case .restrict: "restrict"
        case .incident: "incident"
        case .talks: "talks"
        case .set: "set"
        case .demand: "demand"
        case .capacity: "capacity"
        case .quota: "quota"
        case .offtake: "offtake"
        case .newCapacity: "new_capacity"
        }
    }

    /// The first month the event acts.
    public var start: Month {
        switch self {
        case .restrict(_, _, _, _, let start, _), .demand(_, _, _, let start, _),
            .capacity(_, _, _, let start, _), .quota(_, _, _, let start, _), .offtake(_, _, _, _, let start, _),
            .newCapacity(_, _, _, let start):
            return start
        case .incident(_, _, _, let at), .talks(_, _, _, let at), .set(_, _, let at): return at
        }
    }

    /// A one-line description (`restrict CN>JP DyTb 100% 2026-02 for 12 months`).
    public var summary: String {
        func span(_ months: Int?) -> String { months.map { " for \($0) month\($0 == 1 ? "" : "s")" } ?? " onward" }
        func pct(_ x: Double) -> String {
            let p = x * 100
            return p == p.rounded() ? "\(Int(p))%" : "\(p)%"
        }
        switch self {
        case .restrict(let from, let to, let commodity, let share, let start, let months):
            return "restrict \(from)>\(to ?? "all") \(commodity ?? "all") \(pct(share)) from \(start)\(span(months))"
        case .incident(let from, let to, let severity, let at):
            return "incident \(from)>\(to) severity \(ParameterSet.format(severity)) at \(at)"
        case .talks(let from, let to, let boost, let at):
            return "talks \(from)>\(to) boost \(ParameterSet.format(boost)) at \(at)"
        case .set(let path, let value, let at):
            return "set \(path) = \(ParameterSet.format(value)) at \(at)"
        case .demand(let region, let commodity, let factor, let start, let months):
            return "demand \(region) \(commodity ?? "all") ×\(ParameterSet.format(factor)) from \(start)\(span(months))"
        case .capacity(let region, let commodity, let factor, let start, let months):
            return "capacity \(region) \(commodity ?? "all") ×\(ParameterSet.format(factor)) from \(start)\(span(months))"
        case .quota(let from, let commodity, let tonnes, let start, let months):
            return "quota \(from) \(commodity ?? "all") \(ParameterSet.format(tonnes)) t/year from \(start)\(span(months))"
        case .offtake(let from, let to, let commodity, let tonnes, let start, let months):
            return "offtake \(from)>\(to) \(commodity) \(ParameterSet.format(tonnes)) t/year from \(start)\(span(months))"
        case .newCapacity(let region, let commodity, let tonnes, let start):
            return "new capacity \(region) \(commodity) \(ParameterSet.format(tonnes)) t/year from \(start)"
        }
    }
}

/// The signals the kernel derives from a scenario's events, with their keys.
///
/// | signal | key | unit | meaning |
/// | --- | --- | --- | --- |
/// | `scenario.restriction` | `s>i/c` | 1 | share of s's exports of c to i blocked (`1 − Π(1 − share)`) |
/// | `scenario.demand_factor` | `i/c` | 1 | multiplier of i's demand for c (product of active events, 1 without) |
/// | `scenario.capacity_factor` | `s/c` | 1 | multiplier of s's export capacity of c |
/// | `scenario.incident` | `a>b` | 1 | severity of an incident this month (0 without) |
/// | `scenario.talks` | `a>b` | 1/month | hazard boost from talks this month (0 without) |
/// | `scenario.quota` | `s/c` | t/month | export quota of s for c (the tightest in force); −1 without |
/// | `scenario.quota_total` | `s` | t/month | export quota of s for all commodities together; −1 without |
/// | `scenario.offtake` | `s>i/c` | t/month | contracted volume i buys from s before the spot market (sum) |
/// | `scenario.new_capacity` | `s/c` | t/month | export capacity come on line since the run began (sum) |
///
/// The last four exist only for the exporters and pairs a scenario's events name.
public enum ScenarioSignals {
    /// The module name of the kernel-provided scenario signals.
    public static let module = "scenario"
}
