import LodestoneKernel
import Testing

@Suite("Composition and wiring")
struct CompositionTests {
    @Test("values flow from producer to consumer, and the step order follows the wiring")
    func valuesFlow() throws {
        // Listed consumer first: the kernel must still step `supply` before `demand`.
        let result = try toyRun([SupplyDemand.demand, SupplyDemand.supply], months: 5)
        #expect(result.modules == ["supply", "demand"])
        #expect(try result.series("supply.delivered[JP]") == [10, 11, 12, 13, 14])
        #expect(try result.series("supply.delivered[US]") == [20, 21, 22, 23, 24])
        #expect(try result.series("demand.orders[JP]") == [20, 22, 24, 26, 28])
        #expect(try result.series("demand.orders[US]") == [40, 42, 44, 46, 48])
    }

    @Test("a delayed input reads last month's value, and the producer's initial value in month 0")
    func delayedInput() throws {
        let result = try toyRun([SupplyDemand.supply, SupplyDemand.demand], months: 5)
        // echo(0) = demand's initial 7; echo(t) = orders(t−1) = 2·(base + t − 1).
        #expect(try result.series("supply.echo[JP]") == [7, 20, 22, 24, 26])
        #expect(try result.series("supply.echo[US]") == [7, 40, 42, 44, 46])
    }

    @Test("gather copies every key of an input, or only the listed keys, leaving the others as they were")
    func gatherCopiesKeys() throws {
        try expectGathered(by: gatherReader { instance, frame in
            let buffer = UnsafeMutableBufferPointer<Double>.allocate(capacity: 2)
            defer { buffer.deallocate() }
            buffer.initialize(repeating: -1)
            frame.gather(instance.inputs[0], into: buffer)
            for k in 0..<2 { frame.write(instance.outputs[0], k, buffer[k]) }
            buffer.update(repeating: -1)
            [1].withUnsafeBufferPointer { keys in frame.gather(instance.inputs[1], keys: keys, into: buffer) }
            for k in 0..<2 { frame.write(instance.outputs[1], k, buffer[k]) }
        })
    }

    @Test("values reads every key of an input in consecutive slots where it lives, as gather copies it")
    func valuesReadsConsecutiveKeys() throws {
        try expectGathered(by: gatherReader { instance, frame in
            #expect(instance.inputs[0].isConsecutive && instance.inputs[1].isConsecutive)
            let delivered = frame.values(instance.inputs[0]), orders = frame.values(instance.inputs[1])
            #expect(delivered.count == 2 && orders.count == 2)
            for k in 0..<2 { frame.write(instance.outputs[0], k, delivered[k]) }
            frame.write(instance.outputs[1], 0, -1)
            frame.write(instance.outputs[1], 1, orders[1])
        })
    }

    @Test("a delayed input whose producer sets no initial value reads 0 in month 0")
    func delayedWithoutInitial() throws {
        let reader = ToyModel(
            name: "reader",
            declaredInterface: ModelInterface(
                inputs: [input("supply.delivered", keys: ["JP"], timing: .delayed)],
                outputs: [output("seen", keys: ["JP"])]),
            onStep: { instance, frame in frame.write(instance.outputs[0], 0, frame.read(instance.inputs[0], 0)) })
        let result = try toyRun([reader, SupplyDemand.supply, SupplyDemand.demand], months: 4)
        #expect(try result.series("reader.seen[JP]") == [0, 10, 11, 12])
    }

    @Test("metrics are written at the end: quantities and months, NaN meaning none")
    func metrics() throws {
        let result = try toyRun([SupplyDemand.supply, SupplyDemand.demand], months: 5)
        #expect(try result.metric("demand.total_orders[JP]") == .number(20 + 22 + 24 + 26 + 28))
        #expect(try result.metric("demand.total_orders[US]") == .number(40 + 42 + 44 + 46 + 48))
        // JP orders 20, 22, 24, 26, 28 never exceed 30; US's do from month 0.
        #expect(try result.metric("demand.first_big[JP]") == MetricValue.none)
        #expect(try result.metric("demand.first_big[US]") == .month(Month(2026, 1)))
    }

