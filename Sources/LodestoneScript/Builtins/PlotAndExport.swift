import Foundation
import LodestoneKernel

/// `plot` and `export`: charts in the terminal, files through the registered exporters.
extension Session {
    func plot(_ args: Arguments) throws(ScriptError) -> Value {
        let value = try args.required("value")
        var signals = try Self.stringList(args, what: "signal ids")
        var file = try args.string("file")
        // A trailing argument that names a file with a known extension is the file.
        if file == nil, let last = signals.last, !last.0.contains("["), isExportPath(last.0) {
            file = last.0
            signals.removeLast()
        }
        let title = try args.string("title")
        if let file {
            let figure: Figure?
            switch value {
            case .sensitivity(let analysis): figure = analysis.figure(title: title)
            case .discovery(let discovery): figure = discovery.figure(title: title)
            default: figure = nil
            }
            if let figure {
                try writeFigure(figure, to: file, overwrite: try args.bool("overwrite") ?? false, range: args.range("file"))
                options.output("wrote \(file)\n")
                return .none
            }
            let payload: ExportPayload
            switch value {
            case .run(let run): payload = .run(run)
            case .sweep(let sweep): payload = .sweep(sweep.result)
            case .ensemble(let ensemble): payload = .ensemble(ensemble.result)
            case .list, .record:
                if labelledEnsembles([(value, args.range("value"))]) != nil {
                    throw ScriptError(
                        "several ensembles plot in the terminal only; to write files, plot or export each ensemble",
                        at: args.range("file"))
                }
                payload = .runs(try labelledRuns([(value, args.range("value"))], callee: "plot").map { ($0.label, $0.run) })
            default:
                throw args.mismatch("value", "a run, runs, a sweep or an ensemble to plot to a file", value)
            }
            try write(
                payload, to: file, format: nil, overwrite: try args.bool("overwrite") ?? false, signals: signals.map(\.0),
                title: title, range: args.range("file"))
            options.output("wrote \(file)\n")
            return .none
        }
        var charts: [Chart] = []
        switch value {
        case .run(let run):
            charts = try runCharts([(nil, run)], signals, title: title ?? run.scenario.name, range: args.range("value"))
        case .list(let items) where items.allSatisfy({ if case .number = $0 { true } else { false } }):
            let xs = items.map { if case .number(let x) = $0 { x } else { Double.nan } }
            charts = [Chart(title: title ?? "", start: Self.defaultStart, series: [("values", xs)], unit: nil)]
        case .sweep(let sweep):
            // The same signal and title as the sweep's SVG chart: what the sweep moves most.
            let runs = sweep.labelledRuns.map { ($0.label, $0.run) }
            let chosen = signals.isEmpty ? sweep.result.defaultSignalIDs().map { ($0, args.range("value")) } : signals
            let names = try chosen.map { (id, idRange) throws(ScriptError) in
                try Self.signalWords(id, in: sweep.result.points.first?.result, at: idRange)
            }.joined(separator: ", ")
            charts = try runCharts(
                runs, chosen, title: title ?? sweep.result.titleInWords + ": " + names, titleNamesSignal: title == nil,
                range: args.range("value"))
        case .list, .record:
            if let ensembles = labelledEnsembles([(value, args.range("value"))]) {
                charts = try ensembleComparisonCharts(ensembles, signals, title: title, range: args.range("value"))
                break
            }
            let runs = try labelledRuns([(value, args.range("value"))], callee: "plot")
            charts = try runCharts(runs.map { ($0.label, $0.run) }, signals, title: title ?? runs.map(\.label).joined(separator: " vs "), range: args.range("value"))
        case .ensemble(let ensemble):
            charts = try ensemble.charts(signals: signals, title: title, session: self, range: args.range("value"))
        case .sensitivity(let analysis):
            // A bar chart: one bar per parameter and index.
            options.output(analysis.bars(title: title))
            return .none
        case .discovery(let discovery):
            // The coverage/density trade-off of the peeling boxes.
            options.output(discovery.chart(title: title))
            return .none
        default:
            throw args.mismatch("value", "a run, a list of numbers, runs, or an ensemble", value)
        }
        for chart in charts.map({ $0.drawable() }) {
            let text = options.chartRenderer?(chart) ?? chart.plainText()
            // A renderer that shows the chart elsewhere (a notebook's image) returns no text.
            if !text.isEmpty { options.output(text.hasSuffix("\n") ? text : text + "\n") }
        }
        return .none
    }

