import LodestoneKernel

/// A module that writes the same values to one signal every month: the stand-in producer with
/// which a module's test feeds one of its inputs, such as the market's open inputs.
///
/// ```swift
/// let recycling = ConstantProducer("recycling", signal: "market.extra_supply", values: ["JP/X": 20])
/// let result = try simulate([TradeModel(), recycling], on: world, scenario: curb)
/// ```
public struct ConstantProducer: Model {
    /// The module's name.
    public let name: String
    /// One line for `:modules`.
    public var summary: String { "writes constant values to `\(signal)` (a test stand-in)" }
    /// The qualified signal written (`market.extra_supply`).
    public let signal: String
    /// The keys written, in order.
    public let keys: [String]
    /// The value of each key, in the signal's unit.
    public let values: [Double]
    /// The signal's unit.
    public let unit: UnitSymbol

    /// A producer named `name` writing `values` (key → value) to `signal`, in `unit`
    /// (t/month unless given).
    public init(
        _ name: String, signal: String, values: KeyValuePairs<String, Double>, unit: UnitSymbol = .tonnesPerMonth
    ) {
        self.name = name
        self.signal = signal
        self.keys = values.map(\.key)
        self.values = values.map(\.value)
        self.unit = unit
    }

    /// No parameters.
    public func parameters(for dataset: Dataset) -> [ParameterDeclaration] { [] }

    /// One output: `signal` with `keys`, in `unit`.
    public func interface(in context: ModelContext) throws -> ModelInterface {
        ModelInterface(outputs: [OutputDeclaration(signal, keys: keys, unit: unit, doc: "Constant values (test)")])
    }

    /// An instance writing the values every month (and as the initial values delayed readers see).
    public func instantiate(in context: ModelContext, wiring: Wiring) throws -> any ModelInstance {
        ConstantInstance(output: try wiring.output(signal), values: values)
    }
}

/// One run of a ``ConstantProducer``.
final class ConstantInstance: ModelInstance {
    private let output: OutputRef
    private let values: [Double]

    init(output: OutputRef, values: [Double]) {
        self.output = output
        self.values = values
    }

    func reset(_ frame: StepFrame) throws {
        for k in 0..<values.count { frame.setInitial(output, k, values[k]) }
    }

    func step(_ frame: StepFrame) throws {
        for k in 0..<values.count { frame.write(output, k, values[k]) }
    }

    func finish(_ frame: MetricFrame) {}
}
