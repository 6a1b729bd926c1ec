import SluiceCore

extension LogWriter {
    /// Unsettled events on the writer's last look.
    var settleBacklog: Int64 { state.headPosition - state.marks.settled }

    /// Runs one settle transaction of the current round, starting a round first when at least
    /// `minimumBacklog` events are unsettled. Returns the rows it copied or deleted; 0 means there
    /// was nothing to do.
    ///
    /// A round settles the recent table not taking appends: it copies the table's events in
    /// slices, then empties the table in one statement (see `0005_recent_pair.sql`). When that
    /// table is already empty, the round first turns appends to it and settles the other.
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
            var current = state.round
            if current == nil { current = try startRound(minimumBacklog: minimumBacklog) }
            guard let round = current else {
                try connection.statement("COMMIT").step()
                return 0
            }
            let rows: Int
            var next: SettleRound? = round
            if !round.isCopied {
                let slice = round.nextSlice(settlement.stepEvents)
                try copy(slice, from: round.table)
                next?.copied += slice.count
                rows = slice.count
            } else {
                rows = try empty(round)
                next = nil
            }
            try connection.statement("COMMIT").step()
            if next == nil { state.marks.settled = round.end }
            state.round = next
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

    /// A round over the recent table not taking appends, or nil when fewer than `minimumBacklog`
    /// events are unsettled. When that table is empty, appends turn to it and the round takes the
    /// other; either way its positions are sorted by (stream, version) from the covering bucket
    /// index.
    private func startRound(minimumBacklog: Int64) throws(SluiceError) -> SettleRound? {
        var marks = state.marks
        let olderIsEmpty = marks.settled == marks.appendingFrom - 1
        if olderIsEmpty {
            let backlog = settleBacklog
            guard backlog > 0, backlog >= minimumBacklog else { return nil }
            marks.turn(head: state.headPosition)
        }
        let table = marks.appending.other
        let select = try connection.statement(
            "SELECT position FROM \(table.name) ORDER BY stream_id, version"
        )
        defer { select.reset() }
        var order: [Int64] = []
        order.reserveCapacity(Int(max(0, marks.appendingFrom - 1 - marks.settled)))
        while try select.step() { order.append(select.int64(0)) }
        state.marks = marks
        return SettleRound(table: table, first: marks.settled + 1, end: marks.appendingFrom - 1, order: order)
    }

    /// Empties a round's table once every event of it is copied, and returns the rows it held.
    ///
    /// Without a WHERE clause SQLite frees the table's and its index's pages without visiting a
    /// row (the truncate optimization); with `secure_delete` off it does not write them either.
    /// The check first is a guard, not a path the writer takes: a table that took appends since
    /// its round began would lose them.
    private func empty(_ round: SettleRound) throws(SluiceError) -> Int {
        let newest = try connection.scalarInteger("SELECT max(position) FROM \(round.table.name)") ?? 0
        guard newest <= round.end else {
            throw SluiceError(
                .storageFailure,
                "settling \(round.table.name) through \(round.end) found position \(newest) in it; the round starts over"
            )
        }
        try connection.execute("DELETE FROM \(round.table.name)")
        return round.order.count
    }

    /// Copies the recent events at `positions` into `events`, in that order.
    ///
    /// `OR IGNORE` makes a copy idempotent: a round cut short (a crash, or a reload after another
    /// process committed) leaves copies above the settled mark, and the next round copies the same
    /// immutable rows again.
    private func copy(_ positions: ArraySlice<Int64>, from table: RecentTable) throws(SluiceError) {
        let name = table.name
        let copy = try connection.statement(
            """
            INSERT OR IGNORE INTO events (\(EventRows.columns), hash)
            SELECT \(EventRows.columns(of: name)), \(name).hash
            FROM json_each(?) AS slice CROSS JOIN \(name) ON \(name).position = slice.value
            ORDER BY slice.key
            """
        )
        defer { copy.reset() }
        copy.bind("[" + positions.map(String.init).joined(separator: ",") + "]", at: 1)
        try copy.step()
    }
}
