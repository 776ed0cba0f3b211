#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// Moving text across the C boundary.
enum CText {
    /// Writes `message` into a caller's buffer of `capacity` bytes, NUL-terminated, truncated on a
    /// UTF-8 character boundary. Does nothing without a buffer.
    static func write(_ message: String, to buffer: UnsafeMutablePointer<CChar>?, capacity: Int) {
        guard let buffer, capacity > 0 else { return }
        var bytes = Array(message.utf8)
        if bytes.count > capacity - 1 {
            var end = capacity - 1
            // Do not cut a multi-byte character: back up to a lead byte.
            while end > 0, bytes[end] & 0xC0 == 0x80 { end -= 1 }
            bytes = Array(bytes[..<end])
        }
        for (i, byte) in bytes.enumerated() { buffer[i] = CChar(bitPattern: byte) }
        buffer[bytes.count] = 0
    }

    /// A `malloc`'d NUL-terminated copy of `text` (free with `free`), or nil when out of memory.
    static func duplicate(_ text: String) -> UnsafeMutablePointer<CChar>? { strdup(text) }

    /// The text of a NUL-terminated buffer, replacing invalid UTF-8.
    static func string(_ pointer: UnsafePointer<CChar>) -> String {
        String(decoding: UnsafeRawBufferPointer(start: pointer, count: strlen(pointer)), as: UTF8.self)
    }
}
