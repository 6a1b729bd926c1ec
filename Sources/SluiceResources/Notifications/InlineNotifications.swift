public import SluiceCore
public import SluiceLog

/// Publishes an upload's notification messages in the upload's own append, so an upload and its
/// messages become durable together, with no second commit and no hop through the emitter.
///
/// The messages are exactly those the ``NotificationPlanner`` plans for the configs in force: the
/// append carries a condition on the bucket's stream, so a config created or deleted meanwhile
/// makes it retry with the new configs, as the emitter (which applies configs in log order)
/// would have decided. The object events are marked (``marker``) and the emitter passes them by.
/// When a config's topic does not exist, nothing is planned and the emitter handles the change,
/// dropping that message with a warning as before. (Existence is remembered for a second:
/// ``TopicExistenceCache``.)
public struct InlineNotifications: Sendable {
    /// The metadata key and value that mark object events whose messages were published with them.
    public static let marker = (key: "notifications", value: "inline")

    let log: any EventLog
    let links: ObjectLinks
    let existingTopics = TopicExistenceCache()

    public init(log: any EventLog, links: ObjectLinks = .google) {
        self.log = log
        self.links = links
    }

    /// Whether the emitter should leave `event` alone: its messages went out in its own append.
    public static func wereInline(_ event: RecordedEvent) -> Bool {
        event.metadata.extra[marker.key] == marker.value
    }

    /// The parts to append alongside `events` (the object's new events, with the ids they will
    /// carry): a condition on the bucket and one part per topic messaged. Nil when a config's
    /// topic is missing, so the change is left to the emitter.
    func parts(
        for events: [(event: ObjectEvent, id: EventID)],
        before: ObjectState,
        bucket: LoadedState<BucketState>,
        bucketName: BucketName,
        metadata: EventMetadata,
        now: Timestamp
    ) async throws(SluiceError) -> [StreamAppend]? {
        let configs = bucket.state.notificationConfigs
        var parts = [StreamAppend.condition(ResourceStreams.bucket(bucketName), atVersion: bucket.version)]
        guard !configs.isEmpty else { return parts }
        var state = before
        var byTopic: [TopicName: [NewEvent]] = [:]
        var topics: [TopicName] = []
        for (event, id) in events {
            let messageMetadata = EventMetadata(
                correlationID: metadata.correlationID, causationID: id.description, principal: "sluice-engine")
            for change in try ObjectChange.changes(from: [event], applyingTo: state) {
                for message in NotificationPlanner.messages(for: change, configs: configs, links: links) {
                    if byTopic[message.topic] == nil { topics.append(message.topic) }
                    byTopic[message.topic, default: []].append(
                        try TopicEvent.publishing(message.draft, at: now, metadata: messageMetadata))
                }
            }
            try state.apply(event)
        }
        for topic in topics {
            guard try await existingTopics.exists(topic, in: log) else { return nil }
            parts.append(StreamAppend(byTopic[topic] ?? [], to: ResourceStreams.topic(topic)))
        }
        return parts
    }
}
