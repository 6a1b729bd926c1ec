public import SluiceCore
public import SluiceLog

/// Appends a decision made from a stream's state, re-reading and re-deciding when another
/// writer got there first: optimistic concurrency, the way every resource change is made.
public struct ResourceAppender: Sendable {
    /// How many times a decision is retried after losing a race before the caller sees ABORTED.
    public static let attempts = 32

    let log: any EventLog

    public init(log: any EventLog) {
        self.log = log
    }

    /// Loads with `load`, decides with `decide`, appends at the loaded version; returns what
    /// `decide` returned alongside the append. An empty decision appends nothing. When the
    /// idempotency key was already used, nothing is appended and `duplicate` answers from what
    /// the first append stored.
    public func change<State: Sendable, Decision>(
        _ stream: StreamName,
        load: () async throws(SluiceError) -> LoadedState<State>,
        metadata: EventMetadata,
        idempotencyKey: String? = nil,
        duplicate: ((AppendResult) async throws(SluiceError) -> Decision)? = nil,
        decide: (LoadedState<State>) throws(SluiceError) -> (events: [NewEvent], result: Decision)
    ) async throws(SluiceError) -> Decision {
        try await Self.retryingConflicts(on: stream) { () async throws(SluiceError) -> Decision in
            let loaded = try await load()
            let decision = try decide(loaded)
            guard !decision.events.isEmpty else { return decision.result }
            let events = decision.events.map { event in
                var event = event
                event.metadata = metadata
                return event
            }
            let result = try await log.append(
                events, to: stream, expectedVersion: loaded.expectedVersion, idempotencyKey: idempotencyKey)
            if result.wasDuplicate, let duplicate { return try await duplicate(result) }
            return decision.result
        }
    }

    /// Runs `attempt` (which reads, decides and appends) again each time its append loses a race
    /// (`wrongExpectedVersion`), up to ``attempts`` times, then gives up with a conflict naming
    /// `stream`. Only appends throw that code, so a read or a refused decision ends at once.
    public static func retryingConflicts<Decision>(
        on stream: StreamName, _ attempt: () async throws(SluiceError) -> Decision
    ) async throws(SluiceError) -> Decision {
        var lastConflict: SluiceError?
        for _ in 0..<attempts {
            do {
                return try await attempt()
            } catch  where error.code == .wrongExpectedVersion {
                lastConflict = error
            }
        }
        throw SluiceError(
            .wrongExpectedVersion,
            "\(stream) kept changing under \(attempts) attempts: \(lastConflict?.message ?? "conflict")")
    }
}
