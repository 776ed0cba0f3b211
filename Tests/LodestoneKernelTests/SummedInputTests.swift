import LodestoneKernel
import Testing

/// A producer writing `market.extra[key] = value + t` in month t for its keys.
private func contributor(_ name: String, keys: [String], value: Double, unit: UnitSymbol = .tonnesPerMonth) -> ToyModel {
    ToyModel(
        name: name,
        declaredInterface: ModelInterface(outputs: [OutputDeclaration("market.extra", keys: keys, unit: unit, doc: "Extra")]),
        onReset: { instance, frame in
            for k in 0..<keys.count { frame.setInitial(instance.outputs[0], k, value / 2) }
        },
        onStep: { instance, frame in
            for k in 0..<keys.count { frame.write(instance.outputs[0], k, value + Double(frame.monthIndex)) }
        })
}

/// A reader of the summed `market.extra[JP]`, `[US]`: `seen` is this month's sum (last month's
/// when `delayed`).
private func summedReader(_ name: String = "reader", delayed: Bool = false) -> ToyModel {
    ToyModel(
        name: name,
        declaredInterface: ModelInterface(
            inputs: [
                InputDeclaration(
                    "market.extra", keys: ["JP", "US"], unit: .tonnesPerMonth, timing: delayed ? .delayed : .current,
                    summed: true)
            ],
            outputs: [output("seen", keys: ["JP", "US"])]),
        onStep: { instance, frame in
            for k in 0..<2 { frame.write(instance.outputs[0], k, frame.read(instance.inputs[0], k)) }
        })
}

@Suite("Summed inputs")
struct SummedInputTests {
    @Test("a summed input nobody produces reads 0 on every key, and it is unbound")
    func noProducer() throws {
        let declaration = InputDeclaration("market.extra", keys: ["JP"], unit: .tonnesPerMonth, summed: true)
        #expect(declaration.fallback == 0)
        #expect(declaration.isSummed)
        let result = try toyRun([summedReader()], months: 3)
        #expect(try result.series("reader.seen[JP]") == [0, 0, 0])
        #expect(try result.series("reader.seen[US]") == [0, 0, 0])
        #expect(result.signals.allSatisfy { !$0.id.hasPrefix("market.") })
    }

    @Test("one producer wires directly; keys it does not write read the fallback")
    func oneProducer() throws {
        let result = try toyRun([summedReader(), contributor("mine", keys: ["JP"], value: 5)], months: 3)
        #expect(result.modules == ["mine", "reader"])
        #expect(try result.series("reader.seen[JP]") == [5, 6, 7])
        #expect(try result.series("reader.seen[US]") == [0, 0, 0])
        #expect(try result.series("market.extra[JP]") == [5, 6, 7])
    }

    @Test("several producers add up key by key, this month and last month, in any listing order")
    func severalProducers() throws {
        let models: [any Model] = [
            summedReader("late", delayed: true), contributor("mine", keys: ["JP"], value: 5), summedReader(),
            contributor("recycling", keys: ["US", "JP"], value: 100),
        ]
        let result = try toyRun(models, months: 3)
        #expect(result.modules == ["late", "mine", "recycling", "reader"])
        // JP: (5 + t) + (100 + t); US: 100 + t.
        #expect(try result.series("reader.seen[JP]") == [105, 107, 109])
        #expect(try result.series("reader.seen[US]") == [100, 101, 102])
        // Delayed: month 0 reads the sum of the initial values (2.5 + 50), then last month's sum.
        #expect(try result.series("late.seen[JP]") == [52.5, 105, 107])
        #expect(try result.series("late.seen[US]") == [50, 100, 101])
        #expect(try result.series("market.extra[JP]") == [105, 107, 109])
        let total = try #require(result.signals.first { $0.id == "market.extra[JP]" })
        #expect(total.producer == "mine+recycling")
    }

    @Test("a producer in another unit is a compose-time error naming both modules")
    func unitMismatch() {
        let models: [any Model] = [summedReader(), contributor("recycling", keys: ["JP"], value: 1, unit: .tonnes)]
        #expect(
            compositionMessage(models)
                == "unit mismatch on `market.extra`: `reader` reads it in t/month but `recycling` writes it in t")
        let second: [any Model] = [
            contributor("mine", keys: ["JP"], value: 1), summedReader(),
            contributor("recycling", keys: ["JP"], value: 1, unit: .usd),
        ]
        #expect(
            compositionMessage(second)
                == "unit mismatch on `market.extra`: `reader` reads it in t/month but `recycling` writes it in USD")
    }

    @Test("a producer writing a key no summed reader reads is a compose-time error naming both modules")
    func keyMismatch() {
        let models: [any Model] = [summedReader(), contributor("recycling", keys: ["JP/DyTb"], value: 1)]
        #expect(
            compositionMessage(models)
                == "key mismatch on `market.extra`: `recycling` writes `market.extra[JP/DyTb]`, but `reader` reads no"
                + " such key (its keys look like `JP`)")
    }

    @Test("an input that is not summed still allows one producer only")
    func plainInputStillSingle() {
        let plainReader = stub("plain", inputs: [input("market.extra", fallback: 0)])
        let models: [any Model] = [
            plainReader, contributor("mine", keys: ["JP"], value: 1), contributor("recycling", keys: ["JP"], value: 1),
        ]
        #expect(
            compositionMessage(models)
                == "two producers for `market.extra`: `mine` and `recycling`; keep one of them in the model")
    }
}
