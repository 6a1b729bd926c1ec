public import SluiceCore

/// An event log in memory, for tests and tools: the same contract as the durable log, minus
/// durability and SQL projections.
public actor MemoryEventLog: EventLog {
    private var events: [RecordedEvent] = []
    private var streams: [StreamName: [Int]] = [:]
    private var idempotencyKeys: [String: AppendResult] = [:]
    private let now: @Sendable () -> Int64
    private var generator = PooledRandomGenerator()

    /// Creates an empty log; `now` returns microseconds since the Unix epoch.
    public init(now: @escaping @Sendable () -> Int64 = WallClock.microsecondsSinceEpoch) {
        self.now = now
    }

    public func append(
        _ newEvents: [NewEvent],
        to stream: StreamName,
        expectedVersion: ExpectedVersion,
        idempotencyKey: String?
    ) throws(SluiceError) -> AppendResult {
        try AppendValidation.validate(newEvents, idempotencyKey: idempotencyKey)
        if let idempotencyKey, let original = idempotencyKeys[idempotencyKey] {
            return original.asDuplicate
        }
        let current = Int64(streams[stream]?.count ?? 0)
        guard expectedVersion.isSatisfied(by: current) else {
            throw VersionConflict(stream: stream, expected: expectedVersion, actual: current).error
        }
        let result = store(newEvents, to: stream, current: current, timestamp: max(now(), events.last?.timestamp ?? 0))
        if let idempotencyKey { idempotencyKeys[idempotencyKey] = result }
        return result
    }

    public func append(_ parts: [StreamAppend], idempotencyKey: String?) throws(SluiceError) -> [AppendResult] {
        try AppendValidation.validate(parts, idempotencyKey: idempotencyKey)
        if let idempotencyKey, idempotencyKeys[idempotencyKey] != nil {
            return parts.indices.map { index in
                idempotencyKeys[StreamAppend.partKey(idempotencyKey, index: index)]?.asDuplicate
                    ?? StreamAppend.conditionResult(at: 0, duplicate: true)
            }
        }
        var versions: [Int64] = []
        for part in parts {
            let current = Int64(streams[part.stream]?.count ?? 0)
            guard part.expectedVersion.isSatisfied(by: current) else {
                throw VersionConflict(stream: part.stream, expected: part.expectedVersion, actual: current).error
            }
            versions.append(current)
        }
        let timestamp = max(now(), events.last?.timestamp ?? 0)
        var results: [AppendResult] = []
        for (index, part) in parts.enumerated() {
            guard !part.events.isEmpty else {
                results.append(StreamAppend.conditionResult(at: versions[index], duplicate: false))
                continue
            }
            let result = store(part.events, to: part.stream, current: versions[index], timestamp: timestamp)
            if let idempotencyKey { idempotencyKeys[StreamAppend.partKey(idempotencyKey, index: index)] = result }
            results.append(result)
        }
        return results
    }

    /// Stores checked events at the end of the log and of `stream`, which is at `current`.
    private func store(_ newEvents: [NewEvent], to stream: StreamName, current: Int64, timestamp: Int64)
        -> AppendResult
    {
        let firstPosition = Int64(events.count) + 1
        for (offset, event) in newEvents.enumerated() {
            let recorded = RecordedEvent(
                position: firstPosition + Int64(offset),
                stream: stream,
                version: current + Int64(offset) + 1,
                type: event.type,
                data: event.data,
                metadata: event.metadata,
                timestamp: timestamp,
                id: event.id ?? EventID(unixMilliseconds: timestamp / 1000, using: &generator)
            )
            streams[stream, default: []].append(events.count)
            events.append(recorded)
        }
        return AppendResult(
            firstPosition: firstPosition,
            lastPosition: Int64(events.count),
            firstVersion: current + 1,
            lastVersion: current + Int64(newEvents.count),
            wasDuplicate: false
        )
    }

    public func readStream(_ stream: StreamName, from version: Int64, limit: Int) -> [RecordedEvent] {
        guard let indices = streams[stream], limit > 0 else { return [] }
        let start = Int(max(1, version)) - 1
        guard start < indices.count else { return [] }
        return indices[start..<min(indices.count, start + limit)].map { events[$0] }
    }

    public func readAll(from position: Int64, limit: Int) -> [RecordedEvent] {
        let start = Int(max(1, position)) - 1
        guard start < events.count, limit > 0 else { return [] }
        return Array(events[start..<min(events.count, start + limit)])
    }

    public func query(_ query: EventQuery) throws(SluiceError) -> EventPage {
        let query = try query.validated()
        var matches: [RecordedEvent] = []
        let start = Int(min(Int64(events.count), query.after))
        let end = max(start, Int(min(Int64(events.count), (query.before ?? Int64.max) - 1)))
        let candidates: [RecordedEvent] =
            query.newestFirst ? events[start..<end].reversed() : Array(events[start...])
        for event in candidates where query.matches(event) {
            matches.append(event)
            if matches.count == query.limit { break }
        }
        let cursor = matches.count == query.limit ? matches.last?.position : nil
        return EventPage(events: matches, nextCursor: cursor)
    }

    public func streamVersion(_ stream: StreamName) -> Int64 {
        Int64(streams[stream]?.count ?? 0)
    }

    public func streamNames(prefix: String, from: String?, limit: Int) -> [StreamName] {
        let start = Array((from ?? "").utf8)
        let names = streams.keys.filter { name in
            name.rawValue.utf8.starts(with: prefix.utf8) && !name.rawValue.utf8.lexicographicallyPrecedes(start)
        }
        return Array(
            names.sorted { $0.rawValue.utf8.lexicographicallyPrecedes($1.rawValue.utf8) }.prefix(max(0, limit)))
    }

    public func headPosition() -> Int64 {
        Int64(events.count)
    }

    /// Polls (the actor is free while it sleeps), so the wait ends on an append, at the
    /// timeout, or when the task is cancelled, whichever comes first.
    public func waitForAppend(after position: Int64, timeout: Duration) async {
        let deadline = ContinuousClock.now + timeout
        while Int64(events.count) <= position, ContinuousClock.now < deadline, !Task.isCancelled {
            try? await Task.sleep(for: .milliseconds(2))
        }
    }
}
