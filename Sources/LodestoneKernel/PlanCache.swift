#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// Run plans of one model (fixed modules and dataset), kept so that repeated runs do not compose
/// again: a script calling `run(…)` in a loop pays ``Composition/init(models:dataset:scenario:parameters:)``
/// and ``RunPlan/init(composition:start:months:)`` once, not on every call.
///
/// A plan is reused as it is for the same scenario, start and length; a composition is reused
/// (and only the plan's month-by-month table made again) for a scenario that differs in values
/// only (``Composition/reused(for:)``). Parameter values never matter: they are passed to each
/// run. At most ``capacity`` compositions and plans are kept, the least recently used dropped.
/// Safe to share between threads.
public final class PlanCache: @unchecked Sendable {
    /// The modules, in the order given.
    public let models: [any Model]
    /// The dataset they run on.
    public let dataset: Dataset
    /// How many compositions, and how many plans, are kept.
    public let capacity: Int
    private let lock = PlanCacheLock()
    private var compositions: [Composition] = []
    private var plans: [RunPlan] = []
    /// How many plans were asked for, and how many of those were composed anew (for tests and
    /// `lodestone bench`).
    public private(set) var requests = 0, compositionsMade = 0

    /// A cache for `models` on `dataset`.
    public init(models: [any Model], dataset: Dataset, capacity: Int = 8) {
        self.models = models
        self.dataset = dataset
        self.capacity = max(1, capacity)
    }

    /// The plan of `months` months from `start` under `scenario`, with parameter positions of
    /// `parameters` (a set made for these models and dataset; another layout is composed anew
    /// and not kept). Errors are those of composing and planning.
    public func plan(scenario: Scenario, start: Month, months: Int, parameters: ParameterSet) throws -> RunPlan {
        try lock.withLock {
            requests += 1
            if let i = plans.firstIndex(where: {
                $0.start == start && $0.months == months && $0.composition.scenario == scenario
                    && parameters.hasLayout(of: $0.composition.parameterLayout)
            }) {
                let plan = plans.remove(at: i)
                plans.append(plan)
                return plan
            }
            let composition = try self.composition(scenario: scenario, parameters: parameters)
            let plan = try RunPlan(composition: composition, start: start, months: months)
            if parameters.hasLayout(of: composition.parameterLayout) {
                plans.append(plan)
                if plans.count > capacity { plans.removeFirst() }
            }
            return plan
        }
    }

    /// A composition for `scenario`: a kept one (as it is, or reused for new values), else a new one.
    private func composition(scenario: Scenario, parameters: ParameterSet) throws -> Composition {
        for (i, kept) in compositions.enumerated() where parameters.hasLayout(of: kept.parameterLayout) {
            if let reused = try kept.reused(for: scenario) {
                compositions.remove(at: i)
                compositions.append(reused)
                return reused
            }
        }
        compositionsMade += 1
        let composition = try Composition(models: models, dataset: dataset, scenario: scenario, parameters: parameters)
        compositions.append(composition)
        if compositions.count > capacity { compositions.removeFirst() }
        return composition
    }
}

/// A mutex on pthreads (the kernel avoids Foundation).
private final class PlanCacheLock: @unchecked Sendable {
    private var mutex = pthread_mutex_t()
    init() { pthread_mutex_init(&mutex, nil) }
    deinit { pthread_mutex_destroy(&mutex) }
    func withLock<T>(_ body: () throws -> T) rethrows -> T {
        pthread_mutex_lock(&mutex)
        defer { pthread_mutex_unlock(&mutex) }
        return try body()
    }
}