    @Test("signals are laid out scenario first, then outputs in step order, one slot per key")
    func slotLayout() throws {
        let models: [any Model] = [SupplyDemand.demand, SupplyDemand.supply]
        let composition = try Composition(
            models: models, dataset: ToyWorld.dataset, scenario: Scenario("calm"),
            parameters: ParameterSet(models: models, dataset: ToyWorld.dataset))
        let producers = composition.signals.map(\.producer)
        let firstModelSlot = try #require(producers.firstIndex { $0 != "scenario" })
        #expect(producers[..<firstModelSlot].allSatisfy { $0 == "scenario" })
        // 8 restriction keys (2 exporters × 2 importers × 2 commodities), 4 demand factors,
        // 4 capacity factors, no incident or talks pairs in a calm scenario.
        #expect(firstModelSlot == 16)
        #expect(composition.signals[firstModelSlot...].map(\.id) == [
            "supply.delivered[JP]", "supply.delivered[US]", "supply.echo[JP]", "supply.echo[US]",
            "demand.orders[JP]", "demand.orders[US]",
        ])
        #expect(composition.signals.enumerated().allSatisfy { $0.offset == $0.element.slot })
        #expect(composition.slot(of: "demand.orders[US]") == 21)
        #expect(composition.slot(of: "demand.orders[\"US\"]") == 21)
        #expect(composition.slot(of: "demand.orders[CN]") == nil)
        #expect(composition.metrics.map(\.id) == [
            "demand.total_orders[JP]", "demand.total_orders[US]", "demand.first_big[JP]", "demand.first_big[US]",
        ])
        #expect(composition.metricIndex(of: "demand.first_big[US]") == 3)
    }

    @Test("an optional input with no producer reads its fallback every month")
    func optionalFallback() throws {
        let reader = ToyModel(
            name: "reader",
            declaredInterface: ModelInterface(
                inputs: [input("diplomacy.restriction", keys: ["CN>JP/DyTb"], unit: .dimensionless, fallback: 0.25)],
                outputs: [output("seen", keys: ["CN>JP/DyTb"], unit: .dimensionless)]),
            onStep: { instance, frame in
                #expect(!instance.inputs[0].isBound)
                #expect(instance.inputs[0].isProduced == [false])
                frame.write(instance.outputs[0], 0, frame.read(instance.inputs[0], 0))
            })
        let result = try toyRun([reader], months: 3)
        #expect(try result.series("reader.seen[CN>JP/DyTb]") == [0.25, 0.25, 0.25])
    }

    @Test("an optional input reads produced keys and falls back for the others")
    func optionalPartlyProduced() throws {
        let reader = ToyModel(
            name: "reader",
            declaredInterface: ModelInterface(
                inputs: [input("supply.delivered", keys: ["US", "CN", "JP"], fallback: -1)],
                outputs: [output("seen", keys: ["US", "CN", "JP"])]),
            onStep: { instance, frame in
                #expect(instance.inputs[0].isProduced == [true, false, true])
                #expect(instance.inputs[0].isBound)
                for k in 0..<3 { frame.write(instance.outputs[0], k, frame.read(instance.inputs[0], k)) }
            })
        let result = try toyRun([reader, SupplyDemand.supply, SupplyDemand.demand], months: 2)
        #expect(try result.series("reader.seen[US]") == [20, 21])
        #expect(try result.series("reader.seen[CN]") == [-1, -1])
        #expect(try result.series("reader.seen[JP]") == [10, 11])
    }

    @Test("a model may read a scenario signal like any other signal")
    func readsScenario() throws {
        let reader = ToyModel(
            name: "reader",
            declaredInterface: ModelInterface(
                inputs: [
                    input("scenario.restriction", keys: ["CN>JP/DyTb"], unit: .dimensionless),
                    input("scenario.demand_factor", keys: ["JP/DyTb"], unit: .dimensionless, timing: .delayed),
                ],
                outputs: [output("seen", keys: ["now", "lagged"], unit: .dimensionless)]),
            onStep: { instance, frame in
                frame.write(instance.outputs[0], 0, frame.read(instance.inputs[0], 0))
                frame.write(instance.outputs[0], 1, frame.read(instance.inputs[1], 0))
            })
        var scenario = Scenario("curb")
        scenario.add(.restrict(from: "CN", to: "JP", commodity: "DyTb", share: 0.5, start: Month(2026, 2), months: nil))
        scenario.add(.demand(region: "JP", commodity: nil, factor: 1.5, start: Month(2026, 1), months: 2))
        let result = try toyRun([reader], scenario: scenario, months: 4)
        #expect(try result.series("reader.seen[now]") == [0, 0.5, 0.5, 0.5])
        // Delayed: month 0 sees month 0's own scenario value (no history before the start).
        #expect(try result.series("reader.seen[lagged]") == [1.5, 1.5, 1.5, 1])
    }

    @Test("a module asking the wiring for a name it did not declare is an error naming it")
    func undeclaredLookup() throws {
        var model = SupplyDemand.demand
        model.extraOutputLookups = ["order"]
        let error = #expect(throws: CompositionError.self) { try toyRun([SupplyDemand.supply, model]) }
        #expect(error?.message == "module `demand` asked for output `order`, which it did not declare; did you mean `orders`?")
    }

    @Test("a model error during a step names the module and the month")
    func stepError() throws {
        struct Broken: Error, CustomStringConvertible { var description: String { "stock went negative" } }
        let failing = ToyModel(
            name: "fragile",
            onStep: { _, frame in if frame.monthIndex == 2 { throw Broken() } })
        let error = #expect(throws: StepError.self) { try toyRun([failing], months: 4) }
        #expect(error?.description == "module `fragile` failed in 2026-03: stock went negative")
        #expect(error?.module == "fragile")
        #expect(error?.month == Month(2026, 3))
    }
}

