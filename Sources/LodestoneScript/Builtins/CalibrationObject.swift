import LodestoneAnalysis
import LodestoneKernel

/// The result of `calibrate(…)`: the fitted parameter values, the fit per observed series, and
/// each parameter's local sensitivity at the optimum.
public final class CalibrationObject {
    /// The calibration's result.
    public let result: CalibrationResult
    /// Where the observations came from (a file as written, or `a table`).
    public let source: String
    /// The observations fitted.
    public let observations: Int
    /// A copy of the calibrated model with the fitted values set.
    let fitted: ModelObject

    init(_ result: CalibrationResult, source: String, observations: Int, fitted: ModelObject) {
        self.result = result
        self.source = source
        self.observations = observations
        self.fitted = fitted
    }

    /// What the objective measures, in words.
    var objectiveText: String {
        switch result.request.objective {
        case .relative: "mean relative RMSE"
        case .rmse: "mean RMSE"
        }
    }

    func inline() -> String {
        "<calibration to \(source), \(objectiveText) \(ValueFormatter.rounded(result.objective))>"
    }

    /// Per parameter: the fitted value, its search range, whether it is on a bound, and the
    /// objective with the parameter moved 5 % of its range down and up.
    var table: ResultTable {
        let r = result
        return ResultTable(
            columns: ["parameter", "fitted", "low", "high", "at bound", "objective -5%", "objective +5%"],
            rows: r.request.bounds.indices.map { j in
                let b = r.request.bounds[j]
                return [
                    .text(b.path), .number(r.values[j]), .number(b.low), .number(b.high), .text(r.atBound[j] ? "yes" : "no"),
                    .number(r.sensitivity[j].minus), .number(r.sensitivity[j].plus),
                ]
            })
    }

    /// Per observed series: the signal compared, the observations, the RMSE and RMSE / mean |observed|.
    var seriesTable: ResultTable {
        ResultTable(
            columns: ["series", "signal", "n", "rmse", "relative"],
            rows: result.fits.map { [.text($0.name), .text($0.signal), .number(Double($0.count)), .number($0.rmse), .number($0.relative)] })
    }

    func display() -> String {
        let r = result
        let n = r.request.bounds.count
        var out = "calibration of \(n) parameter\(n == 1 ? "" : "s") to \(source): \(r.fits.count) series, \(observations) observations"
        out += " (\(r.request.restarts) start\(r.request.restarts == 1 ? "" : "s"), \(r.evaluations) runs, seed \(r.request.seed))\n"
        out += "fit: \(objectiveText) \(ValueFormatter.rounded(r.objective))"
        if r.request.objective == .relative { out += " (\(ValueFormatter.rounded(100 * r.objective)) % of the observed level)" }
        out += "\n" + ValueFormatter.display(.table(seriesTable)) + "\n"
        out += ValueFormatter.display(.table(table))
        out += "\nobjective ±5%: the objective with the parameter moved 5 % of its range down or up, the others at the optimum"
        let bounded = r.request.bounds.indices.filter { r.atBound[$0] }.map { r.request.bounds[$0].path }
        if !bounded.isEmpty {
            out += "\non a bound of its range (the bound, not the data, decides it): " + bounded.joined(separator: ", ")
        }
        return out
    }
}
