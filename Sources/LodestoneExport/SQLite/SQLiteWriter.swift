import LodestoneKernel

/// Inserts records with prepared statements reused for every row. Run ids are assigned here
/// (one more than the largest in the file), so that rows of one export can share a batch id.
struct SQLiteWriter {
    private let database: SQLiteDatabase
    private let statements: Statements
    private let exportedAt: String
    private let script: ScriptSource?
    private let keep: SQLiteKeep

    /// A writer on `database` (inside a transaction, after the schema is in place) recording
    /// `script` as the rows' origin and keeping what `keep` says of ensembles.
    init(_ database: SQLiteDatabase, exportedAt: String, script: ScriptSource?, keep: SQLiteKeep) throws(SQLiteError) {
        self.database = database
        statements = try Statements(database)
        self.exportedAt = exportedAt
        self.script = script
        self.keep = keep
    }

    /// Inserts every record; several share `batch` = the first one's id.
    func insert(_ records: [SQLiteRecord]) throws(SQLiteError) {
        var id = (try database.scalar("SELECT coalesce(max(id), 0) FROM runs").integer ?? 0) + 1
        let batch: SQLiteValue = records.count > 1 ? .integer(id) : .null
        if let script { try statements.script.run([.text(script.hash), .text(script.name), .text(script.text)]) }
        for record in records {
            switch record {
            case .run(let result, let label, let kind, let columns, let swept, let shard):
                try insert(result, id: id, label: label, kind: kind, batch: batch, columns: columns, swept: swept)
                if let shard {
                    try statements.shard.run([
                        .integer(id), .integer(Int64(shard.tag.shard.index)), .integer(Int64(shard.tag.shard.count)),
                        .integer(Int64(shard.tag.part)), .integer(Int64(shard.position)), .integer(Int64(shard.total)),
                    ])
                }
            case .ensemble(let ensemble, let bands):
                try insert(ensemble, id: id, bands: bands)
            }
            id += 1
        }
    }

    /// `seed` as an INTEGER, or NULL when SQLite's 64-bit signed integers cannot hold it (`seed_text`
    /// always has it exactly).
    private static func seed(_ seed: UInt64) -> SQLiteValue {
        seed <= UInt64(Int64.max) ? .integer(Int64(seed)) : .null
    }

    /// The provenance columns of a `runs` row: `seed_text`, `lodestone_version`, `dataset_hash`,
    /// `script_hash`, `keep`.
    private func provenance(seed: UInt64, dataset: Dataset?, keep: String?) -> [SQLiteValue] {
        [
            .text(String(seed)), .text(LodestoneVersion.current), .text(dataset?.contentHash ?? "unknown"),
            script.map { .text($0.hash) } ?? .null, keep.map(SQLiteValue.text) ?? .null,
        ]
    }

    private func insert(
        _ result: RunResult, id runID: Int64, label: String?, kind: String, batch: SQLiteValue, columns: [Int],
        swept: [(path: String, value: Double)]
    ) throws(SQLiteError) {
        let id = SQLiteValue.integer(runID)
        try statements.run.run([
            id, label.map(SQLiteValue.text) ?? .null, .text(result.scenario.name), .text(result.datasetName),
            .text(result.start.description), .text(result.end.description), .integer(Int64(result.months)),
            Self.seed(result.seed), .text(result.modules.joined(separator: ",")), .text(exportedAt), .text(kind), batch,
            .null, .null,
        ] + provenance(seed: result.seed, dataset: result.dataset, keep: nil))
        try insert(signals: columns.map { result.signals[$0] }, id: id)
        let width = result.signals.count
        let ids = columns.map { SQLiteValue.text(result.signals[$0].id) }
        for t in 0..<result.months {
            let month = SQLiteValue.text((result.start + t).description)
            for (n, j) in columns.enumerated() {
                try statements.series.run([id, month, ids[n], .number(result.values[t * width + j])])
            }
        }
        for row in RunFacts.metrics(result) {
            let month: SQLiteValue = if case .month(let m) = row.value { .text(m.description) } else { .null }
            try statements.metric.run([id, .text(row.id), .number(row.raw), month, .text(row.unit), .integer(0)])
        }
        for (path, value) in swept { try statements.sweepValue.run([id, .text(path), .number(value)]) }
        try insert(parameters: result.parameters, scenario: result.scenario, sources: result.sources, id: id)
    }

