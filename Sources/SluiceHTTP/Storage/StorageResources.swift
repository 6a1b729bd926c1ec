import SluiceCore
import SluiceResources

/// `storage#bucket`, as the JSON API prints it (int64 values as strings).
struct BucketResource: Encodable {
    var kind = "storage#bucket"
    var id: String
    var name: String
    var selfLink: String
    var projectNumber = "0"
    var metageneration: String
    var location = "US"
    var locationType = "multi-region"
    var storageClass: String
    var timeCreated: String
    var updated: String
    var etag: String
    var versioning: Versioning

    struct Versioning: Encodable { var enabled: Bool }

    init(_ state: BucketState, links: ObjectLinks) {
        let name = state.name?.rawValue ?? ""
        id = name
        self.name = name
        selfLink = "\(links.apiBase)/storage/v1/b/\(name)"
        metageneration = String(state.metageneration)
        storageClass = state.storageClass
        timeCreated = state.timeCreated?.rfc3339Milliseconds ?? ""
        updated = (state.updated ?? state.timeCreated)?.rfc3339Milliseconds ?? ""
        etag = "CA" + String(state.metageneration) + "="
        versioning = Versioning(enabled: state.versioningEnabled)
    }
}

/// `storage#notification`; the request body arrives in snake_case, and the response answers in it.
struct NotificationResource: Encodable {
    var kind = "storage#notification"
    var id: String
    var topic: String
    var payload_format: String
    var event_types: [String]?
    var custom_attributes: ExactStringMap.WireForm?
    var object_name_prefix: String?
    var etag: String
    var selfLink: String

    init(_ config: NotificationConfig, bucket: String, links: ObjectLinks) {
        id = String(config.id)
        // Google requires a 6-30 character project id here; Sluice has one project.
        topic = "//pubsub.googleapis.com/projects/sluice-local/topics/\(config.topic.rawValue)"
        payload_format = config.payloadFormat.rawValue
        event_types = config.eventTypes.isEmpty ? nil : config.eventTypes.map(\.rawValue)
        custom_attributes = config.customAttributes.isEmpty ? nil : ExactStringMap.WireForm(config.customAttributes)
        object_name_prefix = config.objectNamePrefix
        etag = String(config.id)
        selfLink = "\(links.apiBase)/storage/v1/b/\(bucket)/notificationConfigs/\(config.id)"
    }
}

/// A `storage#...` list.
struct ResourceList<Item: Encodable>: Encodable {
    var kind: String
    var items: [Item]
    var prefixes: [String]?
    var nextPageToken: String?
}
