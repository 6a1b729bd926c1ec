import Foundation
import SluiceWorkflows
import Testing

@Suite("base64.decode reads what any base64 encoder writes")
struct Base64DecodingTests {
    /// Foundation's encoding of `length` bytes that cover every 6-bit value across lengths.
    static func reference(length: Int) -> String {
        Data((0..<length).map { UInt8(truncatingIfNeeded: $0 &* 89 &+ length &* 7) }).base64EncodedString()
    }

    @Test("padded, unpadded and URL-safe text of every length from 0 to 48 bytes decodes to the same bytes")
    func decodesEveryLengthAndAlphabet() throws {
        for length in 0...48 {
            let padded = Self.reference(length: length)
            let unpadded = padded.replacingOccurrences(of: "=", with: "")
            let urlSafe = unpadded.replacingOccurrences(of: "+", with: "-").replacingOccurrences(of: "/", with: "_")
            for text in [padded, unpadded, urlSafe] {
                let roundTrip = try Harness.evaluate(#"base64.encode(base64.decode("\#(text)"))"#).get()
                #expect(roundTrip == .string(padded), "length \(length): \(text)")
            }
        }
    }

    @Test("line breaks inside the text are skipped")
    func lineBreaksAreSkipped() throws {
        let text = Self.reference(length: 30)
        let wrapped = text.prefix(12) + "\\n" + text.dropFirst(12).prefix(12) + "\\r\\n" + text.dropFirst(24)
        #expect(try Harness.evaluate(#"base64.encode(base64.decode("\#(wrapped)"))"#).get() == .string(text))
    }

    @Test("text whose length leaves one character over is a ValueError")
    func oneCharacterOverIsAValueError() throws {
        guard case .failure(let error) = try Harness.evaluate(#"base64.decode("QUJDR")"#) else {
            Issue.record("QUJDR decoded")
            return
        }
        #expect(error.tags.contains("ValueError"))
    }
}
