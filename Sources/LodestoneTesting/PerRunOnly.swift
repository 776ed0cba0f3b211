import LodestoneKernel

/// A model shown to the kernel without its batch form: ensembles then step it run by run (the
/// per-run path), as they step a plugin built before the batch form. Tests compare a module's
/// batch form against its per-run form through it.
public struct PerRunOnly: Model {
    /// The wrapped model, whose every requirement but the batch form is forwarded.
    public let model: any Model
    /// Wraps `model`.
    public init(model: any Model) { self.model = model }
    /// The wrapped model's name.
    public var name: String { model.name }
    /// The wrapped model's summary.
    public var summary: String { model.summary }
    /// The wrapped model's answer.
    public var readsScenarioShapeOnly: Bool { model.readsScenarioShapeOnly }
    /// The wrapped model's parameters.
    public func parameters(for dataset: Dataset) -> [ParameterDeclaration] { model.parameters(for: dataset) }
    /// The wrapped model's interface.
    public func interface(in context: ModelContext) throws -> ModelInterface { try model.interface(in: context) }
    /// The wrapped model's per-run instance.
    public func instantiate(in context: ModelContext, wiring: Wiring) throws -> any ModelInstance {
        try model.instantiate(in: context, wiring: wiring)
    }
    /// The wrapped model's per-run factory.
    public func prepare(in context: ModelContext, wiring: Wiring) throws -> any ModelFactory {
        try model.prepare(in: context, wiring: wiring)
    }
    /// The wrapped model's presets.
    public func presets(for dataset: Dataset) -> [Preset] { model.presets(for: dataset) }
}