@Suite("Compose-time errors")
struct CompositionErrorTests {
    @Test("a required input with no producer names the signal and the module to add")
    func missingProducer() {
        #expect(
            compositionMessage([SupplyDemand.demand])
                == "`demand` needs `supply.delivered`, but no module in the model produces it (add `supply` to the model)")
    }

    @Test("a misspelt input suggests the produced signal")
    func missingProducerSuggestion() {
        let reader = stub("reader", inputs: [input("supply.delivred", keys: ["JP"])])
        #expect(
            compositionMessage([reader, SupplyDemand.supply, SupplyDemand.demand])
                == "`reader` needs `supply.delivred`, but no module in the model produces it (add `supply` to the model)"
                + "; did you mean `supply.delivered`?")
    }

    @Test("two producers: a module publishing a qualified name another module also publishes")
    func twoProducers() {
        let a = stub("a", outputs: [output("x")])
        let b = stub("b", outputs: [output("a.x")])
        #expect(compositionMessage([a, b]) == "two producers for `a.x`: `a` and `b`; keep one of them in the model")
        #expect(compositionMessage([b, a]) == "two producers for `a.x`: `b` and `a`; keep one of them in the model")
    }

    @Test("two producers: a module publishing a kernel scenario signal")
    func producerCollidesWithScenario() {
        let rogue = stub("rogue", outputs: [output("scenario.restriction", unit: .dimensionless)])
        #expect(
            compositionMessage([rogue])
                == "two producers for `scenario.restriction`: the scenario and `rogue`; keep one of them in the model")
    }

    @Test("a unit mismatch names the signal, both modules and both units")
    func unitMismatch() {
        let a = stub("a", outputs: [output("x", unit: .tonnesPerMonth)])
        let b = stub("b", inputs: [input("a.x", unit: .tonnes)])
        #expect(compositionMessage([a, b]) == "unit mismatch on `a.x`: `b` reads it in t but `a` writes it in t/month")
        let scenarioReader = stub("c", inputs: [input("scenario.talks", keys: [], unit: .dimensionless)])
        #expect(
            compositionMessage([scenarioReader])
                == "unit mismatch on `scenario.talks`: `c` reads it in 1 but the scenario writes it in 1/month")
    }

    @Test("an optional input is unit-checked against its producer too")
    func optionalUnitMismatch() {
        let a = stub("a", outputs: [output("x", unit: .tonnesPerMonth)])
        let b = stub("b", inputs: [input("a.x", unit: .usd, fallback: 0)])
        #expect(compositionMessage([a, b]) == "unit mismatch on `a.x`: `b` reads it in USD but `a` writes it in t/month")
    }

    @Test("a cycle without a delay names each same-month read")
    func cycle() {
        let a = stub("a", inputs: [input("b.y")], outputs: [output("x")])
        let b = stub("b", inputs: [input("a.x")], outputs: [output("y")])
        let bystander = stub("c", outputs: [output("z")])
        #expect(
            compositionMessage([a, bystander, b])
                == "cycle without a delay: `a` reads `b.y` from `b` in the same month; "
                + "`b` reads `a.x` from `a` in the same month; "
                + "declare one of these inputs as delayed (it then reads last month's value)")
    }

    @Test("the same cycle composes once one input is delayed, producer first")
    func cycleBrokenByDelay() throws {
        let a = stub("a", inputs: [input("b.y", timing: .delayed)], outputs: [output("x")])
        let b = stub("b", inputs: [input("a.x")], outputs: [output("y")])
        #expect(compositionMessage([b, a]) == nil)
        let models: [any Model] = [b, a]
        let composition = try Composition(
            models: models, dataset: ToyWorld.dataset, scenario: Scenario("calm"),
            parameters: ParameterSet(models: models, dataset: ToyWorld.dataset))
        #expect(composition.models.map(\.name) == ["a", "b"])
    }

    @Test("a module reading its own output in the same month is a cycle")
    func selfCycle() {
        let a = stub("a", inputs: [input("a.x")], outputs: [output("x")])
        #expect(
            compositionMessage([a])
                == "cycle without a delay: `a` reads `a.x` from `a` in the same month; "
                + "declare one of these inputs as delayed (it then reads last month's value)")
    }

    @Test("the same module twice is an error")
    func duplicateModule() {
        #expect(
            compositionMessage([SupplyDemand.supply, SupplyDemand.demand, SupplyDemand.supply])
                == "module `supply` appears twice in the model")
    }

    @Test("a required key the producer does not have names the key and the producer")
    func missingKey() {
        let a = stub("a", outputs: [output("x", keys: ["JP", "US"])])
        let b = stub("b", inputs: [input("a.x", keys: ["JP", "ZZ"])])
        #expect(compositionMessage([a, b]) == "`b` needs `a.x[ZZ]`, but `a.x` has no such key")
    }

    @Test("a scalar input from a keyed producer names the empty key")
    func scalarFromKeyed() {
        let a = stub("a", outputs: [output("x", keys: ["JP"])])
        let b = stub("b", inputs: [input("a.x", keys: [])])
        #expect(compositionMessage([a, b]) == "`b` needs `a.x[]`, but `a.x` has no such key")
    }
}
