import Foundation
public import SluiceCore
public import SluiceLog

/// One upload's journey through the pipeline: every event that shares its correlation id, in
/// log order, with the time since the first. What `sluice trace` prints.
public struct JourneyTrace: Sendable {
    public struct Step: Sendable, Hashable {
        public var position: Int64
        /// Microseconds since the journey's first event.
        public var offsetMicros: Int64
        public var stream: String
        public var type: String
        /// A short description: the step, function, effect or outcome the event records.
        public var summary: String
    }

    public var correlationID: String
    public var steps: [Step]

    /// The journey of `correlationID`; at most `limit` events.
    public static func load(_ log: any EventLog, correlationID: String, limit: Int = 10_000) async throws(SluiceError)
        -> JourneyTrace
    {
        var events: [RecordedEvent] = []
        var after: Int64 = 0
        while events.count < limit {
            let page = try await log.query(
                EventQuery(correlationID: correlationID, after: after, limit: min(1_000, limit - events.count)))
            events += page.events
            guard let cursor = page.nextCursor else { break }
            after = cursor
        }
        let start = events.first?.timestamp ?? 0
        return JourneyTrace(
            correlationID: correlationID,
            steps: events.map { event in
                Step(
                    position: event.position, offsetMicros: event.timestamp - start, stream: event.stream.rawValue,
                    type: event.type, summary: Self.summary(event))
            })
    }

    /// The correlation id of the latest event of `stream` (an object, an execution, ...).
    public static func correlation(ofStream stream: StreamName, in log: any EventLog) async throws(SluiceError)
        -> String
    {
        let version = try await log.streamVersion(stream)
        guard version > 0 else { throw SluiceError(.notFound, "\(stream) has no events") }
        for candidate in stride(from: version, through: max(1, version - 50), by: -1) {
            if let id = try await log.readStream(stream, from: candidate, limit: 1).first?.metadata.correlationID {
                return id
            }
        }
        throw SluiceError(.notFound, "\(stream) carries no correlation id")
    }

    /// A few fields of the event data worth a glance, without decoding every type.
    static func summary(_ event: RecordedEvent) -> String {
        let keys = [
            "name", "objectId", "workflow", "function", "step", "messageId", "executionId", "attempt", "error", "state",
            "tookMicros",
        ]
        var parts: [String] = []
        for key in keys {
            guard let range = event.data.range(of: "\"\(key)\":") else { continue }
            let rest = event.data[range.upperBound...]
            let value: Substring
            if rest.hasPrefix("\"") {
                let body = rest.dropFirst()
                value = body[..<(body.firstIndex(of: "\"") ?? body.endIndex)]
            } else {
                value = rest[..<(rest.firstIndex { $0 == "," || $0 == "}" } ?? rest.endIndex)]
            }
            parts.append("\(key)=\(value.prefix(60))")
            if parts.count == 3 { break }
        }
        return parts.joined(separator: " ")
    }
}
