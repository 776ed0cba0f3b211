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
    /// Bytes per block; a larger request gets a block of its own. 16 KB: a script run's trade
    /// instance (which filled seven blocks of 4 KB) takes two, each block an
    /// allocation and a free per run; a small module's one block is still far below malloc's
    /// threshold for mapping pages of its own.
    private static let blockBytes = 16384
    /// Every buffer starts on a cache line.
    private static let alignment = 64

    /// The most recent block's allocation (nil before the first); each allocation starts with the
    /// address of the one before it, so that `deinit` frees them all without an array.
    private var lastAllocation: UnsafeMutableRawPointer?
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

    /// A buffer holding a copy of `values` (not set to 0 first).
    func ints(copying values: [Int]) -> UnsafeMutableBufferPointer<Int> {
        let count = values.count
        let buffer = UnsafeMutableBufferPointer(
            start: carve(bytes: max(1, count) * MemoryLayout<Int>.stride).bindMemory(to: Int.self, capacity: max(1, count)),
            count: max(1, count))
        if count == 0 {
            buffer.initialize(repeating: 0)
        } else {
            _ = buffer.initialize(from: values)
        }
        return UnsafeMutableBufferPointer(rebasing: buffer[0..<count])
    }

    /// `bytes` of fresh memory aligned to ``alignment``.
    private func carve(bytes: Int) -> UnsafeMutableRawPointer {
        let size = (bytes + Self.alignment - 1) / Self.alignment * Self.alignment
        if size > Self.blockBytes { return block(bytes: size) }
        if size > remaining {
            cursor = block(bytes: Self.blockBytes)
            remaining = Self.blockBytes
        }
        let start = cursor!
        cursor = start + size
        remaining -= size
        return start
    }

    /// A new block of `bytes` starting on a cache line, linked for `deinit`.
    ///
    /// Allocated with the default alignment and aligned by hand: a 64-byte aligned allocation
    /// took glibc's aligned path (`_int_memalign`, about 900 instructions per block), where the
    /// default one (`posix_memalign` with 16, which glibc hands to `malloc`) costs about 300.
    private func block(bytes: Int) -> UnsafeMutableRawPointer {
        let raw = UnsafeMutableRawPointer.allocate(
            byteCount: bytes + Self.alignment, alignment: MemoryLayout<UnsafeMutableRawPointer?>.alignment)
        raw.storeBytes(of: lastAllocation, as: UnsafeMutableRawPointer?.self)
        lastAllocation = raw
        // The first aligned address past the link (at most `alignment` bytes in).
        let linkEnd = UInt(bitPattern: raw + MemoryLayout<UnsafeMutableRawPointer?>.stride)
        let mask = UInt(Self.alignment - 1)
        return raw + Int((linkEnd + mask) & ~mask - UInt(bitPattern: raw))
    }

    deinit {
        // Doubles and integers are trivial types: nothing to deinitialize.
        var next = lastAllocation
        while let allocation = next {
            next = allocation.load(as: UnsafeMutableRawPointer?.self)
            allocation.deallocate()
        }
    }
}
