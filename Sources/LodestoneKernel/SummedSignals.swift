/// How the kernel adds up the producers of a summed signal each month (see
/// ``InputDeclaration/isSummed``): after the last of a signal's producers has stepped, every key
/// of the total is the sum of the producers' values for that key.
///
/// Flat tables, built once per composition: sum `n` runs after the model at step position
/// `after[n]` and writes `target[n]` from the slots `sources[sourceStart[n]..<sourceStart[n + 1]]`.
/// With one producer there is nothing to add: its output is the signal, and no sum is listed.
struct SummingPlan: Sendable {
    /// For each step position p, sums `start[p]..<start[p + 1]` run after that model's step.
    let start: [Int]
    /// The slot each sum writes.
    let target: [Int]
    /// Where each sum's sources begin in `sources` (one more entry than sums).
    let sourceStart: [Int]
    /// The producers' slots.
    let sources: [Int]

    /// No sums for `models` models.
    init(models: Int) {
        start = [Int](repeating: 0, count: models + 1)
        target = []
        sourceStart = [0]
        sources = []
    }

    /// Sums listed as (step position, target slot, source slots), in any order.
    init(models: Int, sums: [(after: Int, target: Int, sources: [Int])]) {
        let ordered = sums.enumerated().sorted { ($0.element.after, $0.offset) < ($1.element.after, $1.offset) }
            .map(\.element)
        var start = [Int](repeating: 0, count: models + 1)
        for sum in ordered { start[sum.after + 1] += 1 }
        for p in 0..<models { start[p + 1] += start[p] }
        var sourceStart = [0]
        for sum in ordered { sourceStart.append(sourceStart.last! + sum.sources.count) }
        self.start = start
        target = ordered.map(\.target)
        self.sourceStart = sourceStart
        sources = ordered.flatMap(\.sources)
    }

    /// Whether any signal has more than one producer.
    var isEmpty: Bool { target.isEmpty }

    /// Writes the sums that follow the model at step position `p` into `buffer`. Does not allocate.
    @inline(__always)
    func apply(after p: Int, in buffer: UnsafeMutablePointer<Double>) {
        for n in start[p]..<start[p + 1] {
            var total = 0.0
            for j in sourceStart[n]..<sourceStart[n + 1] { total += buffer[sources[j]] }
            buffer[target[n]] = total
        }
    }

    /// Writes every sum into `buffer` (after the models' reset: what month 0 reads as last month).
    func applyAll(in buffer: UnsafeMutablePointer<Double>) {
        for p in 0..<(start.count - 1) { apply(after: p, in: buffer) }
    }
}

extension Composition {
    /// Checks one producer of a summed signal against one reader: the same unit and, for a
    /// summed reader, only keys it reads. Errors name both modules.
    static func checkSummed(
        _ input: InputDeclaration, reader: String, producer: String, output: OutputDeclaration
    ) throws(CompositionError) {
        guard output.unit == input.unit else {
            throw CompositionError(
                "unit mismatch on `\(input.signal)`: `\(reader)` reads it in \(input.unit)"
                    + " but `\(producer)` writes it in \(output.unit)")
        }
        guard input.isSummed else { return }
        let readable = Set(input.keys.isEmpty ? [""] : input.keys)
        if let stray = (output.keys.isEmpty ? [""] : output.keys).first(where: { !readable.contains($0) }) {
            let example = input.keys.first.map { " (its keys look like `\($0)`)" } ?? " (it has no keys)"
            throw CompositionError(
                "key mismatch on `\(input.signal)`: `\(producer)` writes `\(input.signal)[\(stray)]`, but `\(reader)`"
                    + " reads no such key" + example)
        }
    }

    /// The keys of a summed signal: every producer's keys, in order of first appearance.
    static func unionKeys(_ outputs: [OutputDeclaration]) -> [String] {
        var seen = Set<String>()
        var keys: [String] = []
        for output in outputs {
            for key in output.keys where seen.insert(key).inserted { keys.append(key) }
        }
        return keys
    }
}
