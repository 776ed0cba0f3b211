import LodestoneKernel

extension TerminalChart {
    /// Charts an ensemble in text: for each band signal in `signals` (exact ids or family names;
    /// empty: every band signal) a chart of its monthly 95th percentile, median and 5th
    /// percentile (a terminal cannot shade bands), headed by the signal in words with its key
    /// and the number of runs, then the panel's title with the unit (`Ramp level (t)`), as on the
    /// SVG chart. An ensemble that kept no bands is an error.
    public static func render(
        _ ensemble: EnsembleResult, signals: [String] = [], width: Int = 60, height: Int = 12, color: Bool = false
    ) throws -> String {
        let columns = try EnsembleFacts.requiredBandColumns(ensemble, signals, format: "a chart")
        let levels: [(level: Double, label: String)] = [(0.95, "95th percentile"), (0.5, "median"), (0.05, "5th percentile")]
        return columns.map { j in
            let signal = ensemble.bandSignals[j]
            let distribution = ensemble.distributions[j]
            let lines = levels.map { level in (label: level.label, values: distribution.map { $0.quantile(level.level) }) }
            return "\(signal.wordsWithKey) (\(EnsembleFacts.runsText(ensemble)))\n"
                + ChartWords.panelTitle([signal.words], unit: signal.unit.symbol) + "\n"
                + render(
                    series: lines, start: ensemble.start, width: width, height: height, color: color,
                    unit: SVGChart.unitTitle(signal.unit.symbol))
        }.joined(separator: "\n")
    }

    /// Charts a sweep in text: one line per point for each signal in `signals` (exact ids or
    /// family names; empty: the signal the sweep moves most), labelled with the swept values;
    /// one chart per unit, headed by the sweep's title in words and each by its panel's title
    /// (the signals in words with the unit).
    public static func render(
        _ sweep: SweepResult, signals: [String] = [], width: Int = 60, height: Int = 12, color: Bool = false
    ) throws -> String {
        let chart = try EnsembleChart.make(sweep, signals: signals)
        return chart.title + "\n"
            + chart.units.map { unit in
                let shown = chart.series.filter { $0.unit == unit }
                return ChartWords.panelTitle(shown.map(\.words), unit: unit) + "\n"
                    + render(
                        series: shown.map { (label: $0.label, values: $0.values) }, start: chart.start, width: width,
                        height: height, color: color, unit: SVGChart.unitTitle(unit))
            }.joined(separator: "\n")
    }
}
