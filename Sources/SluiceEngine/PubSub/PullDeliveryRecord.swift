import Foundation
import SluiceCore
import SluiceLog
import SluiceResources

/// What a pull subscription's stream (`subscription/NAME`) records about its messages, and the
/// fold that rebuilds it after a restart:
/// - `delivery.pull_acked`: acknowledged, never delivered again;
/// - `delivery.pull_leased`: delivered, with each message's delivery attempt (recorded only
///   when the subscription has a dead-letter policy, where the count decides the message's fate
///   and is shown to subscribers as `deliveryAttempt`);
/// - `delivery.pull_dead_lettered`: published to the dead-letter topic, not delivered again;
/// - `delivery.pull_redriven`: dead-lettered messages given back to the subscription, attempts
///   starting again from 1 (with the principal and reason in the event).
struct PullDeliveryRecord: Sendable {
    enum TypeName {
        static let acked = "delivery.pull_acked"
        static let leased = "delivery.pull_leased"
        static let deadLettered = "delivery.pull_dead_lettered"
        static let redriven = "delivery.pull_redriven"
        /// A push the endpoint refused or did not answer: for the audit trail only.
        static let pushFailed = "delivery.push_failed"
        static let all = [acked, leased, deadLettered, redriven]
    }

    /// The record of a failed push.
    static func pushFailed(messageID: String, attempt: Int, error: String) -> NewEvent {
        struct Failed: Encodable {
            var messageId: String
            var attempt: Int
            var error: String
        }
        let data = (try? SortedJSONEncoder.encode(Failed(messageId: messageID, attempt: attempt, error: error))) ?? "{}"
        return NewEvent(type: TypeName.pushFailed, data: data, metadata: EventMetadata(principal: "sluice-engine"))
    }

    /// The payload of every record: the message ids, and for leases their attempts.
    struct Payload: Codable {
        var messageIds: [String]
        var attempts: [Int]?
        var reason: String?
    }

    /// Acknowledged or dead-lettered: not to be delivered.
    private(set) var settled: Set<String> = []
    /// Dead-lettered and not redriven since.
    private(set) var deadLettered: Set<String> = []
    /// Deliveries so far of messages still pending.
    private(set) var attempts: [String: Int] = [:]
    /// How often each message was redriven; part of the idempotency key of its dead-lettering,
    /// so a message dead-lettered again after a redrive is published again.
    private(set) var redrives: [String: Int] = [:]
    mutating func apply(_ event: RecordedEvent) {
        guard let payload = try? JSONDecoder().decode(Payload.self, from: Data(event.data.utf8)) else { return }
        switch event.type {
        case TypeName.acked:
            for id in payload.messageIds { acknowledged(id) }
        case TypeName.leased:
            for (id, attempt) in zip(payload.messageIds, payload.attempts ?? []) where !settled.contains(id) {
                attempts[id] = max(attempts[id] ?? 0, attempt)
            }
        case TypeName.deadLettered:
            for id in payload.messageIds { deadLetter(id) }
        case TypeName.redriven:
            for id in payload.messageIds { _ = redrive(id) }
        default: break
        }
    }

    mutating func acknowledged(_ id: String) {
        settled.insert(id)
        attempts[id] = nil
    }

    mutating func deadLetter(_ id: String) {
        settled.insert(id)
        deadLettered.insert(id)
        attempts[id] = nil
    }

    /// Gives a dead-lettered message back; false when it was not dead-lettered.
    mutating func redrive(_ id: String) -> Bool {
        guard deadLettered.remove(id) != nil else { return false }
        settled.remove(id)
        redrives[id, default: 0] += 1
        attempts[id] = nil
        return true
    }

    /// The idempotency-key suffix of a message's next dead-lettering.
    func deadLetterRound(_ id: String) -> String {
        redrives[id].map { "\(id)/r\($0)" } ?? id
    }

    static func load(_ subscription: SubscriptionName, from log: any EventLog) async throws(SluiceError)
        -> PullDeliveryRecord
    {
        var record = PullDeliveryRecord()
        var after: Int64 = 0
        let stream = ResourceStreams.subscription(subscription)
        while true {
            let page = try await log.query(EventQuery(stream: stream, types: TypeName.all, after: after, limit: 1_000))
            for event in page.events { record.apply(event) }
            guard let cursor = page.nextCursor else { return record }
            after = cursor
        }
    }

    static func event(
        _ type: String, _ ids: [String], attempts: [Int]? = nil, reason: String? = nil,
        metadata: EventMetadata = EventMetadata(principal: "sluice-engine")
    ) -> NewEvent {
        let payload = Payload(messageIds: ids, attempts: attempts, reason: reason)
        let data = (try? SortedJSONEncoder.encode(payload)) ?? "{}"
        return NewEvent(type: type, data: data, metadata: metadata)
    }
}
