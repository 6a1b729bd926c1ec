import Foundation
import OrderedCollections
import SluiceCore
public import SluiceResources
public import SluiceWorkflows

/// The Pub/Sub connector's publish, on Sluice topics. Messages are PubsubMessage JSON as the
/// REST API takes them (`data` base64, `attributes`, `orderingKey`); the effect's idempotency
/// key makes a replayed or retried step return the ids of its first publish.
public struct PubSubTopicPublisher: TopicPublisher {
    private let pubsub: PubSubService

    public init(pubsub: PubSubService) {
        self.pubsub = pubsub
    }

    public func publish(topic: String, messages: [WorkflowValue], idempotencyKey: String, correlationID: String?)
        async -> Result<[String], GoogleAPIError>
    {
        var drafts: [PubsubMessage] = []
        for (index, message) in messages.enumerated() {
            guard case .map(let fields) = message else {
                return .failure(.invalidArgument("messages[\(index)] must be a map"))
            }
            var data: [UInt8] = []
            switch fields["data"] {
            case .none, .null: break
            case .bytes(let bytes): data = bytes
            case .string(let text):
                guard let decoded = Data(base64Encoded: text) else {
                    return .failure(.invalidArgument("messages[\(index)].data must be base64"))
                }
                data = Array(decoded)
            default: return .failure(.invalidArgument("messages[\(index)].data must be a base64 string"))
            }
            var attributes = ExactStringMap()
            for (key, value) in fields["attributes"]?.mapValue ?? [:] {
                guard let text = value.stringValue else {
                    return .failure(.invalidArgument("messages[\(index)].attributes.\(key) must be a string"))
                }
                attributes[key] = text
            }
            drafts.append(
                PubsubMessage(
                    messageID: "", publishTime: Timestamp(microseconds: 0), attributes: attributes, data: data,
                    orderingKey: fields["orderingKey"]?.stringValue ?? ""))
        }
        do {
            return .success(
                try await pubsub.publish(
                    topic: topic, drafts, idempotencyKey: idempotencyKey,
                    metadata: EventMetadata(correlationID: correlationID, principal: "workflow")))
        } catch {
            return .failure(GoogleAPIError(error))
        }
    }
}
