public import SluiceCore

/// The checks every log runs on an append before it reaches storage, so that every
/// implementation refuses the same bad input with the same message.
public enum AppendValidation {
    /// The most events one append may carry.
    public static let maximumEventsPerAppend = 10_000
    /// The largest event data accepted, in UTF-8 bytes.
    public static let maximumDataBytes = 4 * 1024 * 1024
    /// The longest event type, idempotency key or metadata value accepted, in UTF-8 bytes.
    public static let maximumNameBytes = 1024

    /// Whether `error` is ``validate(_:idempotencyKey:)`` refusing event data over
    /// ``maximumDataBytes``, which no retry can change.
    public static func refusedAsTooLarge(_ error: SluiceError) -> Bool {
        error.code == .invalidArgument && error.message.hasPrefix("the data of event ")
            && error.message.hasSuffix(" is larger than \(maximumDataBytes) bytes")
    }

    /// Throws `invalidArgument` describing the first problem found.
    public static func validate(_ events: [NewEvent], idempotencyKey: String?) throws(SluiceError) {
        guard !events.isEmpty else {
            throw SluiceError(.invalidArgument, "an append needs at least one event")
        }
        guard events.count <= maximumEventsPerAppend else {
            throw SluiceError(
                .invalidArgument, "an append carries at most \(maximumEventsPerAppend) events, not \(events.count)")
        }
        if let idempotencyKey {
            try checkName(idempotencyKey, what: "an idempotency key")
        }
        for (index, event) in events.enumerated() {
            try checkName(event.type, what: "the type of event \(index)")
            guard event.data.utf8.count <= maximumDataBytes else {
                throw SluiceError(
                    .invalidArgument, "the data of event \(index) is larger than \(maximumDataBytes) bytes")
            }
            assert(!event.dataIsEncodedJSON || JSONSyntax.isValid(event.data), "an encoder wrote invalid JSON")
            guard event.dataIsEncodedJSON || JSONSyntax.isValid(event.data) else {
                throw SluiceError(.invalidArgument, "the data of event \(index) (type \(event.type)) is not valid JSON")
            }
            try checkMetadataValue(event.metadata.correlationID, event: index)
            try checkMetadataValue(event.metadata.causationID, event: index)
            try checkMetadataValue(event.metadata.principal, event: index)
            for (key, value) in event.metadata.extra {
                try checkName(key, what: "a metadata key of event \(index)")
                guard value.utf8.count <= maximumDataBytes else {
                    throw SluiceError(.invalidArgument, "metadata key \(key) of event \(index) is too large")
                }
            }
        }
    }

    private static func checkMetadataValue(_ value: String?, event index: Int) throws(SluiceError) {
        if let value { try checkName(value, what: "a metadata value of event \(index)") }
    }

    /// `what` is built only for the error: every append checks several names per event.
    static func checkName(_ value: String, what: @autoclosure () -> String) throws(SluiceError) {
        guard !value.isEmpty, value.utf8.count <= maximumNameBytes else {
            throw SluiceError(.invalidArgument, "\(what()) must be 1 to \(maximumNameBytes) bytes long")
        }
    }
}
