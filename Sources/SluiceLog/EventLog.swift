public import SluiceCore

/// The append-only event log: Sluice's only source of truth.
///
/// Contract for every implementation:
/// - `append` MUST be atomic per call: all of the call's events are stored, contiguous in
///   position and version, or none is.
/// - `append` MUST return only once the events are durable (a crash after it returns loses nothing).
/// - `append` MUST throw `wrongExpectedVersion` with a ``VersionConflict`` cause when the stream's
///   version is not the expected one, and MUST NOT write anything then.
/// - An append with an idempotency key the log already holds MUST return the original result
///   (with `wasDuplicate` set) and MUST NOT write anything.
/// - Positions MUST start at 1 and have no gaps; each stream's versions MUST start at 1 and have no gaps.
/// - Timestamps MUST NOT decrease with position.
/// - Reads MUST NOT show an event before its append has returned to some caller or committed.
public protocol EventLog: Sendable {
    /// Appends events to one stream if its version is the expected one.
    func append(
        _ events: [NewEvent],
        to stream: StreamName,
        expectedVersion: ExpectedVersion,
        idempotencyKey: String?
    ) async throws(SluiceError) -> AppendResult

    /// Appends to several streams as one step: every part's stream is at its expected version
    /// and all the parts' events are stored, positions contiguous in part order, or nothing is.
    ///
    /// A conflict on any part throws `wrongExpectedVersion` naming that part's stream. The
    /// idempotency key covers the whole append; a repeat returns every part's original result.
    /// A part without events only checks its stream's version (see ``StreamAppend``) and
    /// reports positions 0. Results come in part order.
    func append(_ parts: [StreamAppend], idempotencyKey: String?) async throws(SluiceError) -> [AppendResult]

    /// Reads a stream forward, starting at `version` (1 is the first event).
    func readStream(_ stream: StreamName, from version: Int64, limit: Int) async throws(SluiceError) -> [RecordedEvent]

    /// Reads the whole log forward, starting at `position` (1 is the first event).
    func readAll(from position: Int64, limit: Int) async throws(SluiceError) -> [RecordedEvent]

    /// Finds events for an audit query, oldest first, a page at a time.
    func query(_ query: EventQuery) async throws(SluiceError) -> EventPage

    /// A live tail's poll for the next events of its types after its position: ``query(_:)`` by
    /// default. A poll that finds less than a page moves the tail to the head, so the next one
    /// reads only what was appended since, and a log may run it where that costs least (see
    /// ``EventTail``).
    func pollQuery(_ query: EventQuery) async throws(SluiceError) -> EventPage

    /// The current version of a stream: 0 when it has no events.
    func streamVersion(_ stream: StreamName) async throws(SluiceError) -> Int64

    /// The names of the streams that have events and start with `prefix`, in name order (by
    /// UTF-8 bytes), from `from` on (inclusive; nil for the first), at most `limit`. It lists
    /// names without reading events, so its cost follows the streams it returns, not the log.
    func streamNames(prefix: String, from: String?, limit: Int) async throws(SluiceError) -> [StreamName]

    /// The position of the last durable event: 0 when the log is empty.
    func headPosition() async throws(SluiceError) -> Int64

    /// Suspends until the log's head is past `position` or the timeout passes, whichever is first.
    ///
    /// Implementations MAY return early; callers re-read the head. This is what live tails wait on.
    func waitForAppend(after position: Int64, timeout: Duration) async

    /// Checks the whole log's integrity from a snapshot (`sluice admin verify` and the Sluice
    /// API's verify route); `progress` receives (events checked, events in total) now and then.
    /// Every log has the checks its reads can make (see the extension); one that stores more,
    /// such as a hash chain, checks that too.
    func verify(progress: @escaping @Sendable (Int64, Int64) -> Void) async throws(SluiceError) -> IntegrityReport
}

extension EventLog {
    public func pollQuery(_ query: EventQuery) async throws(SluiceError) -> EventPage {
        try await self.query(query)
    }

    /// Appends events without an idempotency key.
    public func append(
        _ events: [NewEvent],
        to stream: StreamName,
        expectedVersion: ExpectedVersion = .any
    ) async throws(SluiceError) -> AppendResult {
        try await append(events, to: stream, expectedVersion: expectedVersion, idempotencyKey: nil)
    }

    /// A live, gap-free, duplicate-free sequence of every event after `position`.
    public func tail(after position: Int64 = 0, batchSize: Int = 512) -> EventTail {
        EventTail(log: self, after: position, batchSize: batchSize)
    }

    /// A live sequence of the events of `types` after `position`, found through the type index,
    /// so a consumer of a few types does not read (or wake for) every event of the log. With
    /// `predicates`, only the events that also match them.
    public func tail(
        after position: Int64 = 0, types: [String], where predicates: [FieldPredicate] = [], batchSize: Int = 512
    ) -> EventTail {
        EventTail(log: self, after: position, batchSize: batchSize, types: types, predicates: predicates)
    }
}
