import Foundation

/// Percent-encoding for `data:` URIs (RFC 2397), with Foundation's `addingPercentEncoding`.
enum DataURI {
    /// The characters kept as they are: ASCII letters and digits and `- . _ ~ , : / ( )`; all
    /// else (spaces, line breaks, quotes, `%`, `#`, `&`, `<`, non-ASCII) is written as `%XX` of its
    /// UTF-8 bytes, which makes the URI safe inside a double-quoted HTML attribute.
    static let kept = CharacterSet(
        charactersIn: "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-._~,:/()")

    /// `text` percent-encoded for a `data:` URI.
    static func percentEncoded(_ text: String) -> String {
        text.addingPercentEncoding(withAllowedCharacters: kept) ?? ""
    }
}
