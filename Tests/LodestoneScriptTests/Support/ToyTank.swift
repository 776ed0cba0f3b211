import LodestoneKernel

/// A small deterministic module for tests: a tank per commodity of JP that drains by `use`
/// tonnes a month times the scenario's restriction of CN's exports to JP, and a `noise` signal
/// drawn from the run's generator.
///
/// level(t) = max(0, level(t−1) − use · restriction[CN>JP/c](t)), level(−1) = start_level.
struct ToyTank: Model {
    let name = "tank"
    let summary = "A test tank that drains while CN restricts exports to JP"

    func keys(_ dataset: Dataset) -> [String] { dataset.commodityCodes.map { "JP/\($0)" } }

    func parameters(for dataset: Dataset) -> [ParameterDeclaration] {
        [
            ParameterDeclaration(
                "start_level", unit: .tonnes, keys: keys(dataset), defaults: keys(dataset).map { _ in 100 },
                range: 0...10_000, doc: "Level before the first month"),
            ParameterDeclaration("use", unit: .tonnesPerMonth, default: 10, range: 0...1_000, doc: "Drain per month at full restriction"),
        ]
    }

    func interface(in context: ModelContext) throws -> ModelInterface {
        let commodities = context.dataset.commodityCodes
        return ModelInterface(
            inputs: [
                InputDeclaration(
                    "scenario.restriction", keys: commodities.map { "CN>JP/\($0)" }, unit: .dimensionless, fallback: 0)
            ],
            outputs: [
                OutputDeclaration("level", keys: keys(context.dataset), unit: .tonnes, doc: "Tank level"),
                OutputDeclaration("noise", keys: [], unit: .dimensionless, doc: "A uniform draw each month"),
            ],
            metrics: [
                MetricDeclaration("empty_at", keys: keys(context.dataset), kind: .month, doc: "First month the tank is empty"),
                MetricDeclaration("drawn", keys: keys(context.dataset), kind: .quantity(.tonnes), doc: "Total drawn"),
            ])
    }

    func instantiate(in context: ModelContext, wiring: Wiring) throws -> any ModelInstance {
        ToyTankInstance(
            count: context.dataset.commodityCodes.count, restriction: try wiring.input("scenario.restriction"),
            level: try wiring.output("level"), noise: try wiring.output("noise"),
            start: try wiring.parameter("start_level"), use: try wiring.parameter("use"),
            emptyAt: try wiring.metric("empty_at"), drawn: try wiring.metric("drawn"))
    }
}

final class ToyTankInstance: ModelInstance {
    let count: Int
    let restriction: InputRef, level: OutputRef, noise: OutputRef
    let start: ParameterRef, use: ParameterRef
    let emptyAt: MetricRef, drawn: MetricRef
    var levels: [Double] = []
    var empty: [Double] = []
    var total: [Double] = []

    init(
        count: Int, restriction: InputRef, level: OutputRef, noise: OutputRef, start: ParameterRef, use: ParameterRef,
        emptyAt: MetricRef, drawn: MetricRef
    ) {
        self.count = count
        self.restriction = restriction
        self.level = level
        self.noise = noise
        self.start = start
        self.use = use
        self.emptyAt = emptyAt
        self.drawn = drawn
    }

    func reset(_ frame: StepFrame) throws {
        levels = (0..<count).map { frame.parameter(start, $0) }
        empty = Array(repeating: .nan, count: count)
        total = Array(repeating: 0, count: count)
    }

    func step(_ frame: StepFrame) throws {
        for k in 0..<count {
            let draw = min(levels[k], frame.parameter(use, k) * frame.read(restriction, k))
            levels[k] -= draw
            total[k] += draw
            if levels[k] <= 0, empty[k].isNaN, draw > 0 { empty[k] = Double(frame.monthIndex) }
            frame.write(level, k, levels[k])
        }
        frame.write(noise, 0, frame.uniform())
    }

    func finish(_ metrics: MetricFrame) {
        for k in 0..<count {
            metrics.write(emptyAt, k, empty[k])
            metrics.write(drawn, k, total[k])
        }
    }
}
