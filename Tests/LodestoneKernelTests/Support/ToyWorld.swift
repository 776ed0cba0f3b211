import LodestoneKernel
import Testing

/// A small closed world for kernel tests: exporters CN and AU, importers JP and US, two
/// commodities. Quantities are tonnes per year as in a real dataset.
enum ToyWorld {
    static let dataset = Dataset(
        name: "toy", description: "kernel test world",
        regions: [
            Region(code: "CN", name: "China"), Region(code: "AU", name: "Australia"),
            Region(code: "JP", name: "Japan"), Region(code: "US", name: "United States"),
        ],
        commodities: [
            Commodity(code: "NdPr", name: "Neodymium-praseodymium", priceUSDPerKilogram: 60, source: "toy"),
            Commodity(code: "DyTb", name: "Dysprosium-terbium", priceUSDPerKilogram: 400, source: "toy"),
        ],
        consumption: [RegionQuantity(region: "JP", commodity: "NdPr", tonnesPerYear: 9_600, source: "toy")],
        flows: [
            TradeFlow(importer: "JP", exporter: "CN", commodity: "NdPr", tonnesPerYear: 6_000, source: "toy"),
            TradeFlow(importer: "JP", exporter: "AU", commodity: "NdPr", tonnesPerYear: 2_000, source: "toy"),
            TradeFlow(importer: "JP", exporter: "CN", commodity: "DyTb", tonnesPerYear: 300, source: "toy"),
            TradeFlow(importer: "US", exporter: "CN", commodity: "NdPr", tonnesPerYear: 4_000, source: "toy"),
        ],
        capacities: [
            RegionQuantity(region: "CN", commodity: "NdPr", tonnesPerYear: 60_000, source: "toy"),
            RegionQuantity(region: "AU", commodity: "NdPr", tonnesPerYear: 12_000, source: "toy"),
        ],
        stockpiles: [StockpileCover(region: "JP", commodity: "DyTb", holder: .state, days: 42, source: "toy")],
        sources: [Citation(id: "toy", citation: "Invented for tests", url: "")])

    /// The importer × commodity keys of keyed toy parameters.
    static let importerKeys = ["JP/NdPr", "JP/DyTb", "US/NdPr", "US/DyTb"]

    static let january2026 = Month(2026, 1)
}

/// A model whose interface, parameters and monthly behaviour are given by the test.
struct ToyModel: Model {
    typealias Body = @Sendable (ToyInstance, StepFrame) throws -> Void
    typealias Finish = @Sendable (ToyInstance, MetricFrame) -> Void

    var name: String
    var summary: String { "toy model `\(name)` for kernel tests" }
    var declaredParameters: [ParameterDeclaration] = []
    var declaredInterface = ModelInterface()
    /// Names the instance resolves through ``Wiring`` beyond its declarations (to test errors).
    var extraOutputLookups: [String] = []
    var onReset: Body = { _, _ in }
    var onStep: Body = { _, _ in }
    var onFinish: Finish = { _, _ in }
    /// See ``Model/readsScenarioShapeOnly``.
    var readsScenarioShapeOnly = false

    func parameters(for dataset: Dataset) -> [ParameterDeclaration] { declaredParameters }
    func interface(in context: ModelContext) throws -> ModelInterface { declaredInterface }
    func instantiate(in context: ModelContext, wiring: Wiring) throws -> any ModelInstance {
        for name in extraOutputLookups { _ = try wiring.output(name) }
        return try ToyInstance(model: self, wiring: wiring)
    }
}

/// The per-run state of a ``ToyModel``: every declared name resolved once, in declaration order.
final class ToyInstance: ModelInstance {
    let inputs: [InputRef]
    let outputs: [OutputRef]
    let parameters: [ParameterRef]
    let metrics: [MetricRef]
    /// Free per-run memory for the test's closures.
    var memory: [Double] = Array(repeating: 0, count: 8)
    private let model: ToyModel

    init(model: ToyModel, wiring: Wiring) throws {
        self.model = model
        inputs = try model.declaredInterface.inputs.map { try wiring.input($0.signal) }
        outputs = try model.declaredInterface.outputs.map { try wiring.output($0.name) }
        parameters = try model.declaredParameters.map { try wiring.parameter($0.name) }
        metrics = try model.declaredInterface.metrics.map { try wiring.metric($0.name) }
    }

    func reset(_ frame: StepFrame) throws { try model.onReset(self, frame) }
    func step(_ frame: StepFrame) throws { try model.onStep(self, frame) }
    func finish(_ frame: MetricFrame) { model.onFinish(self, frame) }
}