    private func insert(_ ensemble: EnsembleResult, id runID: Int64, bands: [Int]) throws(SQLiteError) {
        let id = SQLiteValue.integer(runID)
        try statements.run.run([
            id, .null, .text(ensemble.scenario.name), .text(ensemble.datasetName), .text(ensemble.start.description),
            .text(EnsembleFacts.end(ensemble).description), .integer(Int64(ensemble.months)),
            Self.seed(ensemble.request.seed), .text(EnsembleFacts.modules(ensemble).joined(separator: ",")),
            .text(exportedAt), .text("ensemble"), .null, .integer(Int64(ensemble.request.runs)),
            .integer(Int64(ensemble.completedRuns)),
        ] + provenance(seed: ensemble.request.seed, dataset: ensemble.dataset, keep: keep.rawValue))
        let bands = keep.keepsBands ? bands : []
        try insert(signals: bands.map { ensemble.bandSignals[$0] }, id: id)
        for summary in EnsembleFacts.metrics(ensemble) {
            try statements.summary.run([id] + Self.summaryColumns(summary, start: ensemble.start))
        }
        for j in bands {
            let signal = SQLiteValue.text(ensemble.bandSignals[j].id)
            for row in EnsembleFacts.bandSeries(ensemble, j) {
                let quantile = SQLiteValue.text(row.name)
                for (t, value) in row.values.enumerated() {
                    try statements.band.run([id, .text((ensemble.start + t).description), signal, quantile, .number(value)])
                }
            }
        }
        let width = ensemble.metrics.count
        let names = ensemble.metrics.map { SQLiteValue.text($0.id) }
        let units = ensemble.metrics.map { SQLiteValue.text(RunFacts.unit(of: $0.kind)) }
        for run in 0..<(keep.keepsRuns ? ensemble.completedRuns : 0) {
            let index = SQLiteValue.integer(Int64(ensemble.runIndices[run]))
            for (j, metric) in ensemble.metrics.enumerated() {
                let raw = ensemble.metricValues[run * width + j]
                let value = RunResult.metricValue(raw, kind: metric.kind, start: ensemble.start)
                let month: SQLiteValue = if case .month(let m) = value { .text(m.description) } else { .null }
                try statements.metric.run([id, names[j], .number(raw), month, units[j], index])
            }
        }
        let vary = ensemble.request.vary
        for variation in vary {
            try statements.variation.run([id, .text(variation.path), .text(variation.distribution.description)])
        }
        for run in 0..<(keep.keepsRuns ? ensemble.completedRuns : 0) {
            for (v, variation) in vary.enumerated() {
                try statements.draw.run([
                    id, .integer(Int64(ensemble.runIndices[run])), .text(variation.path), .number(ensemble.variedValues[run * vary.count + v]),
                ])
            }
        }
        try insert(parameters: ensemble.parameters, scenario: ensemble.scenario, sources: ensemble.sources, id: id)
        if let info = ensemble.request.designInfo {
            try statements.design.run([
                id, .text(info.method), .text(info.metric), .integer(Int64(info.samples)), .integer(Int64(info.resamples)),
                .number(info.level), .text(ensemble.request.vary.map(\.path).joined(separator: "\n")),
            ])
        }
        if let tag = ensemble.shardTag { try insert(shard: tag, of: ensemble, id: id, bands: bands) }
    }

    /// A shard's `shards` row and, with its bands, every run's band values (`band_values`): what
    /// merging needs to rebuild the whole ensemble's bands exactly.
    private func insert(shard tag: ShardTag, of ensemble: EnsembleResult, id: SQLiteValue, bands: [Int]) throws(SQLiteError) {
        try statements.shard.run([
            id, .integer(Int64(tag.shard.index)), .integer(Int64(tag.shard.count)), .integer(Int64(tag.part)), .null,
            .integer(Int64(ensemble.totalRuns)),
        ])
        let width = ensemble.bandSignals.count
        let months = ensemble.months
        guard ensemble.runBandValues.count == ensemble.completedRuns * width * months else { return }
        for j in bands {
            let signal = SQLiteValue.text(ensemble.bandSignals[j].id)
            for t in 0..<months {
                let month = SQLiteValue.text((ensemble.start + t).description)
                for run in 0..<ensemble.completedRuns {
                    try statements.bandValue.run([
                        id, signal, month, .integer(Int64(ensemble.runIndices[run])),
                        .number(ensemble.runBandValues[(run * width + j) * months + t]),
                    ])
                }
            }
        }
    }

