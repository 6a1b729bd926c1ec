import SluiceCore
import SluiceLog
import SluiceResources
import Testing

@Suite("A topic's name is free again once it is deleted, as in Pub/Sub")
struct TopicLifecycleTests {
    @Test("a deleted topic can be created, published to and deleted again; a live one cannot be created twice")
    func aDeletedTopicCanBeCreatedAgain() async throws {
        let log = MemoryEventLog()
        let pubsub = PubSubService(log: log)
        try await pubsub.createTopic("orders")
        try await pubsub.publish(
            topic: "orders",
            [PubsubMessage(messageID: "", publishTime: Timestamp(microseconds: 0), data: Array("first".utf8))])
        try await pubsub.deleteTopic("orders")
        #expect(try await pubsub.topicExists("orders") == false)
        await #expect(throws: SluiceError(.notFound, "")) {
            try await pubsub.publish(
                topic: "orders",
                [PubsubMessage(messageID: "", publishTime: Timestamp(microseconds: 0), data: Array("lost".utf8))])
        }

        try await pubsub.createTopic("orders")
        #expect(try await pubsub.topicExists("orders"))
        #expect(try await pubsub.listTopics() == ["orders"])
        await #expect(throws: SluiceError(.alreadyExists, "")) { try await pubsub.createTopic("orders") }
        try await pubsub.publish(
            topic: "orders",
            [PubsubMessage(messageID: "", publishTime: Timestamp(microseconds: 0), data: Array("second".utf8))])

        try await pubsub.deleteTopic("orders")
        #expect(try await pubsub.topicExists("orders") == false)
        #expect(try await pubsub.listTopics().isEmpty)
    }
}