/// The two-model composition of the wiring tests.
///
/// - `supply` writes `delivered[i] = base[i] + t` (t/month) in month t, and `echo[i]` = last
///   month's `demand.orders[i]` read through a *delayed* input.
/// - `demand` reads `supply.delivered` in the same month and writes `orders[i] = 2 · delivered[i]`;
///   in reset it sets its initial orders to 7 (what `supply` sees in month 0). Its metrics:
///   `total_orders[i]` (sum over the run) and `first_big[i]` (first month orders exceed 30).
enum SupplyDemand {
    static let importers = ["JP", "US"]

    static var supply: ToyModel {
        ToyModel(
            name: "supply",
            declaredParameters: [
                ParameterDeclaration(
                    "base", unit: .tonnesPerMonth, keys: importers, defaults: [10, 20], range: 0...1_000,
                    doc: "Deliveries in month 0")
            ],
            declaredInterface: ModelInterface(
                inputs: [InputDeclaration("demand.orders", keys: importers, unit: .tonnesPerMonth, timing: .delayed)],
                outputs: [
                    OutputDeclaration("delivered", keys: importers, unit: .tonnesPerMonth, doc: "Deliveries"),
                    OutputDeclaration("echo", keys: importers, unit: .tonnesPerMonth, doc: "Last month's orders"),
                ]),
            onStep: { instance, frame in
                for k in 0..<importers.count {
                    let base = frame.parameter(instance.parameters[0], k)
                    frame.write(instance.outputs[0], k, base + Double(frame.monthIndex))
                    frame.write(instance.outputs[1], k, frame.read(instance.inputs[0], k))
                }
            })
    }

    static var demand: ToyModel {
        ToyModel(
            name: "demand",
            declaredInterface: ModelInterface(
                inputs: [InputDeclaration("supply.delivered", keys: importers, unit: .tonnesPerMonth)],
                outputs: [OutputDeclaration("orders", keys: importers, unit: .tonnesPerMonth, doc: "Orders")],
                metrics: [
                    MetricDeclaration(
                        "total_orders", keys: importers, kind: .quantity(.tonnes), doc: "Orders over the run"),
                    MetricDeclaration("first_big", keys: importers, kind: .month, doc: "First month orders exceed 30"),
                ]),
            onReset: { instance, frame in
                for k in 0..<importers.count {
                    frame.setInitial(instance.outputs[0], k, 7)
                    instance.memory[k] = 0
                    instance.memory[2 + k] = .nan
                }
            },
            onStep: { instance, frame in
                for k in 0..<importers.count {
                    let orders = 2 * frame.read(instance.inputs[0], k)
                    frame.write(instance.outputs[0], k, orders)
                    instance.memory[k] += orders
                    if orders > 30, instance.memory[2 + k].isNaN { instance.memory[2 + k] = Double(frame.monthIndex) }
                }
            },
            onFinish: { instance, metrics in
                for k in 0..<importers.count {
                    metrics.write(instance.metrics[0], k, instance.memory[k])
                    metrics.write(instance.metrics[1], k, instance.memory[2 + k])
                }
            })
    }
}

/// Models with only an interface (no behaviour), for composition errors.
func stub(
    _ name: String, inputs: [InputDeclaration] = [], outputs: [OutputDeclaration] = [],
    parameters: [ParameterDeclaration] = []
) -> ToyModel {
    ToyModel(
        name: name, declaredParameters: parameters,
        declaredInterface: ModelInterface(inputs: inputs, outputs: outputs))
}

/// An output with the given keys in t/month.
func output(_ name: String, keys: [String] = ["JP"], unit: UnitSymbol = .tonnesPerMonth) -> OutputDeclaration {
    OutputDeclaration(name, keys: keys, unit: unit, doc: "test output")
}

/// A current, required input in t/month.
func input(
    _ signal: String, keys: [String] = ["JP"], unit: UnitSymbol = .tonnesPerMonth, timing: InputTiming = .current,
    fallback: Double? = nil
) -> InputDeclaration {
    InputDeclaration(signal, keys: keys, unit: unit, timing: timing, fallback: fallback)
}

/// Composes `models` on the toy world and returns the error message, or nil when it composes.
func compositionMessage(_ models: [any Model], scenario: Scenario = Scenario("calm")) -> String? {
    do {
        _ = try Composition(
            models: models, dataset: ToyWorld.dataset, scenario: scenario,
            parameters: ParameterSet(models: models, dataset: ToyWorld.dataset))
        return nil
    } catch let error as CompositionError {
        return error.message
    } catch {
        return "unexpected error type: \(error)"
    }
}

