import Foundation
import LodestoneKernel
import Testing

@testable import LodestoneExport

/// Python 3 with pandas, if installed (`.ci/run` installs it from PyPI when it can).
enum Python {
    /// Whether `python3 -c "import pandas"` succeeds.
    static let hasPandas: Bool = (try? run("import pandas", in: FileManager.default.temporaryDirectory.path).status) == 0

    /// Runs `code` with `python3` in `folder`; returns its exit status and output (stdout and stderr).
    static func run(_ code: String, in folder: String) throws -> (status: Int32, output: String) {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = ["python3", "-c", code]
        process.currentDirectoryURL = URL(fileURLWithPath: folder)
        let pipe = Pipe()
        process.standardOutput = pipe
        process.standardError = pipe
        try process.run()
        let data = pipe.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return (process.terminationStatus, String(decoding: data, as: UTF8.self))
    }
}

@Suite("Exports read by pandas")
struct PandasTests {
    @Test(
        "a run's and an ensemble's CSV, metrics, JSON records and SQLite load with numeric columns and the right values",
        .enabled(if: Python.hasPandas, "pandas is not installed (pip install pandas); .ci/run installs it"),
        .timeLimit(.minutes(2)))
    func readBack() throws {
        let run = try Fixture.run()
        let ensemble = try EnsembleFixture.ensemble()
        try withTemporaryFolder { folder throws in
            try CSVExporter().write(.run(run), to: folder + "/run.csv", options: ExportOptions())
            try JSONRecordsExporter().write(.run(run), to: folder + "/run.json", options: ExportOptions())
            try CSVExporter().write(.ensemble(ensemble), to: folder + "/ensemble.csv", options: ExportOptions())
            try JSONRecordsExporter().write(.ensemble(ensemble), to: folder + "/ensemble.json", options: ExportOptions())
            try JSONExporter().write(.run(run), to: folder + "/document.json", options: ExportOptions())
            try SQLiteExporter().write(.run(try Fixture.run(seed: UInt64.max)), to: folder + "/study.db", options: ExportOptions())
            try SQLiteExporter().write(.ensemble(ensemble), to: folder + "/study.db", options: ExportOptions())
            let script = """
                import json
                import pandas as pd
                from pandas.api.types import is_float_dtype, is_numeric_dtype

                def check(cond, what):
                    if not cond:
                        raise SystemExit("failed: " + what)

                for frame in (pd.read_csv("run.csv"), pd.read_json("run.json", orient="table")):
                    check(list(frame.columns) == ["run", "month", "module", "signal", "key", "value", "unit"], str(frame.columns))
                    check(is_float_dtype(frame["value"]), "value is float: " + str(frame.dtypes))
                    row = frame[(frame.month == "2026-04") & (frame.signal == "level") & (frame.key == "JP/DyTb")]
                    check(row.value.tolist() == [19.0], "level[JP/DyTb] in 2026-04 is 19: " + str(row))
                    check(row.unit.tolist() == ["t"], "unit t")

                metrics = pd.read_csv("run.metrics.csv")
                check(is_float_dtype(metrics["value"]), "metric values are numbers")
                final = metrics[(metrics.metric == "final") & (metrics.key == "JP/DyTb")]
                check(final.value.tolist() == [43.0], "final[JP/DyTb] is 43")
                reach = metrics[(metrics.metric == "reaches_20") & (metrics.key == "JP/DyTb")]
                check(reach.month.tolist() == ["2026-05"] and reach.value.tolist() == [4.0], "reaches_20 in 2026-05")

                for bands in (pd.read_csv("ensemble.csv"), pd.read_json("ensemble.json", orient="table")):
                    check("quantile" in bands.columns and is_float_dtype(bands["value"]), "bands typed")
                    nd = bands[(bands.key == "JP/NdPr") & (bands["quantile"] == "p50") & (bands.month == "2026-12")]
                    check(nd.value.tolist() == [43.0], "NdPr median in 2026-12 is 43")
                summary = pd.read_csv("ensemble.metrics.csv")
                for column in ["probability", "mean", "p5", "p50", "p95"]:
                    check(is_numeric_dtype(summary[column]), column + " is numeric")
                doc = json.load(open("ensemble.json"))
                check(is_float_dtype(pd.DataFrame(doc["metrics"])["p50"]), "records' metrics typed")

                import sqlite3
                with sqlite3.connect("study.db") as db:
                    runs = pd.read_sql("SELECT id, kind, seed, seed_text, months FROM runs ORDER BY id", db)
                    check(int(runs.seed_text[0]) == 18446744073709551615, "the seed round-trips exactly: " + str(runs.seed_text[0]))
                    check(runs.kind.tolist() == ["run", "ensemble"], "kinds")
                    check(is_numeric_dtype(runs["months"]), "months is numeric")
                    series = pd.read_sql("SELECT month, signal, value FROM series WHERE run_id = 1", db)
                    check(is_float_dtype(series["value"]), "series values are numbers")
                    level = series[(series.signal == "ramp.level[JP/DyTb]") & (series.month == "2026-04")]
                    check(level.value.tolist() == [19.0], "level in 2026-04 from SQL")
                    finals = pd.read_sql(
                        "SELECT m.run_index, m.value AS final, d.value AS slope FROM metrics m JOIN draws d "
                        "ON d.run_id = m.run_id AND d.run_index = m.run_index "
                        "WHERE m.run_id = 2 AND m.name = 'ramp.final[JP/DyTb]'", db)
                    check(len(finals) == 40 and is_float_dtype(finals["final"]), "one final per run")
                    check(((finals.final - (10 + 11 * finals.slope)).abs() < 1e-9).all(), "each run's final follows its draw")
                    summary = pd.read_sql("SELECT * FROM metric_summaries WHERE run_id = 2", db)
                    check(is_float_dtype(summary["p50"]) and is_float_dtype(summary["probability"]), "summary typed")

                document = json.load(open("document.json"))
                series = pd.DataFrame(document["series"], index=pd.PeriodIndex(document["month_labels"], freq="M"))
                check(series["ramp.level[JP/DyTb]"]["2026-04"] == 19.0, "the nested document's series by month")
                check(document["kind"] == "run" and document["provenance"]["seeds"] == ["7"], "kind and provenance")
                print("ok")
                """
            let outcome = try Python.run(script, in: folder)
            #expect(outcome.status == 0 && outcome.output.hasSuffix("ok\n"), "\(outcome.output)")
        }
    }
}

