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
                round = try startRound(end: state.settledThrough + min(backlog, Int64(settlement.roundEvents)))
            }
            guard var round else { preconditionFailure("a settle round was just started") }
            let rows: Int
            var settledThrough = state.settledThrough
            if !round.isCopied {
                let slice = round.nextSlice(settlement.stepEvents)
                try copy(slice)
                round.copied += slice.count
                rows = slice.count
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
            statistics.recordWALPages(total: connection.walPagesWritten)
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

    /// A round that settles every recent event up to `end`, with their positions sorted by
    /// (stream, version) from the covering bucket index.
    private func startRound(end: Int64) throws(SluiceError) -> SettleRound {
        let select = try connection.statement(
            """
            SELECT position FROM events_recent
            WHERE \(RecentBuckets.bucket) BETWEEN ?1 >> \(RecentBuckets.shift) AND ?2 >> \(RecentBuckets.shift) AND position > ?1 AND position <= ?2
            ORDER BY stream_id, version
            """
        )
        defer { select.reset() }
        select.bind(state.settledThrough, at: 1)
        select.bind(end, at: 2)
        var order: [Int64] = []
        order.reserveCapacity(Int(max(0, end - state.settledThrough)))
        while try select.step() { order.append(select.int64(0)) }
        return SettleRound(end: end, order: order)
    }

    /// Copies the recent events at `positions` into `events`, in that order.
    ///
    /// `OR IGNORE` makes a copy idempotent: a round cut short (a crash, or a reload after another
    /// process committed) leaves copies above the settled mark, and the next round copies the same
    /// immutable rows again.
    private func copy(_ positions: ArraySlice<Int64>) throws(SluiceError) {
        let copy = try connection.statement(
            """
            INSERT OR IGNORE INTO events (\(EventRows.columns), hash)
            SELECT \(EventRows.columns(of: "events_recent")), events_recent.hash
            FROM json_each(?) AS slice CROSS JOIN events_recent ON events_recent.position = slice.value
            ORDER BY slice.key
            """
        )
        defer { copy.reset() }
        copy.bind("[" + positions.map(String.init).joined(separator: ",") + "]", at: 1)
        try copy.step()
    }
}
