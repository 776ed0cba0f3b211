import LodestoneTesting
import Testing

@testable import LodestoneKernel
@testable import LodestoneStockpile

/// A stand-in for trade that writes the stockpile's three inputs for `JP/X`, month by month
/// (the last month's values repeat), the same in every run.
struct ScriptedTrade: Model {
    var name: String { "trade" }
    var summary: String { "writes scripted shortfall, demand and surplus (a test stand-in)" }
    /// t/month, one value per month.
    let shortfall: [Double], demand: [Double], surplus: [Double]

    func parameters(for dataset: Dataset) -> [ParameterDeclaration] { [] }

    func interface(in context: ModelContext) throws -> ModelInterface {
        ModelInterface(outputs: ["shortfall", "demand", "surplus"].map {
            OutputDeclaration($0, keys: ["JP/X"], unit: .tonnesPerMonth, doc: "Scripted (test)")
        })
    }

    func instantiate(in context: ModelContext, wiring: Wiring) throws -> any ModelInstance {
        ScriptedTradeInstance(
            outputs: [try wiring.output("shortfall"), try wiring.output("demand"), try wiring.output("surplus")],
            series: [shortfall, demand, surplus])
    }
}

final class ScriptedTradeInstance: ModelInstance {
    let outputs: [OutputRef], series: [[Double]]

    init(outputs: [OutputRef], series: [[Double]]) {
        self.outputs = outputs
        self.series = series
    }

    func reset(_ frame: StepFrame) throws {
        for (output, values) in zip(outputs, series) { frame.setInitial(output, 0, values[0]) }
    }

    func step(_ frame: StepFrame) throws {
        for (output, values) in zip(outputs, series) { frame.write(output, 0, values[min(frame.monthIndex, values.count - 1)]) }
    }

    func finish(_ frame: MetricFrame) {}
}

@Suite struct StockpileLateArrivals {
    /// JP's stock of X (D0 = 100 t/month, 100 days of cover, a share `stateShare` of it in the
    /// state pool, which opens 3 months into a shortfall) is still at its target for four months; in month 4 a
    /// volume `arrived` arrives late; from month 5 half the demand is short. The block of 3 runs
    /// (the batch form's block loop) and a single run (its loop for a block of one) step the same
    /// months; returns both series of `stockpile.release[JP/X]` and `stockpile.level[JP/X]`.
    static func releases(arrived: Double, stateShare: Double = 1) throws -> (block: [[Double]], single: [[Double]]) {
        let months = 9
        let trade = ScriptedTrade(
            shortfall: [0, 0, 0, 0, 0, 50, 50, 50, 50], demand: Array(repeating: 100, count: months),
            surplus: [0, 0, 0, 0, arrived, 0, 0, 0, 0])
        let models: [any Model] = [trade, StockpileModel()]
        var parameters = ParameterSet(models: models, dataset: soleSupplier)
        try parameters.set("stockpile.cover_days[JP]", to: 100)
        try parameters.set("stockpile.state_share[JP]", to: stateShare)
        try parameters.set("stockpile.state_release_lag_months[JP]", to: 3)
        let composition = try Composition(
            models: models, dataset: soleSupplier, scenario: Scenario("calm"), parameters: parameters)
        let plan = try RunPlan(composition: composition, start: Month(2026, 1), months: months)
        let block = try BatchSimulation(
            plan: plan, parameters: parameters, generators: (0..<3).map { SeededGenerator(seed: 3, stream: UInt64($0)) })
        let single = try Simulation(plan: plan, parameters: parameters, seed: 3, stream: 1)
        let slots = ["stockpile.release[JP/X]", "stockpile.level[JP/X]"].map { id in
            composition.signals.firstIndex { $0.id == id }!
        }
        var fromBlock = [[Double]](repeating: [], count: 2), fromSingle = [[Double]](repeating: [], count: 2)
        for _ in 0..<months {
            try block.step()
            try single.step()
            for (n, slot) in slots.enumerated() {
                fromBlock[n].append(block.value(slot: slot, run: 1))
                fromSingle[n].append(single.value(slot: slot))
            }
        }
        return (fromBlock, fromSingle)
    }

    /// 1e-15 t is far too little to change the stock (about 329 t, whose last bit is worth about
    /// 6e-14 t), but not the private pool,
    /// which held nothing: the first month of the shortfall releases it (the state pool is not
    /// open yet). A block that took the arrival as absorbed by the stock alone releases nothing.
    @Test func aTinyArrivalInAnEmptyPoolIsReleasedLater() throws {
        let (block, single) = try Self.releases(arrived: 1e-15)
        #expect(single[0][5] == 1e-15, "the private pool's 1e-15 t released in the first month")
        #expect(single[1][4] == single[1][3], "the stock did not change")
        #expect(single[0][6] == 0 && single[0][7] == 0, "nothing more until the state pool opens")
        #expect(single[0][8] == 50)
        for n in 0..<2 {
            #expect(block[n].map(\.bitPattern) == single[n].map(\.bitPattern))
        }
    }

    /// 1e-300 t (a deferred volume decaying towards 0 delivers values like 1e-41 t) is lost in
    /// a private pool of about 164 t and in the stock: the months are those without it, in a
    /// block (which takes the month as a still one) as alone (which computes it).
    @Test func aNegligibleArrivalLeavesTheMonthsAsTheyWere() throws {
        let (withArrival, single) = try Self.releases(arrived: 1e-300, stateShare: 0.5)
        let (without, singleWithout) = try Self.releases(arrived: 0, stateShare: 0.5)
        for n in 0..<2 {
            #expect(withArrival[n].map(\.bitPattern) == single[n].map(\.bitPattern))
            #expect(withArrival[n].map(\.bitPattern) == without[n].map(\.bitPattern))
            #expect(without[n].map(\.bitPattern) == singleWithout[n].map(\.bitPattern))
        }
        #expect(withArrival[0][4] == 0 && withArrival[0][5] == 50, "the private pool released from the first month")
        #expect(abs(withArrival[1][4] - 100 * perDay) < 1e-9)
    }

    /// An arrival is absorbed only when neither the private pool nor the whole stock changes:
    /// each of the two tests alone takes a case the other rejects.
    @Test func anArrivalIsAbsorbedOnlyWhenPoolAndStockStayTheSame() {
        func absorbed(_ arrived: Double, privateStock: Double, stateStock: Double) -> Bool {
            let surplus = [arrived], held = [privateStock], state = [stateStock]
            return StockpileBatch.arrivalsAreAbsorbed(surplus.span, privateStock: held.span, stateStock: state.span)
        }
        #expect(absorbed(9.4e-42, privateStock: 858.97, stateStock: 0))
        #expect(absorbed(9.4e-42, privateStock: 858.97, stateStock: 120))
        #expect(absorbed(0, privateStock: 0, stateStock: 0), "nothing arrives")
        #expect(!absorbed(1, privateStock: 858.97, stateStock: 0))
        // The private pool changes (it held nothing), the stock does not.
        #expect(!absorbed(1e-15, privateStock: 0, stateStock: 329))
        // The private pool does not change (1 + 2⁻⁵³ rounds to even, 1), the stock does
        // (1 + 2⁻⁵² + 2⁻⁵³ rounds to even, 1 + 2⁻⁵¹): stock + arrived > target would destock.
        let half = Double.ulpOfOne / 2
        #expect(1 + half == 1 && (1 + Double.ulpOfOne) + half != 1 + Double.ulpOfOne)
        #expect(!absorbed(half, privateStock: 1, stateStock: Double.ulpOfOne))
    }
}
