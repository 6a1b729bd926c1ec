public import SluiceCore
public import SluiceLog

/// Pub/Sub on the log: topics with their published messages, and subscriptions.
public struct PubSubService: Sendable {
    let log: any EventLog
    let clock: @Sendable () -> Timestamp
    let appender: ResourceAppender

    public init(
        log: any EventLog,
        clock: @escaping @Sendable () -> Timestamp = { Timestamp(microseconds: WallClock.microsecondsSinceEpoch()) }
    ) {
        self.log = log
        self.clock = clock
        appender = ResourceAppender(log: log)
    }

    // MARK: Topics

    /// Creates a topic.
    public func createTopic(
        _ name: String, labels: [String: String] = [:], metadata: EventMetadata = .empty
    ) async throws(SluiceError) {
        let topic = try TopicName(name)
        // A deleted topic's stream keeps its messages; the name is free again, as in Pub/Sub, and
        // the new topic's creation follows them on the same stream.
        let version = try await log.streamVersion(ResourceStreams.topic(topic))
        guard try await log.topicCreation(topic) == nil else {
            throw SluiceError(.alreadyExists, "topic \(name) already exists")
        }
        let created = TopicEvent.created(TopicCreated(name: topic, labels: labels, time: clock()))
        do {
            _ = try await log.append(
                [created.newEvent(metadata: metadata)], to: ResourceStreams.topic(topic),
                expectedVersion: version == 0 ? .noStream : .exact(version))
        } catch  where error.code == .wrongExpectedVersion {
            throw SluiceError(.alreadyExists, "topic \(name) already exists")
        }
    }

    /// Whether the topic exists, without reading its messages.
    public func topicExists(_ name: String) async throws(SluiceError) -> Bool {
        try await log.topicExists(try TopicName(name))
    }

    /// The log position of the topic's current creation; nil when it does not exist.
    public func topicCreationPosition(_ topic: TopicName) async throws(SluiceError) -> Int64? {
        try await log.topicCreation(topic)?.position
    }

    /// Deletes a topic. Its subscriptions stay, detached, as in Pub/Sub.
    public func deleteTopic(_ name: String, metadata: EventMetadata = .empty) async throws(SluiceError) {
        let topic = try TopicName(name)
        guard let creation = try await log.topicCreation(topic) else {
            throw SluiceError(.notFound, "topic \(name) does not exist")
        }
        // Keyed by the creation it ends, so a retried delete stores nothing and a topic created
        // again can be deleted again.
        _ = try await log.append(
            [TopicEvent.deleted(TopicDeleted(time: clock())).newEvent(metadata: metadata)],
            to: ResourceStreams.topic(topic), expectedVersion: .any,
            idempotencyKey: "topic-deleted/\(name)/\(creation.position)")
    }

    /// Every existing topic's name, sorted.
    public func listTopics() async throws(SluiceError) -> [String] {
        var live: Set<String> = []
        for event in try await resourceEvents(
            prefix: "topic/", types: [TopicEvent.TypeName.created, TopicEvent.TypeName.deleted])
        {
            let name = String(event.stream.rawValue.dropFirst("topic/".count))
            if event.type == TopicEvent.TypeName.created { live.insert(name) } else { live.remove(name) }
        }
        return live.sorted()
    }

    /// Publishes messages; returns their ids: the topic stream versions they got, so publishes
    /// from many tasks append concurrently (and share group commits) without a lock. With an
    /// idempotency key, a retried publish returns the original ids and stores nothing.
    @discardableResult
    public func publish(
        topic name: String,
        _ drafts: [PubsubMessage],
        idempotencyKey: String? = nil,
        metadata: EventMetadata = .empty
    ) async throws(SluiceError) -> [String] {
        let topic = try TopicName(name)
        guard (1...1000).contains(drafts.count) else {
            throw SluiceError(.invalidArgument, "a publish to \(name) carries 1 to 1000 messages")
        }
        guard try await topicExists(name) else { throw SluiceError(.notFound, "topic \(name) does not exist") }
        let now = clock()
        var events: [NewEvent] = []
        for draft in drafts { events.append(try TopicEvent.publishing(draft, at: now, metadata: metadata)) }
        let result = try await log.append(
            events, to: ResourceStreams.topic(topic), expectedVersion: .any, idempotencyKey: idempotencyKey)
        return (result.firstVersion...result.lastVersion).map { String($0) }
    }

    // MARK: Subscriptions

    /// Creates a subscription of an existing topic.
    public func createSubscription(_ config: SubscriptionConfig, metadata: EventMetadata = .empty)
        async throws(SluiceError)
    {
        guard try await topicExists(config.topic.rawValue) else {
            throw SluiceError(.notFound, "topic \(config.topic) does not exist")
        }
        try await checkDeadLetterTopic(config)
        try await appender.change(
            ResourceStreams.subscription(config.name),
            load: { () async throws(SluiceError) in try await log.loadSubscription(config.name) },
            metadata: metadata
        ) { (loaded) throws(SluiceError) in
            (try loaded.state.create(config, now: clock()).map { $0.newEvent() }, ())
        }
    }