/// Runs `models` on the toy world from January 2026.
func toyRun(
    _ models: [any Model], scenario: Scenario = Scenario("calm"), parameters: ParameterSet? = nil,
    months: Int = 6, seed: UInt64 = 1
) throws -> RunResult {
    try Runner.run(
        models: models, dataset: ToyWorld.dataset, scenario: scenario, parameters: parameters,
        start: ToyWorld.january2026, months: months, seed: seed)
}

/// A model that only declares the stockpile-like parameters used by parameter tests and writes
/// them as outputs every month (`rebuild[""]`, `cover[key]`), so `set` events can be observed.
var parameterEcho: ToyModel {
    ToyModel(
        name: "stockpile",
        declaredParameters: [
            ParameterDeclaration(
                "cover_days", unit: .days, keys: ToyWorld.importerKeys, defaults: [60, 60, 30, 30], range: 0...365,
                doc: "Initial stock in days of baseline demand"),
            ParameterDeclaration(
                "rebuild_days", unit: .days, default: 2, range: 0...30, doc: "Refill per month in days of demand"),
            ParameterDeclaration(
                "max_release_days", unit: .days, default: .infinity, range: 0...Double.infinity,
                doc: "Most released per month in days of demand"),
        ],
        declaredInterface: ModelInterface(outputs: [
            OutputDeclaration("cover", keys: ToyWorld.importerKeys, unit: .days, doc: "cover_days in force"),
            OutputDeclaration("rebuild", keys: [], unit: .days, doc: "rebuild_days in force"),
        ]),
        onStep: { instance, frame in
            for k in 0..<ToyWorld.importerKeys.count {
                frame.write(instance.outputs[0], k, frame.parameter(instance.parameters[0], k))
            }
            frame.write(instance.outputs[1], 0, frame.parameter(instance.parameters[1], 0))
        })
}

/// A module with one scalar parameter, so parameter sets span two modules.
var rampModule: ToyModel {
    ToyModel(
        name: "trade",
        declaredParameters: [
            ParameterDeclaration(
                "ramp_months", unit: .months, default: 6, range: 0...120, doc: "Re-sourcing time constant")
        ])
}

/// A model that writes one uniform draw per month to `draw` (scalar).
var drawer: ToyModel {
    ToyModel(
        name: "dice",
        declaredInterface: ModelInterface(outputs: [
            OutputDeclaration("draw", keys: [], unit: .dimensionless, doc: "a uniform draw")
        ]),
        onStep: { instance, frame in frame.write(instance.outputs[0], 0, frame.uniform()) })
}

/// Whether two series have the same length and agree within `tolerance` at every entry.
func isClose(_ got: [Double], _ expected: [Double], tolerance: Double = 1e-12) -> Bool {
    got.count == expected.count && zip(got, expected).allSatisfy { abs($0 - $1) <= tolerance }
}

/// A module `reader` with two inputs — `supply.delivered` (this month's) and `demand.orders`
/// (delayed) — and two outputs `all` and `some`, all keyed by importer: the gather tests' probe.
func gatherReader(onStep: @escaping ToyModel.Body) -> ToyModel {
    ToyModel(
        name: "reader",
        declaredInterface: ModelInterface(
            inputs: [
                input("supply.delivered", keys: SupplyDemand.importers),
                input("demand.orders", keys: SupplyDemand.importers, timing: .delayed),
            ],
            outputs: [output("all", keys: SupplyDemand.importers), output("some", keys: SupplyDemand.importers)]),
        onStep: onStep)
}

/// Runs `reader` (``gatherReader(onStep:)``) with supply and demand for 4 months and expects
/// `all` to hold this month's deliveries and `some` only US's orders of last month (−1 elsewhere).
func expectGathered(by reader: ToyModel) throws {
    let result = try toyRun([reader, SupplyDemand.supply, SupplyDemand.demand], months: 4)
    #expect(try result.series("reader.all[JP]") == [10, 11, 12, 13])
    #expect(try result.series("reader.all[US]") == [20, 21, 22, 23])
    // Only US, and last month's orders (demand's initial 7 in month 0).
    #expect(try result.series("reader.some[JP]") == [-1, -1, -1, -1])
    #expect(try result.series("reader.some[US]") == [7, 40, 42, 44])
}
