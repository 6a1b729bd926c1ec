public import SluiceCore

/// A bucket and its notification configs, rebuilt by folding its events.
public struct BucketState: Sendable, Hashable {
    /// The bucket's name once created.
    public var name: BucketName?
    /// Whether the bucket exists (created and not deleted).
    public var exists: Bool
    /// Whether overwritten and deleted objects are kept as noncurrent versions.
    public var versioningEnabled: Bool
    /// The default storage class of new objects.
    public var storageClass: String
    /// The bucket's metageneration: 1 at creation, +1 with each change (notification configs included).
    public var metageneration: Int64
    /// When the bucket was created.
    public var timeCreated: Timestamp?
    /// When the bucket last changed.
    public var updated: Timestamp?
    /// The notification configs, by id.
    public var notifications: [Int: NotificationConfig]
    /// The id the next notification config gets; ids are never reused.
    public var nextNotificationID: Int

    /// The state before the bucket is created.
    public init() {
        name = nil
        exists = false
        versioningEnabled = false
        storageClass = "STANDARD"
        metageneration = 0
        timeCreated = nil
        updated = nil
        notifications = [:]
        nextNotificationID = 1
    }

    /// Folds events, oldest first, into a state.
    public static func folding(_ events: some Sequence<BucketEvent>) throws(SluiceError) -> BucketState {
        var state = BucketState()
        for event in events { try state.apply(event) }
        return state
    }

    /// The notification configs in id order.
    public var notificationConfigs: [NotificationConfig] {
        notifications.values.sorted { $0.id < $1.id }
    }

    /// Applies one event. Throws `corruptStore` when the event contradicts the state.
    public mutating func apply(_ event: BucketEvent) throws(SluiceError) {
        if case .created(let payload) = event {
            guard !exists else { throw Self.contradiction("creates a bucket that exists") }
            // A re-created bucket starts afresh but keeps counting notification ids.
            let nextID = nextNotificationID
            self = BucketState()
            name = payload.name
            exists = true
            versioningEnabled = payload.versioningEnabled
            storageClass = payload.storageClass
            metageneration = 1
            timeCreated = payload.time
            updated = payload.time
            nextNotificationID = nextID
            return
        }
        guard exists else { throw Self.contradiction("of type \(event.type) targets a missing bucket") }
        metageneration += 1
        switch event {
        case .created: preconditionFailure("handled above")
        case .versioningChanged(let payload):
            versioningEnabled = payload.versioningEnabled
            updated = payload.time
        case .deleted(let payload):
            exists = false
            notifications = [:]
            updated = payload.time
        case .notificationCreated(let payload):
            guard payload.config.id >= nextNotificationID else {
                throw Self.contradiction("reuses notification id \(payload.config.id)")
            }
            notifications[payload.config.id] = payload.config
            nextNotificationID = payload.config.id + 1
            updated = payload.time
        case .notificationDeleted(let payload):
            guard notifications.removeValue(forKey: payload.id) != nil else {
                throw Self.contradiction("deletes missing notification \(payload.id)")
            }
            updated = payload.time
        }
    }

    private static func contradiction(_ what: String) -> SluiceError {
        SluiceError(.corruptStore, "a bucket event \(what)")
    }
}
