import Foundation
public import Logging
public import SluiceCore
public import SluiceLog
public import SluiceResources

/// Pull delivery for every subscription: one ``DeliveryStateMachine`` each, fed from the log
/// (messages published on the topic after the subscription was created) and driven by pulls,
/// acks, deadline changes and a timer. What must survive a restart is recorded in the
/// subscription's stream (``PullDeliveryRecord``): acks, so an acknowledged message is never
/// delivered again; dead-lettering, so a dead-lettered message stays out; and, when the
/// subscription has a dead-letter policy or exactly-once delivery, each delivery's attempt, so
/// `deliveryAttempt`, dead-lettering and ack ids count on from where they were (a lease that was out at the crash counts as a
/// failed attempt). Other leases are not recorded: they expire and the message is redelivered
/// (at-least-once). Dead-lettered messages are published to the dead-letter topic with the
/// attributes Pub/Sub adds; a redrive (`delivery.pull_redriven`) gives them back.
///
/// Deleting a topic detaches its subscriptions, as in Pub/Sub: their backlog can still be pulled,
/// but nothing published later reaches them, not even on a topic created again under the name,
/// which is a new topic with none of the old one's subscriptions.
public actor SubscriptionHub {
    /// The engine's record of acknowledged messages in `subscription/NAME`.
    public static let ackedType = PullDeliveryRecord.TypeName.acked
    /// A redrive of dead-lettered messages, in `subscription/NAME`.
    public static let redrivenType = PullDeliveryRecord.TypeName.redriven

    private let log: any EventLog
    private let pubsub: PubSubService
    private let logger: Logger
    private let pushSender: (any PushSender)?
    private let project: String
    private var machines: [String: DeliveryStateMachine] = [:]
    private var topics: [String: String] = [:]
    /// Each existing topic's creation position: a subscription follows its topic only when it was
    /// created after the topic it names was.
    private var topicCreations: [String: Int64] = [:]
    /// Subscriptions whose topic was deleted after they were created.
    private var detached: Set<String> = []
    private var records: [String: PullDeliveryRecord] = [:]
    private var configs: [String: SubscriptionConfig] = [:]
    private var pushesInFlight: [String: Int] = [:]
    private var pushBackoff: [String: PushBackoff] = [:]

    /// Most pushes outstanding per push subscription.
    public static let maxOutstandingPushes = 64

    /// `pushSender` delivers push subscriptions; without one they are not pushed (their messages
    /// wait, and can still be pulled).
    public init(
        log: any EventLog, pubsub: PubSubService, logger: Logger, pushSender: (any PushSender)? = nil,
        project: String = "local"
    ) {
        self.log = log
        self.pubsub = pubsub
        self.logger = logger
        self.pushSender = pushSender
        self.project = project
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
                        SubscriptionEvent.TypeName.updated, TopicEvent.TypeName.messagePublished,
                        TopicEvent.TypeName.created, TopicEvent.TypeName.deleted, PullDeliveryRecord.TypeName.redriven,
                    ]
                ) { event in try await self.apply(event) }
            }
            group.addTask {
                while !Task.isCancelled {
                    try await Task.sleep(for: .milliseconds(100))
                    await self.tick()
                }
            }
            if let sender = pushSender {
                group.addTask { try await self.pushUntilCancelled(sender) }
            }
            try await group.next()
            group.cancelAll()
        }
    }

    private func apply(_ event: RecordedEvent) async throws {
        if event.type == PullDeliveryRecord.TypeName.redriven {
            try await redriven(event)
            return
        }
        if event.stream.rawValue.hasPrefix("subscription/") {
            switch try SubscriptionEvent(event) {
            case .created(let payload):
                let name = payload.config.name.rawValue
                guard let configuration = deliveryConfiguration(payload.config) else { return }
                machines[name] = DeliveryStateMachine(configuration: configuration)
                topics[name] = payload.config.topic.rawValue
                if let topicCreated = topicCreations[payload.config.topic.rawValue], topicCreated < event.position {
                    detached.remove(name)
                } else {
                    detached.insert(name)
                }
                configs[name] = payload.config
                records[name] = try await PullDeliveryRecord.load(payload.config.name, from: log)
            case .updated(let payload):
                let name = payload.config.name.rawValue
                guard let configuration = deliveryConfiguration(payload.config) else { return }
                machines[name]?.reconfigure(configuration)
                configs[name] = payload.config
            case .deleted:
                let name = String(event.stream.rawValue.dropFirst("subscription/".count))
                machines[name] = nil
                topics[name] = nil
                detached.remove(name)
                configs[name] = nil
            }
            return
        }
        let topic = String(event.stream.rawValue.dropFirst("topic/".count))
        if event.type == TopicEvent.TypeName.created {
            topicCreations[topic] = event.position
            return
        }
        if event.type == TopicEvent.TypeName.deleted {
            topicCreations[topic] = nil
            for (name, subscribed) in topics where subscribed == topic { detached.insert(name) }
            return
        }
        // Most messages go to topics no pull or push subscription follows (a function's trigger
        // topic, say): those are passed by without decoding.
        guard topics.values.contains(topic), case .messagePublished(let message) = try TopicEvent(event) else { return }
        for (name, subscribed) in topics where subscribed == topic && !detached.contains(name) {
            guard records[name]?.settled.contains(message.messageID) != true, var machine = machines[name] else {
                continue
            }
            let attempts = records[name]?.attempts[message.messageID] ?? 0
            let actions = machine.handle(
                attempts > 0 ? .resume(message, attempts: attempts) : .enqueue(message), now: Self.now)
            machines[name] = machine
            if !actions.isEmpty { await handleSideEffects(name, actions) }
        }
    }

    /// The delivery settings of a stored configuration, or nil (logged) when this version of
    /// Sluice refuses it: one subscription stored under looser rules must not stop every other
    /// subscription, and the server, from starting. Its messages wait until it is patched.
    private func deliveryConfiguration(_ config: SubscriptionConfig) -> DeliveryStateMachine.Configuration? {
        do {
            return try DeliveryStateMachine.Configuration(config)
        } catch {
            logger.error(
                "a stored subscription is not valid; it delivers nothing until it is patched",
                metadata: ["subscription": "\(config.name)", "error": "\(error)"])
            return nil
        }
    }

    /// Gives the dead-lettered messages a redrive names back to their subscription. A redrive
    /// already folded in when the subscription was loaded finds nothing dead-lettered here.
    private func redriven(_ event: RecordedEvent) async throws {
        let name = String(event.stream.rawValue.dropFirst("subscription/".count))
        guard var record = records[name], var machine = machines[name], let topic = topics[name] else { return }
        let payload = try JSONDecoder().decode(PullDeliveryRecord.Payload.self, from: Data(event.data.utf8))
        let stream = ResourceStreams.topic(try TopicName(topic))
        for id in payload.messageIds where record.redrive(id) {
            guard let published = try await log.readStream(stream, from: Int64(id) ?? 0, limit: 1).first,
                case .messagePublished(let message) = try TopicEvent(published)
            else { continue }
            _ = machine.handle(.enqueue(message), now: Self.now)
        }
        records[name] = record
        machines[name] = machine
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
            if !deliveries.isEmpty, Self.recordsLeases(machine.configuration) {
                try await recordLeases(name, deliveries)
            }
            if !deliveries.isEmpty || ContinuousClock.now >= deadline { return deliveries }
            await waitForMessages(until: deadline)
        }
    }

    /// Acknowledges leases; records the acks durably before returning.
    /// Returns the ack ids refused under exactly-once delivery (expired, superseded or unknown);
    /// the others are acknowledged all the same. At-least-once refuses none, as Pub/Sub.
    @discardableResult
    public func acknowledge(_ name: String, ackIDs: [String]) async throws(SluiceError) -> [String] {
        try await awaitMachine(name)
        guard var machine = machines[name] else { throw SluiceError(.notFound, "subscription \(name) does not exist") }
        var actions: [DeliveryStateMachine.Action] = []
        for ackID in ackIDs { actions += machine.handle(.acknowledge(ackID: ackID), now: Self.now) }
        machines[name] = machine
        let refused = Self.refusedUnderExactlyOnce(actions, machine)
        let ids = actions.compactMap { action -> String? in
            if case .acknowledged(let id, _) = action { return id }
            return nil
        }
        guard !ids.isEmpty else { return refused }
        for id in ids { records[name, default: PullDeliveryRecord()].acknowledged(id) }
        _ = try await log.append(
            [PullDeliveryRecord.event(PullDeliveryRecord.TypeName.acked, ids)],
            to: ResourceStreams.subscription(try SubscriptionName(name)))
        await handleSideEffects(name, actions)
        return refused
    }

    /// The ack ids an exactly-once subscription refused; none for an at-least-once one.
    private static func refusedUnderExactlyOnce(
        _ actions: [DeliveryStateMachine.Action], _ machine: DeliveryStateMachine
    ) -> [String] {
        guard machine.configuration.enableExactlyOnceDelivery else { return [] }
        return actions.compactMap { action -> String? in
            if case .rejected(let ackID, _) = action { return ackID }
            return nil
        }
    }

    /// Leases are recorded where their attempt matters after a restart: with a dead-letter
    /// policy (the count decides dead-lettering) and with exactly-once delivery (ack ids, which
    /// carry the attempt, must never repeat, so an ack of a lease from before the restart is
    /// refused rather than acknowledging a newer delivery).
    static func recordsLeases(_ configuration: DeliveryStateMachine.Configuration) -> Bool {
        configuration.deadLetterPolicy != nil || configuration.enableExactlyOnceDelivery
    }

    /// Records the attempts of new leases before the subscriber sees them, so a restart counts on.
    private func recordLeases(_ name: String, _ deliveries: [DeliveryStateMachine.Delivery]) async throws(SluiceError) {
        _ = try await log.append(
            [
                PullDeliveryRecord.event(
                    PullDeliveryRecord.TypeName.leased, deliveries.map(\.message.messageID),
                    attempts: deliveries.map(\.deliveryAttempt))
            ],
            to: ResourceStreams.subscription(try SubscriptionName(name)))
    }

    /// Extends or ends leases; 0 seconds makes the messages available again (a nack). Returns the
    /// ack ids refused under exactly-once delivery, as `acknowledge` does.
    @discardableResult
    public func modifyAckDeadline(_ name: String, ackIDs: [String], seconds: Int64) async throws(SluiceError)
        -> [String]
    {
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
        return Self.refusedUnderExactlyOnce(actions, machine)
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
            var original: PubsubMessage?
            do {
                let stream = ResourceStreams.topic(try TopicName(source))
                let version = Int64(id) ?? 0
                guard let event = try await log.readStream(stream, from: version, limit: 1).first,
                    case .messagePublished(var message) = try TopicEvent(event)
                else { continue }
                original = message
                message.attributes["CloudPubSubDeadLetterSourceDeliveryCount"] = String(attempt)
                message.attributes["CloudPubSubDeadLetterSourceSubscription"] = name
                message.attributes["CloudPubSubDeadLetterSourceSubscriptionProject"] = "local"
                message.attributes["CloudPubSubDeadLetterSourceTopicPublishTime"] =
                    message.publishTime.rfc3339Milliseconds
                let round = records[name]?.deadLetterRound(id) ?? id
                try await pubsub.publish(
                    topic: topic.rawValue, [message], idempotencyKey: "dead-letter/\(name)/\(round)",
                    metadata: EventMetadata(correlationID: event.metadata.correlationID, principal: "sluice-engine"))
                _ = try await log.append(
                    [PullDeliveryRecord.event(PullDeliveryRecord.TypeName.deadLettered, [id])],
                    to: ResourceStreams.subscription(try SubscriptionName(name)), expectedVersion: .any,
                    idempotencyKey: "dead-lettered/\(name)/\(round)")
                records[name, default: PullDeliveryRecord()].deadLetter(id)
            } catch {
                logger.error(
                    "dead-lettering failed; the message is delivered again",
                    metadata: ["subscription": "\(name)", "message": "\(id)", "error": "\(error)"])
                // Not forwarded, the message stays in the subscription, as in Pub/Sub, instead of
                // being lost: it is delivered again, and dead-lettered again after as many attempts.
                if let original, var machine = machines[name] {
                    _ = machine.handle(.enqueue(original), now: Self.now)
                    machines[name] = machine
                }
            }
        }
    }

    /// A long poll re-checks every 20 ms; the actor is free for publishes and acks meanwhile.
    private func waitForMessages(until deadline: ContinuousClock.Instant) async {
        let remaining = deadline - ContinuousClock.now
        guard remaining > .zero else { return }
        try? await Task.sleep(for: min(remaining, .milliseconds(20)))
    }

    // MARK: Push

    /// One message leased for a push.
    struct PushLease: Sendable {
        var subscription: String
        var ackID: String
        var messageID: String
        var attempt: Int
        var request: PushRequest
    }

    /// Pushes every push subscription's messages as they become available, each push in its own
    /// task, up to ``maxOutstandingPushes`` per subscription.
    private nonisolated func pushUntilCancelled(_ sender: any PushSender) async throws {
        try await withThrowingDiscardingTaskGroup { pushes in
            while !Task.isCancelled {
                for lease in await leasePushes() {
                    pushes.addTask {
                        let result = await sender.send(lease.request)
                        await self.settle(lease, result)
                    }
                }
                try await Task.sleep(for: .milliseconds(20))
            }
        }
    }

    private func leasePushes() async -> [PushLease] {
        var leases: [PushLease] = []
        for (name, config) in configs {
            guard let push = config.pushConfig, pushBackoff[name]?.isWaiting != true else { continue }
            let room = Self.maxOutstandingPushes - pushesInFlight[name, default: 0]
            guard room > 0 else { continue }
            let deliveries: [DeliveryStateMachine.Delivery]
            do { deliveries = try await pull(name, maxMessages: room) } catch {
                logger.error("push lease failed", metadata: ["subscription": "\(name)", "error": "\(error)"])
                continue
            }
            pushesInFlight[name, default: 0] += deliveries.count
            leases += deliveries.map { delivery in
                PushLease(
                    subscription: name, ackID: delivery.ackID, messageID: delivery.message.messageID,
                    attempt: delivery.deliveryAttempt,
                    request: PushRequests.make(delivery, config: config, push: push, project: project))
            }
        }
        return leases
    }

    /// Acknowledges a successful push; a failed one is recorded and nacked (redelivered after the
    /// retry policy's backoff), and slows the subscription's pushes.
    private func settle(_ lease: PushLease, _ result: PushResult) async {
        let name = lease.subscription
        pushesInFlight[name, default: 1] -= 1
        do {
            switch result {
            case .acknowledged:
                pushBackoff[name, default: PushBackoff()].succeeded()
                try await acknowledge(name, ackIDs: [lease.ackID])
            case .failed(let why):
                pushBackoff[name, default: PushBackoff()].failed()
                logger.warning(
                    "push failed",
                    metadata: ["subscription": "\(name)", "message": "\(lease.messageID)", "error": "\(why)"])
                _ = try await log.append(
                    [PullDeliveryRecord.pushFailed(messageID: lease.messageID, attempt: lease.attempt, error: why)],
                    to: ResourceStreams.subscription(try SubscriptionName(name)))
                try await modifyAckDeadline(name, ackIDs: [lease.ackID], seconds: 0)
            }
        } catch {
            logger.error("push outcome not recorded", metadata: ["subscription": "\(name)", "error": "\(error)"])
        }
    }
}
