public import Logging
import SluiceCore
public import SluiceLog
public import SluiceResources

/// Turns every `object.finalized` into the Pub/Sub messages its bucket's notification configs
/// ask for. Each message's id and idempotency key derive from the object event and the config,
/// so re-processing after a restart publishes nothing twice.
public struct NotificationEmitter: Sendable {
    private let log: any EventLog
    private let buckets: Buckets
    private let topics: Topics
    private let logger: Logger

    public init(log: any EventLog, buckets: Buckets, topics: Topics, logger: Logger) {
        self.log = log
        self.buckets = buckets
        self.topics = topics
        self.logger = logger
    }

    public func run() async throws {
        try await EventFeed.follow(log, types: [ResourceEventType.objectFinalized]) { event in
            do {
                try await emit(for: event)
            } catch {
                logger.error(
                    "notification failed", metadata: ["event.position": "\(event.position)", "error": "\(error)"])
            }
        }
    }

    func emit(for event: RecordedEvent) async throws(SluiceError) {
        let object = try ObjectResource(recorded: event)
        for (config, createdAt) in try await buckets.notificationsWithPositions(of: object.bucket) {
            // Changes made before a config existed are not notified.
            guard createdAt < event.position, config.matches(eventType: "OBJECT_FINALIZE", object: object.name) else {
                continue
            }
            let message = config.message(eventType: "OBJECT_FINALIZE", object: object, eventTime: event.timestamp)
            try await topics.publish(
                topic: config.topic,
                messageID: String(event.position * 1_000 + config.id),
                attributes: message.attributes,
                data: message.data,
                idempotencyKey: "notify/\(event.position)/\(config.id)",
                metadata: EventMetadata(
                    correlationID: event.metadata.correlationID, causationID: event.id.description,
                    principal: "sluice-engine")
            )
        }
    }
}