/// Python 3 with the `jsonschema` package, if installed.
enum JSONSchemaValidator {
    /// Whether `python3 -c "import jsonschema"` succeeds.
    static let isAvailable: Bool =
        (try? Python.run("import jsonschema", in: FileManager.default.temporaryDirectory.path).status) == 0
}

@Suite("The JSON Schema of the exports")
struct ExportSchemaTests {
    @Test(
        "every kind of JSON document validates against Docs/export.schema.json, and a broken one does not",
        .enabled(if: JSONSchemaValidator.isAvailable, "jsonschema is not installed (pip install jsonschema); .ci/run installs it"),
        .timeLimit(.minutes(2)))
    func validate() throws {
        let schema = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent().appendingPathComponent("Docs/export.schema.json").path
        let run = try Fixture.run(seed: UInt64.max)
        let documents: [(String, ExportPayload, any Exporter)] = [
            ("run.json", .run(run), JSONExporter()),
            ("runs.json", .runs([("a", run), ("b", try Fixture.run(seed: 2, dyTbSlope: 5))]), JSONExporter()),
            ("ensemble.json", .ensemble(try EnsembleFixture.ensemble()), JSONExporter()),
            ("sweep.json", .sweep(try EnsembleFixture.sweep()), JSONExporter()),
            ("table.json", .table(ResultTable(columns: ["a", "b"], rows: [[.number(1), .text("2026-05")], [.none, .none]])), JSONExporter()),
            ("records.json", .run(run), JSONRecordsExporter()),
            ("ensemble-records.json", .ensemble(try EnsembleFixture.ensemble()), JSONRecordsExporter()),
        ]
        try withTemporaryFolder { folder throws in
            for (name, payload, exporter) in documents {
                try exporter.write(payload, to: folder + "/" + name, options: ExportOptions(script: ProvenanceTests.script))
            }
            let names = documents.map { "\"\($0.0)\"" }.joined(separator: ", ")
            let script = """
                import json, jsonschema
                schema = json.load(open("\(schema)"))
                jsonschema.Draft202012Validator.check_schema(schema)
                validator = jsonschema.Draft202012Validator(schema)
                for name in [\(names)]:
                    errors = [e.message for e in validator.iter_errors(json.load(open(name)))]
                    if errors:
                        raise SystemExit(name + ": " + "; ".join(errors[:3]))
                broken = json.load(open("run.json"))
                broken["provenance"]["seeds"] = [18446744073709551615]
                if validator.is_valid(broken):
                    raise SystemExit("a numeric seed should not validate")
                del broken["kind"]
                if validator.is_valid(broken):
                    raise SystemExit("a document without kind should not validate")
                print("ok")
                """
            let outcome = try Python.run(script, in: folder)
            #expect(outcome.status == 0 && outcome.output.hasSuffix("ok\n"), "\(outcome.output)")
        }
    }
}
