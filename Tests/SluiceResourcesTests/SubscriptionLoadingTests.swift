import SluiceCore
import SluiceLog
import SluiceResources
import Testing

@Suite("A subscription loads from its configuration events, however many delivery records share its stream")
struct SubscriptionLoadingTests {
    @Test("the configuration is the last update's, at the stream's current version")
    func configurationSkipsDeliveryRecords() async throws {
        let log = MemoryEventLog()
        let pubsub = PubSubService(log: log)
        try await pubsub.createTopic("orders")
        let name = try SubscriptionName("workers")
        var config = SubscriptionConfig(name: name, topic: try TopicName("orders"))
        try await pubsub.createSubscription(config)
        let stream = ResourceStreams.subscription(name)
        for index in 0..<300 {
            _ = try await log.append(
                [NewEvent(type: "delivery.acked", data: "{\"messageId\": \"\(index)\"}")], to: stream)
            if index == 150 {
                config.ackDeadlineSeconds = 42
                try await pubsub.updateSubscription(config, fields: ["ackDeadlineSeconds"])
            }
        }

        let loaded = try await log.loadSubscription(name)
        #expect(loaded.state.config?.ackDeadlineSeconds == 42)
        #expect(loaded.version == 302)
        let version = await log.streamVersion(stream)
        #expect(loaded.version == version)
        #expect(try await pubsub.subscription("workers").ackDeadlineSeconds == 42)

        try await pubsub.deleteSubscription("workers")
        #expect(try await log.loadSubscription(name).state.config == nil)
    }
}
