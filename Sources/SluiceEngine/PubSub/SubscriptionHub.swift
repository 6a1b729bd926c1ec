import Foundation
public import Logging
public import SluiceCore
public import SluiceLog
public import SluiceResources

/// Pull delivery for every subscription: one ``DeliveryStateMachine`` each, fed from the log
/// (messages published on the topic after the subscription was created) and driven by pulls,
/// acks, deadline changes and a timer. Acks are recorded in the subscription's stream, so an
/// acknowledged message is never delivered again after a restart; leases are not recorded (they
/// expire and the message is redelivered: at-least-once). Dead-lettered messages are published
/// to the dead-letter topic with the attributes Pub/Sub adds.
public actor SubscriptionHub {
    /// The engine's record of acknowledged messages in `subscription/NAME`.
    public static let ackedType = "delivery.pull_acked"

    private let log: any EventLog
    private let pubsub: PubSubService
    private let logger: Logger
    private var machines: [String: DeliveryStateMachine] = [:]
    private var topics: [String: String] = [:]
    private var acked: [String: Set<String>] = [:]

    public init(log: any EventLog, pubsub: PubSubService, logger: Logger) {
        self.log = log
        self.pubsub = pubsub
        self.logger = logger
    }

    private static var now: Timestamp { Timestamp(microseconds: WallClock.microsecondsSinceEpoch()) }

    /// Follows the log and ticks the machines until cancelled.
    public nonisolated func run() async throws {
        try await withThrowingTaskGroup(of: Void.self) { group in
            group.addTask {
                try await EventFeed.follow(
                    self.log,
                    types: [
                        SubscriptionEvent.TypeName.created, SubscriptionEvent.TypeName.deleted,
                        TopicEvent.TypeName.messagePublished,
                    ]
                ) { event in try await self.apply(event) }
            }
            group.addTask {
                while !Task.isCancelled {
                    try await Task.sleep(for: .milliseconds(100))
                    await self.tick()
                }
            }
            try await group.next()
            group.cancelAll()
        }
    }

    private func apply(_ event: RecordedEvent) async throws {
        if event.stream.rawValue.hasPrefix("subscription/") {
            switch try SubscriptionEvent(event) {
            case .created(let payload):
                let name = payload.config.name.rawValue
                machines[name] = DeliveryStateMachine(
                    configuration: try DeliveryStateMachine.Configuration(payload.config))
                topics[name] = payload.config.topic.rawValue
                acked[name] = try await ackedMessages(name)
            case .deleted:
                let name = String(event.stream.rawValue.dropFirst("subscription/".count))
                machines[name] = nil
                topics[name] = nil
            }
            return
        }
        guard case .messagePublished(let message) = try TopicEvent(event) else { return }
        let topic = String(event.stream.rawValue.dropFirst("topic/".count))
        for (name, subscribed) in topics where subscribed == topic {
            guard acked[name]?.contains(message.messageID) != true, var machine = machines[name] else { continue }
            _ = machine.handle(.enqueue(message), now: Self.now)
            machines[name] = machine
        }
    }

    private func ackedMessages(_ name: String) async throws(SluiceError) -> Set<String> {
        var ids: Set<String> = []
        var after: Int64 = 0
        let stream = ResourceStreams.subscription(try SubscriptionName(name))
        while true {
            let page = try await log.query(
                EventQuery(stream: stream, types: [Self.ackedType], after: after, limit: 1_000))
            for event in page.events {
                struct Acked: Decodable { var messageIds: [String] }
                let decoded = try? JSONDecoder().decode(Acked.self, from: Data(event.data.utf8))
                ids.formUnion(decoded?.messageIds ?? [])
            }
            guard let cursor = page.nextCursor else { return ids }
            after = cursor
        }
    }

    /// Leases up to `maxMessages`; waits up to `wait` for the first message when none is ready.
    public func pull(_ name: String, maxMessages: Int, wait: Duration = .zero) async throws(SluiceError)
        -> [DeliveryStateMachine.Delivery]
    {
        let deadline = ContinuousClock.now + wait
        try await awaitMachine(name)
        while true {
            guard var machine = machines[name] else {
                throw SluiceError(.notFound, "subscription \(name) does not exist")
            }
            let actions = machine.handle(.pull(maxMessages: max(1, min(maxMessages, 1_000))), now: Self.now)
            machines[name] = machine
            let deliveries = actions.compactMap { action -> DeliveryStateMachine.Delivery? in
                if case .deliver(let delivery) = action { return delivery }
                return nil
            }
            await handleSideEffects(name, actions)
            if !deliveries.isEmpty || ContinuousClock.now >= deadline { return deliveries }
            await waitForMessages(until: deadline)
        }
    }

    /// Acknowledges leases; records the acks durably before returning.
    public func acknowledge(_ name: String, ackIDs: [String]) async throws(SluiceError) {
        try await awaitMachine(name)
        guard var machine = machines[name] else { throw SluiceError(.notFound, "subscription \(name) does not exist") }
        var actions: [DeliveryStateMachine.Action] = []
        for ackID in ackIDs { actions += machine.handle(.acknowledge(ackID: ackID), now: Self.now) }
        machines[name] = machine
        let ids = actions.compactMap { action -> String? in
            if case .acknowledged(let id, _) = action { return id }
            return nil
        }
        guard !ids.isEmpty else { return }
        acked[name, default: []].formUnion(ids)
        let data = "{\"messageIds\":[" + ids.map { JSONText.quote($0) }.joined(separator: ",") + "]}"
        _ = try await log.append(
            [NewEvent(type: Self.ackedType, data: data, metadata: EventMetadata(principal: "sluice-engine"))],
            to: ResourceStreams.subscription(try SubscriptionName(name)))
        await handleSideEffects(name, actions)
    }

    /// Extends or ends leases; 0 seconds makes the messages available again (a nack).
    public func modifyAckDeadline(_ name: String, ackIDs: [String], seconds: Int64) async throws(SluiceError) {
        try await awaitMachine(name)
        guard var machine = machines[name] else { throw SluiceError(.notFound, "subscription \(name) does not exist") }
        guard (0...600).contains(seconds) else {
            throw SluiceError(.invalidArgument, "ackDeadlineSeconds must be between 0 and 600")
        }
        var actions: [DeliveryStateMachine.Action] = []
        for ackID in ackIDs {
            actions += machine.handle(.modifyAckDeadline(ackID: ackID, seconds: seconds), now: Self.now)
        }
        machines[name] = machine
        await handleSideEffects(name, actions)
    }

    /// A subscription created a moment ago may not have reached the feed yet: wait for it
    /// (bounded) instead of answering NOT_FOUND for something that exists.
    private func awaitMachine(_ name: String) async throws(SluiceError) {
        guard machines[name] == nil, (try? await pubsub.subscription(name)) != nil else { return }
        for _ in 0..<250 where machines[name] == nil {
            try? await Task.sleep(for: .milliseconds(20))
        }
    }

    /// Messages waiting (not yet acknowledged) in a subscription.
    public func backlog(_ name: String) -> Int { machines[name]?.backlogCount ?? 0 }

    private func tick() async {
        for name in machines.keys {
            guard var machine = machines[name] else { continue }
            let actions = machine.handle(.tick, now: Self.now)
            machines[name] = machine
            if !actions.isEmpty { await handleSideEffects(name, actions) }
        }
    }

    /// Publishes dead-lettered messages to their dead-letter topic, once per message and attempt.
    private func handleSideEffects(_ name: String, _ actions: [DeliveryStateMachine.Action]) async {
        for action in actions {
            guard case .deadLettered(let id, let topic, let attempt) = action, let source = topics[name] else {
                continue
            }
            do {
                let stream = ResourceStreams.topic(try TopicName(source))
                let version = Int64(id) ?? 0
                guard let event = try await log.readStream(stream, from: version, limit: 1).first,
                    case .messagePublished(var message) = try TopicEvent(event)
                else { continue }
                message.attributes["CloudPubSubDeadLetterSourceDeliveryCount"] = String(attempt)
                message.attributes["CloudPubSubDeadLetterSourceSubscription"] = name
                message.attributes["CloudPubSubDeadLetterSourceTopicPublishTime"] =
                    message.publishTime.rfc3339Milliseconds
                try await pubsub.publish(
                    topic: topic.rawValue, [message], idempotencyKey: "dead-letter/\(name)/\(id)",
                    metadata: EventMetadata(correlationID: event.metadata.correlationID, principal: "sluice-engine"))
                acked[name, default: []].insert(id)
            } catch {
                logger.error(
                    "dead-lettering failed",
                    metadata: ["subscription": "\(name)", "message": "\(id)", "error": "\(error)"])
            }
        }
    }

    /// A long poll re-checks every 20 ms; the actor is free for publishes and acks meanwhile.
    private func waitForMessages(until deadline: ContinuousClock.Instant) async {
        let remaining = deadline - ContinuousClock.now
        guard remaining > .zero else { return }
        try? await Task.sleep(for: min(remaining, .milliseconds(20)))
    }
}