    func isExportPath(_ text: String) -> Bool {
        guard let dot = text.lastIndex(of: "."), !text.contains(" ") else { return false }
        let ext = text[text.index(after: dot)...].lowercased()
        return registry.exporters.contains { $0.fileExtensions.contains(ext) } || ["svg", "html", "png"].contains(ext)
    }

    /// Charts of signals of runs, one per unit. Series are named `label: signal`, or just `label`
    /// when `titleNamesSignal` and a single signal is drawn.
    func runCharts(
        _ runs: [(label: String?, run: RunResult)], _ signals: [(String, SourceRange)], title: String,
        titleNamesSignal: Bool = false, range: SourceRange
    ) throws(ScriptError) -> [Chart] {
        guard let first = runs.first?.run else { return [] }
        let ids: [(String, SourceRange)] = signals.isEmpty ? Self.defaultSignals(first).map { ($0, range) } : signals
        var lines: [(unit: String, label: String, words: String, values: [Double])] = []
        let start = runs.map(\.run.start).min() ?? first.start
        let end = runs.map(\.run.end).max() ?? first.end
        for (label, run) in runs {
            for (id, idRange) in ids {
                let column: Int
                do { column = try run.column(of: id) } catch { throw ScriptError(Self.lookupMessage(error, id: id, in: run), at: idRange) }
                let info = run.signals[column]
                var values = [Double](repeating: .nan, count: end - start + 1)
                let offset = run.start - start
                for t in 0..<run.months { values[offset + t] = run.values[t * run.signals.count + column] }
                let name = label.map { titleNamesSignal && ids.count == 1 ? $0 : "\($0): \(info.id)" } ?? info.id
                lines.append((info.unit.symbol, name, info.words, values))
            }
        }
        return Chart.byUnit(lines, title: title, start: start)
    }

    /// Signal `id` of `run` in words with its key (`Price, Dy`), for a title naming it; an id
    /// the run does not have is an error at `range`.
    static func signalWords(_ id: String, in run: RunResult?, at range: SourceRange) throws(ScriptError) -> String {
        guard let run else { return SignalLookup.normalize(id) }
        do { return run.signals[try run.column(of: id)].wordsWithKey } catch {
            throw ScriptError(lookupMessage(error, id: id, in: run), at: range)
        }
    }

    /// The signals shown when the user names none (``RunResult/defaultColumns(limit:module:)``).
    static func defaultSignals(_ run: RunResult, limit: Int = 4) -> [String] {
        run.defaultColumns(limit: limit).map { run.signals[$0].id }
    }

    /// Writes a figure (a sensitivity analysis' bars, a discovery's trade-off) as SVG through
    /// the registry's figure writer, after the same path checks as exports.
    func writeFigure(_ figure: Figure, to path: String, overwrite: Bool, range: SourceRange) throws(ScriptError) {
        guard path.lowercased().hasSuffix(".svg") else {
            throw ScriptError("this chart is written as SVG: name the file NAME.svg (export(…, \"….csv\") writes its table)", at: range)
        }
        guard let writer = registry.figureWriter else { throw ScriptError("no figure writer is installed to draw SVG charts", at: range) }
        let target: String
        switch options.access.permittedPath(path, relativeTo: options.outputDirectory, for: .write, shown: path) {
        case .failure(let denial): throw ScriptError(denial.message, at: range)
        case .success(let permitted): target = permitted
        }
        do { try writer(figure, target, overwrite) } catch {
            var failure = Self.kernelError(error, at: range)
            if target != path { failure.message = failure.message.replacingOccurrences(of: target, with: path) }
            throw failure
        }
    }

    // MARK: export

    func write(
        _ payload: ExportPayload, to path: String, format: String?, overwrite: Bool, signals: [String],
        title: String? = nil, keep: String? = nil, range: SourceRange
    ) throws(ScriptError) {
        // The path is given its meaning once (`~`, the output folder, and in safe mode `..` and
        // links resolved); the exporter writes exactly the path that was checked.
        let target: String
        switch options.access.permittedPath(path, relativeTo: options.outputDirectory, for: .write, shown: path) {
        case .failure(let denial): throw ScriptError(denial.message, at: range)
        case .success(let permitted): target = permitted
        }
        do {
            let exporter = try registry.exporter(format: format, path: path)
            try exporter.write(
                payload, to: target,
                options: ExportOptions(overwrite: overwrite, signals: signals, title: title, script: script, keep: keep))
        } catch {
            var failure = Self.kernelError(error, at: range)
            if target != path { failure.message = failure.message.replacingOccurrences(of: target, with: path) }
            throw failure
        }
    }

