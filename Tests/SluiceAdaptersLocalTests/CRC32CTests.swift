import SluiceAdaptersLocal
import Testing

@Suite struct CRC32CTests {
    @Test(arguments: [
        ("", UInt32(0)),
        ("123456789", UInt32(0xE306_9283)),
        ("a", UInt32(0xC1D0_4330)),
        ("The quick brown fox jumps over the lazy dog", UInt32(0x2262_0404)),
    ])
    func checksumsMatchKnownVectors(_ text: String, _ expected: UInt32) {
        #expect(CRC32C.checksum(Array(text.utf8)) == expected)
    }

    @Test func thirtyTwoZeroBytesMatchTheRFC3720Vector() {
        #expect(CRC32C.checksum([UInt8](repeating: 0, count: 32)) == 0x8A91_36AA)
        #expect(CRC32C.checksum([UInt8](repeating: 0xFF, count: 32)) == 0x62A8_AB43)
        #expect(CRC32C.checksum((0..<32).map { UInt8($0) }) == 0x46DD_794E)
    }

    @Test func incrementalUpdatesEqualOneShot() {
        var crc = CRC32C()
        crc.update(Array("12345".utf8))
        crc.update(Array("6789".utf8))
        #expect(crc.value == 0xE306_9283)
        #expect(crc.bigEndianBytes == [0xE3, 0x06, 0x92, 0x83])
    }
}
