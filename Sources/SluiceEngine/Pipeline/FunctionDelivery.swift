import Foundation
import SluiceCore
import SluiceLog

/// What the dispatcher records in a function's stream about one message: `delivery.acked`
/// when an invocation succeeded, `delivery.failed` when it failed (with the time of the retry,
/// or none when the message is given up, and the dead-letter topic it went to), each preceded
/// by `function.output` when the invocation printed anything; `delivery.redriven` when given-up
/// messages are handed to the function again. They are the durable state a restart resumes from.
public enum FunctionDelivery {
    public enum TypeName {
        public static let acked = "delivery.acked"
        public static let failed = "delivery.failed"
        public static let output = "function.output"
        public static let redriven = "delivery.redriven"
    }

    /// The payload of `delivery.acked`.
    public struct Acked: Sendable, Hashable, Codable {
        public var messageId: String
        public var topic: String
        public var attempt: Int
        /// The execution a start-workflow function started.
        public var executionId: String?
        public var durationMs: Double
    }

    /// The payload of `delivery.failed`.
    public struct Failed: Sendable, Hashable, Codable {
        public var messageId: String
        public var topic: String
        public var attempt: Int
        public var error: String
        /// When the next attempt runs, in microseconds since the epoch; `nil` when none will.
        public var retryAtMicros: Int64?
        public var durationMs: Double
        /// The dead-letter topic a given-up message was published to.
        public var deadLetterTopic: String?
    }

    /// The payload of `delivery.redriven`: given-up messages handed back, attempts from 1 again.
    public struct Redriven: Sendable, Hashable, Codable {
        public var topic: String
        public var messageIds: [String]
        public var reason: String
    }

    /// The payload of `function.output`: what the invocation printed, bounded.
    public struct Output: Sendable, Hashable, Codable {
        public var messageId: String
        public var attempt: Int
        public var stdout: [String]
        public var stderr: [String]
        public var droppedBytes: Int
    }

    static func event(_ payload: some Encodable, type: String, metadata: EventMetadata) -> NewEvent {
        NewEvent(type: type, encodedData: (try? SortedJSONEncoder.encode(payload)) ?? "{}", metadata: metadata)
    }

    static func decode<T: Decodable>(_ type: T.Type, _ event: RecordedEvent) throws(SluiceError) -> T {
        do { return try JSONDecoder().decode(T.self, from: Data(event.data.utf8)) } catch {
            throw SluiceError(.corruptStore, "event \(event.position) (\(event.type)) does not decode")
        }
    }
}

/// How far one message got with one function, as its stream records it.
struct DeliveryProgress: Sendable, Hashable {
    var acked = false
    var attempts = 0
    /// When the recorded failure scheduled the next attempt; `nil` after a final failure.
    var retryAtMicros: Int64?
    var givenUp = false
    /// How often the message was redriven; part of its later records' idempotency keys.
    var redrives = 0

    /// The idempotency-key part that tells rounds of attempts apart.
    var round: String { redrives == 0 ? "" : "r\(redrives)/" }
}
