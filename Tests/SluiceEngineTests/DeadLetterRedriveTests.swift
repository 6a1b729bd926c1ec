import Foundation
import Logging
import SluiceCore
import SluiceEngine
import SluiceLog
import SluiceResources
import Testing

@Suite("Delivery attempts and dead letters survive a restart, and a redrive gives dead letters back")
struct DeadLetterRedriveTests {
    typealias Fixture = SubscriptionHubTests.Fixture

    static func policy() throws -> DeadLetterPolicy {
        DeadLetterPolicy(deadLetterTopic: try TopicName("jobs-dead"), maxDeliveryAttempts: 5)
    }

    /// Pulls the one message and nacks it, `times` times.
    static func nack(_ hub: SubscriptionHub, times: Int, subscription: String = "watch") async throws -> [Int] {
        var attempts: [Int] = []
        for _ in 0..<times {
            let lease = try await hub.pull(subscription, maxMessages: 1, wait: .seconds(2))
            attempts += lease.map(\.deliveryAttempt)
            try await hub.modifyAckDeadline(subscription, ackIDs: lease.map(\.ackID), seconds: 0)
        }
        return attempts
    }

    static func deadLetterCount(_ log: MemoryEventLog) async throws -> Int {
        try await log.query(
            EventQuery(stream: StreamName(unchecked: "topic/jobs-dead"), types: ["message.published"], limit: 100)
        ).events.count
    }

    /// Subscription `watch` (dead-lettering after 5 attempts) and, with `audit`, a plain
    /// subscription `audit` on the same topic, then one message published.
    func deadLetteredFixture(audit: Bool = false) async throws -> Fixture {
        let fixture = Fixture()
        try await fixture.pubsub.createTopic("jobs-dead")
        try await fixture.subscribe(deadLetter: try Self.policy())
        if audit {
            try await fixture.pubsub.createSubscription(
                SubscriptionConfig(name: try SubscriptionName("audit"), topic: try TopicName("jobs")))
        }
        try await fixture.publish("poison")
        return fixture
    }

    @Test("after a restart the delivery attempt counts on, the lease lost in the crash counting as failed")
    func attemptsCountOnAfterRestart() async throws {
        let fixture = try await deadLetteredFixture()
        try await fixture.running { hub in
            let nacked = try await Self.nack(hub, times: 2)
            #expect(nacked == [1, 2])
            // Leased when the process "dies": never acked nor nacked.
            let leased = try await hub.pull("watch", maxMessages: 1, wait: .seconds(2))
            #expect(leased.first?.deliveryAttempt == 3)
        }
        try await fixture.running { hub in
            let lease = try await hub.pull("watch", maxMessages: 1, wait: .seconds(2))
            #expect(lease.first?.deliveryAttempt == 4)
        }
    }

    @Test("a dead-lettered message is not delivered again after a restart, nor dead-lettered twice")
    func deadLetteredStaysOut() async throws {
        let fixture = try await deadLetteredFixture()
        try await fixture.running { hub in _ = try await Self.nack(hub, times: 5) }
        let again = try await fixture.running { hub in
            try await hub.pull("watch", maxMessages: 1, wait: .milliseconds(300))
        }
        #expect(again.isEmpty)
        #expect(try await Self.deadLetterCount(fixture.log) == 1)
    }

    @Test("a redrive redelivers to that subscription only, from attempt 1, and records who and why")
    func redriveRedelivers() async throws {
        let fixture = try await deadLetteredFixture(audit: true)
        try await fixture.running { hub in
            let audit = try await hub.pull("audit", maxMessages: 1, wait: .seconds(2))
            #expect(audit.count == 1)
            try await hub.acknowledge("audit", ackIDs: audit.map(\.ackID))
            _ = try await Self.nack(hub, times: 5)
            let outcome = try await DeadLetterRedrive.redrive(
                "watch", log: fixture.log, principal: "alice", reason: "consumer fixed")
            #expect(outcome.messageIDs.count == 1)
            let lease = try await hub.pull("watch", maxMessages: 1, wait: .seconds(2))
            #expect(SubscriptionHubTests.texts(lease) == ["poison"])
            #expect(lease.first?.deliveryAttempt == 1)
            let audited = try await hub.pull("audit", maxMessages: 1, wait: .milliseconds(200))
            #expect(audited.isEmpty)
            try await hub.acknowledge("watch", ackIDs: lease.map(\.ackID))
        }
        let redrive = try #require(
            try await fixture.log.query(EventQuery(types: [SubscriptionHub.redrivenType], limit: 10)).events.first)
        #expect(redrive.metadata.principal == "alice")
        #expect(redrive.data.contains("consumer fixed"))
        let second = try await DeadLetterRedrive.redrive("watch", log: fixture.log, principal: "a", reason: "r")
        #expect(second.messageIDs.isEmpty)
    }

    @Test("a redriven message that fails again is dead-lettered again")
    func redrivenMessageDeadLettersAgain() async throws {
        let fixture = try await deadLetteredFixture()
        try await fixture.running { hub in
            _ = try await Self.nack(hub, times: 5)
            _ = try await DeadLetterRedrive.redrive("watch", log: fixture.log, principal: "alice", reason: "retry")
            let attempts = try await Self.nack(hub, times: 5)
            #expect(attempts == [1, 2, 3, 4, 5])
        }
        #expect(try await Self.deadLetterCount(fixture.log) == 2)
    }

    @Test("redriving a subscription that does not exist is NOT_FOUND")
    func unknownSubscription() async throws {
        let fixture = Fixture()
        await #expect(throws: SluiceError.self) {
            try await DeadLetterRedrive.redrive("nope", log: fixture.log, principal: "a", reason: "r")
        }
    }

    @Test("with exactly-once delivery, an ack id from before a restart never acknowledges a later delivery")
    func exactlyOnceAckIDsDoNotRepeatAfterRestart() async throws {
        let fixture = Fixture()
        try await fixture.pubsub.createTopic("jobs")
        try await fixture.pubsub.createSubscription(
            SubscriptionConfig(
                name: try SubscriptionName("watch"), topic: try TopicName("jobs"), enableExactlyOnceDelivery: true))
        try await fixture.publish("once")
        let before = try await fixture.running { hub in
            try await hub.pull("watch", maxMessages: 1, wait: .seconds(2))
        }
        try await fixture.running { hub in
            let after = try await hub.pull("watch", maxMessages: 1, wait: .seconds(2))
            #expect(after.first?.deliveryAttempt == 2)
            #expect(after.first?.ackID != before.first?.ackID)
            try await hub.acknowledge("watch", ackIDs: before.map(\.ackID))
            #expect(await hub.backlog("watch") == 1)
            try await hub.acknowledge("watch", ackIDs: after.map(\.ackID))
            #expect(await hub.backlog("watch") == 0)
        }
    }
}
