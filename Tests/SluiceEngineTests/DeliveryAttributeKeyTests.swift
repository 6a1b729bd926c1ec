import SluiceAdapters
import SluiceCore
import SluiceEngine
import SluiceResources
import Testing

@Suite("Deliveries carry attribute keys that differ only in Unicode normalization as two attributes")
struct DeliveryAttributeKeyTests {
    /// Whether `bytes` holds the UTF-8 bytes of `text` (`String.contains` would also find a
    /// canonically equivalent spelling).
    static func holds(_ bytes: [UInt8], _ text: String) -> Bool {
        let needle = Array(text.utf8)
        guard needle.count <= bytes.count else { return false }
        return (0...(bytes.count - needle.count)).contains { bytes[$0..<($0 + needle.count)].elementsEqual(needle) }
    }

    /// A message with "é" precomposed (U+00E9) as one key and decomposed ("e", U+0301) as another.
    static func message() -> PubsubMessage {
        var message = PubsubMessage(messageID: "1", publishTime: Timestamp(seconds: 0), data: Array("x".utf8))
        message.attributes["\u{E9}"] = "1"
        message.attributes["e\u{301}"] = "2"
        return message
    }

    @Test("a wrapped push holds both spellings of the key")
    func wrappedPushKeepsBothSpellings() throws {
        let config = SubscriptionConfig(
            name: try SubscriptionName("watch"), topic: try TopicName("jobs"),
            pushConfig: PushConfig(pushEndpoint: "http://127.0.0.1:9/push"))
        let delivery = DeliveryStateMachine.Delivery(
            ackID: "1-1", message: Self.message(), deliveryAttempt: 1, deadline: Timestamp(seconds: 10))
        let request = PushRequests.make(
            delivery, config: config, push: try #require(config.pushConfig), project: "local")
        #expect(Self.holds(request.body, "\"\u{E9}\":\"1\""))
        #expect(Self.holds(request.body, "\"e\u{301}\":\"2\""))
    }

    @Test("a function's messagePublished CloudEvent holds both spellings of the key")
    func cloudEventKeepsBothSpellings() {
        let message = Self.message()
        let event = CloudEvent.pubsubMessagePublished(
            project: "p", topic: "jobs", subscription: "watch", messageID: "1",
            publishTime: "2026-01-01T00:00:00Z", attributes: message.attributes, data: message.data, orderingKey: nil)
        #expect(Self.holds(Array(event.data.utf8), "\"\u{E9}\":\"1\""))
        #expect(Self.holds(Array(event.data.utf8), "\"e\u{301}\":\"2\""))
    }
}
