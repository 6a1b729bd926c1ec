public import SluiceCore

/// A fact about a bucket or its notification configs, recorded in its `bucket/NAME` stream.
public enum BucketEvent: Sendable, Hashable {
    /// `bucket.created`.
    case created(BucketCreated)
    /// `bucket.versioning_changed`.
    case versioningChanged(BucketVersioningChanged)
    /// `bucket.deleted`.
    case deleted(BucketDeleted)
    /// `notification.created`.
    case notificationCreated(NotificationCreated)
    /// `notification.deleted`.
    case notificationDeleted(NotificationDeleted)

    /// The event type names, as stored in the log.
    public enum TypeName {
        /// A bucket was created.
        public static let created = "bucket.created"
        /// Versioning was turned on or off.
        public static let versioningChanged = "bucket.versioning_changed"
        /// A bucket was deleted.
        public static let deleted = "bucket.deleted"
        /// A notification config was created.
        public static let notificationCreated = "notification.created"
        /// A notification config was deleted.
        public static let notificationDeleted = "notification.deleted"
    }

    /// The event's type name.
    public var type: String {
        switch self {
        case .created: TypeName.created
        case .versioningChanged: TypeName.versioningChanged
        case .deleted: TypeName.deleted
        case .notificationCreated: TypeName.notificationCreated
        case .notificationDeleted: TypeName.notificationDeleted
        }
    }

    /// The event ready to append.
    public func newEvent(metadata: EventMetadata = .empty) -> NewEvent {
        let data =
            switch self {
            case .created(let payload): EventCoding.encode(payload)
            case .versioningChanged(let payload): EventCoding.encode(payload)
            case .deleted(let payload): EventCoding.encode(payload)
            case .notificationCreated(let payload): EventCoding.encode(payload)
            case .notificationDeleted(let payload): EventCoding.encode(payload)
            }
        return NewEvent(type: type, encodedData: data, metadata: metadata)
    }

    /// Decodes a recorded event of one of the bucket types.
    public init(_ event: RecordedEvent) throws(SluiceError) {
        switch event.type {
        case TypeName.created: self = .created(try EventCoding.decode(BucketCreated.self, from: event))
        case TypeName.versioningChanged:
            self = .versioningChanged(try EventCoding.decode(BucketVersioningChanged.self, from: event))
        case TypeName.deleted: self = .deleted(try EventCoding.decode(BucketDeleted.self, from: event))
        case TypeName.notificationCreated:
            self = .notificationCreated(try EventCoding.decode(NotificationCreated.self, from: event))
        case TypeName.notificationDeleted:
            self = .notificationDeleted(try EventCoding.decode(NotificationDeleted.self, from: event))
        default: throw EventCoding.unknownType(event)
        }
    }
}

/// The payload of `bucket.created`.
public struct BucketCreated: Sendable, Hashable, Codable {
    /// The bucket's name.
    public var name: BucketName
    /// Whether overwritten and deleted objects are kept as noncurrent versions.
    public var versioningEnabled: Bool
    /// The default storage class of new objects.
    public var storageClass: String
    /// When the bucket was created.
    public var time: Timestamp

    /// Creates the payload.
    public init(name: BucketName, versioningEnabled: Bool, storageClass: String = "STANDARD", time: Timestamp) {
        self.name = name
        self.versioningEnabled = versioningEnabled
        self.storageClass = storageClass
        self.time = time
    }
}

/// The payload of `bucket.versioning_changed`.
public struct BucketVersioningChanged: Sendable, Hashable, Codable {
    /// The new setting.
    public var versioningEnabled: Bool
    /// When it changed.
    public var time: Timestamp

    /// Creates the payload.
    public init(versioningEnabled: Bool, time: Timestamp) {
        self.versioningEnabled = versioningEnabled
        self.time = time
    }
}

/// The payload of `bucket.deleted`.
public struct BucketDeleted: Sendable, Hashable, Codable {
    /// When the bucket was deleted.
    public var time: Timestamp

    /// Creates the payload.
    public init(time: Timestamp) { self.time = time }
}

/// The payload of `notification.created`.
public struct NotificationCreated: Sendable, Hashable, Codable {
    /// The new config, with its assigned id.
    public var config: NotificationConfig
    /// When it was created.
    public var time: Timestamp

    /// Creates the payload.
    public init(config: NotificationConfig, time: Timestamp) {
        self.config = config
        self.time = time
    }
}

/// The payload of `notification.deleted`.
public struct NotificationDeleted: Sendable, Hashable, Codable {
    /// The deleted config's id.
    public var id: Int
    /// When it was deleted.
    public var time: Timestamp

    /// Creates the payload.
    public init(id: Int, time: Timestamp) {
        self.id = id
        self.time = time
    }
}
