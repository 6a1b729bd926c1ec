import Foundation
import OrderedCollections
import SluiceCore
import SluiceLog
import SluiceWorkflows

/// A bucket's notification config, and the Pub/Sub message it makes of an object change.
public struct NotificationConfig: Sendable, Hashable {
    public var id: Int64
    public var bucket: String
    public var topic: String
    /// Empty means every event type.
    public var eventTypes: [String]
    public var objectNamePrefix: String?
    public var payloadFormat: String
    public var customAttributes: [String: String]

    init(event: RecordedEvent) throws(SluiceError) {
        let value = try Payload.decode(event)
        var attributes: [String: String] = [:]
        for (key, item) in value["customAttributes"]?.mapValue ?? [:] { attributes[key] = item.stringValue ?? "" }
        var id: Int64 = 0
        if case .int(let number)? = value["id"] { id = number }
        self.id = id
        bucket = String(event.stream.rawValue.dropFirst("bucket/".count))
        topic = value["topic"]?.stringValue ?? ""
        eventTypes = (value["eventTypes"]?.listValue ?? []).compactMap(\.stringValue)
        objectNamePrefix = value["objectNamePrefix"]?.stringValue
        payloadFormat = value["payloadFormat"]?.stringValue ?? "JSON_API_V1"
        customAttributes = attributes
    }

    /// Whether a change of `eventType` to `object` produces a message.
    public func matches(eventType: String, object: String) -> Bool {
        (eventTypes.isEmpty || eventTypes.contains(eventType)) && object.hasPrefix(objectNamePrefix ?? "")
    }

    /// The message GCS publishes: the documented attributes, plus the custom ones, and the object
    /// resource as JSON data for JSON_API_V1 (no data for NONE).
    public func message(eventType: String, object: ObjectResource, eventTime: Int64) -> (
        attributes: [String: String], data: [UInt8]
    ) {
        var attributes = customAttributes
        attributes["notificationConfig"] = "projects/_/buckets/\(bucket)/notificationConfigs/\(id)"
        attributes["eventType"] = eventType
        attributes["payloadFormat"] = payloadFormat
        attributes["bucketId"] = object.bucket
        attributes["objectId"] = object.name
        attributes["objectGeneration"] = String(object.generation)
        attributes["eventTime"] = Timestamps.rfc3339(eventTime, fractionDigits: 3)
        let data =
            payloadFormat == "JSON_API_V1" ? Array(((try? object.jsonAPIResource().jsonString()) ?? "{}").utf8) : []
        return (attributes, data)
    }
}
