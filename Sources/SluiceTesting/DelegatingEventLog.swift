public import SluiceCore
public import SluiceLog

/// A test log that wraps another and passes every call to it, except the ones it implements
/// itself: to count reads, change what reads return, or run a hook before an append. `verify`
/// is not passed on: it checks through the wrapper's own reads.
public protocol DelegatingEventLog: EventLog {
    /// The log every call not implemented here goes to.
    var base: any EventLog { get }
}

extension DelegatingEventLog {
    public func append(
        _ events: [NewEvent], to stream: StreamName, expectedVersion: ExpectedVersion, idempotencyKey: String?
    ) async throws(SluiceError) -> AppendResult {
        try await base.append(events, to: stream, expectedVersion: expectedVersion, idempotencyKey: idempotencyKey)
    }

    public func append(_ parts: [StreamAppend], idempotencyKey: String?) async throws(SluiceError) -> [AppendResult] {
        try await base.append(parts, idempotencyKey: idempotencyKey)
    }

    public func readStream(_ stream: StreamName, from version: Int64, limit: Int) async throws(SluiceError)
        -> [RecordedEvent]
    {
        try await base.readStream(stream, from: version, limit: limit)
    }

    public func readAll(from position: Int64, limit: Int) async throws(SluiceError) -> [RecordedEvent] {
        try await base.readAll(from: position, limit: limit)
    }

    public func query(_ query: EventQuery) async throws(SluiceError) -> EventPage { try await base.query(query) }

    public func streamVersion(_ stream: StreamName) async throws(SluiceError) -> Int64 {
        try await base.streamVersion(stream)
    }

    public func streamNames(prefix: String, from: String?, limit: Int) async throws(SluiceError) -> [StreamName] {
        try await base.streamNames(prefix: prefix, from: from, limit: limit)
    }

    public func headPosition() async throws(SluiceError) -> Int64 { try await base.headPosition() }

    public func waitForAppend(after position: Int64, timeout: Duration) async {
        await base.waitForAppend(after: position, timeout: timeout)
    }
}
