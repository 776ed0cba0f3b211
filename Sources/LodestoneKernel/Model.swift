/// A model module: a set of monthly equations that read signals and write signals.
///
/// A model is an immutable description (a value type). It declares
/// - its **parameters** for a dataset (``parameters(for:)``), with units, ranges, defaults, docs;
/// - its **interface** for a dataset and scenario (``interface(in:)``): the signals it reads
///   (inputs, wired by name to other modules' outputs or to the kernel's `scenario.*` signals),
///   the signals it writes every month (outputs) and the scalars it reports per run (metrics);
/// - how to make a fresh **instance** for one run (``instantiate(in:wiring:)``), holding all
///   mutable per-run state. Monte Carlo runs create one instance each, in parallel.
///
/// ## Implementing a model
///
/// 1. Pick a short lowercase ``name``: it prefixes every signal (`trade.price[NdPr]`) and
///    parameter path (`trade.ramp_months`).
/// 2. Return ``ParameterDeclaration``s with a doc string, a unit and a valid range. Defaults may
///    depend on the dataset (stockpile cover comes from `stockpiles.csv`).
/// 3. Return a ``ModelInterface`` naming inputs by qualified signal (`stockpile.purchases`). Mark
///    an input that is produced later in the month's order as ``InputTiming/delayed``; give an
///    optional input a `fallback`.
/// 4. In ``instantiate(in:wiring:)``, resolve every name **once** through ``Wiring``
///    (``Wiring/input(_:)``, ``Wiring/output(_:)``, ``Wiring/parameter(_:)``,
///    ``Wiring/metric(_:)``) and precompute flat arrays from the dataset. The instance's
///    ``ModelInstance/step(_:)`` then only indexes flat buffers through ``StepFrame``: no
///    dictionaries, strings or allocation per month.
/// 5. Register the model: `registry.register(model: MyModel())`, exactly as built-ins do.
///
/// A model written in the batch form (a block of runs per call, ``BatchFrame``) conforms to
/// ``BatchModel`` instead and implements ``BatchModel/batchFactory(in:wiring:)`` in place of
/// step 4's instance.
/// 6. Run the `LodestoneTesting` conformance suite on it.
///
/// Errors thrown from ``interface(in:)`` or ``instantiate(in:wiring:)`` are reported to the user
/// as they are: say what is wrong with the data or scenario in words a user understands.
public protocol Model: Sendable {
    /// The module's name (`trade`): lowercase letters, digits and `_`.
    var name: String { get }
    /// One line saying what the module computes.
    var summary: String { get }
    /// The parameters for a dataset, in the order they should be listed.
    func parameters(for dataset: Dataset) -> [ParameterDeclaration]
    /// The inputs, outputs and metrics for a dataset and scenario.
    func interface(in context: ModelContext) throws -> ModelInterface
    /// A fresh per-run instance whose names are resolved through `wiring`.
    func instantiate(in context: ModelContext, wiring: Wiring) throws -> any ModelInstance
    /// Does the per-composition work once (flattening the dataset, resolving names) and returns
    /// a factory of per-run instances. The default calls ``instantiate(in:wiring:)`` for every
    /// run; override it when instantiation is costly, as ensembles make one instance per run.
    func prepare(in context: ModelContext, wiring: Wiring) throws -> any ModelFactory
    /// The batch form: a factory of instances that step a block of runs at once (structure of
    /// arrays, ``BatchFrame``), or nil (the default) when the module has only the per-run form,
    /// which the kernel then steps run by run inside each block. Both forms must compute the
    /// same numbers for every run.
    func prepareBatch(in context: ModelContext, wiring: Wiring) throws -> (any BatchModelFactory)?
    /// Named parameter sets the module ships (`v1`: Lodestone 1's equations); see ``Preset``.
    /// The default is none.
    func presets(for dataset: Dataset) -> [Preset]
    /// Whether ``interface(in:)`` and ``prepare(in:wiring:)`` look at the scenario only through
    /// its ``Scenario/shape`` (which events, naming which regions, commodities and paths), never
    /// at amounts, shares or months. When every module of a model says so, a composition is
    /// reused for a scenario that differs only in those values (a script's loop of `run(…)` over
    /// shares). The default is false: the model is composed anew for any change of the scenario.
    var readsScenarioShapeOnly: Bool { get }
}

/// Makes the per-run instances of a model prepared for one composition. Immutable and shared by
/// the threads of an ensemble.
public protocol ModelFactory: Sendable {
    /// A fresh instance for one run.
    func makeInstance() throws -> any ModelInstance
}

extension Model {
    /// Default: false, the composition is not reused when the scenario's values change.
    public var readsScenarioShapeOnly: Bool { false }

    /// Default: instantiate anew for every run.
    public func prepare(in context: ModelContext, wiring: Wiring) throws -> any ModelFactory {
        InstantiatingFactory(model: self, context: context, wiring: wiring)
    }
}

/// The default factory: calls ``Model/instantiate(in:wiring:)`` for each run.
struct InstantiatingFactory: ModelFactory {
    let model: any Model
    let context: ModelContext
    let wiring: Wiring
    func makeInstance() throws -> any ModelInstance { try model.instantiate(in: context, wiring: wiring) }
}

/// What a model sees when it declares its interface and is instantiated.
public struct ModelContext: Sendable {
    /// The dataset of the run.
    public let dataset: Dataset
    /// The scenario of the run.
    public let scenario: Scenario
    /// Creates a context.
    public init(dataset: Dataset, scenario: Scenario) {
        self.dataset = dataset
        self.scenario = scenario
    }
}

/// The mutable state of one model for one run.
///
/// The kernel calls ``reset(_:)`` once before the first month, ``step(_:)`` once per month in
/// the composition's order, and ``finish(_:)`` once at the end to write the run's metrics.
public protocol ModelInstance: AnyObject {
    /// Prepares the state for month 0. `frame.monthIndex` is -1; outputs written here are what
    /// delayed readers see in month 0.
    func reset(_ frame: StepFrame) throws
    /// Computes one month: read inputs and parameters, write every output.
    func step(_ frame: StepFrame) throws
    /// Writes the run's metrics (NaN means none).
    func finish(_ metrics: MetricFrame)
}

extension ModelInstance {
    /// Default: nothing to prepare.
    public func reset(_ frame: StepFrame) throws {}
    /// Default: no metrics.
    public func finish(_ metrics: MetricFrame) {}
}
