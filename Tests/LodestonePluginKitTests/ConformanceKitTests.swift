import LodestoneDiplomacy
import LodestoneKernel
import LodestonePluginKit
import LodestoneStockpile
import LodestoneTesting
import LodestoneTrade
import Testing

/// The conformance kit passes every built-in and the industry plugin, and fails broken modules
/// with messages that say what is wrong and where.
@Suite struct ConformanceKitTests {
    @Test func builtInsConform() throws {
        #expect(ModelConformance(model: TradeModel(), randomTrials: 5).findings() == [])
        #expect(ModelConformance(model: StockpileModel(), companions: [TradeModel()], randomTrials: 5).findings() == [])
        #expect(
            ModelConformance(model: DiplomacyModel(), companions: [TradeModel(), StockpileModel()], randomTrials: 5)
                .findings() == [])
    }

    @Test func theIndustryPluginConforms() throws {
        let industry = try industryModel()
        try ModelConformance(model: industry, companions: [TradeModel(), StockpileModel()]).run()
        #expect(ModelConformance(model: industry, companions: [TradeModel()], randomTrials: 5).findings() == [])
    }

    @Test func readingAnUndeclaredSignalIsNamed() throws {
        let findings = ModelConformance(model: Broken(.undeclaredInput), companions: [TradeModel()]).findings()
        #expect(findings.map(\.check) == [.undeclaredAccess])
        let message = try #require(findings.first?.message)
        #expect(
            message.hasPrefix(
                "`broken` uses a name it did not declare (composing and instantiating with companions `trade`): "))
        #expect(
            message.contains(
                "module `broken` asked for input `trade.prices`, which it did not declare; did you mean `trade.price`? A module may only"
            ))
        #expect(message.contains("declare it there, or fix the name"))
    }

    @Test func anUndeclaredLookupInsideStepIsNamedToo() throws {
        let findings = ModelConformance(model: Broken(.lateLookup), companions: [TradeModel()]).findings()
        #expect(findings.map(\.check) == [.undeclaredAccess])
        #expect(
            findings.first?.message.contains(
                "module `broken` asked for parameter `gainn`, which it did not declare; did you mean `gain`?") == true)
        #expect(findings.first?.message.contains("a run with default parameters") == true)
    }

    @Test func badDeclarationsAreListed() throws {
        let findings = ModelConformance(model: Broken(.badDeclarations), companions: [TradeModel()]).findings()
        #expect(
            findings == [
                ConformanceFinding(.declarations, "`broken.gain` has no doc string"),
                ConformanceFinding(.declarations, "`broken.gain` default 5 is outside its range 0…2"),
                ConformanceFinding(.declarations, "output `broken.level` has no doc string"),
            ])
    }

    @Test func nonFiniteValuesNameTheSignalMonthAndParameters() throws {
        let findings = ModelConformance(model: Broken(.divides), companions: [TradeModel()], randomTrials: 50)
            .findings()
        #expect(findings.map(\.check) == [.finiteness])
        let message = try #require(findings.first?.message)
        #expect(message.hasPrefix("`broken` (random parameters #"))
        #expect(message.contains("broken.level is inf in 2026-01"))
        #expect(message.contains("(with broken.gain = "))
    }

    @Test func nondeterminismIsCaught() throws {
        let findings = ModelConformance(model: Broken(.nondeterministic), companions: [TradeModel()]).findings()
        #expect(findings.first?.check == .determinism)
        #expect(findings.first?.message.hasPrefix("two runs with seed 42 differ: broken.level is ") == true)
    }

    @Test func balancesAreChecked() throws {
        let balance = ModelConformance.Balance("level = 2 · gain", tolerance: 1e-9) { result in
            try result.series("broken.level").map { $0 - 3 }
        }
        let findings = ModelConformance(
            model: Broken(.fine), companions: [TradeModel()], randomTrials: 0, balances: [balance]
        )
        .findings()
        #expect(
            findings == [
                ConformanceFinding(
                    .balance, "`broken` (defaults): balance level = 2 · gain off by 1.0 (tolerance 1e-09)")
            ])
    }

    @Test func runRecordsEachFindingAsAnIssue() throws {
        try withKnownIssue {
            try ModelConformance(model: Broken(.undeclaredInput), companions: [TradeModel()]).run()
        } matching: { issue in
            issue.comments.contains { $0.rawValue.contains("`broken` fails conformance: [undeclared access]") }
                // At the author's line, not inside the kit.
                && issue.sourceLocation?.fileID.hasSuffix("ConformanceKitTests.swift") == true
        }
    }

    @Test func aProducerOfNegativeSupplyIsNamed() throws {
        let negative = ConstantProducer("sink", signal: "market.extra_supply", values: ["JP/DyTb": -2])
        let findings = ModelConformance(model: negative, companions: [TradeModel()], randomTrials: 0).findings()
        #expect(
            findings == [
                ConformanceFinding(
                    .openInputs,
                    "`sink` (defaults): market.extra_supply[JP/DyTb] is -2.0 in 2026-01; supply offered to the market cannot be negative (lower demand through `market.demand_adjustment` instead)"
                )
            ])
        let adjustment = ConstantProducer("thrift", signal: "market.demand_adjustment", values: ["JP/DyTb": -2])
        #expect(ModelConformance(model: adjustment, companions: [TradeModel()], randomTrials: 0).findings() == [])
    }

    @Test func tradesBalanceIsCheckedForAProducerOfAnOpenInput() throws {
        let supply = ConstantProducer("mine", signal: "market.extra_supply", values: ["JP/DyTb": 3, "US/NdPr": 1])
        let kit = ModelConformance(model: supply, companions: [TradeModel(), StockpileModel()], randomTrials: 0)
        #expect(kit.openInputsProduced() == ["market.extra_supply"])
        #expect(kit.balancesToCheck(open: kit.openInputsProduced()).map(\.name) == [ModelConformance.Balance.market.name])
        #expect(kit.findings() == [])
        // Without trade there is no market balance to check.
        #expect(ModelConformance(model: supply).balancesToCheck(open: []).isEmpty)
    }
}

