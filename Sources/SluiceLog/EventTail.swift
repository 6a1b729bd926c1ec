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
    /// How long one wait for new events lasts before the tail re-reads the head; it bounds the
    /// delay when the writer is another process and cannot wake this one.
    let pollInterval: Duration

    /// Creates a tail of `log` starting after `after`.
    public init(log: any EventLog, after: Int64, batchSize: Int = 512, pollInterval: Duration = .milliseconds(50)) {
        self.log = log
        self.after = after
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

        public mutating func next() async throws -> RecordedEvent? {
            while true {
                if bufferIndex < buffer.count {
                    let event = buffer[bufferIndex]
                    bufferIndex += 1
                    lastPosition = event.position
                    return event
                }
                try Task.checkCancellation()
                buffer = try await tail.log.readAll(from: lastPosition + 1, limit: tail.batchSize)
                bufferIndex = 0
                if buffer.isEmpty {
                    await tail.log.waitForAppend(after: lastPosition, timeout: tail.pollInterval)
                }
            }
        }
    }
}
