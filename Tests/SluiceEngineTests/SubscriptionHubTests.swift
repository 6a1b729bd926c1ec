import Foundation
import Logging
import SluiceCore
import SluiceEngine
import SluiceLog
import SluiceResources
import Testing

@Suite("Pull subscriptions lease, acknowledge, redeliver and dead-letter messages from the log")
struct SubscriptionHubTests {
    struct Fixture {
        let log = MemoryEventLog()
        let pubsub: PubSubService

        init() { pubsub = PubSubService(log: log) }

        func subscribe(
            _ name: String = "watch", filter: String? = nil, deadLetter: DeadLetterPolicy? = nil
        ) async throws {
            try await pubsub.createTopic("jobs")
            try await pubsub.createSubscription(
                SubscriptionConfig(
                    name: try SubscriptionName(name), topic: try TopicName("jobs"), deadLetterPolicy: deadLetter,
                    filter: filter))
        }

        func publish(_ text: String, attributes: [String: String] = [:]) async throws {
            try await pubsub.publish(
                topic: "jobs",
                [
                    PubsubMessage(
                        messageID: "", publishTime: Timestamp(microseconds: 0), attributes: ExactStringMap(attributes),
                        data: Array(text.utf8))
                ])
        }

        /// Runs a hub on the log while `body` runs.
        func running<T: Sendable>(
            pushSender: (any PushSender)? = nil, _ body: @Sendable (SubscriptionHub) async throws -> T
        ) async throws -> T {
            let hub = SubscriptionHub(log: log, pubsub: pubsub, logger: Logger(label: "test"), pushSender: pushSender)
            return try await withThrowingTaskGroup(of: Void.self) { group in
                group.addTask { try await hub.run() }
                let value = try await body(hub)
                group.cancelAll()
                return value
            }
        }
    }

    /// Pulls until `count` messages are leased (the feed may enqueue them one by one).
    static func pull(_ hub: SubscriptionHub, count: Int) async throws -> [DeliveryStateMachine.Delivery] {
        var leased: [DeliveryStateMachine.Delivery] = []
        for _ in 0..<50 where leased.count < count {
            leased += try await hub.pull("watch", maxMessages: count - leased.count, wait: .milliseconds(100))
        }
        return leased
    }

    static func texts(_ deliveries: [DeliveryStateMachine.Delivery]) -> [String] {
        deliveries.map { String(decoding: $0.message.data, as: UTF8.self) }
    }

    @Test("a stored subscription that today's rules refuse is skipped, and the others still deliver")
    func invalidStoredSubscriptionIsSkipped() async throws {
        let fixture = Fixture()
        try await fixture.subscribe()
        var stale = SubscriptionConfig(name: try SubscriptionName("stale"), topic: try TopicName("jobs"))
        stale.ackDeadlineSeconds = 5
        _ = try await fixture.log.append(
            [
                SubscriptionEvent.created(SubscriptionCreated(config: stale, time: Timestamp(microseconds: 1)))
                    .newEvent()
            ],
            to: ResourceStreams.subscription(stale.name))
        try await fixture.publish("hello")
        let texts = try await fixture.running { hub in Self.texts(try await Self.pull(hub, count: 1)) }
        #expect(texts == ["hello"])
    }

    @Test("a pulled message stays leased until acknowledged, and an acknowledged one is not delivered again")
    func pullAndAcknowledge() async throws {
        let fixture = Fixture()
        try await fixture.subscribe()
        try await fixture.publish("one")
        try await fixture.publish("two")
        try await fixture.running { hub in
            let first = try await Self.pull(hub, count: 2)
            #expect(Self.texts(first) == ["one", "two"])
            #expect(try await hub.pull("watch", maxMessages: 10).isEmpty)
            try await hub.acknowledge("watch", ackIDs: first.map(\.ackID))
            #expect(await hub.backlog("watch") == 0)
        }
    }

    @Test("a nack (deadline 0) redelivers at once with the next delivery attempt")
    func nackRedelivers() async throws {
        let fixture = Fixture()
        try await fixture.subscribe()
        try await fixture.publish("retry me")
        try await fixture.running { hub in
            let first = try await hub.pull("watch", maxMessages: 1, wait: .seconds(2))
            try await hub.modifyAckDeadline("watch", ackIDs: first.map(\.ackID), seconds: 0)
            let second = try await hub.pull("watch", maxMessages: 1, wait: .seconds(2))
            #expect(Self.texts(second) == ["retry me"])
            #expect(second.first?.deliveryAttempt == 2)
        }
    }