    /// The values of `export`'s `keep:` (what an ensemble keeps in a database).
    static let keepChoices = ["everything", "metrics", "bands", "summary"]

    func export(_ args: Arguments) throws(ScriptError) -> Value {
        let value = try args.required("value")
        let given = try Self.requiredString(args, "path")
        var signals: [String] = []
        switch args.value("signals") {
        case .string(let s)?: signals = [s]
        case .list(let items)?:
            for item in items {
                guard case .string(let s) = item else { throw args.mismatch("signals", "a list of signal ids", args.value("signals")!) }
                signals.append(s)
            }
        case nil, .none?: break
        case let other?: throw args.mismatch("signals", "a list of signal ids", other)
        }
        let payload: ExportPayload
        switch value {
        case .run(let run):
            for id in signals {
                // A metric id is for reports' headlines; the exporters that cannot use it say so.
                if (try? run.metric(id)) != nil { continue }
                do { _ = try run.column(of: id) } catch { throw ScriptError(error.message, at: args.range("signals")) }
            }
            payload = .run(run)
        case .table(let table): payload = .table(table)
        case .sensitivity(let analysis):
            if let shard = analysis.result.request.shard {
                throw ScriptError(
                    "this analysis is shard \(shard) of its design and has no indices yet; export its runs (`export(a.runs, \"runs.sqlite\")`), "
                        + "`lodestone merge` the shards and read the indices with `lodestone summary`", at: args.range("value"))
            }
            payload = .table(analysis.result.table)
        case .discovery(let discovery): payload = .table(discovery.result.table)
        case .calibration(let calibration): payload = .table(calibration.table)
        case .sweep(let sweep): payload = .sweep(sweep.result)
        case .list, .record:
            payload = .runs(try labelledRuns([(value, args.range("value"))], callee: "export").map { ($0.label, $0.run) })
        case .ensemble(let ensemble): payload = .ensemble(ensemble.result)
        default:
            throw args.mismatch("value", "a run, runs, a table, a sweep, an ensemble, a sensitivity analysis, a discovery or a calibration", value)
        }
        let format = try args.string("format")
        let overwrite = try args.bool("overwrite") ?? false
        let keep = try args.string("keep")
        if let keep, !Self.keepChoices.contains(keep) {
            throw ScriptError(
                "`keep:` is one of \(Self.keepChoices.map { "\"\($0)\"" }.joined(separator: ", ")), not \"\(keep)\""
                    + Suggestions.hint(for: keep, among: Self.keepChoices), at: args.range("keep"))
        }
        // Each shard writes its own file: the path carries the shard (`e.shard-2-of-4.sqlite`).
        let path = Self.shardedPath(given, payload)
        try write(
            payload, to: path, format: format, overwrite: overwrite, signals: signals, keep: keep,
            range: args.range(format == nil ? "path" : "format"))
        options.output("wrote \(path)\n")
        return .none
    }

    /// `path` with a sharded ensemble's or sweep's shard before its extension
    /// (`runs.sqlite` → `runs.shard-2-of-4.sqlite`), so that the shards of one script, run at
    /// once on a shared folder, write different files; other values' paths as they are.
    static func shardedPath(_ path: String, _ payload: ExportPayload) -> String {
        let shard: Shard?
        switch payload {
        case .ensemble(let ensemble): shard = ensemble.shardTag?.shard
        case .sweep(let sweep): shard = sweep.shardTag?.shard
        default: shard = nil
        }
        guard let shard else { return path }
        let slash = path.lastIndex(of: "/").map { path.index(after: $0) } ?? path.startIndex
        let name = path[slash...]
        guard let dot = name.lastIndex(of: "."), dot != name.startIndex else { return path + "." + shard.fileTag }
        return String(path[..<dot]) + "." + shard.fileTag + String(path[dot...])
    }
}
