import LodestoneKernel

/// Runs `models` on `dataset` under `scenario` with some parameters changed: the one-liner
/// module tests use. `preset` (a name the modules ship, such as `"v1"`) is applied first, then
/// `settings`: a test of Lodestone 1's closed forms passes `preset: "v1"`.
///
/// ```swift
/// let result = try simulate([TradeModel()], on: world, scenario: curb,
///                           settings: [("trade.ramp_months", .infinity)], months: 12)
/// ```
public func simulate(
    _ models: [any Model], on dataset: Dataset, scenario: Scenario = Scenario("baseline"), preset: String? = nil,
    settings: [(String, Double)] = [], start: Month = Month(2026, 1), months: Int = 12, seed: UInt64 = 1
) throws -> RunResult {
    var parameters = ParameterSet(models: models, dataset: dataset)
    if let preset { try parameters.apply(preset: preset, of: models, dataset: dataset) }
    for (path, value) in settings { try parameters.set(path, to: value) }
    return try Runner.run(
        models: models, dataset: dataset, scenario: scenario, parameters: parameters, start: start, months: months,
        seed: seed)
}
