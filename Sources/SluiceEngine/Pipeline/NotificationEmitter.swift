public import Logging
import SluiceCore
public import SluiceLog
public import SluiceResources

/// Turns every object change into the Pub/Sub messages its bucket's notification configs ask
/// for (https://cloud.google.com/storage/docs/pubsub-notifications). It follows bucket and
/// object events in log order, so each change is notified by exactly the configs in force when
/// it happened, however late it is processed; each message's idempotency key derives from the
/// object event and the config, so re-processing after a restart publishes nothing twice.
public struct NotificationEmitter: Sendable {
    static let bucketTypes = [
        BucketEvent.TypeName.created, BucketEvent.TypeName.versioningChanged, BucketEvent.TypeName.deleted,
        BucketEvent.TypeName.notificationCreated, BucketEvent.TypeName.notificationDeleted,
    ]
    static let objectTypes = [
        ObjectEvent.TypeName.finalized, ObjectEvent.TypeName.metadataUpdated, ObjectEvent.TypeName.archived,
        ObjectEvent.TypeName.deleted,
    ]

    private let log: any EventLog
    private let pubsub: PubSubService
    private let links: ObjectLinks
    private let logger: Logger

    /// `links` is where the JSON_API_V1 payload's `selfLink` and `mediaLink` point.
    public init(log: any EventLog, pubsub: PubSubService, links: ObjectLinks = .google, logger: Logger) {
        self.log = log
        self.pubsub = pubsub
        self.links = links
        self.logger = logger
    }

    public func run() async throws {
        var buckets: [String: BucketState] = [:]
        try await EventFeed.follow(log, types: Self.bucketTypes + Self.objectTypes) { event in
            do {
                if event.stream.rawValue.hasPrefix("bucket/") {
                    try buckets[event.stream.rawValue, default: BucketState()].apply(BucketEvent(event))
                } else if let bucket = Self.bucketStream(ofObject: event.stream), let state = buckets[bucket],
                    state.exists, !state.notifications.isEmpty
                {
                    try await emit(for: event, configs: state.notificationConfigs)
                }
            } catch {
                logger.error(
                    "notification failed",
                    metadata: [
                        "event.position": "\(event.position)", "event.type": "\(event.type)", "error": "\(error)",
                    ]
                )
            }
        }
    }

    /// `bucket/B` for a stream `object/B/NAME`.
    static func bucketStream(ofObject stream: StreamName) -> String? {
        let rest = stream.rawValue.dropFirst("object/".count)
        guard stream.rawValue.hasPrefix("object/"), let slash = rest.firstIndex(of: "/") else { return nil }
        return "bucket/" + rest[..<slash]
    }

    func emit(for event: RecordedEvent, configs: [NotificationConfig]) async throws(SluiceError) {
        var before = ObjectState()
        if event.version > 1 {
            for earlier in try await log.readStream(event.stream, from: 1, limit: Int(event.version - 1)) {
                try before.apply(ObjectEvent(earlier))
            }
        }
        let metadata = EventMetadata(
            correlationID: event.metadata.correlationID, causationID: event.id.description, principal: "sluice-engine")
        for change in try ObjectChange.changes(from: [ObjectEvent(event)], applyingTo: before) {
            for message in NotificationPlanner.messages(for: change, configs: configs, links: links) {
                do {
                    try await pubsub.publish(
                        topic: message.topic.rawValue, [message.draft],
                        idempotencyKey: "notify/\(event.position)/\(message.configID)", metadata: metadata)
                } catch  where error.code == .notFound {
                    logger.warning(
                        "notification topic does not exist; message dropped",
                        metadata: ["topic": "\(message.topic)", "event.position": "\(event.position)"])
                }
            }
        }
    }
}
