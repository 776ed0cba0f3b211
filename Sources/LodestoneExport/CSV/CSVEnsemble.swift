import LodestoneKernel

extension CSVExporter {
    /// An ensemble in long form: `month,signal,quantile,value`, for each month and band signal
    /// the rows `p5`, `p25`, `p50`, `p75`, `p95` and `mean`. An ensemble without bands is an error.
    static func render(_ ensemble: EnsembleResult, signals: [String]) throws -> String {
        let columns = try EnsembleFacts.requiredBandColumns(ensemble, signals, format: "CSV")
        let bands = columns.map { j in
            (id: TextEscaping.csv(ensemble.bandSignals[j].id), rows: EnsembleFacts.bandSeries(ensemble, j))
        }
        var out = "month,signal,quantile,value\n"
        for t in 0..<ensemble.months {
            let month = (ensemble.start + t).description
            for band in bands {
                for row in band.rows {
                    out += month + "," + band.id + "," + row.name + "," + NumberText.plain(row.values[t]) + "\n"
                }
            }
        }
        return out
    }

    /// A sweep in long form: a column per swept parameter (titled with its path), then
    /// `month,signal,value`, one row per point, month and signal.
    static func render(_ sweep: SweepResult, signals: [String]) throws -> String {
        let columns = try sweep.points.map { try SignalSelection.columns($0.result, signals) }
        var out = (sweep.paths + ["month", "signal", "value"]).map(TextEscaping.csv).joined(separator: ",") + "\n"
        for (point, columns) in zip(sweep.points, columns) {
            let result = point.result
            let prefix = point.values.map { NumberText.plain($0) + "," }.joined()
            let ids = columns.map { TextEscaping.csv(result.signals[$0].id) }
            let width = result.signals.count
            for t in 0..<result.months {
                let month = (result.start + t).description
                for (n, j) in columns.enumerated() {
                    out += prefix + month + "," + ids[n] + "," + NumberText.plain(result.values[t * width + j]) + "\n"
                }
            }
        }
        return out
    }
}
