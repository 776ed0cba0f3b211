import LodestoneKernel
@testable import LodestonePluginKit
import LodestoneTesting
import LodestoneTrade
import Testing

/// A module that reads the summed input `ledger.entries[JP]` and writes what it read to `total`:
/// the smallest reader of an open input, to carry across the C ABI.
struct Ledger: Model {
    let name = "ledger"
    let summary = "reads a summed input (test)"
    func parameters(for dataset: Dataset) -> [ParameterDeclaration] { [] }
    func interface(in context: ModelContext) throws -> ModelInterface {
        ModelInterface(
            inputs: [InputDeclaration("ledger.entries", keys: ["JP"], unit: .tonnesPerMonth, summed: true, doc: "Entries")],
            outputs: [OutputDeclaration("total", keys: ["JP"], unit: .tonnesPerMonth, doc: "The sum read")])
    }
    func instantiate(in context: ModelContext, wiring: Wiring) throws -> any ModelInstance {
        LedgerInstance(entries: try wiring.input("ledger.entries"), total: try wiring.output("total"))
    }
}

final class LedgerInstance: ModelInstance {
    let entries: InputRef, total: OutputRef
    init(entries: InputRef, total: OutputRef) {
        self.entries = entries
        self.total = total
    }
    func step(_ frame: StepFrame) throws { frame.write(total, 0, frame.read(entries, 0)) }
}

/// Plugins declare the summed inputs they read and produce the ones others read, across the C ABI.
@Suite struct PluginOpenInputTests {
    @Test func aPluginDeclaresASummedInputThatSeveralModulesProduce() throws {
        let tables = InMemoryTables()
        defer { tables.freeAll() }
        let ledger = try tables.adapted(Ledger())
        let input = try #require(
            try ledger.interface(in: ModelContext(dataset: Fixtures.miniature, scenario: Scenario("s"))).inputs.first)
        #expect(input.isSummed && input.fallback == 0)
        // The describe JSON carries the flag; an input that is not summed leaves it out.
        let description = PluginDescription(parameters: [], interface: try Ledger().interface(
            in: ModelContext(dataset: Fixtures.miniature, scenario: Scenario("s"))))
        #expect(try PluginJSON.encode(description).contains("\"summed\":true"))
        #expect(
            try !PluginJSON.encode(PluginDescription(parameters: [], interface: try TradeModel().interface(
                in: ModelContext(dataset: Fixtures.miniature, scenario: Scenario("s")))).inputs.first!).contains("summed"))
        let models: [any Model] = [
            ledger,
            ConstantProducer("a", signal: "ledger.entries", values: ["JP": 2.5]),
            try tables.adapted(ConstantProducer("b", signal: "ledger.entries", values: ["JP": 4])),
        ]
        let result = try simulate(models, on: Fixtures.miniature, months: 3)
        #expect(try result.series("ledger.total[JP]") == [6.5, 6.5, 6.5])
    }

    @Test func aPluginProducingAnOpenInputInTheWrongUnitIsNamedWhenComposing() throws {
        let tables = InMemoryTables()
        defer { tables.freeAll() }
        let wrongUnit = try tables.adapted(
            ConstantProducer("mine", signal: "market.extra_supply", values: ["JP/DyTb": 3], unit: .tonnes))
        let error = #expect(throws: CompositionError.self) {
            try simulate([TradeModel(), wrongUnit], on: Fixtures.miniature, months: 2)
        }
        #expect(
            error?.message
                == "unit mismatch on `market.extra_supply`: `trade` reads it in t/month but `mine` writes it in t")
        let wrongKey = try tables.adapted(
            ConstantProducer("mine", signal: "market.extra_supply", values: ["CN/DyTb": 3]))
        let keyError = #expect(throws: CompositionError.self) {
            try simulate([TradeModel(), wrongKey], on: Fixtures.miniature, months: 2)
        }
        #expect(keyError?.message.hasPrefix(
            "key mismatch on `market.extra_supply`: `mine` writes `market.extra_supply[CN/DyTb]`, but `trade` reads no such key") == true)
    }
}
