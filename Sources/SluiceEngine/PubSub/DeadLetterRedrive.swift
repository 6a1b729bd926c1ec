public import SluiceCore
public import SluiceLog
import SluiceResources

/// Hands dead-lettered messages back to the subscription that gave them up, with attempts
/// counting from 1 again: a pull subscription's dead-lettered messages, or, for `eventarc-NAME`
/// (the subscription a function's CloudEvents name), the messages function NAME gave up.
///
/// Unlike re-publishing the dead-letter topic's copies to the original topic (Google's
/// documented workaround), this redelivers to the one subscriber that failed: the topic's other
/// subscriptions, which already processed the messages, see nothing again, and the messages keep
/// their ids, so a start-workflow function's execution id (derived from the message id) still
/// guards against a second execution. The redrive is one event, `delivery.pull_redriven` or
/// `delivery.redriven`, with the principal in its metadata and the reason in its data; the engine
/// delivers the messages when it reads it.
public enum DeadLetterRedrive {
    public struct Outcome: Sendable, Hashable {
        /// `subscription/NAME` or `function/NAME`.
        public var target: String
        /// The redriven messages' ids, oldest first.
        public var messageIDs: [String]
        /// The log position of the redrive event; `nil` when there was nothing to redrive.
        public var position: Int64?

        public init(target: String, messageIDs: [String], position: Int64? = nil) {
            self.target = target
            self.messageIDs = messageIDs
            self.position = position
        }
    }

    public static func redrive(
        _ subscription: String, log: any EventLog, principal: String, reason: String
    ) async throws(SluiceError) -> Outcome {
        let metadata = EventMetadata(principal: principal)
        if subscription.hasPrefix("eventarc-") {
            let function = String(subscription.dropFirst("eventarc-".count))
            guard let config = try await FunctionsService(log: log).function(function) else {
                throw SluiceError(.notFound, "no function \(function) (the subscription \(subscription) names one)")
            }
            return try await redrive(config, log: log, reason: reason, metadata: metadata)
        }
        let name = try SubscriptionName(subscription)
        _ = try await PubSubService(log: log).subscription(subscription)
        let record = try await PullDeliveryRecord.load(name, from: log)
        let ids = record.deadLettered.sorted { (Int64($0) ?? 0, $0) < (Int64($1) ?? 0, $1) }
        let stream = ResourceStreams.subscription(name)
        guard !ids.isEmpty else { return Outcome(target: stream.rawValue, messageIDs: []) }
        let appended = try await log.append(
            [PullDeliveryRecord.event(PullDeliveryRecord.TypeName.redriven, ids, reason: reason, metadata: metadata)],
            to: stream)
        return Outcome(target: stream.rawValue, messageIDs: ids, position: appended.firstPosition)
    }

    private static func redrive(
        _ config: FunctionConfig, log: any EventLog, reason: String, metadata: EventMetadata
    ) async throws(SluiceError) -> Outcome {
        let stream = ResourceStreams.function(config.name)
        let givenUp = try await DeliveryLedger.fold(config.name, log: log).givenUp
        var events: [NewEvent] = []
        var ids: [String] = []
        for topic in givenUp.keys.sorted() {
            let messages = givenUp[topic] ?? []
            ids += messages
            events.append(
                FunctionDelivery.event(
                    FunctionDelivery.Redriven(topic: topic, messageIds: messages, reason: reason),
                    type: FunctionDelivery.TypeName.redriven, metadata: metadata))
        }
        guard !events.isEmpty else { return Outcome(target: stream.rawValue, messageIDs: []) }
        let appended = try await log.append(events, to: stream)
        return Outcome(target: stream.rawValue, messageIDs: ids, position: appended.firstPosition)
    }
}
