import LodestoneKernel

/// Builds ``LineChart``s from ensembles and sweeps.
public enum EnsembleChart {
    /// A chart of an ensemble's quantile bands: for each band signal in `signals` (exact ids or
    /// family names; empty: every band signal) the 90 % (5–95) and 50 % (25–75) bands and the
    /// median, with the scenario's events; titled with the scenario's name and the number of runs
    /// unless `title` is given. An id the ensemble kept no bands of is an error.
    public static func make(_ ensemble: EnsembleResult, signals: [String] = [], title: String? = nil) throws -> LineChart {
        let columns = try EnsembleFacts.bandColumns(ensemble, signals)
        return LineChart(
            title: title ?? "\(ensemble.scenario.name) (\(EnsembleFacts.runsText(ensemble)))", start: ensemble.start,
            months: ensemble.months, series: [], bands: columns.map { EnsembleFacts.band(ensemble, $0) },
            events: RunChart.events(ensemble.scenario))
    }

    /// A chart of a sweep: one line per point for each signal in `signals` (exact ids or family
    /// names; empty: the module signal the sweep moves most), labelled with the swept values
    /// (`path=value`, followed by `: signal` when several signals are drawn); titled in words
    /// (`Sweep of Stockpile cover days, JP/Dy (days): Price, Dy`, see
    /// ``SweepResult/titleInWords``) unless `title` is given.
    public static func make(_ sweep: SweepResult, signals: [String] = [], title: String? = nil) throws -> LineChart {
        let ids = signals.isEmpty ? sweep.defaultSignalIDs() : signals
        guard let first = sweep.points.first?.result else {
            return LineChart(title: title ?? sweep.titleInWords, start: Month(2000, 1), months: 1, series: [])
        }
        var series: [ChartSeries] = []
        var shown: [String] = []
        for point in sweep.points {
            let result = point.result
            let columns = try SignalSelection.columns(result, ids)
            let label = SweepFacts.label(sweep, point)
            for j in columns {
                let signal = result.signals[j]
                if !shown.contains(signal.wordsWithKey) { shown.append(signal.wordsWithKey) }
                series.append(
                    ChartSeries(
                        label: columns.count == 1 ? label : "\(label): \(signal.id)", unit: signal.unit.symbol,
                        values: SignalSelection.series(result, j), signal: signal.id, title: signal.words, group: label))
            }
        }
        return LineChart(
            title: title ?? sweep.titleInWords + ": " + shown.joined(separator: ", "), start: first.start,
            months: first.months, series: series, events: RunChart.events(first.scenario))
    }
}
