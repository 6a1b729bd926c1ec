import SluiceCore

extension LogWriter {
    /// How many times more rows a delete step removes than a copy step copies.
    static let deleteStepFactor = 4

    /// Unsettled events on the writer's last look.
    var settleBacklog: Int64 { state.headPosition - state.settledThrough }

    /// Runs one settle transaction of the current round, starting a round first when at least
    /// `minimumBacklog` events are unsettled. Returns the rows it copied or deleted; 0 means there
    /// was nothing to do.
    ///
    /// Settle transactions commit with `synchronous=NORMAL` (no fsync) even when appends use
    /// FULL: they only move events that are already durable, and a lost settle commit leaves the
    /// log as it was before it. The WAL is written in order and recovered as a prefix, so the
    /// next FULL commit's fsync makes any settle before it durable too, and a settle the disk
    /// loses takes only later, unacknowledged commits with it.
    func settleStep(minimumBacklog: Int64) throws(SluiceError) -> Int {
        let started = ContinuousClock.now
        let relaxed = synchronous == .full
        if relaxed { try connection.statement("PRAGMA synchronous = NORMAL").step() }
        defer { if relaxed { _ = try? connection.statement("PRAGMA synchronous = FULL").step() } }
        try connection.statement("BEGIN IMMEDIATE").step()
        do {
            try reloadIfChangedElsewhere()
            var round = state.round
            if round == nil {
                let backlog = settleBacklog
                guard backlog > 0, backlog >= minimumBacklog else {
                    try connection.statement("COMMIT").step()
                    return 0
                }
                round = SettleRound(end: state.settledThrough + min(backlog, Int64(settlement.roundEvents)))
            }
            guard var round else { preconditionFailure("a settle round was just started") }
            let rows: Int
            var settledThrough = state.settledThrough
            if let after = round.copiedAfter {
                let copied = try copySlice(of: round, after: after)
                round.copiedAfter = copied.last
                rows = copied.rows
            } else {
                // A delete step is cheaper per row than a copy, but rewrites every page of the
                // recent tier's stream index it touches; fewer, larger steps rewrite them less often.
                let through = min(round.end, settledThrough + Int64(Self.deleteStepFactor * settlement.stepEvents))
                let delete = try connection.statement("DELETE FROM events_recent WHERE position <= ?")
                defer { delete.reset() }
                delete.bind(through, at: 1)
                try delete.step()
                rows = connection.changes
                settledThrough = through
            }
            try connection.statement("COMMIT").step()
            state.settledThrough = settledThrough
            state.round = settledThrough >= round.end ? nil : round
            statistics.recordSettleStep(since: started)
            return max(rows, 1)
        } catch {
            _ = try? connection.statement("ROLLBACK").step()
            state.invalidate()
            try? reloadState()
            throw error
        }
    }

    /// Settles everything, a step at a time; used when the writer stops and on request.
    func settleAll() throws(SluiceError) {
        while try settleStep(minimumBacklog: 1) > 0 {}
    }

    /// Copies the round's next `stepEvents` recent events, in (stream, version) order, into
    /// `events`. Returns how many it copied and the key to continue after, nil when done.
    ///
    /// `OR IGNORE` makes a copy idempotent: a round cut short (a crash, or a reload after another
    /// process committed) leaves copies above the settled mark, and the next round copies the same
    /// immutable rows again.
    private func copySlice(of round: SettleRound, after: SettleRound.Key) throws(SluiceError)
        -> (rows: Int, last: SettleRound.Key?)
    {
        let boundary = try connection.statement(
            """
            SELECT stream_id, version FROM events_recent
            WHERE (stream_id, version) > (?, ?) AND position <= ? ORDER BY stream_id, version LIMIT 1 OFFSET ?
            """
        )
        defer { boundary.reset() }
        boundary.bind(after.stream, at: 1)
        boundary.bind(after.version, at: 2)
        boundary.bind(round.end, at: 3)
        boundary.bind(Int64(max(1, settlement.stepEvents) - 1), at: 4)
        let last = try boundary.step() ? SettleRound.Key(stream: boundary.int64(0), version: boundary.int64(1)) : nil
        let copy = try connection.statement(
            """
            INSERT OR IGNORE INTO events (\(EventRows.columns), hash)
            SELECT \(EventRows.columns), hash FROM events_recent
            WHERE (stream_id, version) > (?, ?) AND (stream_id, version) <= (?, ?) AND position <= ?
            ORDER BY stream_id, version
            """
        )
        defer { copy.reset() }
        copy.bind(after.stream, at: 1)
        copy.bind(after.version, at: 2)
        copy.bind(last?.stream ?? Int64.max, at: 3)
        copy.bind(last?.version ?? Int64.max, at: 4)
        copy.bind(round.end, at: 5)
        try copy.step()
        return (connection.changes, last)
    }
}
