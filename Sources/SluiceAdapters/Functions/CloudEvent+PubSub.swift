import Foundation
public import SluiceCore

extension CloudEvent {
    /// The event a Pub/Sub-triggered Cloud Run function (2nd gen) receives for one message:
    /// type `google.cloud.pubsub.topic.v1.messagePublished`, id = message id, and data
    /// `{"message": {...}, "subscription": ...}` with both the camelCase and snake_case keys
    /// Google sends. Attribute keys that differ only in normalization are two members.
    public static func pubsubMessagePublished(
        project: String,
        topic: String,
        subscription: String,
        messageID: String,
        publishTime: String,
        attributes: ExactStringMap,
        data: [UInt8],
        orderingKey: String?
    ) -> CloudEvent {
        var message = "{\"data\":\(JSONText.quote(Data(data).base64EncodedString()))"
        if !attributes.isEmpty {
            let pairs = attributes.sortedEntries.map { "\(JSONText.quote($0.key)):\(JSONText.quote($0.value))" }
            message += ",\"attributes\":{\(pairs.joined(separator: ","))}"
        }
        message += ",\"messageId\":\(JSONText.quote(messageID)),\"message_id\":\(JSONText.quote(messageID))"
        message += ",\"publishTime\":\(JSONText.quote(publishTime)),\"publish_time\":\(JSONText.quote(publishTime))"
        if let orderingKey, !orderingKey.isEmpty { message += ",\"orderingKey\":\(JSONText.quote(orderingKey))" }
        message += "}"
        let subscriptionName = "projects/\(project)/subscriptions/\(subscription)"
        return CloudEvent(
            id: messageID,
            source: "//pubsub.googleapis.com/projects/\(project)/topics/\(topic)",
            type: "google.cloud.pubsub.topic.v1.messagePublished",
            time: publishTime,
            data: "{\"message\":\(message),\"subscription\":\(JSONText.quote(subscriptionName))}"
        )
    }
}
