import Foundation
import Testing

@testable import SluiceCore

@Suite("JSON string literals are escaped per RFC 8259 and read back as the same text")
struct JSONTextTests {
    @Test(
        "quoting escapes quotes, backslashes and control characters and keeps everything else",
        arguments: [
            ("plain", #""plain""#),
            ("", #""""#),
            ("say \"hi\"", #""say \"hi\"""#),
            ("a\\b", #""a\\b""#),
            ("line\nnext\ttab\r", #""line\nnext\ttab\r""#),
            ("\u{08}\u{0C}\u{01}\u{1F}", #""\b\f\u0001\u001f""#),
            ("\"\u{301}é", "\"\\\"\u{301}é\""),
            ("emoji 🧪\"end", "\"emoji 🧪\\\"end\""),
        ])
    func quoting(_ text: String, _ expected: String) {
        #expect(Array(JSONText.quote(text).utf8) == Array(expected.utf8))
        var bytes: [UInt8] = [UInt8(ascii: "x")]
        JSONText.appendQuoted(text, to: &bytes)
        #expect(bytes == [UInt8(ascii: "x")] + Array(expected.utf8), "quoting into bytes writes the same")
    }

    @Test("every quoted string decodes back to itself")
    func roundTrip() throws {
        let samples = ["a\u{0}b", "\u{301}\"\u{301}", "\\\\\"\"", "日本語\n", String(repeating: "x\"", count: 100)]
        for sample in samples {
            let decoded = try JSONDecoder().decode(String.self, from: Data(JSONText.quote(sample).utf8))
            #expect(Array(decoded.utf8) == Array(sample.utf8))
        }
    }
}
