public import SluiceCore

/// One stream's share of an append that spans several streams (``EventLog/append(_:idempotencyKey:)``).
///
/// A part with no events is a condition only: the append goes ahead only while that stream is at
/// the expected version, so a decision read from it (a bucket's notification configs, a topic's
/// existence) still holds when the other parts are stored.
public struct StreamAppend: Sendable, Hashable {
    public var stream: StreamName
    public var events: [NewEvent]
    public var expectedVersion: ExpectedVersion

    public init(_ events: [NewEvent], to stream: StreamName, expectedVersion: ExpectedVersion = .any) {
        self.stream = stream
        self.events = events
        self.expectedVersion = expectedVersion
    }

    /// A part that appends nothing and holds the append to `stream` being at `version`.
    public static func condition(_ stream: StreamName, atVersion version: Int64) -> StreamAppend {
        StreamAppend([], to: stream, expectedVersion: .exact(version))
    }

    /// The idempotency key under which part `index` of an append keyed `key` stores its result:
    /// the key itself for the first part, so a multi-stream append and a plain one share keys.
    public static func partKey(_ key: String, index: Int) -> String {
        index == 0 ? key : key + "#" + String(index)
    }

    /// What a condition part (no events) reports: the version it held, nothing stored.
    public static func conditionResult(at version: Int64, duplicate: Bool) -> AppendResult {
        AppendResult(
            firstPosition: 0, lastPosition: 0, firstVersion: version + 1, lastVersion: version, wasDuplicate: duplicate)
    }
}

extension AppendValidation {
    /// Checks a multi-stream append: at least one part, each stream once, the first part with
    /// events (it holds the idempotency key), every part's events as a plain append's, and no
    /// more events in all than one append may carry.
    public static func validate(_ parts: [StreamAppend], idempotencyKey: String?) throws(SluiceError) {
        guard let first = parts.first, !first.events.isEmpty else {
            throw SluiceError(.invalidArgument, "a multi-stream append needs a first part with events")
        }
        var seen = Set<StreamName>()
        var total = 0
        for part in parts {
            guard seen.insert(part.stream).inserted else {
                throw SluiceError(.invalidArgument, "a multi-stream append names \(part.stream) twice")
            }
            total += part.events.count
            if !part.events.isEmpty { try validate(part.events, idempotencyKey: nil) }
        }
        guard total <= maximumEventsPerAppend else {
            throw SluiceError(
                .invalidArgument, "an append carries at most \(maximumEventsPerAppend) events, not \(total)")
        }
        if let idempotencyKey { try checkName(idempotencyKey, what: "an idempotency key") }
    }
}
