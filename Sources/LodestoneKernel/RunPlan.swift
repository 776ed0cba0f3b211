/// Everything fixed about a run except its parameters and seed: the composition, the start
/// month, the length, and the scenario turned into a month-by-signal table. Shared by all runs
/// of an ensemble.
public struct RunPlan: Sendable {
    // The plan's values live in one shared object, so that a copy of a plan (a run takes three:
    // the cache's answer, `Runner.run`'s and its simulation's) counts one reference, not one per
    // array of the plan and of its composition (about 200 each; −45 instructions per run-month
    // of a script's 120-month runs, 6,718 → 6,673).
    private let storage: Storage

    /// The composed models.
    public var composition: Composition { storage.composition }
    /// The first month.
    public var start: Month { storage.start }
    /// Number of months.
    public var months: Int { storage.months }
    /// Scenario signal values, `months × composition.scenarioCount`, row per month.
    var scenarioTable: [Double] { storage.scenarioTable }
    /// The scenario columns whose value (bit pattern) differs from the month before: month t's
    /// are `scenarioChanges[scenarioChangeStart[t]..<scenarioChangeStart[t + 1]]`, none for month
    /// 0. A block writes only these (``BatchSimulation`` keeps the rest from earlier months).
    var scenarioChanges: [Int] { storage.scenarioChanges }
    /// Where each month's entries of ``scenarioChanges`` start (`months + 1` values).
    var scenarioChangeStart: [Int] { storage.scenarioChangeStart }

    /// Whether a scenario signal may differ in month `t` from month t − 1 (always in month 0):
    /// what ``StepFrame/scenarioChanged`` and ``BatchFrame/scenarioChanged`` report.
    func scenarioChanges(inMonth t: Int) -> Bool { t == 0 || scenarioChangeStart[t] != scenarioChangeStart[t + 1] }
    /// Whether month t's scenario row holds only finite values (the finiteness check then skips
    /// the scenario slots).
    var scenarioRowIsFinite: [Bool] { storage.scenarioRowIsFinite }
    /// Parameter changes from `set` events: (month index, positions in the parameter values,
    /// value), in month order.
    var parameterChanges: [(monthIndex: Int, positions: [Int], value: Double)] { storage.parameterChanges }
    /// What every result of the plan's runs shares: scenario, dataset, module names, signals and
    /// metrics (one reference per result, not one per array).
    var resultContext: RunResult.Context { storage.resultContext }

    /// A plan's values (see ``RunPlan``).
    private final class Storage: Sendable {
        let composition: Composition
        let start: Month
        let months: Int
        let scenarioTable: [Double]
        let scenarioChanges: [Int]
        let scenarioChangeStart: [Int]
        let scenarioRowIsFinite: [Bool]
        let parameterChanges: [(monthIndex: Int, positions: [Int], value: Double)]
        /// What every result of the plan's runs shares (module names made once, not per run).
        let resultContext: RunResult.Context
        init(
            composition: Composition, start: Month, months: Int, scenarioTable: [Double], scenarioChanges: [Int],
            scenarioChangeStart: [Int], scenarioRowIsFinite: [Bool],
            parameterChanges: [(monthIndex: Int, positions: [Int], value: Double)]
        ) {
            self.composition = composition
            self.start = start
            self.months = months
            self.scenarioTable = scenarioTable
            self.scenarioChanges = scenarioChanges
            self.scenarioChangeStart = scenarioChangeStart
            self.scenarioRowIsFinite = scenarioRowIsFinite
            self.parameterChanges = parameterChanges
            resultContext = RunResult.Context(composition)
        }
    }

    /// Upper bound on `months` (1,000 years), so that a typo cannot exhaust memory.
    public static let maximumMonths = 12_000

    /// Plans `months` months from `start`. `set` events are validated here: an unknown path or an
    /// out-of-range value is an error naming the scenario and the path.
    public init(composition: Composition, start: Month, months: Int) throws {
        guard months >= 1, months <= Self.maximumMonths else {
            throw CompositionError("months: expected 1…\(Self.maximumMonths), got \(months)")
        }
        // Months are written YYYY-MM: a run must start in year 0 or later and end by 9999-12.
        let last = Month(9999, 12)
        guard start >= Month(0, 1), start <= last, months - 1 <= last - start else {
            let end = start + (months - 1)
            throw CompositionError(
                "a run of \(months) months from \(start) would end in \(end), "
                    + "after 9999-12, the last month Lodestone can write; start earlier or run fewer months (at most \(max(0, last - start + 1)) from \(start))")
        }
        let scenarioTable = Self.table(
            keys: composition.scenarioKeys, events: composition.scenario.events, start: start, months: months)
        let (scenarioChanges, scenarioChangeStart, scenarioRowIsFinite) = Self.changes(
            of: scenarioTable, columns: composition.scenarioCount, months: months)
        var changes: [(Int, [Int], Double)] = []
        var probe = composition.parameterLayout
        for event in composition.scenario.events {
            if case .set(let path, let value, let at) = event {
                do { try probe.set(path, to: value) } catch {
                    throw CompositionError("scenario `\(composition.scenario.name)`: set: \(error.message)")
                }
                let index = max(0, at - start)
                if index < months { changes.append((index, try probe.positions(path), value)) }
            }
        }
        storage = Storage(
            composition: composition, start: start, months: months, scenarioTable: scenarioTable,
            scenarioChanges: scenarioChanges, scenarioChangeStart: scenarioChangeStart,
            scenarioRowIsFinite: scenarioRowIsFinite,
            parameterChanges: changes.enumerated().sorted { ($0.element.0, $0.offset) < ($1.element.0, $1.offset) }
                .map(\.element))
    }

