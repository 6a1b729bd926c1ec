public import SluiceCore

/// A bucket's Pub/Sub notification configuration (`storage#notification`).
public struct NotificationConfig: Sendable, Hashable, Codable {
    /// The integer id, unique within the bucket and never reused.
    public var id: Int
    /// The topic messages are published to.
    public var topic: TopicName
    /// The event types that publish; empty means all of them.
    public var eventTypes: [NotificationEventType]
    /// Attributes added to every message; keys that differ only in normalization are two.
    public var customAttributes: ExactStringMap
    /// Whether messages carry the object resource as data.
    public var payloadFormat: NotificationPayloadFormat
    /// Only objects whose names start with this publish; `nil` or empty means all.
    public var objectNamePrefix: String?

    /// Creates a config.
    public init(
        id: Int,
        topic: TopicName,
        eventTypes: [NotificationEventType] = [],
        customAttributes: ExactStringMap = [:],
        payloadFormat: NotificationPayloadFormat = .jsonAPIV1,
        objectNamePrefix: String? = nil
    ) {
        self.id = id
        self.topic = topic
        self.eventTypes = eventTypes
        self.customAttributes = customAttributes
        self.payloadFormat = payloadFormat
        self.objectNamePrefix = objectNamePrefix
    }

    /// Whether an event of this type about this object name publishes through this config.
    public func matches(_ eventType: NotificationEventType, objectName: ObjectName) -> Bool {
        guard eventTypes.isEmpty || eventTypes.contains(eventType) else { return false }
        guard let objectNamePrefix, !objectNamePrefix.isEmpty else { return true }
        return objectName.rawValue.hasPrefix(objectNamePrefix)
    }

    /// The `notificationConfig` attribute: `projects/_/buckets/BUCKET/notificationConfigs/ID`.
    public func resourceName(bucket: BucketName) -> String {
        "projects/_/buckets/\(bucket.rawValue)/notificationConfigs/\(id)"
    }

    /// Checks what a caller may set: custom attributes follow Pub/Sub's attribute limits and the
    /// event types are not repeated.
    public func validate() throws(SluiceError) {
        guard Set(eventTypes).count == eventTypes.count else {
            throw SluiceError(.invalidArgument, "notification config \(id) repeats an event type")
        }
        try PubsubMessage.validate(attributes: customAttributes)
    }
}

/// The Cloud Storage event types a notification can publish.
public enum NotificationEventType: String, Sendable, Hashable, Codable, CaseIterable {
    /// A new object or generation was created.
    case objectFinalize = "OBJECT_FINALIZE"
    /// An existing object's metadata changed.
    case objectMetadataUpdate = "OBJECT_METADATA_UPDATE"
    /// An object generation was permanently deleted.
    case objectDelete = "OBJECT_DELETE"
    /// A live object became noncurrent (versioned buckets).
    case objectArchive = "OBJECT_ARCHIVE"
}

/// What a notification message carries as data.
public enum NotificationPayloadFormat: String, Sendable, Hashable, Codable {
    /// The object resource as UTF-8 JSON.
    case jsonAPIV1 = "JSON_API_V1"
    /// No data; attributes only.
    case none = "NONE"
}