    /// A subscription's configuration; NOT_FOUND when it does not exist.
    public func subscription(_ name: String) async throws(SluiceError) -> SubscriptionConfig {
        try await subscriptionState(name).config
    }

    /// A subscription's configuration, and whether its topic was deleted since it was created
    /// (see ``isDetached(topic:subscriptionCreatedAt:)``); NOT_FOUND when it does not exist.
    public func subscriptionState(_ name: String) async throws(SluiceError) -> (
        config: SubscriptionConfig, detached: Bool
    ) {
        let state = try await log.loadSubscription(try SubscriptionName(name)).state
        guard let config = state.config, let createdAt = state.createdPosition else {
            throw SluiceError(.notFound, "subscription \(name) does not exist")
        }
        return (config, try await isDetached(topic: config.topic, subscriptionCreatedAt: createdAt))
    }

    /// Whether a subscription no longer follows its topic: the topic was deleted after the
    /// subscription was created. A topic created again under the name is a new topic with none of
    /// the old one's subscriptions, as in Pub/Sub, which shows their topic as `_deleted-topic_`.
    public func isDetached(topic: TopicName, subscriptionCreatedAt: Int64) async throws(SluiceError) -> Bool {
        guard let created = try await topicCreationPosition(topic) else { return true }
        return created > subscriptionCreatedAt
    }

    /// Replaces a subscription's configuration (its delivery settings); `fields` names what the
    /// caller meant to change, for the record.
    public func updateSubscription(
        _ config: SubscriptionConfig, fields: [String], metadata: EventMetadata = .empty
    ) async throws(SluiceError) {
        if fields.contains(where: { $0 == "deadLetterPolicy" || $0.hasPrefix("deadLetterPolicy.") }) {
            try await checkDeadLetterTopic(config)
        }
        try await appender.change(
            ResourceStreams.subscription(config.name),
            load: { () async throws(SluiceError) in try await log.loadSubscription(config.name) },
            metadata: metadata
        ) { (loaded) throws(SluiceError) in
            (try loaded.state.update(to: config, fields: fields, now: clock()).map { $0.newEvent() }, ())
        }
    }

    /// A dead-letter topic must exist, as in Pub/Sub: messages dead-lettered to a missing one
    /// would have nowhere to go.
    private func checkDeadLetterTopic(_ config: SubscriptionConfig) async throws(SluiceError) {
        guard let topic = config.deadLetterPolicy?.deadLetterTopic else { return }
        guard try await topicExists(topic.rawValue) else {
            throw SluiceError(.notFound, "dead-letter topic \(topic) does not exist")
        }
    }

    /// Deletes a subscription.
    public func deleteSubscription(_ name: String, metadata: EventMetadata = .empty) async throws(SluiceError) {
        let subscription = try SubscriptionName(name)
        try await appender.change(
            ResourceStreams.subscription(subscription),
            load: { () async throws(SluiceError) in try await log.loadSubscription(subscription) },
            metadata: metadata
        ) { (loaded) throws(SluiceError) in
            guard loaded.state.config != nil else {
                throw SluiceError(.notFound, "subscription \(name) does not exist")
            }
            return ([SubscriptionEvent.deleted(SubscriptionDeleted(time: clock())).newEvent()], ())
        }
    }

    /// Every existing subscription with the log position that created it, sorted by name.
    public func listSubscriptions() async throws(SluiceError) -> [(config: SubscriptionConfig, createdAt: Int64)] {
        var live: [String: (SubscriptionConfig, Int64)] = [:]
        for event in try await resourceEvents(
            prefix: "subscription/",
            types: [
                SubscriptionEvent.TypeName.created, SubscriptionEvent.TypeName.deleted,
                SubscriptionEvent.TypeName.updated,
            ])
        {
            switch try SubscriptionEvent(event) {
            case .created(let payload): live[event.stream.rawValue] = (payload.config, event.position)
            case .deleted: live[event.stream.rawValue] = nil
            case .updated(let payload):
                if let created = live[event.stream.rawValue]?.1 {
                    live[event.stream.rawValue] = (payload.config, created)
                }
            }
        }
        return live.values.sorted { $0.0.name < $1.0.name }.map { (config: $0.0, createdAt: $0.1) }
    }

    private func resourceEvents(prefix: String, types: [String]) async throws(SluiceError) -> [RecordedEvent] {
        var events: [RecordedEvent] = []
        var after: Int64 = 0
        while true {
            let page = try await log.query(EventQuery(streamPrefix: prefix, types: types, after: after, limit: 1_000))
            events += page.events
            guard let cursor = page.nextCursor else { return events }
            after = cursor
        }
    }
}
