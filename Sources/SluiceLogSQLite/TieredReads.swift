import SluiceCore

/// Reads that see both tiers of the log (see `Migrations/0002_log_tiers.sql`) as one sequence.
///
/// Every position up to the settled mark is in `events`, every later one in one of the two recent
/// tables, each holding a run of positions (see `0005_recent_pair.sql`). So in position order and
/// in each stream's version order the settled part comes first, then the older recent table, then
/// the newer: a read is the parts one after another, no merge needed. Callers MUST run a read and
/// the ``marks()`` it uses inside one transaction, so both come from one snapshot; a settle
/// committed in between would otherwise hide or repeat events.
struct TieredReads {
    let connection: SQLiteConnection
    let rows: EventRows

    /// Where this snapshot's tiers meet. `events` rows above its settled mark are copies an
    /// unfinished settle made early.
    func marks() throws(SluiceError) -> TierMarks {
        try TierMarks.read(connection)
    }

    /// The position of the last event, 0 for an empty log.
    func headPosition() throws(SluiceError) -> Int64 {
        try connection.scalarInteger("SELECT max(position) FROM event_positions") ?? 0
    }

    /// The interned id of a stream, or nil when no event ever named it.
    func streamID(_ name: String) throws(SluiceError) -> Int64? {
        if let id = rows.names.streamID(name) { return id }
        return try connection.internedID("SELECT id FROM streams WHERE name = ?", name)
    }

    /// A stream's events from `version` on, settled ones first.
    func readStream(_ streamID: Int64, from version: Int64, limit: Int, marks: TierMarks) throws(SluiceError)
        -> [RecordedEvent]
    {
        let older = try connection.statement(
            """
            SELECT \(EventRows.columns) FROM events WHERE stream_id = ? AND version >= ? AND position <= ?
            ORDER BY version LIMIT ?
            """
        )
        defer { older.reset() }
        older.bind(streamID, at: 1)
        older.bind(max(1, version), at: 2)
        older.bind(marks.settled, at: 3)
        older.bind(Int64(limit), at: 4)
        var events: [RecordedEvent] = []
        try rows.decodeAll(older, into: &events, expected: limit)
        for table in marks.occupied where events.count < limit {
            let newer = try connection.statement(table.buckets.streamRead)
            defer { newer.reset() }
            newer.bind(streamID, at: 1)
            newer.bind(max(1, version), at: 2)
            newer.bind(Int64(limit - events.count), at: 3)
            try rows.decodeAll(newer, into: &events, expected: limit - events.count)
        }
        return events
    }

    /// The log's events from `position` on, settled ones first.
    func readAll(from position: Int64, limit: Int, marks: TierMarks) throws(SluiceError) -> [RecordedEvent] {
        let settled = marks.settled
        var events: [RecordedEvent] = []
        let start = max(1, position)
        if start <= settled {
            let older = try connection.statement(
                """
                SELECT \(EventRows.columns(of: "events")) FROM event_positions CROSS JOIN events
                ON events.stream_id = event_positions.stream_id AND events.version = event_positions.version
                WHERE event_positions.position >= ? AND event_positions.position <= ?
                ORDER BY event_positions.position LIMIT ?
                """
            )
            defer { older.reset() }
            older.bind(start, at: 1)
            older.bind(settled, at: 2)
            older.bind(Int64(limit), at: 3)
            try rows.decodeAll(older, into: &events, expected: limit)
        }
        for table in marks.occupied where events.count < limit {
            let newer = try connection.statement(
                "SELECT \(EventRows.columns) FROM \(table.name) WHERE position >= ? ORDER BY position LIMIT ?"
            )
            defer { newer.reset() }
            newer.bind(max(start, settled + 1), at: 1)
            newer.bind(Int64(limit - events.count), at: 2)
            try rows.decodeAll(newer, into: &events, expected: limit - events.count)
        }
        return events
    }

    /// A stream's current version: its newest recent event, else its newest settled one.
    func streamVersion(_ streamID: Int64, marks: TierMarks) throws(SluiceError) -> Int64 {
        for table in marks.occupied.reversed() {
            if let recent = try connection.scalarInteger(table.buckets.newestVersion, [.integer(streamID)]) {
                return recent
            }
        }
        return try connection.scalarInteger(
            "SELECT version FROM events WHERE stream_id = ? AND position <= ? ORDER BY version DESC LIMIT 1",
            [.integer(streamID), .integer(marks.settled)]
        ) ?? 0
    }

    /// The first position recorded at or after `time`, found by binary search: timestamps never
    /// decrease with position, so no time index is needed.
    func firstPosition(atOrAfter time: Int64) throws(SluiceError) -> Int64 {
        var low: Int64 = 1
        var high = try headPosition() + 1
        while low < high {
            let middle = low + (high - low) / 2
            let recorded = try connection.scalarInteger(
                "SELECT recorded_at FROM event_positions WHERE position = ?", [.integer(middle)])
            if (recorded ?? Int64.max) < time { low = middle + 1 } else { high = middle }
        }
        return low
    }

    /// The chain hash and time of the event at `position`, from whichever tier holds it.
    func hashAndTime(at position: Int64) throws(SluiceError) -> (hash: [UInt8], recordedAt: Int64)? {
        let select = try connection.statement(
            """
            SELECT hash, recorded_at FROM events_recent_a WHERE position = ?1
            UNION ALL
            SELECT hash, recorded_at FROM events_recent_b WHERE position = ?1
            UNION ALL
            SELECT events.hash, events.recorded_at FROM event_positions CROSS JOIN events
            ON events.stream_id = event_positions.stream_id AND events.version = event_positions.version
            WHERE event_positions.position = ?1
            LIMIT 1
            """
        )
        defer { select.reset() }
        select.bind(position, at: 1)
        guard try select.step() else { return nil }
        return (select.blob(0), select.int64(1))
    }
}

extension SQLiteConnection {
    /// Runs `body` inside one deferred read transaction, so every statement in it sees one snapshot.
    func readTransaction<T>(_ body: () throws(SluiceError) -> T) throws(SluiceError) -> T {
        try statement("BEGIN").step()
        do {
            let result = try body()
            try statement("COMMIT").step()
            return result
        } catch {
            _ = try? statement("ROLLBACK").step()
            throw error
        }
    }
}