    /// The columns of a `metric_summaries` row after `run_id`: name, kind, unit, probability,
    /// mean, p5, p50, p95 (month metrics as months from `start`), then the four as months.
    static func summaryColumns(_ summary: MetricSummary, start: Month) -> [SQLiteValue] {
        func number(_ value: MetricValue) -> SQLiteValue {
            switch value {
            case .number(let x): .number(x)
            case .month(let m): .integer(Int64(m - start))
            case .none: .null
            }
        }
        func month(_ value: MetricValue) -> SQLiteValue { if case .month(let m) = value { .text(m.description) } else { .null } }
        let values = [summary.mean, summary.p5, summary.p50, summary.p95]
        return [.text(summary.id), .text(summary.isMonth ? "month" : "quantity"), .text(summary.unit), .number(summary.probability)]
            + values.map(number) + values.map(month)
    }

    private func insert(signals: [SignalInfo], id: SQLiteValue) throws(SQLiteError) {
        for signal in signals {
            try statements.signal.run([
                id, .text(signal.id), .text(signal.name), .text(signal.key), .text(signal.unit.symbol),
                .text(signal.producer),
            ])
        }
    }

    private func insert(
        parameters: ParameterSet, scenario: Scenario, sources: [Citation], id: SQLiteValue
    ) throws(SQLiteError) {
        for entry in parameters.entries {
            let declaration = entry.declaration
            for k in 0..<declaration.count {
                let key = declaration.keys.isEmpty ? "" : "[\(declaration.keys[k])]"
                try statements.parameter.run([
                    id, .text(entry.path + key), .number(parameters.values[entry.base + k]),
                    .number(declaration.defaults[k]), .text(declaration.unit.symbol),
                ])
            }
        }
        for (position, event) in scenario.events.enumerated() {
            try statements.event.run([
                id, .integer(Int64(position)), .text(event.kind), .text(event.start.description), .text(event.summary),
            ])
        }
        for citation in sources {
            try statements.source.run([
                id, .text(citation.id), .text(citation.citation), .text(citation.url),
                .integer(citation.isAssumption ? 1 : 0),
            ])
        }
    }

    /// The prepared insert statements.
    private struct Statements {
        let run, script, signal, series, metric, summary, parameter, event, source, band, variation, draw, sweepValue: SQLiteStatement
        let design, shard, bandValue: SQLiteStatement
        init(_ database: SQLiteDatabase) throws(SQLiteError) {
            run = try database.prepare(
                "INSERT INTO runs(id, label, scenario, dataset, start, \"end\", months, seed, modules, exported_at, kind, "
                    + "batch, requested_runs, completed_runs, seed_text, lodestone_version, dataset_hash, script_hash, keep) "
                    + "VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)")
            script = try database.prepare("INSERT OR IGNORE INTO scripts(hash, name, text) VALUES (?,?,?)")
            summary = try database.prepare(
                "INSERT INTO metric_summaries(run_id, name, kind, unit, probability, mean, p5, p50, p95, mean_month, "
                    + "p5_month, p50_month, p95_month) VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?)")
            signal = try database.prepare(
                "INSERT INTO signals(run_id, signal, name, \"key\", unit, producer) VALUES (?,?,?,?,?,?)")
            series = try database.prepare("INSERT INTO series(run_id, month, signal, value) VALUES (?,?,?,?)")
            metric = try database.prepare(
                "INSERT INTO metrics(run_id, name, value, month, unit, run_index) VALUES (?,?,?,?,?,?)")
            parameter = try database.prepare(
                "INSERT INTO parameters(run_id, path, value, default_value, unit) VALUES (?,?,?,?,?)")
            event = try database.prepare("INSERT INTO events(run_id, position, kind, start, summary) VALUES (?,?,?,?,?)")
            source = try database.prepare("INSERT INTO sources(run_id, id, citation, url, assumption) VALUES (?,?,?,?,?)")
            band = try database.prepare("INSERT INTO bands(run_id, month, signal, quantile, value) VALUES (?,?,?,?,?)")
            variation = try database.prepare("INSERT INTO variations(run_id, path, distribution) VALUES (?,?,?)")
            draw = try database.prepare("INSERT INTO draws(run_id, run_index, path, value) VALUES (?,?,?,?)")
            sweepValue = try database.prepare("INSERT INTO sweep_values(run_id, path, value) VALUES (?,?,?)")
            design = try database.prepare(
                "INSERT INTO designs(run_id, method, metric, samples, resamples, level, parameters) VALUES (?,?,?,?,?,?,?)")
            shard = try database.prepare(
                "INSERT INTO shards(run_id, shard, shard_count, part, position, total) VALUES (?,?,?,?,?,?)")
            bandValue = try database.prepare(
                "INSERT INTO band_values(run_id, signal, month, run_index, value) VALUES (?,?,?,?,?)")
        }
    }
}
