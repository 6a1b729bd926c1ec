public import SluiceCore
public import SluiceLog

/// Which failed executions a bulk replay takes, and what each replay is called; shared by
/// `sluice executions replay --where` and Sluice's API.
public enum ReplaySelection {
    /// The executions whose `execution.failed` event matches `predicates` (and `since`), oldest
    /// failure first, without those replayed already, at most `limit`.
    public static func failedExecutions(
        in log: any EventLog, matching predicates: [FieldPredicate], since: Int64? = nil, limit: Int
    ) async throws(SluiceError) -> [ExecutionID] {
        var selected: [ExecutionID] = []
        var seen: Set<String> = []
        var after: Int64 = 0
        while selected.count < limit {
            let page = try await log.query(
                EventQuery(
                    streamPrefix: "execution/", types: [ExecutionEventType.failed], since: since,
                    predicates: predicates, after: after, limit: 1_000
                ).validated())
            for event in page.events where selected.count < limit {
                let id = try ExecutionID(String(event.stream.rawValue.dropFirst("execution/".count)))
                guard seen.insert(id.rawValue).inserted else { continue }
                let replayed = try await log.query(
                    EventQuery(stream: event.stream, types: [ExecutionRunner.replayedType], limit: 1))
                if replayed.events.isEmpty { selected.append(id) }
            }
            guard let cursor = page.nextCursor else { break }
            after = cursor
        }
        return selected
    }

    /// `ORIGINAL-replay-N` for the first N not taken. A replay of a replay is numbered on among
    /// the first original's replays (`run-replay-1` replays as `run-replay-2`), so ids do not grow
    /// a suffix per generation until the 63-character limit cuts them.
    public static func nextReplayID(of original: ExecutionID, runner: ExecutionRunner) async throws(SluiceError)
        -> ExecutionID
    {
        var first = original
        for _ in 0..<100 {
            guard let parent = try await runner.history(of: first).start?.replayOf else { break }
            first = try ExecutionID(parent)
        }
        let root = String(first.rawValue.prefix(50))
        for attempt in 1...1_000 {
            let candidate = try ExecutionID(root + "-replay-\(attempt)")
            if try await runner.history(of: candidate).start == nil { return candidate }
        }
        throw SluiceError(.alreadyExists, "execution \(original) has been replayed 1000 times; name the replay")
    }
}