/// A module broken in one chosen way; `.fine` is its working form: `level` = 2 · gain.
struct Broken: Model {
    enum Fault: Sendable { case fine, undeclaredInput, lateLookup, badDeclarations, divides, nondeterministic }
    let fault: Fault
    init(_ fault: Fault) { self.fault = fault }

    let name = "broken"
    let summary = "A module broken on purpose"

    func parameters(for dataset: Dataset) -> [ParameterDeclaration] {
        fault == .badDeclarations
            ? [ParameterDeclaration("gain", unit: .dimensionless, default: 5, range: 0...2, doc: "")]
            : [ParameterDeclaration("gain", unit: .dimensionless, default: 1, range: 0...2, doc: "Slope")]
    }

    func interface(in context: ModelContext) throws -> ModelInterface {
        ModelInterface(
            inputs: [InputDeclaration("trade.price", keys: ["DyTb"], unit: .usdPerKilogram, doc: "Price")],
            outputs: [
                OutputDeclaration(
                    "level", keys: [], unit: .dimensionless, doc: fault == .badDeclarations ? "" : "A level")
            ])
    }

    func instantiate(in context: ModelContext, wiring: Wiring) throws -> any ModelInstance {
        if fault == .undeclaredInput { _ = try wiring.input("trade.prices") }
        return BrokenInstance(
            fault: fault, wiring: wiring, level: try wiring.output("level"), gain: try wiring.parameter("gain"))
    }
}

final class BrokenInstance: ModelInstance {
    nonisolated(unsafe) static var calls = 0.0
    let fault: Broken.Fault
    let wiring: Wiring
    let level: OutputRef
    let gain: ParameterRef

    init(fault: Broken.Fault, wiring: Wiring, level: OutputRef, gain: ParameterRef) {
        self.fault = fault
        self.wiring = wiring
        self.level = level
        self.gain = gain
    }

    func step(_ frame: StepFrame) throws {
        switch fault {
        case .lateLookup: _ = try wiring.parameter("gainn")
        case .divides: frame.write(level, 0, frame.parameter(gain, 0) < 0.5 ? .infinity : 1)
        case .nondeterministic:
            Self.calls += 1
            frame.write(level, 0, Self.calls)
        default: frame.write(level, 0, 2 * frame.parameter(gain, 0))
        }
    }
}