    /// The columns of `table` (`months × columns`, row per month) that change from one month to
    /// the next, month by month, and whether each row is finite.
    private static func changes(
        of table: [Double], columns: Int, months: Int
    ) -> (changes: [Int], start: [Int], rowIsFinite: [Bool]) {
        var changes: [Int] = []
        var start = [0]
        var rowIsFinite: [Bool] = []
        start.reserveCapacity(months + 1)
        rowIsFinite.reserveCapacity(months)
        // Element by element through a buffer: slices allocate per call in debug builds, and the
        // allocation tests count allocations that grow with the months.
        table.withUnsafeBufferPointer { table in
            for t in 0..<months {
                let row = t * columns
                var finite = true
                for j in 0..<columns {
                    if t > 0, table[row + j].bitPattern != table[row - columns + j].bitPattern { changes.append(j) }
                    if !table[row + j].isFinite { finite = false }
                }
                start.append(changes.count)
                rowIsFinite.append(finite)
            }
        }
        return (changes, start, rowIsFinite)
    }

    /// The scenario signals month by month, `months × keys.count`: each event is matched against
    /// the keys once and applied to the months it is active in.
    private static func table(
        keys: [(name: String, key: String)], events: [ScenarioEvent], start: Month, months: Int
    ) -> [Double] {
        let width = keys.count
        // Parse every key once: name, and its parts (`s>i/c` → [s, i, c]; `r/c` → [r, c]; `a>b` → [a, b]).
        let parsed = keys.map { entry -> (name: String, parts: [Substring]) in
            (entry.name, entry.key.split(whereSeparator: { $0 == ">" || $0 == "/" }))
        }
        // Multiplicative signals start at 1 (no restriction = fully open; factor 1; no incident =
        // calm 1); talks start at 0.
        // Quotas start at −1 (none in force); offtakes and new capacity at 0.
        var table = [Double](repeating: 0, count: months * width)
        for (j, key) in parsed.enumerated() where !["talks", "offtake", "new_capacity"].contains(key.name) {
            let initial = key.name == "quota" || key.name == "quota_total" ? -1.0 : 1.0
            for t in 0..<months { table[t * width + j] = initial }
        }
        func apply(from first: Month, months count: Int?, to matches: [Int], _ update: (inout Double) -> Void) {
            let lower = max(0, first - start)
            let upper = min(months, count.map { first - start + $0 } ?? months)
            guard lower < upper else { return }
            for t in lower..<upper { for j in matches { update(&table[t * width + j]) } }
        }
        func matching(_ name: String, where matches: ([Substring]) -> Bool) -> [Int] {
            parsed.indices.filter { parsed[$0].name == name && matches(parsed[$0].parts) }
        }
        for event in events {
            switch event {
            case .restrict(let from, let to, let commodity, let share, let first, let count):
                let matches = matching("restriction") { p in
                    p.count == 3 && p[0] == from && (to == nil || p[1] == to!) && (commodity == nil || p[2] == commodity!)
                }
                apply(from: first, months: count, to: matches) { $0 *= 1 - share }
            case .demand(let region, let commodity, let factor, let first, let count):
                let matches = matching("demand_factor") { p in
                    p.count == 2 && p[0] == region && (commodity == nil || p[1] == commodity!)
                }
                apply(from: first, months: count, to: matches) { $0 *= factor }
            case .capacity(let region, let commodity, let factor, let first, let count):
                let matches = matching("capacity_factor") { p in
                    p.count == 2 && p[0] == region && (commodity == nil || p[1] == commodity!)
                }
                apply(from: first, months: count, to: matches) { $0 *= factor }
            case .incident(let from, let to, let severity, let at):
                let matches = matching("incident") { p in p.count == 2 && p[0] == from && p[1] == to }
                apply(from: at, months: 1, to: matches) { $0 *= 1 - severity }
            case .talks(let from, let to, let boost, let at):
                let matches = matching("talks") { p in p.count == 2 && p[0] == from && p[1] == to }
                apply(from: at, months: 1, to: matches) { $0 += boost }
            case .quota(let from, let commodity, let tonnes, let first, let count):
                let matches = commodity.map { c in matching("quota") { p in p.count == 2 && p[0] == from && p[1] == c } }
                    ?? matching("quota_total") { p in p.count == 1 && p[0] == from }
                apply(from: first, months: count, to: matches) { $0 = $0 < 0 ? tonnes / 12 : min($0, tonnes / 12) }
            case .offtake(let from, let to, let commodity, let tonnes, let first, let count):
                let matches = matching("offtake") { p in p.count == 3 && p[0] == from && p[1] == to && p[2] == commodity }
                apply(from: first, months: count, to: matches) { $0 += tonnes / 12 }
            case .newCapacity(let region, let commodity, let tonnes, let first):
                let matches = matching("new_capacity") { p in p.count == 2 && p[0] == region && p[1] == commodity }
                apply(from: first, months: nil, to: matches) { $0 += tonnes / 12 }
            case .set:
                continue
            }
        }
        // Restriction and incident were accumulated as "what is left open / calm".
        for (j, key) in parsed.enumerated() where key.name == "restriction" || key.name == "incident" {
            for t in 0..<months { table[t * width + j] = 1 - table[t * width + j] }
        }
        return table
    }
}
