import LodestoneKernel

/// The global sensitivity methods.
public enum SensitivityMethod: String, Sendable, CaseIterable {
    /// Sobol first-order and total indices from Saltelli's design (``SaltelliDesign``, ``SobolIndices``).
    case sobol
    /// Morris's elementary-effects screening (``MorrisDesign``, ``MorrisIndices``).
    case morris
}

/// What a sensitivity analysis runs: which parameters vary over which distributions, which metric
/// is analysed, by which method, with how many samples.
public struct SensitivityRequest: Sendable {
    /// The varied parameters (path and distribution); the design's unit points are mapped through
    /// each distribution's quantile function.
    public var vary: [Variation]
    /// The metric analysed (`stockpile.exhausted_at[JP/DyTb]`).
    public var metric: String
    /// Sobol or Morris.
    public var method: SensitivityMethod
    /// Sobol: base samples N (N·(D + 2) runs); Morris: trajectories r (r·(D + 1) runs).
    public var samples: Int
    /// The seed of every run (stream 0: common random numbers), of the Morris design and of the
    /// bootstrap.
    public var seed: UInt64
    /// Bootstrap resamples for the confidence intervals.
    public var resamples = 100
    /// Confidence level of the intervals.
    public var level = 0.95
    /// Worker threads (nil: every core); results do not depend on it.
    public var threads: Int?
    /// The memory the runs may plan to use (nil: no check).
    public var memoryBudget: MemoryBudget?
    /// Run only this shard of the design (``Shard``); the indices then need every shard's runs
    /// (`lodestone merge`, then `lodestone summary`). Nil: the whole design.
    public var shard: Shard?

    /// Creates a request.
    public init(vary: [Variation], metric: String, method: SensitivityMethod, samples: Int, seed: UInt64) {
        self.vary = vary
        self.metric = metric
        self.method = method
        self.samples = samples
        self.seed = seed
    }

    /// The number of model runs the request makes.
    public var runs: Int {
        switch method {
        case .sobol: samples * (vary.count + 2)
        case .morris: samples * (vary.count + 1)
        }
    }
}

/// The outcome of a sensitivity analysis: indices per varied parameter, and the runs behind them.
public struct SensitivityResult: Sendable {
    /// The request.
    public let request: SensitivityRequest
    /// The analysed metric.
    public let metric: MetricInfo
    /// Sobol indices (method `sobol`).
    public let sobol: SobolIndices?
    /// Morris measures (method `morris`).
    public let morris: MorrisIndices?
    /// The runs of the design, with each run's parameter values and metrics (for exports and for
    /// further questions such as ``EnsembleResult/probability(_:)``).
    public private(set) var ensemble: EnsembleResult
    /// The metric in each run as analysed: a month metric as a month index from the start, with
    /// "never" counted as the month after the last (see ``neverRuns``).
    public let outputs: [Double]
    /// Runs in which a month metric never happened. They count as happening in the month after the
    /// run's last (index `months`): the earliest month consistent with "not within the run", which
    /// keeps the output finite and ordered ("never" is later than any month). Indices then say
    /// what moves the event's timing *within the horizon*, and whether it happens at all; a
    /// longer run changes them when many runs never see it.
    public let neverRuns: Int

    /// Records which shard of which of the script's computations this is (on ``ensemble``).
    public mutating func tagShard(_ tag: ShardTag?) { ensemble.shardTag = tag }

    /// A table per parameter: Sobol `S1`, `S1 ±`, `ST`, `ST ±`; Morris `mu*`, `mu* ±`, `mu`, `sigma`.
    public var table: ResultTable { Self.table(paths: request.vary.map(\.path), sobol: sobol, morris: morris) }

    /// The table of `sobol` or `morris` indices for `paths` (``table``).
    static func table(paths: [String], sobol: SobolIndices?, morris: MorrisIndices?) -> ResultTable {
        if let s = sobol {
            return ResultTable(
                columns: ["parameter", "S1", "S1 ±", "ST", "ST ±"],
                rows: paths.indices.map { j in
                    [.text(paths[j]), .number(s.first[j]), .number(s.firstConfidence[j]), .number(s.total[j]), .number(s.totalConfidence[j])]
                })
        }
        let m = morris ?? MorrisIndices(muStar: [], mu: [], sigma: [], muStarConfidence: [])
        return ResultTable(
            columns: ["parameter", "mu*", "mu* ±", "mu", "sigma"],
            rows: zip(paths.indices, m.muStar.indices).map { j, _ in
                [.text(paths[j]), .number(m.muStar[j]), .number(m.muStarConfidence[j]), .number(m.mu[j]), .number(m.sigma[j])]
            })
    }
}

