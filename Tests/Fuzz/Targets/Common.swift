// Shared by every fuzz target (compiled into each fuzz binary next to the target's own file).

/// Stops the fuzzer when an invariant does not hold; libFuzzer reports it as a crash and saves
/// the input.
func require(_ condition: @autoclosure () -> Bool, _ message: @autoclosure () -> String) {
    if !condition() { fatalError("invariant failed: \(message())") }
}

/// The input bytes.
func bytes(_ data: UnsafePointer<UInt8>, _ size: Int) -> [UInt8] {
    Array(UnsafeBufferPointer(start: data, count: size))
}

/// The input as text (invalid UTF-8 becomes U+FFFD, as a lenient reader would see it).
func text(_ data: UnsafePointer<UInt8>, _ size: Int) -> String {
    String(decoding: UnsafeBufferPointer(start: data, count: size), as: UTF8.self)
}

/// The input cut at NUL bytes into at most `limit` parts (the last part keeps any further NULs).
func parts(_ data: UnsafePointer<UInt8>, _ size: Int, limit: Int) -> [String] {
    var out: [String] = []
    var current: [UInt8] = []
    for byte in UnsafeBufferPointer(start: data, count: size) {
        if byte == 0, out.count < limit - 1 {
            out.append(String(decoding: current, as: UTF8.self))
            current = []
        } else {
            current.append(byte)
        }
    }
    out.append(String(decoding: current, as: UTF8.self))
    return out
}
