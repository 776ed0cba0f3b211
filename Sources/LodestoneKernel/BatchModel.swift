/// A model written in the batch form only: it makes one ``BatchModelFactory`` per composition,
/// and the kernel uses it for everything — blocks of runs in ensembles, and single runs and
/// sweeps as blocks of one (``BatchInstanceAsPerRun``, which copies nothing). A module author
/// then implements one method instead of three (``Model/instantiate(in:wiring:)``,
/// ``Model/prepare(in:wiring:)`` and ``Model/prepareBatch(in:wiring:)`` come from here):
///
/// ```swift
/// public struct TariffModel: BatchModel {
///     // name, summary, parameters(for:), interface(in:) as for any Model
///     public func batchFactory(in context: ModelContext, wiring: Wiring) throws -> any BatchModelFactory {
///         TariffFactory(refs: try TariffRefs(wiring), importers: context.dataset.importers.count)
///     }
/// }
/// ```
public protocol BatchModel: Model {
    /// Does the per-composition work once (resolving every name through `wiring`, flattening the
    /// dataset) and returns the factory of batch instances.
    func batchFactory(in context: ModelContext, wiring: Wiring) throws -> any BatchModelFactory
}

extension BatchModel {
    /// A single run: the batch form on a block of one run.
    public func instantiate(in context: ModelContext, wiring: Wiring) throws -> any ModelInstance {
        BatchInstanceAsPerRun(try batchFactory(in: context, wiring: wiring).makeBatch(width: 1))
    }

    /// Single runs of a composition, each a block of one run of the batch form.
    public func prepare(in context: ModelContext, wiring: Wiring) throws -> any ModelFactory {
        BatchFactoryAsPerRun(try batchFactory(in: context, wiring: wiring))
    }

    /// The batch form: ``batchFactory(in:wiring:)``.
    public func prepareBatch(in context: ModelContext, wiring: Wiring) throws -> (any BatchModelFactory)? {
        try batchFactory(in: context, wiring: wiring)
    }
}

/// A batch factory used for single runs: each instance is a block of one run.
public struct BatchFactoryAsPerRun: ModelFactory {
    /// The factory of batch instances.
    public let batch: any BatchModelFactory

    /// Wraps a batch factory.
    public init(_ batch: any BatchModelFactory) { self.batch = batch }

    /// A block of one run, as a per-run instance.
    public func makeInstance() throws -> any ModelInstance { BatchInstanceAsPerRun(try batch.makeBatch(width: 1)) }
}
