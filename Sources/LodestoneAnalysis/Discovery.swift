import LodestoneKernel

/// A condition on a run's metric that marks the runs of interest in scenario discovery:
/// `stockpile.exhausted_at[JP/DyTb] <= 2026-12`, `stockpile.unmet_total[JP/DyTb] > 0`.
public struct MetricCondition: Sendable, Equatable, CustomStringConvertible {
    /// Comparison operators.
    public enum Comparison: String, Sendable, CaseIterable {
        /// `<=`, `>=`, `!=`, `==`, `<`, `>` as written in a condition.
        case lessOrEqual = "<=", greaterOrEqual = ">=", notEqual = "!=", equal = "==", less = "<", greater = ">"
    }
    /// The metric id.
    public var metric: String
    /// The comparison.
    public var comparison: Comparison
    /// The value compared with: a number, or for a month metric a month.
    public var value: Double
    /// The month, when the value was written as one (`2026-12`).
    public var month: Month?

    /// Parses `METRIC OP VALUE`, VALUE a number or a month `YYYY-MM`.
    public init(parsing text: String) throws(AnalysisError) {
        let ops = Comparison.allCases.map(\.rawValue)
        let characters = Array(text)
        for op in ops {
            let pattern = Array(op)
            guard
                let at = characters.indices.first(where: { i in
                    i + pattern.count <= characters.count && Array(characters[i..<(i + pattern.count)]) == pattern
                })
            else { continue }
            let left = Substring(String(characters[..<at])).trimmingSpaces()
            let right = Substring(String(characters[(at + pattern.count)...])).trimmingSpaces()
            guard !left.isEmpty, !right.isEmpty else { break }
            metric = left
            comparison = Comparison(rawValue: op)!
            if let m = Month(right) {
                month = m
                value = 0
            } else if let x = Double(right), x.isFinite {
                month = nil
                value = x
            } else {
                throw AnalysisError("where: expected a number or a month such as 2026-12 after `\(op)`, got `\(right)`")
            }
            return
        }
        throw AnalysisError("where: expected `METRIC OP VALUE` with OP one of \(ops.joined(separator: ", ")), e.g. \"stockpile.exhausted_at[JP/DyTb] <= 2026-12\"; got \"\(text)\"")
    }

    /// The condition as written.
    public var description: String {
        "\(metric) \(comparison.rawValue) \(month.map(\.description) ?? ParameterSet.format(value))"
    }

    /// Which runs of `ensemble` meet the condition. For a month metric, "never" (none) is later
    /// than any month: it meets `>`, `>=` and `!=`, not `<`, `<=` or `==`. For a quantity, none
    /// meets only `!=`.
    public func evaluate(on ensemble: EnsembleResult) throws -> [Bool] {
        let column = try ensemble.metricColumn(metric)
        let info = ensemble.metrics[column]
        let samples = try ensemble.metricSamples(metric)
        var target = value
        if info.kind == .month {
            guard let month else {
                throw AnalysisError("where: `\(info.id)` is a month metric: compare it with a month such as 2026-12")
            }
            target = Double(month - ensemble.start)
        } else if month != nil {
            throw AnalysisError("where: `\(info.id)` is a quantity: compare it with a number, not a month")
        }
        return samples.map { x in
            guard !x.isNaN else {
                return info.kind == .month
                    ? [.greater, .greaterOrEqual, .notEqual].contains(comparison) : comparison == .notEqual
            }
            switch comparison {
            case .lessOrEqual: return x <= target
            case .less: return x < target
            case .greaterOrEqual: return x >= target
            case .greater: return x > target
            case .equal: return x == target
            case .notEqual: return x != target
            }
        }
    }
}

extension Substring {
    fileprivate func trimmingSpaces() -> String {
        String(drop { $0 == " " }.reversed().drop { $0 == " " }.reversed())
    }
}

