import SluiceCore
import SluiceResources
import Testing

/// Drives a delivery state machine with a manual clock and records every action.
struct DeliveryHarness {
    var machine: DeliveryStateMachine
    var now = Timestamp(seconds: 1_000)
    var published = 0

    init(_ change: (inout SubscriptionConfig) -> Void = { _ in }) throws {
        var config = SubscriptionConfig(name: try SubscriptionName("sub"), topic: try TopicName("topic"))
        change(&config)
        machine = DeliveryStateMachine(configuration: try .init(config))
    }

    mutating func advance(_ seconds: Int64) { now = now.adding(seconds: seconds) }

    @discardableResult
    mutating func publish(_ attributes: [String: String] = ["k": "v"], key: String = "") -> [DeliveryStateMachine
        .Action]
    {
        published += 1
        let message = PubsubMessage(
            messageID: String(published), publishTime: now, attributes: ExactStringMap(attributes), orderingKey: key)
        return machine.handle(.enqueue(message), now: now)
    }

    mutating func pull(_ max: Int = 10) -> [DeliveryStateMachine.Delivery] {
        machine.handle(.pull(maxMessages: max), now: now).compactMap {
            if case .deliver(let delivery) = $0 { return delivery }
            return nil
        }
    }

    mutating func ack(_ ackID: String) -> [DeliveryStateMachine.Action] {
        machine.handle(.acknowledge(ackID: ackID), now: now)
    }

    mutating func nack(_ ackID: String) -> [DeliveryStateMachine.Action] {
        machine.handle(.modifyAckDeadline(ackID: ackID, seconds: 0), now: now)
    }

    mutating func tick() -> [DeliveryStateMachine.Action] { machine.handle(.tick, now: now) }
}

@Suite struct DeliveryStateMachineTests {
    @Test func aDeliveryLeasesTheMessageUntilTheAckDeadline() throws {
        var harness = try DeliveryHarness { $0.ackDeadlineSeconds = 30 }
        harness.publish()
        let deliveries = harness.pull()
        #expect(deliveries.map(\.ackID) == ["1#1"])
        #expect(deliveries[0].deliveryAttempt == 1)
        #expect(deliveries[0].deadline == harness.now.adding(seconds: 30))
        #expect(harness.pull().isEmpty)
        #expect(harness.machine.nextWakeUp(after: harness.now) == harness.now.adding(seconds: 30))
    }

    @Test func anAckedMessageIsNeverDeliveredAgain() throws {
        var harness = try DeliveryHarness()
        harness.publish()
        let delivery = try #require(harness.pull().first)
        #expect(harness.ack(delivery.ackID) == [.acknowledged(messageID: "1", ackID: "1#1")])
        harness.advance(3_600)
        #expect(harness.tick().isEmpty)
        #expect(harness.pull().isEmpty)
        #expect(harness.machine.backlogCount == 0)
    }

    @Test func anExpiredLeaseIsRedeliveredWithTheNextAttemptNumber() throws {
        var harness = try DeliveryHarness()
        harness.publish()
        _ = harness.pull()
        harness.advance(10)
        #expect(harness.tick() == [.redeliveryScheduled(messageID: "1", at: harness.now, deliveryAttempt: 1)])
        let again = harness.pull()
        #expect(again.map(\.ackID) == ["1#2"])
        #expect(again.map(\.deliveryAttempt) == [2])
    }

    @Test func nacksBackOffExponentiallyBetweenMinimumAndMaximum() throws {
        var harness = try DeliveryHarness {
            $0.retryPolicy = RetryPolicy(minimumBackoffSeconds: 10, maximumBackoffSeconds: 30)
        }
        harness.publish()
        var delays: [Int64] = []
        for _ in 0..<4 {
            let delivery = try #require(harness.pull().first)
            let actions = harness.nack(delivery.ackID)
            guard case .redeliveryScheduled(_, let at, _) = actions.first else {
                Issue.record("expected a redelivery, got \(actions)")
                return
            }
            delays.append((at.microseconds - harness.now.microseconds) / 1_000_000)
            harness.advance(delays.last! - 1)
            #expect(harness.pull().isEmpty, "redelivered before the backoff ended")
            harness.advance(1)
        }
        #expect(delays == [10, 20, 30, 30])
    }

    @Test func aMessageIsDeadLetteredAfterMaxDeliveryAttempts() throws {
        var harness = try DeliveryHarness {
            $0.deadLetterPolicy = DeadLetterPolicy(
                deadLetterTopic: try! TopicName("dead-letters"), maxDeliveryAttempts: 5)
        }
        harness.publish()
        var last: [DeliveryStateMachine.Action] = []
        for attempt in 1...5 {
            let delivery = try #require(harness.pull().first)
            #expect(delivery.deliveryAttempt == attempt)
            last = harness.nack(delivery.ackID)
        }
        #expect(last == [.deadLettered(messageID: "1", topic: try TopicName("dead-letters"), deliveryAttempt: 5)])
        #expect(harness.pull().isEmpty)
        #expect(harness.machine.backlogCount == 0)
    }

