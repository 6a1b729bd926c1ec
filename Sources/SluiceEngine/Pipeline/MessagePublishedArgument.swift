import Foundation
import OrderedCollections
import SluiceCore
import SluiceWorkflows

/// The argument a start-workflow function gives its execution for one Pub/Sub message: the
/// `messagePublished` CloudEvent's data (see `CloudEvent.pubsubMessagePublished`) as a workflow
/// value, built directly instead of written as JSON and parsed back, which every delivery did and
/// which cost about 2.5% of the pipeline benchmark's CPU. The tests hold the two to equal values.
enum MessagePublishedArgument {
    static func value(
        project: String, subscription: String, messageID: String, publishTime: String,
        attributes: ExactStringMap, data: [UInt8], orderingKey: String?
    ) -> WorkflowValue {
        var message: OrderedDictionary<String, WorkflowValue> = ["data": .string(Data(data).base64EncodedString())]
        if !attributes.isEmpty {
            var sorted = OrderedDictionary<String, WorkflowValue>()
            // A workflow map keys by `String`, so attributes that differ only in normalization
            // become one key here (holding the value of the last in byte order), as parsing the
            // CloudEvent's JSON would make them.
            for (key, value) in attributes.sortedEntries { sorted[key] = .string(value) }
            message["attributes"] = .map(sorted)
        }
        message["messageId"] = .string(messageID)
        message["message_id"] = .string(messageID)
        message["publishTime"] = .string(publishTime)
        message["publish_time"] = .string(publishTime)
        if let orderingKey, !orderingKey.isEmpty { message["orderingKey"] = .string(orderingKey) }
        return .map([
            "message": .map(message), "subscription": .string("projects/\(project)/subscriptions/\(subscription)"),
        ])
    }
}
