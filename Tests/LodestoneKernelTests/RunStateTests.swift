import LodestoneKernel
import Testing

@Suite("Run state: a single run's variables as spans")
struct RunStateTests {
    @Test("each variable holds its own values, set to its initial value or copied")
    func variables() {
        let state = RunState()
        let stock = state.doubles(3, initial: 2.5)
        let settled = state.doubles(2, initial: .nan)
        let prices = state.doubles(copying: [1, 2, 4])
        let months = state.ints(2, initial: 7)
        let pairs = state.ints(copying: [5, 3])
        let empty = state.doubles(0)
        #expect(stock.count == 3 && settled.count == 2 && prices.count == 3 && months.count == 2 && empty.count == 0)
        var values = state[stock]
        values[1] += 1
        var counts = state[months]
        counts[0] = -1
        #expect((0..<3).map { state[stock][$0] } == [2.5, 3.5, 2.5])
        #expect(state[settled][0].isNaN && state[settled][1].isNaN)
        #expect((0..<3).map { state[prices][$0] } == [1, 2, 4])
        #expect((0..<2).map { state[months][$0] } == [-1, 7])
        #expect((0..<2).map { state[pairs][$0] } == [5, 3])
        #expect(state[empty].count == 0)
        let read = state.values(of: stock), readCounts = state.values(of: months)
        #expect(read.count == 3 && read[1] == 3.5 && readCounts[0] == -1)
    }

    @Test("variables declared past the first block keep their values apart")
    func manyVariables() {
        // 4,096-byte blocks: 600 variables of 8 doubles span more than one, and one of 1,000
        // doubles gets a block of its own.
        let state = RunState()
        let small = (0..<600).map { n in state.doubles(8, initial: Double(n)) }
        let large = state.doubles(1000, initial: -1)
        for (n, variable) in small.enumerated() {
            var values = state[variable]
            values[7] = Double(n) + 0.5
        }
        #expect(small.enumerated().allSatisfy { n, variable in
            state[variable][0] == Double(n) && state[variable][7] == Double(n) + 0.5
        })
        #expect(state[large][0] == -1 && state[large][999] == -1)
    }

    @Test("gather into a span copies every key, or only the listed keys, leaving the others as they were")
    func gatherIntoSpans() throws {
        try expectGathered(by: gatherReader { instance, frame in
            let state = RunState()  // each month anew: every value starts at −1
            let all = state.doubles(2, initial: -1), some = state.doubles(2, initial: -1)
            let keys = [1]
            var allValues = state[all], someValues = state[some]
            frame.gather(instance.inputs[0], into: &allValues)
            frame.gather(instance.inputs[1], keys: keys.span, into: &someValues)
            for k in 0..<2 {
                frame.write(instance.outputs[0], k, allValues[k])
                frame.write(instance.outputs[1], k, someValues[k])
            }
        })
    }

    enum Shape: Int, ColumnKey {
        case stock, flow, price
        static var columnCount: Int { 3 }
    }

    @Test("columns of one shape keep their values apart, set to their initial value")
    func columns() {
        let state = RunState()
        let shape = state.doubles(Shape.self, length: 4, initial: 1.5)
        let counts = state.ints(Shape.self, length: 2, initial: 3)
        let empty = state.doubles(Shape.self, length: 0)
        #expect(shape.length == 4 && counts.length == 2 && empty.length == 0)
        var values = state[shape]
        for k in 0..<4 {
            values[.stock, k] = Double(k)
            values[.price, k] += Double(10 * k)
        }
        var integers = state[counts]
        integers[.flow, 1] = -1
        let read = state.values(of: shape), readCounts = state.values(of: counts)
        #expect((0..<4).map { read[.stock, $0] } == [0, 1, 2, 3])
        #expect((0..<4).map { read[.flow, $0] } == [1.5, 1.5, 1.5, 1.5])
        #expect((0..<4).map { read[.price, $0] } == [1.5, 11.5, 21.5, 31.5])
        #expect(readCounts[.flow, 0] == 3 && readCounts[.flow, 1] == -1 && readCounts[.stock, 1] == 3)
    }

    @Test("positions checked when declared index columns and spans")
    func indices() {
        let state = RunState()
        let shape = state.doubles(Shape.self, length: 4)
        let pairs = state.indices(copying: [3, 0, 2], below: 4)
        #expect(pairs.count == 3 && pairs.bound == 4)
        var values = state[shape]
        let positions = state.values(of: pairs, bound: values.length)
        #expect(positions.count == 3 && positions[0].value == 3 && positions[2].value == 2)
        for n in 0..<positions.count { values[.flow, positions[n]] = Double(n + 1) }
        let read = state.values(of: shape)
        #expect((0..<4).map { read[.flow, $0] } == [2, 0, 3, 1])
        #expect(read[.flow, positions[0]] == 1 && read[.stock, positions[0]] == 0)
        let same = state.values(of: pairs, count: 3, bound: 5)
        #expect(same.bound == 5 && same[1].value == 0)
    }

    @Test("a frame gathers into columns, and gives outputs and inputs as spans of a given count")
    func frameColumnsAndSpans() throws {
        try expectGathered(by: gatherReader { instance, frame in
            let state = RunState()  // each month anew: every value starts at −1
            let shape = state.doubles(Shape.self, length: 2, initial: -1)
            let keys = state.indices(copying: [1], below: 2)
            var values = state[shape]
            frame.gather(instance.inputs[0], into: &values, .flow)
            frame.gather(instance.inputs[1], keys: state.values(of: keys, bound: 2), into: &values, .price)
            let delivered = frame.values(instance.inputs[0], count: 2)
            var all = frame.outputs(instance.outputs[0], count: 2), some = frame.outputs(instance.outputs[1])
            for k in 0..<2 {
                #expect(delivered[k] == values[.flow, k] && values[.stock, k] == -1)
                all[k] = delivered[k]
                some[k] = values[.price, k]
            }
        })
    }
}
