public import SluiceCore

/// Decides which events a request on a bucket produces, from the bucket's state alone.
public enum BucketDecider {
    /// The most notification configs one bucket may have.
    public static let maximumNotificationConfigs = 100
    /// The most notification configs that may publish one event type.
    public static let maximumConfigsPerEventType = 10

    /// Creates a bucket.
    public static func create(
        _ name: BucketName,
        versioningEnabled: Bool = false,
        storageClass: String = "STANDARD",
        state: BucketState,
        now: Timestamp
    ) throws(SluiceError) -> [BucketEvent] {
        guard !state.exists else { throw SluiceError(.alreadyExists, "bucket \(name) already exists") }
        return [
            .created(
                BucketCreated(name: name, versioningEnabled: versioningEnabled, storageClass: storageClass, time: now))
        ]
    }

    /// Turns versioning on or off; no event when nothing changes.
    public static func setVersioning(
        _ enabled: Bool,
        state: BucketState,
        now: Timestamp
    ) throws(SluiceError) -> [BucketEvent] {
        try requireExists(state)
        guard state.versioningEnabled != enabled else { return [] }
        return [.versioningChanged(BucketVersioningChanged(versioningEnabled: enabled, time: now))]
    }

    /// Deletes a bucket. The caller checks that it holds no objects (the object index knows).
    public static func delete(state: BucketState, now: Timestamp) throws(SluiceError) -> [BucketEvent] {
        try requireExists(state)
        return [.deleted(BucketDeleted(time: now))]
    }

    /// Adds a notification config; its id is assigned here and the given `id` is ignored.
    public static func createNotification(
        _ draft: NotificationConfig,
        state: BucketState,
        now: Timestamp
    ) throws(SluiceError) -> [BucketEvent] {
        try requireExists(state)
        var config = draft
        config.id = state.nextNotificationID
        try config.validate()
        let bucket = state.name?.rawValue ?? ""
        guard state.notifications.count < maximumNotificationConfigs else {
            throw SluiceError(
                .invalidArgument, "bucket \(bucket) already has \(maximumNotificationConfigs) notification configs")
        }
        let types = config.eventTypes.isEmpty ? NotificationEventType.allCases : config.eventTypes
        for type in types {
            let count = state.notifications.values.count { $0.eventTypes.isEmpty || $0.eventTypes.contains(type) }
            guard count < maximumConfigsPerEventType else {
                throw SluiceError(
                    .invalidArgument,
                    "bucket \(bucket) already has \(maximumConfigsPerEventType) notification configs for \(type.rawValue)"
                )
            }
        }
        return [.notificationCreated(NotificationCreated(config: config, time: now))]
    }

    /// Removes a notification config.
    public static func deleteNotification(
        id: Int,
        state: BucketState,
        now: Timestamp
    ) throws(SluiceError) -> [BucketEvent] {
        try requireExists(state)
        guard state.notifications[id] != nil else {
            throw SluiceError(.notFound, "bucket \(state.name?.rawValue ?? "") has no notification config \(id)")
        }
        return [.notificationDeleted(NotificationDeleted(id: id, time: now))]
    }

    private static func requireExists(_ state: BucketState) throws(SluiceError) {
        guard state.exists else {
            throw SluiceError(.notFound, "bucket \(state.name?.rawValue ?? "(never created)") does not exist")
        }
    }
}
