import LodestoneKernel

/// Builds ``LineChart``s from run results: the chosen signals as lines and the scenario's
/// events as markers.
public enum RunChart {
    /// A chart of `signals` (exact ids or family names; empty: a sensible few, see
    /// ``defaultSignals(_:limit:)``) of one run, titled with the scenario's name unless `title`
    /// is given.
    public static func make(_ result: RunResult, signals: [String] = [], title: String? = nil) throws -> LineChart {
        try make(runs: [(nil, result)], signals: signals, title: title)
    }

    /// A chart overlaying several runs: each chosen signal of each run is a line labelled
    /// `label: signal`. The x axis spans all runs; a run's months outside it are gaps.
    public static func make(
        runs: [(label: String?, result: RunResult)], signals: [String] = [], title: String? = nil
    ) throws -> LineChart {
        guard let first = runs.first?.result else {
            return LineChart(title: title ?? "", start: Month(2000, 1), months: 1, series: [])
        }
        let start = runs.map(\.result.start).min() ?? first.start
        let end = runs.map(\.result.end).max() ?? first.end
        let months = end - start + 1
        let ids = signals.isEmpty ? defaultSignals(first) : signals
        var series: [ChartSeries] = []
        for (label, result) in runs {
            let columns: [Int]
            if signals.isEmpty {
                columns = ids.compactMap { try? result.column(of: $0) }
            } else {
                columns = try SignalSelection.columns(result, ids)
            }
            let offset = result.start - start
            for j in columns {
                var values = [Double](repeating: .nan, count: months)
                for (t, value) in SignalSelection.series(result, j).enumerated() where offset + t < months {
                    values[offset + t] = value
                }
                let signal = result.signals[j]
                series.append(
                    ChartSeries(
                        label: label.map { "\($0): \(signal.id)" } ?? signal.id, unit: signal.unit.symbol, values: values,
                        signal: signal.id, title: signal.words, group: runs.count > 1 ? label ?? result.scenario.name : nil))
            }
        }
        var events: [ChartEvent] = []
        for (_, result) in runs {
            for event in self.events(result.scenario) where !events.contains(event) { events.append(event) }
        }
        let defaultTitle = runs.count == 1 ? first.scenario.name : runs.map { $0.label ?? $0.result.scenario.name }.joined(separator: " vs ")
        return LineChart(title: title ?? defaultTitle, start: start, months: months, series: series, events: events)
    }

    /// The ids of the signals charted when none are named: headline signals first, then others
    /// that change (``RunResult/defaultColumns(limit:module:)``).
    public static func defaultSignals(_ result: RunResult, limit: Int = 4) -> [String] {
        SignalSelection.defaultChart(result, limit: limit).map { result.signals[$0].id }
    }

    /// A marker for each scenario event at its first month; events that last (restrictions,
    /// demand and capacity changes, quotas, offtake) are spans to the month they end.
    public static func events(_ scenario: Scenario) -> [ChartEvent] {
        scenario.events.map {
            ChartEvent(month: $0.start, label: RunFacts.shortLabel($0), detail: $0.summary, extent: extent($0))
        }
    }

    /// How long `event` lasts: a span of its months, onward without an end, or a single month.
    static func extent(_ event: ScenarioEvent) -> ChartEvent.Extent {
        let months: Int??
        switch event {
        case .restrict(_, _, _, _, _, let m), .demand(_, _, _, _, let m), .capacity(_, _, _, _, let m),
            .quota(_, _, _, _, let m), .offtake(_, _, _, _, _, let m):
            months = .some(m)
        case .incident, .talks, .set, .newCapacity:
            months = .none
        }
        switch months {
        case .none: return .instant
        case .some(.none): return .onward
        case .some(.some(let n)): return .until(event.start + n)
        }
    }
}