/// The outcome of scenario discovery on an ensemble: the peeling trajectory, the chosen box
/// (pasted), its restrictions with quasi-p-values, and a sentence saying it.
public struct DiscoveryResult: Sendable {
    /// The condition that marks the runs of interest.
    public let condition: MetricCondition
    /// The varied parameter paths (the box's dimensions).
    public let parameters: [String]
    /// The boxes peeling passed through (the coverage/density trade-off).
    public let trajectory: [PrimBox]
    /// The index in ``trajectory`` of the chosen box, before pasting.
    public let chosen: Int
    /// The chosen box after pasting.
    public let box: PrimBox
    /// The full box (every run).
    public let fullBox: PrimBox
    /// The restricted parameters of ``box`` with their quasi-p-values.
    public let restrictions: [(parameter: Int, p: Double)]
    /// Runs analysed.
    public let runs: Int
    /// Runs of interest.
    public let interesting: Int
    /// The density a box should reach.
    public let threshold: Double

    /// A row per restricted parameter: its range in the box, the full range, and the quasi-p-value.
    public var table: ResultTable {
        ResultTable(
            columns: ["parameter", "box low", "box high", "low", "high", "quasi-p"],
            rows: restrictions.map { r in
                let j = r.parameter
                return [
                    .text(parameters[j]), .number(box.lower[j]), .number(box.upper[j]), .number(fullBox.lower[j]),
                    .number(fullBox.upper[j]), .number(r.p),
                ]
            })
    }

    /// The trade-off: a row per peeling step with coverage, density, mass and restricted count.
    public var tradeoff: ResultTable {
        ResultTable(
            columns: ["step", "coverage", "density", "mass", "restricted"],
            rows: trajectory.enumerated().map { i, b in
                let restricted = (0..<parameters.count).filter { b.lower[$0] > fullBox.lower[$0] || b.upper[$0] < fullBox.upper[$0] }.count
                return [.number(Double(i)), .number(b.coverage), .number(b.density), .number(b.mass), .number(Double(restricted))]
            })
    }

    /// The box's restrictions in words: `stockpile.cover_days[JP] < 74 and trade.ramp_months > 7`
    /// (`a ≤ x ≤ b` when both bounds are inside the full range).
    public func restrictionText(format: (Double) -> String) -> String {
        restrictions.map { r in
            let j = r.parameter
            let low = box.lower[j] > fullBox.lower[j]
            let high = box.upper[j] < fullBox.upper[j]
            if low && high { return "\(format(box.lower[j])) ≤ \(parameters[j]) ≤ \(format(box.upper[j]))" }
            if low { return "\(parameters[j]) ≥ \(format(box.lower[j]))" }
            return "\(parameters[j]) ≤ \(format(box.upper[j]))"
        }.joined(separator: " and ")
    }
}

/// Scenario discovery (PRIM) on an ensemble with varied parameters.
public enum ScenarioDiscovery {
    /// Finds the box of varied-parameter values in which the runs meeting `condition` are dense.
    public static func run(
        _ ensemble: EnsembleResult, where condition: MetricCondition, threshold: Double = 0.8, alpha: Double = 0.05,
        minimumMass: Double = 0.05
    ) throws -> DiscoveryResult {
        let d = ensemble.request.vary.count
        guard d > 0 else {
            throw AnalysisError("discover needs an ensemble with varied parameters (`vary:` in montecarlo)")
        }
        guard (0...1).contains(threshold), alpha > 0, alpha < 0.5, minimumMass > 0, minimumMass < 1 else {
            throw AnalysisError("threshold: expected 0…1, alpha 0…0.5, minimum mass 0…1")
        }
        let flags = try condition.evaluate(on: ensemble)
        let hits = flags.filter { $0 }.count
        guard hits > 0 else {
            throw AnalysisError("no run meets `\(condition)`: there is nothing to discover (\(flags.count) runs)")
        }
        var prim = try Prim(points: ensemble.variedValues, parameters: d, interesting: flags)
        prim.threshold = threshold
        prim.alpha = alpha
        prim.minimumMass = minimumMass
        let trajectory = prim.peelingTrajectory()
        let chosen = prim.chosenIndex(trajectory)
        let box = prim.paste(trajectory[chosen])
        return DiscoveryResult(
            condition: condition, parameters: ensemble.request.vary.map(\.path), trajectory: trajectory, chosen: chosen,
            box: box, fullBox: prim.fullBox, restrictions: prim.quasiPValues(box), runs: flags.count, interesting: hits,
            threshold: threshold)
    }
}
