import Foundation
public import Logging
import OrderedCollections
import SluiceCore
public import SluiceLog
public import SluiceResources
import SluiceWorkflows

/// Delivers every published message to the subscriptions of its topic. A subscription's
/// function starts its workflow with the message as a Cloud Function (2nd gen) receives it;
/// the execution id derives from the message id, so a redelivery starts nothing twice.
public struct FunctionDispatcher: Sendable {
    private let log: any EventLog
    private let topics: Topics
    private let runner: ExecutionRunner
    private let catalog: WorkflowCatalog
    private let logger: Logger

    public init(log: any EventLog, topics: Topics, runner: ExecutionRunner, catalog: WorkflowCatalog, logger: Logger) {
        self.log = log
        self.topics = topics
        self.runner = runner
        self.catalog = catalog
        self.logger = logger
    }

    public func run() async throws {
        try await EventFeed.follow(log, types: [ResourceEventType.messagePublished]) { event in
            do {
                try await deliver(event)
            } catch {
                logger.error("delivery failed", metadata: ["event.position": "\(event.position)", "error": "\(error)"])
            }
        }
    }

    func deliver(_ event: RecordedEvent) async throws(SluiceError) {
        let topic = String(event.stream.rawValue.dropFirst("topic/".count))
        let message: WorkflowValue
        do { message = try JSONReader.parse(event.data) } catch {
            throw SluiceError(.corruptStore, "message event \(event.position) is not JSON")
        }
        let messageID = message["messageId"]?.stringValue ?? String(event.position)
        for subscription in try await topics.subscriptionsWithPositions(of: topic)
        where subscription.createdAt < event.position {
            let publishTime = Timestamps.rfc3339(event.timestamp, fractionDigits: 6)
            var pubsubMessage: OrderedDictionary<String, WorkflowValue> = [
                "data": message["data"] ?? "",
                "attributes": message["attributes"] ?? .object([:]),
                "messageId": .string(messageID),
                "message_id": .string(messageID),
                "publishTime": .string(publishTime),
                "publish_time": .string(publishTime),
            ]
            if let key = message["orderingKey"] { pubsubMessage["orderingKey"] = key }
            let argument = WorkflowValue.object([
                "message": .map(pubsubMessage),
                "subscription": .string("projects/local/subscriptions/\(subscription.name)"),
            ])
            let id = ExecutionID.forMessage(subscription: subscription.name, messageID: messageID)
            let revision = try await catalog.latestRevision(of: subscription.workflow)
            let metadata = EventMetadata(
                correlationID: event.metadata.correlationID, causationID: event.id.description,
                principal: "sluice-engine")
            try await runner.start(
                id, ExecutionStart(workflow: subscription.workflow, revision: revision, argument: argument),
                metadata: metadata)
            let acked = try Self.encode(["messageId": .string(messageID), "executionId": .string(id.rawValue)])
            _ = try await log.append(
                [NewEvent(type: ResourceEventType.deliveryAcked, data: acked, metadata: metadata)],
                to: Topics.stream(subscription: subscription.name), expectedVersion: .any,
                idempotencyKey: "ack/\(subscription.name)/\(messageID)")
        }
    }

    private static func encode(_ fields: OrderedDictionary<String, WorkflowValue>) throws(SluiceError) -> String {
        do { return try WorkflowValue.map(fields).jsonString() } catch {
            throw SluiceError(.internalFailure, "a delivery event is not JSON-encodable")
        }
    }
}