    @Test func orderedMessagesOfOneKeyAreDeliveredOneAtATimeInPublishOrder() throws {
        var harness = try DeliveryHarness { $0.enableMessageOrdering = true }
        harness.publish(key: "a")
        harness.publish(key: "a")
        harness.publish(key: "b")
        let first = harness.pull()
        #expect(first.map(\.message.messageID) == ["1", "3"])
        _ = harness.ack("1#1")
        #expect(harness.pull().map(\.message.messageID) == ["2"])
    }

    @Test func aFailedOrderedMessageBlocksItsKeyUntilAcked() throws {
        var harness = try DeliveryHarness {
            $0.enableMessageOrdering = true
            $0.retryPolicy = RetryPolicy(minimumBackoffSeconds: 10, maximumBackoffSeconds: 10)
        }
        harness.publish(key: "a")
        harness.publish(key: "a")
        harness.publish(key: "b")
        _ = harness.pull()
        _ = harness.nack("1#1")
        #expect(harness.pull().isEmpty, "message 2 must wait behind failed message 1")
        harness.advance(10)
        #expect(harness.pull().map(\.ackID) == ["1#2"])
        _ = harness.ack("1#2")
        #expect(harness.pull().map(\.message.messageID) == ["2"])
    }

    @Test func withoutOrderingMessagesOfOneKeyAreDeliveredTogether() throws {
        var harness = try DeliveryHarness()
        harness.publish(key: "a")
        harness.publish(key: "a")
        #expect(harness.pull().count == 2)
    }

    @Test func exactlyOnceRejectsAnAckOfAnExpiredLease() throws {
        var harness = try DeliveryHarness { $0.enableExactlyOnceDelivery = true }
        harness.publish()
        _ = harness.pull()
        harness.advance(10)
        let actions = harness.ack("1#1")
        #expect(actions.last == .rejected(ackID: "1#1", reason: .leaseExpired))
        #expect(harness.pull().map(\.ackID) == ["1#2"])
        #expect(harness.ack("1#2") == [.acknowledged(messageID: "1", ackID: "1#2")])
        #expect(harness.ack("1#2") == [.rejected(ackID: "1#2", reason: .unknownAckID)])
    }

    @Test func atLeastOnceAcceptsALateAckOfAPendingMessage() throws {
        var harness = try DeliveryHarness()
        harness.publish()
        _ = harness.pull()
        harness.advance(10)
        let actions = harness.ack("1#1")
        #expect(actions.last == .acknowledged(messageID: "1", ackID: "1#1"))
        #expect(harness.pull().isEmpty)
    }

    @Test func extendingTheDeadlineKeepsTheLease() throws {
        var harness = try DeliveryHarness()
        harness.publish()
        _ = harness.pull()
        harness.advance(8)
        let actions = harness.machine.handle(.modifyAckDeadline(ackID: "1#1", seconds: 60), now: harness.now)
        #expect(actions == [.deadlineModified(ackID: "1#1", deadline: harness.now.adding(seconds: 60))])
        harness.advance(30)
        #expect(harness.tick().isEmpty)
        #expect(harness.machine.outstandingCount == 1)
    }

    @Test func shorteningTheDeadlineRedeliversWhenTheShorterLeaseEnds() throws {
        var harness = try DeliveryHarness()
        harness.publish()
        _ = harness.pull()
        _ = harness.machine.handle(.modifyAckDeadline(ackID: "1#1", seconds: 1), now: harness.now)
        harness.advance(2)
        _ = harness.tick()
        #expect(harness.pull().map(\.message.messageID) == ["1"])
    }

    @Test func aDeadlineAbove600SecondsIsRejected() throws {
        var harness = try DeliveryHarness()
        harness.publish()
        _ = harness.pull()
        let actions = harness.machine.handle(.modifyAckDeadline(ackID: "1#1", seconds: 601), now: harness.now)
        #expect(actions == [.rejected(ackID: "1#1", reason: .invalidDeadline)])
    }

