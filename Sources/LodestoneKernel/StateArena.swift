/// Raw memory for a model instance's per-run state, freed with the instance.
///
/// Model instances are classes, and Swift checks exclusive access to a class's `var` arrays at
/// run time on every element write — in a monthly step that dominates the cost. Buffers from an
/// arena are `let` pointers: element access is a plain load or store.
///
/// ```swift
/// final class MyInstance: ModelInstance {
///     private let arena = StateArena()
///     private let stock: UnsafeMutableBufferPointer<Double>
///     init(count: Int) { stock = arena.doubles(count, initial: 0) }
/// }
/// ```
public final class StateArena {
    private var doubleBuffers: [UnsafeMutableBufferPointer<Double>] = []
    private var intBuffers: [UnsafeMutableBufferPointer<Int>] = []

    /// An empty arena.
    public init() {}

    /// A buffer of `count` doubles, each set to `initial`.
    public func doubles(_ count: Int, initial: Double = 0) -> UnsafeMutableBufferPointer<Double> {
        let buffer = UnsafeMutableBufferPointer<Double>.allocate(capacity: max(1, count))
        buffer.initialize(repeating: initial)
        doubleBuffers.append(buffer)
        return UnsafeMutableBufferPointer(rebasing: buffer[0..<count])
    }

    /// A buffer holding a copy of `values`.
    public func doubles(copying values: [Double]) -> UnsafeMutableBufferPointer<Double> {
        let buffer = doubles(values.count)
        for (i, value) in values.enumerated() { buffer[i] = value }
        return buffer
    }

    /// A buffer of `count` integers, each set to `initial`.
    public func ints(_ count: Int, initial: Int = 0) -> UnsafeMutableBufferPointer<Int> {
        let buffer = UnsafeMutableBufferPointer<Int>.allocate(capacity: max(1, count))
        buffer.initialize(repeating: initial)
        intBuffers.append(buffer)
        return UnsafeMutableBufferPointer(rebasing: buffer[0..<count])
    }

    deinit {
        for buffer in doubleBuffers { buffer.deallocate() }
        for buffer in intBuffers { buffer.deallocate() }
    }
}
