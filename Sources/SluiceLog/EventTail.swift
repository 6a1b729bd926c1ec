public import SluiceCore

/// A live sequence of every event after a position: first the backlog, then each new event as
/// it becomes durable. Positions are gap-free in the log, so following `position + 1` can
/// neither skip nor repeat an event.
///
/// The sequence ends only when the surrounding task is cancelled.
public struct EventTail: AsyncSequence, Sendable {
    public typealias Element = RecordedEvent

    let log: any EventLog
    let after: Int64
    let batchSize: Int
    /// Only events of these types, read through the log's type index; nil for every event.
    let types: [String]?
    /// With types: only events that also match these, filtered by the log before it hands rows out.
    let predicates: [FieldPredicate]
    /// How long one wait for new events lasts before the tail re-reads the head; it bounds the
    /// delay when the writer is another process and cannot wake this one.
    let pollInterval: Duration

    /// Creates a tail of `log` starting after `after`.
    public init(
        log: any EventLog, after: Int64, batchSize: Int = 512, pollInterval: Duration = .milliseconds(50),
        types: [String]? = nil,
        predicates: [FieldPredicate] = []
    ) {
        self.log = log
        self.after = after
        self.types = types
        self.predicates = predicates
        self.batchSize = Swift.max(1, batchSize)
        self.pollInterval = pollInterval
    }

    public func makeAsyncIterator() -> Iterator {
        Iterator(tail: self, lastPosition: after)
    }

    /// Reads batches and waits for appends when the backlog is drained.
    public struct Iterator: AsyncIteratorProtocol {
        let tail: EventTail
        var lastPosition: Int64
        var buffer: [RecordedEvent] = []
        var bufferIndex = 0
        /// With types: the position the tail has seen through once the buffer is handed out.
        var skipTo: Int64 = 0

        public mutating func next() async throws -> RecordedEvent? {
            while true {
                if bufferIndex < buffer.count {
                    let event = buffer[bufferIndex]
                    bufferIndex += 1
                    lastPosition = Swift.max(event.position, bufferIndex == buffer.count ? skipTo : 0)
                    return event
                }
                try Task.checkCancellation()
                bufferIndex = 0
                guard let types = tail.types else {
                    buffer = try await tail.log.readAll(from: lastPosition + 1, limit: tail.batchSize)
                    if buffer.isEmpty {
                        await tail.log.waitForAppend(after: lastPosition, timeout: tail.pollInterval)
                    }
                    continue
                }
                try await readMatching(types)
            }
        }

        /// Reads the next events of `types`. The head is read first: every event up to it is
        /// committed, so a page that is not full holds every match up to it, and the tail may
        /// move past the head even when nothing matched, instead of waking for each event.
        private mutating func readMatching(_ types: [String]) async throws {
            let head = try await tail.log.headPosition()
            let page = try await tail.log.pollQuery(
                EventQuery(types: types, predicates: tail.predicates, after: lastPosition, limit: tail.batchSize))
            buffer = page.events
            skipTo = 0
            if page.nextCursor == nil {
                let seen = Swift.max(head, buffer.last?.position ?? 0)
                if buffer.isEmpty {
                    lastPosition = Swift.max(lastPosition, seen)
                    await tail.log.waitForAppend(after: lastPosition, timeout: tail.pollInterval)
                } else {
                    skipTo = seen
                }
            }
        }
    }
}
