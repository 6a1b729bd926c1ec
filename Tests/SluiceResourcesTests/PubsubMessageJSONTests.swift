import SluiceCore
import Testing

@testable import SluiceResources

@Suite("A published message writes the same JSON as its Encodable conformance")
struct PubsubMessageJSONTests {
    static let messages = [
        PubsubMessage(messageID: "", publishTime: Fixtures.time(0), attributes: [:], data: [1], orderingKey: ""),
        PubsubMessage(
            messageID: "42", publishTime: Fixtures.time(3),
            attributes: ["objectId": "a/\"b\" ü", "bucketId": "uploads", "Z": "\u{01}"],
            data: Array(#"{"kind": "storage#object"}"#.utf8) + [0, 255], orderingKey: "key/1"),
        PubsubMessage(
            messageID: "", publishTime: Fixtures.time(9), attributes: ["only": "attributes"], data: [],
            orderingKey: ""),
    ]

    @Test("each message", arguments: messages)
    func sameBytes(_ message: PubsubMessage) throws {
        #expect(message.json() == (try SortedJSONEncoder.encode(message)))
    }

    @Test("each message reads back through its hand-written decoder", arguments: messages)
    func decodesWhatItWrites(_ message: PubsubMessage) {
        #expect(PubsubMessage.decodeStored(message.json()) == message)
    }

    @Test("the hand-written decoder gives up on data that is not base64 or a member it does not know")
    func wrongShapeIsNotRead() {
        #expect(PubsubMessage.decodeStored(#"{"data":"***","publishTime":1}"#) == nil)
        #expect(PubsubMessage.decodeStored(#"{"publishTime":1,"schema":"x"}"#) == nil)
        #expect(PubsubMessage.decodeStored(#"{"data":"AQ=="}"#) == nil)
    }
}
