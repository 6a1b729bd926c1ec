import SluiceAdapters
import SluiceCore
import SluiceWorkflows
import Testing

@testable import SluiceEngine

@Suite("A start-workflow function's argument is its CloudEvent's data, as the workflow would parse it")
struct MessagePublishedArgumentTests {
    struct Message: Sendable, CustomStringConvertible {
        var attributes: [String: String]
        var data: [UInt8]
        var orderingKey: String?
        var description: String { "\(attributes.count) attributes, \(data.count) bytes, key \(orderingKey ?? "none")" }
    }

    static let messages = [
        Message(attributes: [:], data: [], orderingKey: nil),
        Message(
            attributes: ["eventType": "OBJECT_FINALIZE", "bucketId": "uploads", "objectId": "a/\"b\"\\c ü.json"],
            data: Array(#"{"name": "x.png", "size": "42"}"#.utf8), orderingKey: nil),
        Message(attributes: ["z": "1", "A": "\u{01}\n"], data: [0, 255, 128, 7], orderingKey: "key-1"),
        Message(attributes: [:], data: Array("plain".utf8), orderingKey: ""),
    ]

    @Test("built directly, it equals the parsed CloudEvent data", arguments: messages)
    func equalsTheParsedCloudEventData(_ message: Message) throws {
        let cloudEvent = CloudEvent.pubsubMessagePublished(
            project: "local-project", topic: "uploads-finalized", subscription: "on-upload-uploads-finalized",
            messageID: "1042", publishTime: "2026-12-07T06:50:17.973251Z",
            attributes: ExactStringMap(message.attributes),
            data: message.data, orderingKey: message.orderingKey)
        let built = MessagePublishedArgument.value(
            project: "local-project", subscription: "on-upload-uploads-finalized", messageID: "1042",
            publishTime: "2026-12-07T06:50:17.973251Z", attributes: ExactStringMap(message.attributes),
            data: message.data,
            orderingKey: message.orderingKey)
        let parsed = try JSONReader.parse(cloudEvent.data)
        #expect(built == parsed)
        #expect(try built.jsonString() == (try parsed.jsonString()))
    }
}
