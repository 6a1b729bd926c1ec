import SluiceCore
import Testing

@testable import SluiceLogSQLite

@Suite("The hash chain gives every event the hash logs written before stored for it")
struct EventHasherTests {
    static func hex(_ bytes: [UInt8]) -> String {
        bytes.map { String($0, radix: 16).count == 1 ? "0" + String($0, radix: 16) : String($0, radix: 16) }.joined()
    }

    static let content = EventHasher.contentDigest(
        stream: "object/uploads/a.png", type: "object.finalized", data: #"{"size":3}"#,
        eventID: EventID(high: 0x0123_4567_89AB_7DEF, low: 0x8123_4567_89AB_CDEF),
        correlationID: "a.png", causationID: nil, principal: "tester", extra: #"{"k":"v"}"#)

    @Test("an event's content digest is unchanged")
    func contentDigestIsStable() {
        #expect(Self.hex(Self.content) == "571b0bdb8f441531d42cb4fc04052e4c7c09420f3b40c944bd8d31b65fff274b")
    }

    @Test("an event's chained hash is unchanged")
    func chainIsStable() {
        let hash = EventHasher.chain(
            previous: EventHasher.genesis, position: 42, version: 7, recordedAt: 1_796_000_000_123_456,
            content: Self.content)
        #expect(Self.hex(hash) == "e2ee668d71ad9ecd98e303ed93f387764ead779d26873805f5d07e57680fefe6")
    }
}
