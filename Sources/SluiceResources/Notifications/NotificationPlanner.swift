internal import Foundation
public import SluiceCore

/// A message a notification config publishes for an object change, before the topic assigns
/// its id and publish time.
public struct NotificationMessage: Sendable, Hashable {
    /// The topic to publish on.
    public var topic: TopicName
    /// The config that matched.
    public var configID: Int
    /// Exactly the documented attributes, plus the config's custom attributes.
    public var attributes: ExactStringMap
    /// The object resource as UTF-8 JSON (`JSON_API_V1`), or empty (`NONE`).
    public var data: [UInt8]

    /// Creates a message.
    public init(topic: TopicName, configID: Int, attributes: ExactStringMap, data: [UInt8]) {
        self.topic = topic
        self.configID = configID
        self.attributes = attributes
        self.data = data
    }

    /// The message as a draft to publish; the topic fills in id and time.
    public var draft: PubsubMessage {
        PubsubMessage(messageID: "", publishTime: Timestamp(microseconds: 0), attributes: attributes, data: data)
    }
}

/// Decides which Pub/Sub messages a bucket's notification configs publish for an object change
/// (https://cloud.google.com/storage/docs/pubsub-notifications).
public enum NotificationPlanner {
    /// One message per matching config, in config id order.
    public static func messages(
        for change: ObjectChange,
        configs: [NotificationConfig],
        links: ObjectLinks = .google
    ) -> [NotificationMessage] {
        let matching = configs.filter { $0.matches(change.eventType, objectName: change.object.name) }
            .sorted { $0.id < $1.id }
        guard !matching.isEmpty else { return [] }
        let object = change.object
        var base: [String: String] = [
            "eventType": change.eventType.rawValue,
            "bucketId": object.bucket.rawValue,
            "objectId": object.name.rawValue,
            "objectGeneration": String(object.generation),
            "eventTime": change.eventTime.rfc3339Microseconds,
        ]
        if let overwrote = change.overwroteGeneration {
            base["overwroteGeneration"] = String(overwrote)
        }
        if let overwrittenBy = change.overwrittenByGeneration {
            base["overwrittenByGeneration"] = String(overwrittenBy)
        }
        var json: [UInt8]?
        return matching.map { config in
            var attributes = config.customAttributes
            for (key, value) in base { attributes[key] = value }
            attributes["notificationConfig"] = config.resourceName(bucket: object.bucket)
            attributes["payloadFormat"] = config.payloadFormat.rawValue
            var data: [UInt8] = []
            if config.payloadFormat == .jsonAPIV1 {
                if json == nil { json = resourceJSON(object, links: links) }
                data = json ?? []
            }
            return NotificationMessage(topic: config.topic, configID: config.id, attributes: attributes, data: data)
        }
    }

    /// The `JSON_API_V1` payload: the object resource as compact JSON with sorted keys.
    public static func resourceJSON(_ object: ObjectVersion, links: ObjectLinks = .google) -> [UInt8] {
        ObjectResource(object, links: links).jsonBytes()
    }
}
