import LodestoneAnalysis
import LodestoneKernel

/// The result of `sensitivity(…)`: Sobol indices or Morris measures of one metric per varied
/// parameter, and the designed ensemble behind them.
public final class SensitivityObject {
    /// The analysis' result.
    public let result: SensitivityResult

    init(_ result: SensitivityResult) { self.result = result }

    /// The method and size in words: `sobol, N = 1024: 5120 runs`.
    var sizeText: String {
        let r = result.request
        switch r.method {
        case .sobol: return "sobol, N = \(r.samples): \(r.runs) runs"
        case .morris: return "morris, \(r.samples) trajectories: \(r.runs) runs"
        }
    }

    func inline() -> String { "<sensitivity of \(result.metric.id), \(sizeText)>" }

    func display() -> String {
        let r = result
        var out = "sensitivity of \(r.metric.id) to \(r.request.vary.count) parameter\(r.request.vary.count == 1 ? "" : "s") (\(sizeText), seed \(r.request.seed))"
        if r.metric.kind == .month {
            out += "\nin months from \(r.ensemble.start)"
            if r.neverRuns > 0 {
                let share = ValueFormatter.number((1000 * Double(r.neverRuns) / Double(max(1, r.outputs.count))).rounded() / 10)
                out += "; never in \(r.neverRuns) of \(r.outputs.count) runs (\(share) %), counted as \(r.ensemble.start + r.ensemble.months), the month after the last"
            }
        }
        if let shard = r.request.shard {
            return out + "\nshard \(shard): \(r.ensemble.completedRuns) of the design's \(r.request.runs) runs; the indices need "
                + "every run: export `.runs` to SQLite, `lodestone merge` the shards, then `lodestone summary` the merged file"
        }
        if let s = r.sobol, s.variance == 0 {
            out += "\nthe metric is the same in every run: no varied parameter moves it (every index is 0)"
        }
        out += "\n" + ValueFormatter.display(.table(r.table))
        switch r.request.method {
        case .sobol:
            out += "\nS1: share of the variance a parameter explains alone; ST: with its interactions; ± \(ValueFormatter.rounded(100 * r.request.level)) % bootstrap interval"
        case .morris:
            out += "\nmu*: mean |change of the metric| per whole range of the parameter; sigma: non-linearity and interactions"
        }
        return out
    }

    /// The metric in words with its key: `stockpile exhausted at (JP/DyTb)`.
    static func metricWords(_ metric: MetricInfo) -> String {
        let words = SignalInfo.words(forName: metric.name).lowercased()
        return metric.key.isEmpty ? words : "\(words) (\(metric.key))"
    }

    /// The indices as a figure for files (`plot(a, "a.svg")`): S1 and ST with their intervals as
    /// whiskers (Sobol), or mu* with its interval and sigma (Morris).
    func figure(title: String?) -> Figure {
        let r = result
        let paths = r.request.vary.map(\.path)
        let unit: String
        switch r.metric.kind {
        case .month: unit = "months"
        case .quantity(let symbol): unit = symbol.symbol == "1" ? "dimensionless" : symbol.symbol
        }
        let bars: Figure.Bars
        if let s = r.sobol {
            bars = Figure.Bars(
                measures: ["first-order index S1 (alone)", "total index ST (with interactions)"], items: paths,
                values: paths.indices.map { [s.first[$0], s.total[$0]] },
                intervals: paths.indices.map { [s.firstConfidence[$0], s.totalConfidence[$0]] },
                axisTitle: "share of the metric's variance (Sobol index, dimensionless)")
        } else if let m = r.morris {
            bars = Figure.Bars(
                measures: ["mu* (mean |effect|)", "sigma (spread of the effects)"], items: paths,
                values: paths.indices.map { [m.muStar[$0], m.sigma[$0]] },
                intervals: paths.indices.map { [m.muStarConfidence[$0], nil] },
                axisTitle: "change of the metric over the parameter's whole range (\(unit))")
        } else {
            bars = Figure.Bars(measures: [], items: [], values: [], intervals: [], axisTitle: "")
        }
        let interval = ", whiskers: ± \(ValueFormatter.rounded(100 * r.request.level)) % bootstrap interval"
        return Figure(
            title: title ?? "Which parameters move \(Self.metricWords(r.metric))",
            subtitle: "\(sizeText), seed \(r.request.seed)\(interval)", content: .bars(bars))
    }

    /// Horizontal bars, one per parameter and index (S1 and ST, or mu* and sigma), scaled to the
    /// largest value (1 for Sobol indices).
    func bars(title: String?) -> String {
        let r = result
        let paths = r.request.vary.map(\.path)
        var rows: [(label: String, name: String, value: Double)] = []
        var scale = 1.0
        if let s = r.sobol {
            for j in paths.indices {
                rows.append((paths[j], "S1", s.first[j]))
                rows.append(("", "ST", s.total[j]))
            }
        } else if let m = r.morris {
            for j in paths.indices {
                rows.append((paths[j], "mu*", m.muStar[j]))
                rows.append(("", "sigma", m.sigma[j]))
            }
            scale = max(Double.leastNonzeroMagnitude, (m.muStar + m.sigma).max() ?? 1)
        }
        let width = 40
        let labelWidth = rows.map(\.label.count).max() ?? 0
        var out = (title ?? "Sensitivity of \(r.metric.id) (\(r.request.method.rawValue))") + "\n"
        for row in rows {
            let eighths = Int((max(0, min(1, row.value / scale)) * Double(width * 8)).rounded())
            let partial = ["", "▏", "▎", "▍", "▌", "▋", "▊", "▉"][eighths % 8]
            let bar = String(repeating: "█", count: eighths / 8) + partial
            out += row.label.padded(to: labelWidth) + "  " + row.name.padded(to: 5) + " " + bar.padded(to: width) + " "
                + ValueFormatter.rounded(row.value) + "\n"
        }
        return out
    }
}
