import Foundation
import OrderedCollections
public import SluiceCore
public import SluiceLog
import SluiceWorkflows

/// Pub/Sub topics and subscriptions in the log. A subscription here delivers to a function
/// that starts a workflow (pull, push and the other delivery options are not built yet).
public struct Topics: Sendable {
    private let log: any EventLog

    public init(log: any EventLog) {
        self.log = log
    }

    public static func stream(topic: String) -> StreamName { StreamName(unchecked: "topic/" + topic) }
    public static func stream(subscription: String) -> StreamName {
        StreamName(unchecked: "subscription/" + subscription)
    }

    public func create(topic: String) async throws(SluiceError) {
        try ResourceNames.validatePubSub(topic, what: "topic")
        do {
            _ = try await log.append(
                [NewEvent(type: ResourceEventType.topicCreated, data: try Payload.encode(["name": .string(topic)]))],
                to: Self.stream(topic: topic), expectedVersion: .noStream)
        } catch  where error.code == .wrongExpectedVersion {
            throw SluiceError(.alreadyExists, "topic \(topic) exists already")
        }
    }

    /// A subscription of `topic` whose function starts `workflow` with each message.
    public func subscribe(_ subscription: String, topic: String, startingWorkflow workflow: String)
        async throws(SluiceError)
    {
        try ResourceNames.validatePubSub(subscription, what: "subscription")
        guard try await log.streamVersion(Self.stream(topic: topic)) > 0 else {
            throw SluiceError(.notFound, "topic \(topic) does not exist")
        }
        let data = try Payload.encode([
            "name": .string(subscription), "topic": .string(topic), "startWorkflow": .string(workflow),
        ])
        do {
            _ = try await log.append(
                [NewEvent(type: ResourceEventType.subscriptionCreated, data: data)],
                to: Self.stream(subscription: subscription), expectedVersion: .noStream)
        } catch  where error.code == .wrongExpectedVersion {
            throw SluiceError(.alreadyExists, "subscription \(subscription) exists already")
        }
    }

    /// Publishes once per `idempotencyKey`: a retried publish returns the original message id.
    @discardableResult
    public func publish(
        topic: String, messageID: String, attributes: [String: String], data: [UInt8], idempotencyKey: String,
        metadata: EventMetadata
    ) async throws(SluiceError) -> String {
        guard try await log.streamVersion(Self.stream(topic: topic)) > 0 else {
            throw SluiceError(.notFound, "topic \(topic) does not exist")
        }
        var attributeMap = OrderedDictionary<String, WorkflowValue>()
        for key in attributes.keys.sorted() { attributeMap[key] = .string(attributes[key]!) }
        let fields: OrderedDictionary<String, WorkflowValue> = [
            "messageId": .string(messageID), "data": .string(Data(data).base64EncodedString()),
            "attributes": .map(attributeMap),
        ]
        _ = try await log.append(
            [NewEvent(type: ResourceEventType.messagePublished, data: try Payload.encode(fields), metadata: metadata)],
            to: Self.stream(topic: topic), expectedVersion: .any, idempotencyKey: idempotencyKey)
        return messageID
    }

    /// The subscriptions of `topic`, the workflow each starts, and the log position that created it.
    public func subscriptionsWithPositions(of topic: String) async throws(SluiceError) -> [(
        name: String, workflow: String, createdAt: Int64
    )] {
        var result: [(String, String, Int64)] = []
        var after: Int64 = 0
        while true {
            let page = try await log.query(
                EventQuery(
                    streamPrefix: "subscription/", types: [ResourceEventType.subscriptionCreated], after: after,
                    limit: 1_000))
            for event in page.events {
                let value = try Payload.decode(event)
                if value["topic"]?.stringValue == topic {
                    result.append(
                        (value["name"]?.stringValue ?? "", value["startWorkflow"]?.stringValue ?? "", event.position))
                }
            }
            guard let cursor = page.nextCursor else { return result }
            after = cursor
        }
    }
}

extension ResourceNames {
    /// Pub/Sub ids: 3-255 characters, a letter first, then letters, digits and `-_.~+%`.
    public static func validatePubSub(_ name: String, what: String) throws(SluiceError) {
        let bytes = Array(name.utf8)
        func isLetter(_ byte: UInt8) -> Bool { (byte >= 0x41 && byte <= 0x5A) || (byte >= 0x61 && byte <= 0x7A) }
        let allowed = bytes.allSatisfy { isLetter($0) || ($0 >= 0x30 && $0 <= 0x39) || "-_.~+%".utf8.contains($0) }
        guard bytes.count >= 3, bytes.count <= 255, let first = bytes.first, isLetter(first), allowed,
            !name.hasPrefix("goog")
        else {
            throw SluiceError(
                .invalidArgument,
                "\(what) name '\(name)' is invalid: 3-255 characters, a letter first, then letters, digits or -_.~+%")
        }
    }
}
