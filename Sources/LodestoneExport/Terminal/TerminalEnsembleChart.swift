import LodestoneKernel

extension TerminalChart {
    /// Charts an ensemble in text: for each band signal in `signals` (exact ids or family names;
    /// empty: every band signal) a chart of its monthly 95th percentile, median and 5th
    /// percentile (a terminal cannot shade bands), headed by the signal id and the number of runs.
    /// An ensemble that kept no bands is an error.
    public static func render(
        _ ensemble: EnsembleResult, signals: [String] = [], width: Int = 60, height: Int = 12, color: Bool = false
    ) throws -> String {
        let columns = try EnsembleFacts.requiredBandColumns(ensemble, signals, format: "a chart")
        let levels: [(level: Double, label: String)] = [(0.95, "95th percentile"), (0.5, "median"), (0.05, "5th percentile")]
        return columns.map { j in
            let signal = ensemble.bandSignals[j]
            let distribution = ensemble.distributions[j]
            let lines = levels.map { level in (label: level.label, values: distribution.map { $0.quantile(level.level) }) }
            return "\(signal.id) (\(EnsembleFacts.runsText(ensemble)))\n"
                + render(
                    series: lines, start: ensemble.start, width: width, height: height, color: color,
                    unit: SVGChart.unitTitle(signal.unit.symbol))
        }.joined(separator: "\n")
    }

    /// Charts a sweep in text: one line per point for each signal in `signals` (exact ids or
    /// family names; empty: the signal the sweep moves most), labelled with the swept values;
    /// one chart per unit, headed by the sweep's title.
    public static func render(
        _ sweep: SweepResult, signals: [String] = [], width: Int = 60, height: Int = 12, color: Bool = false
    ) throws -> String {
        let chart = try EnsembleChart.make(sweep, signals: signals)
        return chart.title + "\n"
            + chart.units.map { unit in
                let lines = chart.series.filter { $0.unit == unit }.map { (label: $0.label, values: $0.values) }
                return render(
                    series: lines, start: chart.start, width: width, height: height, color: color,
                    unit: SVGChart.unitTitle(unit))
            }.joined(separator: "\n")
    }
}
