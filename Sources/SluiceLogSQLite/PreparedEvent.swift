import SluiceCore
import SluiceLog

/// An event made ready for the writer on the caller's task: validated, identified, its
/// metadata encoded and its content hashed, so the writer thread does only what must be serial.
struct PreparedEvent: Sendable {
    let type: String
    let data: String
    let id: EventID
    let metadata: EventMetadata
    let extraJSON: String?
    let contentDigest: [UInt8]

    init<R: RandomNumberGenerator>(_ event: NewEvent, stream: StreamName, nowMicros: Int64, generator: inout R) {
        type = event.type
        data = event.data
        id = event.id ?? EventID(unixMilliseconds: nowMicros / 1000, using: &generator)
        metadata = event.metadata
        extraJSON = ExtraMetadataCodec.encode(event.metadata.extra)
        contentDigest = EventHasher.contentDigest(
            stream: stream.rawValue,
            type: type,
            data: data,
            eventID: id,
            correlationID: metadata.correlationID,
            causationID: metadata.causationID,
            principal: metadata.principal,
            extra: extraJSON
        )
    }
}

/// One append on its way to the writer: one part for a plain append, several for an append
/// that spans streams, which the writer stores all together or not at all.
struct PendingAppend: Sendable {
    struct Part: Sendable {
        let stream: StreamName
        let expectedVersion: ExpectedVersion
        /// Empty for a part that only checks its stream's version.
        let events: [PreparedEvent]
    }

    let parts: [Part]
    let idempotencyKey: String?
    /// One result per part, in part order.
    let completion: @Sendable (Result<[AppendResult], SluiceError>) -> Void

    var eventCount: Int { parts.reduce(0) { $0 + $1.events.count } }
}
