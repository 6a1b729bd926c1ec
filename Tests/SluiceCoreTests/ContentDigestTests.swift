import Testing

@testable import SluiceCore

@Suite("A content digest is the SHA-256 as 64 lowercase hexadecimal digits")
struct ContentDigestTests {
    @Test("raw bytes become two lowercase digits each, high nibble first, in order")
    func rawBytesBecomeLowercaseHex() throws {
        let bytes: [UInt8] = [0x00, 0x01, 0x0f, 0x10, 0x7f, 0x80, 0xab, 0xff] + Array(repeating: 0x5a, count: 24)
        let digest = ContentDigest(sha256: bytes)
        #expect(digest.hex == "00010f107f80abff" + String(repeating: "5a", count: 24))
        #expect(try ContentDigest(hex: digest.hex) == digest)
    }
}
