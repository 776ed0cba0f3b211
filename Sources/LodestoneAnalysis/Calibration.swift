import LodestoneKernel

/// Observed monthly values of named series, as in a CSV with the header `month,series,value`
/// (`Docs/Validation/backcast-2010.csv`).
public struct ObservedSeries: Sendable, Equatable {
    /// One observation.
    public struct Observation: Sendable, Equatable {
        /// The month.
        public var month: Month
        /// The series' name.
        public var series: String
        /// The value, in the series' unit.
        public var value: Double
        /// Creates an observation.
        public init(month: Month, series: String, value: Double) {
            self.month = month
            self.series = series
            self.value = value
        }
    }
    /// The observations in file order.
    public var observations: [Observation]

    /// Observations given directly.
    public init(_ observations: [Observation]) { self.observations = observations }

    /// Parses `month,series,value` CSV text (header first, blank lines ignored); an error names
    /// `file:line` and what was expected.
    public init(csv text: String, file: String) throws(AnalysisError) {
        var lines = text.split(separator: "\n", omittingEmptySubsequences: false).map { $0.hasSuffix("\r") ? $0.dropLast() : $0 }
        guard let header = lines.first, header.split(separator: ",").map({ $0.trimmingSpaces() }) == ["month", "series", "value"] else {
            throw AnalysisError("\(file):1: expected the header `month,series,value`")
        }
        lines.removeFirst()
        var observations: [Observation] = []
        for (offset, line) in lines.enumerated() where !line.allSatisfy({ $0 == " " }) {
            let fields = line.split(separator: ",", omittingEmptySubsequences: false).map { $0.trimmingSpaces() }
            let where_ = "\(file):\(offset + 2)"
            guard fields.count == 3 else { throw AnalysisError("\(where_): expected 3 fields (month,series,value), got \(fields.count)") }
            guard let month = Month(fields[0]) else { throw AnalysisError("\(where_): expected a month such as 2010-09, got `\(fields[0])`") }
            guard !fields[1].isEmpty else { throw AnalysisError("\(where_): the series name is empty") }
            guard let value = Double(fields[2]), value.isFinite else {
                throw AnalysisError("\(where_): expected a finite number, got `\(fields[2])`")
            }
            observations.append(Observation(month: month, series: fields[1], value: value))
        }
        guard !observations.isEmpty else { throw AnalysisError("\(file): no observations") }
        self.observations = observations
    }

    /// The series' names in order of first appearance.
    public var names: [String] {
        var seen: [String] = []
        for o in observations where !seen.contains(o.series) { seen.append(o.series) }
        return seen
    }
}

extension Substring {
    fileprivate func trimmingSpaces() -> String {
        String(drop { $0 == " " }.reversed().drop { $0 == " " }.reversed())
    }
}

/// How the misfit of a run to the observations is measured.
public enum CalibrationObjective: String, Sendable, CaseIterable {
    /// The mean over series of RMSE / mean |observed|: unit-free, each series weighs the same.
    case relative
    /// The mean over series of the RMSE, in the series' units (for one series, or series in one unit).
    case rmse
}

/// What a calibration fits: parameters within bounds, to observed series, by an objective.
public struct CalibrationRequest: Sendable {
    /// The parameters and their search bounds (low, high).
    public var bounds: [(path: String, low: Double, high: Double)]
    /// For each observed series' name, the signal id it is compared with (a name not listed is a
    /// signal id itself).
    public var signals: [String: String]
    /// The objective.
    public var objective: CalibrationObjective
    /// Nelder–Mead starts: the centre of the bounds, then points of a Sobol sequence.
    public var restarts: Int
    /// The seed of every run (stream 0).
    public var seed: UInt64
    /// The optimiser's settings.
    public var optimizer = NelderMead()

    /// Creates a request.
    public init(
        bounds: [(path: String, low: Double, high: Double)], signals: [String: String] = [:],
        objective: CalibrationObjective = .relative, restarts: Int = 4, seed: UInt64 = 1
    ) {
        self.bounds = bounds
        self.signals = signals
        self.objective = objective
        self.restarts = restarts
        self.seed = seed
    }
}

/// The outcome of a calibration.
public struct CalibrationResult: Sendable {
    /// The fit of one series at the optimum.
    public struct SeriesFit: Sendable, Equatable {
        /// The observed series' name.
        public var name: String
        /// The signal compared.
        public var signal: String
        /// Observations.
        public var count: Int
        /// Root-mean-square error, in the series' unit.
        public var rmse: Double
        /// RMSE / mean |observed|.
        public var relative: Double
    }
    /// The request.
    public let request: CalibrationRequest
    /// The fitted value of each parameter.
    public let values: [Double]
    /// Whether each fitted value lies on a bound of its search range (within 0.1 % of the range):
    /// then the bound, not the data, decides it.
    public let atBound: [Bool]
    /// The objective at the optimum.
    public let objective: Double
    /// The fit per series.
    public let fits: [SeriesFit]
    /// The objective at each start's optimum, in start order.
    public let restartObjectives: [Double]
    /// Objective evaluations (runs) in all.
    public let evaluations: Int
    /// Sensitivity at the optimum: for each parameter, the objective with the parameter moved by
    /// −5 % and +5 % of its search range (clamped into it), the others at the optimum.
    public let sensitivity: [(minus: Double, plus: Double)]
}

