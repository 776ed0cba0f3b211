// Shared by the `csv` and `json` fuzz targets: the checks every load report must pass, and a
// short run of the built-in models on a dataset that loads.

@testable import LodestoneData
import LodestoneDiplomacy
import LodestoneKernel
import LodestoneStockpile
import LodestoneTrade

func checkDataError(_ error: DataError) {
    require(!error.message.isEmpty, "empty data error message")
    require(error.location.line >= 1 && error.location.column >= 1, "data error at \(error.location)")
}

func checkReport(_ report: DataLoadReport) {
    require((report.dataset == nil) == !report.errors.isEmpty, "a dataset with errors, or no dataset and no error")
    for error in report.errors + report.warnings { checkDataError(error) }
    _ = report.diagnostics
    if let dataset = report.dataset { _ = LodestoneData.describe(dataset) }
}

/// Composes diplomacy, trade and stockpile on the dataset and runs two years with a curb of the
/// first exporter's shipments to the first importer.
func runModels(on dataset: Dataset) {
    var registry = Registry()
    try? registerTrade(in: &registry)
    try? registerStockpile(in: &registry)
    try? registerDiplomacy(in: &registry)
    var scenario = Scenario("fuzz")
    if let exporter = dataset.exporters.first, let importer = dataset.importers.first {
        scenario.add(.restrict(from: exporter, to: importer, commodity: nil, share: 0.8, start: Month(2026, 2), months: 12))
        scenario.add(.incident(from: exporter, to: importer, severity: 0.7, at: Month(2026, 1)))
    }
    do {
        let models = try ["diplomacy", "trade", "stockpile"].map { try registry.model(named: $0) }
        let result = try Runner.run(
            models: models, dataset: dataset, scenario: scenario, start: Month(2026, 1), months: 24, seed: 1)
        require(result.months == 24, "a run of 24 months has \(result.months)")
        _ = result.metricValues.count
    } catch {
        // A dataset the models cannot use is an error message, not a crash.
        require(!"\(error)".isEmpty, "empty composition error")
    }
}