    @Test func messagesThatDoNotMatchTheFilterAreAcknowledgedWithoutDelivery() throws {
        var harness = try DeliveryHarness { $0.filter = #"attributes.eventType = "OBJECT_FINALIZE""# }
        #expect(harness.publish(["eventType": "OBJECT_DELETE"]) == [.filteredOut(messageID: "1")])
        harness.publish(["eventType": "OBJECT_FINALIZE"])
        #expect(harness.pull().map(\.message.messageID) == ["2"])
    }

    @Test func unacknowledgedMessagesExpireAfterTheRetentionPeriod() throws {
        var harness = try DeliveryHarness { $0.messageRetentionSeconds = 600 }
        harness.publish()
        harness.advance(600)
        #expect(harness.tick() == [.expired(messageID: "1")])
        #expect(harness.pull().isEmpty)
    }

    @Test func aRepeatedEnqueueOfTheSameMessageIsIgnored() throws {
        var harness = try DeliveryHarness()
        let message = PubsubMessage(messageID: "m", publishTime: harness.now, attributes: ["k": "v"])
        _ = harness.machine.handle(.enqueue(message), now: harness.now)
        _ = harness.machine.handle(.enqueue(message), now: harness.now)
        #expect(harness.pull().count == 1)
    }

    @Test func replayingTheSameInputsRebuildsTheSameState() throws {
        var first = try DeliveryHarness { $0.retryPolicy = RetryPolicy() }
        var inputs: [(DeliveryStateMachine.Input, Timestamp)] = []
        func feed(_ input: DeliveryStateMachine.Input) {
            inputs.append((input, first.now))
            _ = first.machine.handle(input, now: first.now)
        }
        for id in 1...3 {
            feed(.enqueue(PubsubMessage(messageID: String(id), publishTime: first.now, attributes: ["k": "v"])))
        }
        feed(.pull(maxMessages: 2))
        feed(.acknowledge(ackID: "1#1"))
        first.advance(11)
        feed(.tick)
        var second = try DeliveryHarness { $0.retryPolicy = RetryPolicy() }
        for (input, time) in inputs { _ = second.machine.handle(input, now: time) }
        #expect(second.machine == first.machine)
    }

    @Test func aPullReturnsAtMostMaxMessagesOldestFirst() throws {
        var harness = try DeliveryHarness()
        for _ in 0..<5 { harness.publish() }
        #expect(harness.pull(2).map(\.message.messageID) == ["1", "2"])
        #expect(harness.pull(10).map(\.message.messageID) == ["3", "4", "5"])
    }

    @Test func aLeasedMessageOutlivesRetentionUntilItsLeaseEnds() throws {
        var harness = try DeliveryHarness {
            $0.messageRetentionSeconds = 600
            $0.ackDeadlineSeconds = 600
        }
        harness.publish()
        harness.advance(300)
        _ = harness.pull()
        harness.advance(300)
        #expect(harness.tick().isEmpty, "a leased message is not dropped")
        harness.advance(300)
        let actions = harness.tick()
        #expect(actions.contains(.expired(messageID: "1")))
    }

    @Test func theNextWakeUpIsTheEarliestDeadlineOrBackoffEnd() throws {
        var harness = try DeliveryHarness {
            $0.ackDeadlineSeconds = 60
            $0.retryPolicy = RetryPolicy(minimumBackoffSeconds: 15, maximumBackoffSeconds: 600)
        }
        harness.publish()
        harness.publish()
        _ = harness.pull()
        _ = harness.nack("1#1")
        #expect(harness.machine.nextWakeUp(after: harness.now) == harness.now.adding(seconds: 15))
        _ = harness.ack("2#1")
        harness.advance(15)
        #expect(harness.machine.nextWakeUp(after: harness.now) == nil, "message 1 is ready now: nothing to wait for")
    }

    @Test func aDeadLetteredOrderedMessageUnblocksItsKey() throws {
        var harness = try DeliveryHarness {
            $0.enableMessageOrdering = true
            $0.deadLetterPolicy = DeadLetterPolicy(
                deadLetterTopic: try! TopicName("dead-letters"), maxDeliveryAttempts: 5)
        }
        harness.publish(key: "k")
        harness.publish(key: "k")
        for attempt in 1...5 {
            #expect(harness.pull().map(\.ackID) == ["1#\(attempt)"])
            _ = harness.nack("1#\(attempt)")
        }
        #expect(harness.pull().map(\.message.messageID) == ["2"])
    }

    @Test func atLeastOnceIgnoresADeadlineChangeWithAStaleAckID() throws {
        var harness = try DeliveryHarness()
        harness.publish()
        _ = harness.pull()
        harness.advance(10)
        _ = harness.tick()
        _ = harness.pull()
        let actions = harness.machine.handle(.modifyAckDeadline(ackID: "1#1", seconds: 60), now: harness.now)
        #expect(actions.isEmpty)
        #expect(harness.machine.outstandingCount == 1)
    }

    @Test func exactlyOnceRejectsADeadlineChangeAfterTheLeaseExpired() throws {
        var harness = try DeliveryHarness { $0.enableExactlyOnceDelivery = true }
        harness.publish()
        _ = harness.pull()
        harness.advance(11)
        let actions = harness.machine.handle(.modifyAckDeadline(ackID: "1#1", seconds: 60), now: harness.now)
        #expect(actions.last == .rejected(ackID: "1#1", reason: .leaseExpired))
    }

    @Test func anAckIDThatWasNeverIssuedIsUnknown() throws {
        var harness = try DeliveryHarness { $0.enableExactlyOnceDelivery = true }
        #expect(harness.ack("nonsense") == [.rejected(ackID: "nonsense", reason: .unknownAckID)])
    }

    @Test func aLeaseExpiresExactlyAtItsDeadline() throws {
        var harness = try DeliveryHarness { $0.ackDeadlineSeconds = 20 }
        harness.publish()
        _ = harness.pull()
        harness.now = harness.now.adding(microseconds: 20 * 1_000_000 - 1)
        #expect(harness.tick().isEmpty)
        harness.now = harness.now.adding(microseconds: 1)
        #expect(harness.tick().count == 1)
    }
}
