import Foundation
import LodestoneKernel
import Testing

@Suite("JSON string literals")
struct JSONTextTests {
    @Test("quotes, backslashes and control characters are escaped; other text is kept")
    func escapes() {
        #expect(JSONText.quoted("a\"b\\c\n\r\t\u{01}\u{1f}") == #""a\"b\\c\n\r\t\u0001\u001f""#)
        #expect(JSONText.quoted("Dy/Tb — 東京 🪨") == "\"Dy/Tb — 東京 🪨\"")
        #expect(JSONText.quoted("") == "\"\"")
    }

    @Test("every control character and the awkward ones read back through Foundation's decoder")
    func readsBack() throws {
        let text = String(String.UnicodeScalarView((0..<0x20).compactMap(Unicode.Scalar.init))) + "\"\\/\u{7f}é\u{2028}"
        let decoded = try JSONDecoder().decode([String].self, from: Data("[\(JSONText.quoted(text))]".utf8))
        #expect(decoded == [text])
    }
}
