/// Raw memory for a model instance's per-run state, freed with the instance: the storage of a
/// ``RunState`` (module code declares its variables there and holds no pointer).
///
/// Model instances are classes, and Swift checks exclusive access to a class's `var` arrays at
/// run time on every element write — in a monthly step that dominates the cost. Buffers from an
/// arena are `let` pointers: element access is a plain load or store.
///
/// The arena carves its buffers out of a few large blocks (one, for a typical module), so that
/// making an instance per run of an ensemble costs one allocation rather than one per buffer.
public final class StateArena {
    /// Bytes per block; a larger request gets a block of its own.
    private static let blockBytes = 4096
    /// Every buffer starts on a cache line.
    private static let alignment = 64

    /// The first block (most arenas need no other); further blocks in `moreBlocks`.
    private var firstBlock: UnsafeMutableRawPointer?
    private var moreBlocks: [UnsafeMutableRawPointer] = []
    private var cursor: UnsafeMutableRawPointer?
    private var remaining = 0

    /// An empty arena.
    public init() {}

    /// A buffer of `count` doubles, each set to `initial`.
    public func doubles(_ count: Int, initial: Double = 0) -> UnsafeMutableBufferPointer<Double> {
        let buffer = UnsafeMutableBufferPointer(
            start: carve(bytes: max(1, count) * MemoryLayout<Double>.stride).bindMemory(to: Double.self, capacity: max(1, count)),
            count: max(1, count))
        buffer.initialize(repeating: initial)
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
        let buffer = UnsafeMutableBufferPointer(
            start: carve(bytes: max(1, count) * MemoryLayout<Int>.stride).bindMemory(to: Int.self, capacity: max(1, count)),
            count: max(1, count))
        buffer.initialize(repeating: initial)
        return UnsafeMutableBufferPointer(rebasing: buffer[0..<count])
    }

    /// `bytes` of fresh memory aligned to ``alignment``.
    private func carve(bytes: Int) -> UnsafeMutableRawPointer {
        let size = (bytes + Self.alignment - 1) / Self.alignment * Self.alignment
        if size > Self.blockBytes {
            return keep(UnsafeMutableRawPointer.allocate(byteCount: size, alignment: Self.alignment))
        }
        if size > remaining {
            let block = keep(UnsafeMutableRawPointer.allocate(byteCount: Self.blockBytes, alignment: Self.alignment))
            cursor = block
            remaining = Self.blockBytes
        }
        let start = cursor!
        cursor = start + size
        remaining -= size
        return start
    }

    /// Records a block so that `deinit` frees it.
    private func keep(_ block: UnsafeMutableRawPointer) -> UnsafeMutableRawPointer {
        if firstBlock == nil { firstBlock = block } else { moreBlocks.append(block) }
        return block
    }

    deinit {
        // Doubles and integers are trivial types: nothing to deinitialize.
        firstBlock?.deallocate()
        for block in moreBlocks { block.deallocate() }
    }
}
