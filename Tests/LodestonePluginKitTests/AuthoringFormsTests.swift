import Foundation
import LodestoneKernel
import LodestoneTesting
import LodestoneTrade
import Testing

/// The scaffold's module in the per-run form, as Docs/Authoring-Modules.md shows it ("The per-run
/// form, the simple alternative"): the same declarations, one run at a time.
struct PerRunTariffModel: Model {
    let name = "tariff"
    let summary = "The scaffold's skeleton in the per-run form"

    static func keys(_ dataset: Dataset) -> [String] {
        dataset.importers.flatMap { i in dataset.commodityCodes.map { "\(i)/\($0)" } }
    }

    func parameters(for dataset: Dataset) -> [ParameterDeclaration] {
        let keys = Self.keys(dataset)
        return [
            ParameterDeclaration(
                "rate", unit: .dimensionless, keys: keys, defaults: Array(repeating: 0.1, count: keys.count),
                range: 0...1, doc: "Share of the import value counted"),
            ParameterDeclaration("scale", unit: .dimensionless, default: 1, range: 0...10, doc: "Multiplier"),
        ]
    }

    func interface(in context: ModelContext) throws -> ModelInterface {
        let keys = Self.keys(context.dataset)
        return ModelInterface(
            inputs: [
                InputDeclaration("trade.imports", keys: keys, unit: .tonnesPerMonth, doc: "Imports"),
                InputDeclaration(
                    "trade.price", keys: context.dataset.commodityCodes, unit: .usdPerKilogram, doc: "Price"),
            ],
            outputs: [OutputDeclaration("value", keys: keys, unit: "USD/month", doc: "scale · rate · imports · 1000 · price")],
            metrics: [
                MetricDeclaration(
                    "value_total", keys: context.dataset.importers, kind: .quantity(.usd), doc: "value summed")
            ])
    }

    struct Refs: Sendable {
        let imports: InputRef, price: InputRef
        let value: OutputRef
        let rate: ParameterRef, scale: ParameterRef
        let total: MetricRef
        init(_ wiring: Wiring) throws {
            imports = try wiring.input("trade.imports")
            price = try wiring.input("trade.price")
            value = try wiring.output("value")
            rate = try wiring.parameter("rate")
            scale = try wiring.parameter("scale")
            total = try wiring.metric("value_total")
        }
    }

    final class Instance: ModelInstance {
        let refs: Refs
        let importers: Int, commodities: Int
        let state = RunState()
        let sums: RunState.Doubles  // USD/month, [i]
        init(refs: Refs, importers: Int, commodities: Int) {
            self.refs = refs
            self.importers = importers
            self.commodities = commodities
            sums = state.doubles(importers)
        }

        // The guide's per-run step, verbatim (AuthoringFormsTests checks that it is).
        func step(_ frame: StepFrame) throws {
            let state = self.state
            var sums = state[self.sums]
            let scale = frame.parameter(refs.scale, 0)
            for i in 0..<importers {
                for c in 0..<commodities {
                    let k = i * commodities + c
                    let v = scale * frame.parameter(refs.rate, k) * frame.read(refs.imports, k) * 1000 * frame.read(refs.price, c)
                    frame.write(refs.value, k, v)
                    sums[i] += v
                }
            }
        }

        func finish(_ metrics: MetricFrame) {
            let state = self.state
            let sums = state.values(of: self.sums)
            for i in 0..<importers { metrics.write(refs.total, i, sums[i]) }
        }
    }

    func instantiate(in context: ModelContext, wiring: Wiring) throws -> any ModelInstance {
        Instance(
            refs: try Refs(wiring), importers: context.dataset.importers.count,
            commodities: context.dataset.commodityCodes.count)
    }
}

/// Docs/Authoring-Modules.md's two code forms of the step are real code: the batch step is the
/// one `new-module` generates (which AuthoringWalkthroughTests compiles, tests and loads), and
/// the per-run step is the one of ``PerRunTariffModel`` above, which runs here.
@Suite struct AuthoringFormsTests {
    /// The Swift code blocks of the guide.
    static func guideBlocks() throws -> [[String]] {
        let guide = try String(contentsOf: packageRoot.appendingPathComponent("Docs/Authoring-Modules.md"), encoding: .utf8)
        var blocks: [[String]] = []
        var current: [String]?
        for line in guide.split(separator: "\n", omittingEmptySubsequences: false) {
            if line == "```swift" {
                current = []
            } else if line == "```", let block = current {
                blocks.append(block)
                current = nil
            } else if current != nil {
                current!.append(String(line))
            }
        }
        return blocks
    }

    /// Whether `lines` appear, one after the other and ignoring indentation, in `text`.
    static func contains(_ text: String, _ lines: [String]) -> Bool {
        let trimmed = text.split(separator: "\n").map { $0.trimmingCharacters(in: .whitespaces) }
        let wanted = lines.map { $0.trimmingCharacters(in: .whitespaces) }
        guard !wanted.isEmpty, trimmed.count >= wanted.count else { return false }
        return (0...(trimmed.count - wanted.count)).contains { Array(trimmed[$0..<($0 + wanted.count)]) == wanted }
    }

    @Test func theGuidesBatchStepIsTheScaffolds() throws {
        let block = try #require(try Self.guideBlocks().first { $0.first == "func step(_ frame: BatchFrame) throws {" })
        let template = try String(
            contentsOf: packageRoot.appendingPathComponent("Plugins/NewModule/Templates.swift"), encoding: .utf8)
        #expect(Self.contains(template, block), "the guide's batch step is not the scaffold's")
    }

    @Test func theGuidesPerRunStepRuns() throws {
        let block = try #require(try Self.guideBlocks().first { $0.first == "func step(_ frame: StepFrame) throws {" })
        let source = try String(contentsOf: URL(fileURLWithPath: #filePath), encoding: .utf8)
        #expect(Self.contains(source, block), "the guide's per-run step is not PerRunTariffModel's")
        try ModelConformance(model: PerRunTariffModel(), companions: [TradeModel()]).run()
        // The skeleton's closed form: JP imports 400 t/month of NdPr at 56 USD/kg.
        let result = try simulate(
            [TradeModel(), PerRunTariffModel()], on: Fixtures.miniature, settings: [("tariff.rate[JP/NdPr]", 0.25)],
            months: 3)
        for value in try result.series("tariff.value[JP/NdPr]") { #expect(abs(value - 0.25 * 400 * 1000 * 56) < 1e-6) }
    }
}