/// Fits parameters to observed monthly series by Nelder–Mead with restarts.
public enum Calibration {
    /// Calibrates the parameters of `request` on `plan` (base `parameters`) to `observed`.
    public static func run(
        _ plan: RunPlan, parameters: ParameterSet, observed: ObservedSeries, request: CalibrationRequest,
        isCancelled: CancellationCheck? = nil
    ) throws -> CalibrationResult {
        let d = request.bounds.count
        guard d >= 1 else { throw AnalysisError("vary: give at least one parameter to fit") }
        guard request.restarts >= 1, request.restarts <= 100 else { throw AnalysisError("restarts: expected 1…100, got \(request.restarts)") }
        var positions: [[Int]] = []
        for b in request.bounds {
            guard b.low.isFinite, b.high.isFinite, b.low < b.high else {
                throw AnalysisError("vary: `\(b.path)` needs a range low < high to search, got \(b.low)…\(b.high)")
            }
            var probe = parameters
            try probe.set(b.path, to: b.low)
            try probe.set(b.path, to: b.high)
            positions.append(try parameters.positions(b.path))
        }
        // The observations as (month index, slot, value) per series.
        let composition = plan.composition
        var series: [(name: String, signal: String, points: [(t: Int, value: Double)], scale: Double, slot: Int)] = []
        for name in observed.names {
            let signal = request.signals[name] ?? name
            guard let slot = composition.slot(of: signal) else {
                throw AnalysisError(
                    "observed series `\(name)`: no signal `\(signal)` in the model" + Suggestions.hint(for: SignalLookup.normalize(signal), among: composition.signals.map(\.id))
                        + (request.signals[name] == nil ? " (map series names to signals with `series:`)" : ""))
            }
            var points: [(Int, Double)] = []
            for o in observed.observations where o.series == name {
                let t = o.month - plan.start
                guard t >= 0, t < plan.months else {
                    throw AnalysisError("observed series `\(name)`: \(o.month) is outside the run (\(plan.start)…\(plan.start + (plan.months - 1))); change `start:` or `months:`")
                }
                points.append((t, o.value))
            }
            let meanAbs = points.reduce(0) { $0 + abs($1.1) } / Double(points.count)
            series.append((name, composition.signals[slot].id, points, meanAbs > 0 ? meanAbs : 1, slot))
        }
        let last = series.flatMap { $0.points.map(\.t) }.max() ?? 0

        var evaluations = 0
        /// Per series, the RMSE of a run with unit-cube point `u`.
        func errors(_ u: [Double]) throws -> [Double] {
            if let isCancelled, isCancelled() { throw CancellationError() }
            evaluations += 1
            let simulation = try Simulation(plan: plan, parameters: parameters, generator: SeededGenerator(seed: request.seed, stream: 0)) { values in
                for j in 0..<d {
                    let b = request.bounds[j]
                    let x = b.low + (b.high - b.low) * u[j]
                    for p in positions[j] { values[p] = parameters.clamped(x, at: p) }
                }
            }
            var sums = [Double](repeating: 0, count: series.count)
            // Each series' observations by month index.
            for t in 0...last {
                try simulation.step()
                for (s, entry) in series.enumerated() {
                    for point in entry.points where point.t == t {
                        let e = simulation.value(slot: entry.slot) - point.value
                        sums[s] += e * e
                    }
                }
            }
            return zip(sums, series).map { ($0 / Double($1.points.count)).squareRoot() }
        }
        func objective(_ u: [Double]) throws -> Double {
            let e = try errors(u)
            switch request.objective {
            case .relative: return zip(e, series).reduce(0) { $0 + $1.0 / $1.1.scale } / Double(series.count)
            case .rmse: return e.reduce(0, +) / Double(series.count)
            }
        }

        var starts: [[Double]] = [[Double](repeating: 0.5, count: d)]
        if request.restarts > 1 {
            var sobol = try SobolSequence(dimensions: d)
            sobol.skip(2)  // the origin and the centre
            for _ in 1..<request.restarts { starts.append(sobol.next().map { 0.1 + 0.8 * $0 }) }
        }
        var best: (point: [Double], value: Double)?
        var restartObjectives: [Double] = []
        for start in starts {
            let found = try request.optimizer.minimize(from: start, objective)
            restartObjectives.append(found.value)
            if best == nil || found.value < best!.value { best = (found.point, found.value) }
        }
        let optimum = best!.point
        let finalErrors = try errors(optimum)
        let fits = zip(series, finalErrors).map { entry, rmse in
            CalibrationResult.SeriesFit(name: entry.name, signal: entry.signal, count: entry.points.count, rmse: rmse, relative: rmse / entry.scale)
        }
        var sensitivity: [(Double, Double)] = []
        for j in 0..<d {
            var minus = optimum
            var plus = optimum
            minus[j] = max(0, optimum[j] - 0.05)
            plus[j] = min(1, optimum[j] + 0.05)
            sensitivity.append((try objective(minus), try objective(plus)))
        }
        let values = zip(request.bounds, optimum).map { $0.low + ($0.high - $0.low) * $1 }
        return CalibrationResult(
            request: request, values: values, atBound: optimum.map { $0 < 0.001 || $0 > 0.999 }, objective: best!.value,
            fits: fits, restartObjectives: restartObjectives, evaluations: evaluations, sensitivity: sensitivity)
    }
}
