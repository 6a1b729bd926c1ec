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

    /// How many object changes are notified at once; their publishes share group commits.
    static let concurrentChanges = 64

    public func run() async throws {
        let limiter = InstanceLimiter()
        // Events whose messages went out inline are left in the log, not read and passed by: they
        // are most object events, and their rows the largest.
        let notInline = try FieldPredicate(
            root: .metadata, path: [InlineNotifications.marker.key], comparison: .equal, value: .null)
        try await withTaskCancellationHandler {
            try await withThrowingDiscardingTaskGroup { group in
                var buckets: [String: BucketState] = [:]
                try await EventFeed.follow(log, types: Self.bucketTypes + Self.objectTypes, where: [notInline]) {
                    event in
                    if event.stream.rawValue.hasPrefix("bucket/") {
                        // Config changes apply in log order, so each change sees the configs of its time.
                        do {
                            try buckets[event.stream.rawValue, default: BucketState()].apply(BucketEvent(event))
                        } catch {
                            report(error, event)
                        }
                        return
                    }
                    // The feed's predicate already leaves inline-notified events out; a second
                    // publish of theirs would be a duplicate message, so the check stays here too.
                    guard !InlineNotifications.wereInline(event),
                        let bucket = Self.bucketStream(ofObject: event.stream), let state = buckets[bucket],
                        state.exists, !state.notifications.isEmpty
                    else { return }
                    let configs = state.notificationConfigs
                    await limiter.acquire("emit", limit: Self.concurrentChanges)
                    try Task.checkCancellation()
                    group.addTask {
                        defer { Task { await limiter.release("emit") } }
                        do { try await emit(for: event, configs: configs) } catch { report(error, event) }
                    }
                }
            }
        } onCancel: {
            Task { await limiter.releaseWaiters() }
        }
    }

    private func report(_ error: any Error, _ event: RecordedEvent) {
        logger.error(
            "notification failed",
            metadata: ["event.position": "\(event.position)", "event.type": "\(event.type)", "error": "\(error)"])
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