    @Test("after maxDeliveryAttempts the message goes to the dead-letter topic with Pub/Sub's attributes")
    func deadLetters() async throws {
        let fixture = Fixture()
        try await fixture.pubsub.createTopic("jobs-dead")
        try await fixture.subscribe(
            deadLetter: DeadLetterPolicy(deadLetterTopic: try TopicName("jobs-dead"), maxDeliveryAttempts: 5))
        try await fixture.publish("poison")
        try await fixture.running { hub in
            for _ in 0..<5 {
                let lease = try await hub.pull("watch", maxMessages: 1, wait: .seconds(2))
                try await hub.modifyAckDeadline("watch", ackIDs: lease.map(\.ackID), seconds: 0)
            }
            #expect(try await hub.pull("watch", maxMessages: 1).isEmpty)
        }
        let dead = try await fixture.log.query(
            EventQuery(stream: StreamName(unchecked: "topic/jobs-dead"), types: ["message.published"], limit: 10))
        let messages = try dead.events.map { event -> PubsubMessage in
            guard case .messagePublished(let message) = try TopicEvent(event) else {
                throw SluiceError(.internalFailure, "")
            }
            return message
        }
        #expect(messages.count == 1)
        #expect(messages.first?.attributes["CloudPubSubDeadLetterSourceDeliveryCount"] == "5")
        #expect(messages.first?.attributes["CloudPubSubDeadLetterSourceSubscription"] == "watch")
    }

    @Test("a subscription whose dead-letter topic does not exist is refused")
    func missingDeadLetterTopicIsRefused() async throws {
        let fixture = Fixture()
        do {
            try await fixture.subscribe(
                deadLetter: DeadLetterPolicy(deadLetterTopic: try TopicName("nowhere"), maxDeliveryAttempts: 5))
            Issue.record("the subscription was created")
        } catch let error as SluiceError {
            #expect(error.code == .notFound)
            #expect(error.message == "dead-letter topic nowhere does not exist")
        }
    }

    @Test("a message whose dead-letter topic is gone stays in the subscription and is delivered again")
    func deadLetteringToAMissingTopicKeepsTheMessage() async throws {
        let fixture = Fixture()
        try await fixture.pubsub.createTopic("jobs-dead")
        try await fixture.subscribe(
            deadLetter: DeadLetterPolicy(deadLetterTopic: try TopicName("jobs-dead"), maxDeliveryAttempts: 5))
        try await fixture.pubsub.deleteTopic("jobs-dead")
        try await fixture.publish("poison")
        try await fixture.running { hub in
            for _ in 0..<5 {
                let lease = try await hub.pull("watch", maxMessages: 1, wait: .seconds(2))
                try await hub.modifyAckDeadline("watch", ackIDs: lease.map(\.ackID), seconds: 0)
            }
            let again = try await hub.pull("watch", maxMessages: 1, wait: .seconds(2))
            #expect(Self.texts(again) == ["poison"])
        }
    }

    @Test("an attribute filter keeps non-matching messages out of the subscription")
    func filterExcludes() async throws {
        let fixture = Fixture()
        try await fixture.subscribe(filter: "attributes.kind = \"image\"")
        try await fixture.publish("text", attributes: ["kind": "text"])
        try await fixture.publish("picture", attributes: ["kind": "image"])
        let pulled = try await fixture.running { hub in
            let first = try await Self.pull(hub, count: 1)
            try await Task.sleep(for: .milliseconds(100))
            return first + (try await hub.pull("watch", maxMessages: 10))
        }
        #expect(Self.texts(pulled) == ["picture"])
    }

    @Test("after a restart acknowledged messages stay acknowledged and unacknowledged ones come back")
    func restartKeepsAcks() async throws {
        let fixture = Fixture()
        try await fixture.subscribe()
        try await fixture.publish("done")
        try await fixture.publish("pending")
        try await fixture.running { hub in
            let leased = try await Self.pull(hub, count: 2)
            try await hub.acknowledge(
                "watch", ackIDs: leased.filter { $0.message.data == Array("done".utf8) }.map(\.ackID))
        }
        let again = try await fixture.running { hub in
            let pending = try await Self.pull(hub, count: 1)
            try await Task.sleep(for: .milliseconds(100))
            return pending + (try await hub.pull("watch", maxMessages: 10))
        }
        #expect(Self.texts(again) == ["pending"])
    }
}
