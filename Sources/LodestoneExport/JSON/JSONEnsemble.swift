import LodestoneKernel

extension JSONExporter {
    /// An ensemble as `{"kind": "ensemble", "scenario", "dataset", "start", "months", "seed",
    /// "runs", "completed_runs", "cancelled", "parameters": {path: value} (the base values),
    /// "vary": {path: {"distribution", "p5", "p50", "p95", "mean"}} (of the values drawn),
    /// "events", "bands": {signal: {"p5": [...], "p25", "p50", "p75", "p95", "mean"}} (one value
    /// per month), "units": {signal: unit}, "metrics": {id: {"p5", "p50", "p95", "mean",
    /// "probability", "unit"}}, "sources"}`. Month metrics' values are `"YYYY-MM"` or null;
    /// `probability` is the share of runs in which the metric happened.
    static func object(_ ensemble: EnsembleResult, signals: [String]) throws -> JSONValue {
        let columns = try EnsembleFacts.bandColumns(ensemble, signals)
        let vary: [(String, JSONValue)] = EnsembleFacts.variations(ensemble).map { variation in
            (
                variation.path,
                .object([
                    ("distribution", .string(variation.distribution)), ("p5", .finite(variation.p5)),
                    ("p50", .finite(variation.p50)), ("p95", .finite(variation.p95)), ("mean", .finite(variation.mean)),
                ])
            )
        }
        let bands: [(String, JSONValue)] = columns.map { j in
            (
                ensemble.bandSignals[j].id,
                .object(EnsembleFacts.bandSeries(ensemble, j).map { ($0.name, .array($0.values.map(JSONValue.finite))) })
            )
        }
        let metrics: [(String, JSONValue)] = EnsembleFacts.metrics(ensemble).map { summary in
            (
                summary.id,
                .object([
                    ("p5", value(summary.p5)), ("p50", value(summary.p50)), ("p95", value(summary.p95)),
                    ("mean", value(summary.mean)), ("probability", .finite(summary.probability)),
                    ("unit", .string(summary.unit)),
                ])
            )
        }
        return .object([
            ("kind", .string("ensemble")),
            ("scenario", .string(ensemble.scenario.name)),
            ("dataset", .string(ensemble.datasetName)),
            ("start", .string(ensemble.start.description)),
            ("months", .number(Double(ensemble.months))),
            ("month_labels", monthLabels(ensemble.start, ensemble.months)),
            ("seed", .unsigned(ensemble.request.seed)),
            ("runs", .number(Double(ensemble.request.runs))),
            ("completed_runs", .number(Double(ensemble.completedRuns))),
            ("cancelled", .bool(ensemble.wasCancelled)),
            ("modules", .array(EnsembleFacts.modules(ensemble).map(JSONValue.string))),
            ("parameters", .object(ensemble.parameters.all.map { ($0.path, .finite($0.value)) })),
            ("vary", .object(vary)),
            ("events", events(ensemble.scenario)),
            ("bands", .object(bands)),
            ("units", .object(columns.map { (ensemble.bandSignals[$0].id, .string(ensemble.bandSignals[$0].unit.symbol)) })),
            ("metrics", .object(metrics)),
            ("sources", .array(ensemble.sources.map(object))),
        ])
    }

    /// A sweep as `{"kind": "sweep", "scenario", "dataset", "start", "months", "seed", "modules",
    /// "paths": [...], "requested_points", "completed_points", "cancelled", "parameters": {path:
    /// value} (those the sweep does not set), "events", "units": {signal: unit}, "points":
    /// [{"values": {path: value}, "metrics": {id: number | "YYYY-MM" | null}, "series": {signal:
    /// [values]}}], "sources"}`. `signals` limits the series written.
    static func object(_ sweep: SweepResult, signals: [String]) throws -> JSONValue {
        var members: [(String, JSONValue)] = [("kind", .string("sweep"))]
        let first = sweep.points.first?.result
        if let first {
            members += [
                ("scenario", .string(first.scenario.name)),
                ("dataset", .string(first.datasetName)),
                ("start", .string(first.start.description)),
                ("months", .number(Double(first.months))),
                ("month_labels", monthLabels(first.start, first.months)),
                ("seed", .unsigned(first.seed)),
                ("modules", .array(first.modules.map(JSONValue.string))),
            ]
        }
        members += [
            ("paths", .array(sweep.paths.map(JSONValue.string))),
            ("requested_points", .number(Double(sweep.requestedPoints))),
            ("completed_points", .number(Double(sweep.points.count))),
            ("cancelled", .bool(sweep.wasCancelled)),
        ]
        var units: [(String, JSONValue)] = []
        var points: [JSONValue] = []
        for point in sweep.points {
            let result = point.result
            let columns = try SignalSelection.columns(result, signals)
            for j in columns where !units.contains(where: { $0.0 == result.signals[j].id }) {
                units.append((result.signals[j].id, .string(result.signals[j].unit.symbol)))
            }
            points.append(
                .object([
                    ("values", .object(zip(sweep.paths, point.values).map { ($0, .finite($1)) })),
                    ("metrics", .object(RunFacts.metrics(result).map { ($0.id, value($0.value)) })),
                    (
                        "series",
                        .object(
                            columns.map { j in
                                (result.signals[j].id, .array(SignalSelection.series(result, j).map(JSONValue.finite)))
                            })
                    ),
                ]))
        }
        if let first {
            let swept = SweepFacts.sweptKeys(sweep)
            members += [
                ("parameters", .object(first.parameters.all.filter { !swept.contains($0.path) }.map { ($0.path, .finite($0.value)) })),
                ("events", events(first.scenario)),
                ("units", .object(units)),
            ]
        }
        members += [
            ("points", .array(points)),
            ("sources", .array(RunFacts.sources(sweep.points.map(\.result)).map(object))),
        ]
        return .object(members)
    }
}
