import ArgumentParser
import LodestoneAnalysis
import LodestoneExport
import LodestoneKernel

/// `lodestone summary FILE…`: prints the ensembles of Lodestone databases as stored — metric
/// summaries, the bands' last month, and a sensitivity design's indices computed from its runs —
/// with every number in its shortest exact form, so that two files' summaries compare byte for
/// byte (a merged file against the unsharded run's).
struct SummaryCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "summary",
        abstract: "Print the ensembles of SQLite exports: metric summaries, bands, sensitivity indices (exact numbers).",
        discussion: """
            A sensitivity design's indices are estimated again from its per-run metrics, so a file \
            merged from shards (`lodestone merge`) gives the indices of the unsharded analysis. \
            Docs/Cluster.md.
            """)

    @Argument(help: ArgumentHelp("Databases written by `export(…, \"x.sqlite\")` or `lodestone merge`.", valueName: "FILE"))
    var files: [String] = []

    mutating func run() throws {
        guard !files.isEmpty else { throw ScriptFailure.usage("give one or more databases, e.g. `lodestone summary e.sqlite`") }
        var out = ""
        for file in files {
            let ensembles: [StoredEnsemble]
            do { ensembles = try StoredEnsembles.read(file) } catch let failure as ShardMerge.Failure {
                Terminal.writeOut(out)
                throw ScriptFailure.usage(failure.message)
            }
            for ensemble in ensembles {
                do { out += try Self.text(ensemble) } catch {
                    Terminal.writeOut(out)
                    throw ScriptFailure.usage("\(file): ensemble \(ensemble.id): \(error)")
                }
            }
        }
        Terminal.writeOut(out)
    }

    /// The summary of one stored ensemble.
    static func text(_ e: StoredEnsemble) throws -> String {
        var out = "ensemble \"\(e.scenario)\": \(e.completedRuns) of \(e.requestedRuns) runs, \(e.start)…\(e.start + (e.months - 1)), "
            + "seed \(e.seedText), keep \(e.keep)" + (e.shard.map { ", shard \($0)" } ?? "") + "\n"
        out += table(["metric", "probability", "mean", "p5", "p50", "p95"], e.summaries)
        if !e.bands.isEmpty {
            out += "bands in \(e.start + (e.months - 1)):\n" + table(["signal", "level", "value"], e.bands)
        }
        if let design = e.design {
            guard e.shard == nil else {
                return out + "sensitivity (\(design.method)) of \(design.metric): shard \(e.shard ?? ""); merge the shards for the indices\n"
            }
            let seed = UInt64(e.seedText) ?? 0
            let (outputs, never) = try SensitivityAnalysis.analysedOutputs(
                e.designSamples, metric: design.metric, isMonth: e.designMetricIsMonth, months: e.months)
            let indices = try SensitivityAnalysis.indices(outputs: outputs, info: design, paths: e.designParameters, seed: seed)
            out += "sensitivity (\(design.method), \(design.samples) samples) of \(design.metric); never in \(never) runs\n"
            out += table(indices.columns, indices.rows.map { row in row.map(cellText) })
        }
        return out
    }

    private static func cellText(_ cell: ResultTable.Cell) -> String {
        switch cell {
        case .number(let x): String(x)
        case .text(let s): s
        default: String(describing: cell)
        }
    }

    /// Columns padded to their widest cell, two spaces apart.
    static func table(_ header: [String], _ rows: [[String]]) -> String {
        let all = [header] + rows
        let widths = header.indices.map { j in all.map { j < $0.count ? $0[j].count : 0 }.max() ?? 0 }
        return all.map { row in
            row.enumerated().map { j, cell in cell + String(repeating: " ", count: max(0, widths[j] - cell.count)) }
                .joined(separator: "  ").replacingOccurrences(of: "\\s+$", with: "", options: .regularExpression)
        }.joined(separator: "\n") + "\n"
    }
}
