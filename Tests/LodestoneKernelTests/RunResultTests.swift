import LodestoneKernel
import Testing

@Suite("Run results")
struct RunResultTests {
    func result(months: Int = 4) throws -> RunResult {
        var scenario = Scenario("curb")
        scenario.add(.restrict(from: "CN", to: "JP", commodity: "DyTb", share: 1, start: Month(2026, 2), months: 1))
        return try toyRun([SupplyDemand.supply, SupplyDemand.demand], scenario: scenario, months: months, seed: 42)
    }

    @Test("a result records what was run")
    func provenance() throws {
        let result = try result()
        #expect(result.start == Month(2026, 1))
        #expect(result.months == 4)
        #expect(result.end == Month(2026, 4))
        #expect(result.seed == 42)
        #expect(result.datasetName == "toy")
        #expect(result.sources.map(\.id) == ["toy"])
        #expect(result.scenario.name == "curb")
        #expect(result.modules == ["supply", "demand"])
        #expect(result.values.count == 4 * result.signals.count)
        #expect(result.metricValues.count == result.metrics.count)
    }

    @Test("series have one entry per month, entry 0 the start month; ids are normalized")
    func series() throws {
        let result = try result()
        #expect(try result.series("supply.delivered[JP]") == [10, 11, 12, 13])
        #expect(try result.series("supply.delivered[\"JP\"]") == [10, 11, 12, 13])
        #expect(try result.series("supply.delivered[ 'JP' ]") == [10, 11, 12, 13])
        #expect(try result.series(" scenario.restriction[CN>JP/DyTb]") == [0, 1, 0, 0])
        let column = try result.column(of: "demand.orders[US]")
        #expect(result.signals[column].id == "demand.orders[US]")
        #expect(result.signals[column].producer == "demand")
        #expect(result.signals[column].unit == .tonnesPerMonth)
        #expect(result.values[2 * result.signals.count + column] == 2 * (20 + 2))
    }

    @Test("an unknown signal is named with a suggestion")
    func unknownSignal() throws {
        let result = try result()
        let error = #expect(throws: LookupError.self) { try result.series("demand.order[JP]") }
        #expect(error?.message == "unknown signal `demand.order[JP]`; did you mean `demand.orders[JP]`?")
        let far = #expect(throws: LookupError.self) { try result.series("industry.output[JP]") }
        #expect(far?.message == "unknown signal `industry.output[JP]`")
    }

    @Test("a keyed signal without its key says it needs one")
    func missingKey() throws {
        let result = try result()
        let error = #expect(throws: LookupError.self) { try result.series("demand.orders") }
        #expect(
            error?.message == "unknown signal `demand.orders`; did you mean `demand.orders[JP]`?"
                + " (`demand.orders` needs a key, e.g. `demand.orders[…]`)")
        let wrongKey = #expect(throws: LookupError.self) { try result.series("demand.orders[CN]") }
        #expect(wrongKey?.message == "unknown signal `demand.orders[CN]`; did you mean `demand.orders[JP]`?")
    }

    @Test("metrics read back as numbers, months or none")
    func metrics() throws {
        let result = try result()
        #expect(try result.metric("demand.total_orders[JP]") == .number(20 + 22 + 24 + 26))
        #expect(try result.metric("demand.first_big[\"US\"]") == .month(Month(2026, 1)))
        #expect(try result.metric("demand.first_big[JP]") == MetricValue.none)
        #expect(try result.metric("demand.total_orders[JP]").description == "92")
        #expect(try result.metric("demand.first_big[US]").description == "2026-01")
        #expect(try result.metric("demand.first_big[JP]").description == "none")
    }

    @Test("an unknown metric is named with a suggestion and a key hint")
    func unknownMetric() throws {
        let result = try result()
        let error = #expect(throws: LookupError.self) { try result.metric("demand.total_order[JP]") }
        #expect(error?.message == "unknown metric `demand.total_order[JP]`; did you mean `demand.total_orders[JP]`?")
        let unkeyed = #expect(throws: LookupError.self) { try result.metric("demand.first_big") }
        #expect(
            unkeyed?.message == "unknown metric `demand.first_big`; did you mean `demand.first_big[JP]`?"
                + " (`demand.first_big` needs a key, e.g. `demand.first_big[…]`)")
        // A signal is not a metric.
        #expect(throws: LookupError.self) { try result.metric("demand.orders[JP]") }
    }

    @Test("stored metric values convert by kind; month indices count from the start")
    func metricValues() {
        let start = Month(2026, 1)
        #expect(RunResult.metricValue(5, kind: .month, start: start) == .month(Month(2026, 6)))
        #expect(RunResult.metricValue(.nan, kind: .month, start: start) == MetricValue.none)
        #expect(RunResult.metricValue(.infinity, kind: .month, start: start) == MetricValue.none)
        #expect(RunResult.metricValue(2.5, kind: .quantity(.tonnes), start: start) == .number(2.5))
        #expect(RunResult.metricValue(.nan, kind: .quantity(.tonnes), start: start) == MetricValue.none)
        #expect(RunResult.metricValue(.infinity, kind: .quantity(.days), start: start).description == "∞")
    }
}
