import LodestoneKernel

extension CSVExporter {
    /// An ensemble's bands: `run,month,module,signal,key,quantile,value,unit` (`run` is the
    /// scenario's name), for each month and band signal the rows `p5`, `p25`, `p50`, `p75`, `p95`
    /// and `mean`. An ensemble without bands is an error.
    static func render(_ ensemble: EnsembleResult, signals: [String]) throws -> String {
        let columns = try EnsembleFacts.requiredBandColumns(ensemble, signals, format: "CSV")
        let run = TextEscaping.csv(ensemble.scenario.name)
        let bands = columns.map { j in
            let p = SignalParts(ensemble.bandSignals[j])
            return (
                lead: [p.module, p.signal, p.key].map(TextEscaping.csv).joined(separator: ","), unit: TextEscaping.csv(p.unit),
                rows: EnsembleFacts.bandSeries(ensemble, j)
            )
        }
        var out = "run,month,module,signal,key,quantile,value,unit\n"
        for t in 0..<ensemble.months {
            let month = (ensemble.start + t).description
            for band in bands {
                for row in band.rows {
                    out += run + "," + month + "," + band.lead + "," + row.name + "," + number(row.values[t]) + "," + band.unit + "\n"
                }
            }
        }
        return out
    }

    /// A sweep: `run` (the point's label, `path=value, …`), a column per swept parameter (titled
    /// with its path), then `month,module,signal,key,value,unit`, one row per point, month and signal.
    static func render(_ sweep: SweepResult, signals: [String]) throws -> String {
        let columns = try sweep.points.map { try SignalSelection.columns($0.result, signals) }
        var out = (["run"] + sweep.paths + ["month", "module", "signal", "key", "value", "unit"]).map(TextEscaping.csv)
            .joined(separator: ",") + "\n"
        for (point, columns) in zip(sweep.points, columns) {
            let prefix = ([TextEscaping.csv(SweepFacts.label(sweep, point))] + point.values.map(number)).joined(separator: ",") + ","
            out += seriesRows(point.result, columns: columns, prefix: prefix)
        }
        return out
    }

    /// An ensemble's metrics, one row per metric:
    /// `run,module,metric,key,kind,unit,probability,mean,p5,p50,p95,mean_month,p5_month,p50_month,p95_month`.
    /// `probability` is the share of runs in which it happened (0…1); the statistics are over the
    /// completed runs — for a month metric in months from the start, with the months themselves
    /// in the `_month` columns (empty for none).
    static func metrics(_ ensemble: EnsembleResult) -> String {
        let run = TextEscaping.csv(ensemble.scenario.name)
        var out = "run,module,metric,key,kind,unit,probability,mean,p5,p50,p95,mean_month,p5_month,p50_month,p95_month\n"
        let summaries = Dictionary(EnsembleFacts.metrics(ensemble).map { ($0.id, $0) }, uniquingKeysWith: { a, _ in a })
        for info in ensemble.metrics {
            guard let summary = summaries[info.id] else { continue }
            let parts = SignalParts(info)
            let values = [summary.mean, summary.p5, summary.p50, summary.p95]
            let numbers = values.map { value -> String in
                switch value {
                case .number(let x): number(x)
                case .month(let m): String(m - ensemble.start)
                case .none: ""
                }
            }
            let months = values.map { value -> String in if case .month(let m) = value { m.description } else { "" } }
            out += run + "," + [parts.module, parts.signal, parts.key, info.kind.exportName, parts.unit].map(TextEscaping.csv)
                .joined(separator: ",")
            out += "," + number(summary.probability) + "," + numbers.joined(separator: ",") + "," + months.joined(separator: ",") + "\n"
        }
        return out
    }
}