/// Runs sensitivity analyses on a model: builds the design, runs it as a designed ensemble
/// (``MonteCarloRequest/design``, in parallel and deterministic), and estimates the indices.
public enum SensitivityAnalysis {
    /// Runs `request` on `plan` with base `parameters`. Unknown paths and metrics, bad
    /// distributions and too large requests are errors before any run.
    public static func run(
        _ plan: RunPlan, parameters: ParameterSet, request: SensitivityRequest,
        isCancelled: CancellationCheck? = nil, progress: ProgressHandler? = nil
    ) throws -> SensitivityResult {
        guard !request.vary.isEmpty else { throw AnalysisError("vary: give at least one parameter to vary") }
        let metric = try lookupMetric(request.metric, in: plan.composition)
        for variation in request.vary {
            try variation.distribution.validate()
            _ = try parameters.positions(variation.path)
        }
        let d = request.vary.count
        var points: [Double]
        var saltelli: SaltelliDesign?
        var morrisDesign: MorrisDesign?
        switch request.method {
        case .sobol:
            let design = try SaltelliDesign(parameters: d, baseSamples: request.samples)
            points = design.points()
            saltelli = design
        case .morris:
            let design = try MorrisDesign(parameters: d, trajectories: request.samples, seed: request.seed)
            points = design.points
            morrisDesign = design
        }
        guard request.runs <= MonteCarloRequest.maximumRuns else {
            throw AnalysisError("this analysis would make \(request.runs) runs; the most is \(MonteCarloRequest.maximumRuns): use fewer samples")
        }
        var ensembleRequest = MonteCarloRequest(runs: request.runs, seed: request.seed, vary: request.vary, threads: request.threads)
        ensembleRequest.memoryBudget = request.memoryBudget
        ensembleRequest.design = points
        ensembleRequest.designInfo = DesignInfo(
            method: request.method.rawValue, metric: metric.id, samples: request.samples, resamples: request.resamples,
            level: request.level)
        ensembleRequest.shard = request.shard
        points = []
        let ensemble = try MonteCarlo.run(
            plan, parameters: parameters, request: ensembleRequest, isCancelled: isCancelled, progress: progress)
        if ensemble.wasCancelled { throw CancellationError() }
        let (outputs, never) = try analysedOutputs(
            try ensemble.metricSamples(metric.id), metric: metric.id, isMonth: metric.kind == .month, months: plan.months)
        // A shard has only some of the design's runs: the indices wait for the merged file.
        if request.shard != nil {
            return SensitivityResult(
                request: request, metric: metric, sobol: nil, morris: nil, ensemble: ensemble, outputs: outputs, neverRuns: never)
        }
        let seed = request.seed
        switch request.method {
        case .sobol:
            let indices = try SobolIndices.estimate(
                outputs: outputs, design: saltelli!, resamples: request.resamples, level: request.level, seed: seed)
            return SensitivityResult(
                request: request, metric: metric, sobol: indices, morris: nil, ensemble: ensemble, outputs: outputs, neverRuns: never)
        case .morris:
            let indices = try MorrisIndices.estimate(
                outputs: outputs, design: morrisDesign!, resamples: request.resamples, level: request.level, seed: seed)
            return SensitivityResult(
                request: request, metric: metric, sobol: nil, morris: indices, ensemble: ensemble, outputs: outputs, neverRuns: never)
        }
    }

    /// The metric's values as analysed, and how many runs never saw a month metric: NaN ("never")
    /// becomes `months`, the month after the last; a quantity that is NaN is an error.
    public static func analysedOutputs(
        _ samples: [Double], metric: String, isMonth: Bool, months: Int
    ) throws(AnalysisError) -> (outputs: [Double], never: Int) {
        var outputs = samples
        var never = 0
        for r in outputs.indices where outputs[r].isNaN {
            guard isMonth else {
                throw AnalysisError("`\(metric)` is none in some runs; analyse a metric that every run reports")
            }
            outputs[r] = Double(months)
            never += 1
        }
        return (outputs, never)
    }

    /// The indices of a design described by `info` over `parameters` varied parameters, from the
    /// analysed outputs of all its runs in run order (``analysedOutputs(_:metric:isMonth:months:)``):
    /// what ``run(_:parameters:request:isCancelled:progress:)`` computes, for a design read back from
    /// a file (merged shards). Returns the indices as a table (the columns of
    /// ``SensitivityResult/table``, one row per path).
    public static func indices(
        outputs: [Double], info: DesignInfo, paths: [String], seed: UInt64
    ) throws -> ResultTable {
        guard let method = SensitivityMethod(rawValue: info.method) else {
            throw AnalysisError("unknown sensitivity method `\(info.method)` (expected sobol or morris)")
        }
        let request = SensitivityRequest(
            vary: paths.map { Variation($0, .choice([0])) }, metric: info.metric, method: method, samples: info.samples, seed: seed)
        guard outputs.count == request.runs else {
            throw AnalysisError("the design has \(request.runs) runs; \(outputs.count) were given")
        }
        var sobol: SobolIndices?
        var morris: MorrisIndices?
        switch method {
        case .sobol:
            let design = try SaltelliDesign(parameters: paths.count, baseSamples: info.samples)
            sobol = try SobolIndices.estimate(outputs: outputs, design: design, resamples: info.resamples, level: info.level, seed: seed)
        case .morris:
            let design = try MorrisDesign(parameters: paths.count, trajectories: info.samples, seed: seed)
            morris = try MorrisIndices.estimate(outputs: outputs, design: design, resamples: info.resamples, level: info.level, seed: seed)
        }
        return SensitivityResult.table(paths: paths, sobol: sobol, morris: morris)
    }

    /// The metric with id `id`, or an error naming the metrics there are.
    static func lookupMetric(_ id: String, in composition: Composition) throws(LookupError) -> MetricInfo {
        let wanted = SignalLookup.normalize(id)
        if let metric = composition.metrics.first(where: { $0.id == wanted }) { return metric }
        throw LookupError("unknown metric `\(id)`" + Suggestions.hint(for: wanted, among: composition.metrics.map(\.id)))
    }
}
