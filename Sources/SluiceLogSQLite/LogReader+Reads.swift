import SluiceCore
import SluiceLog

extension LogReader {
    /// Tier-aware reads on this reader's connection.
    var tiers: TieredReads { TieredReads(connection: connection, rows: rows) }

    func readStream(_ stream: StreamName, from version: Int64, limit: Int) throws(SluiceError) -> [RecordedEvent] {
        guard limit > 0 else { return [] }
        return try connection.readTransaction { () throws(SluiceError) -> [RecordedEvent] in
            guard let streamID = try tiers.streamID(stream.rawValue) else { return [] }
            return try tiers.readStream(streamID, from: version, limit: limit, marks: try tiers.marks())
        }
    }

    func readAll(from position: Int64, limit: Int) throws(SluiceError) -> [RecordedEvent] {
        guard limit > 0 else { return [] }
        return try connection.readTransaction { () throws(SluiceError) -> [RecordedEvent] in
            let events = try tiers.readAll(from: position, limit: limit, marks: try tiers.marks())
            guard let readable = durable.readableThrough() else { return events }
            return Array(events.prefix { $0.position <= readable })
        }
    }

    /// Position-ordered reads stop at the durable head while a commit waits for its sync (see
    /// ``DurableHead``); the cap is read after the snapshot is taken (`marks` is its first
    /// statement), so it bounds every unsynced commit the snapshot holds.
    ///
    /// Runs an audit query. Each filter narrows through an index: stream → the (stream, version)
    /// keys, correlation and type → the indexes of `event_positions`, time → a position range.
    func query(_ query: EventQuery) throws(SluiceError) -> EventPage {
        try connection.readTransaction { () throws(SluiceError) -> EventPage in
            let marks = try tiers.marks()
            return try tiers.query(query, marks: marks, readableThrough: durable.readableThrough())
        }
    }

    /// The statements a query runs, for `EXPLAIN QUERY PLAN`.
    func plan(_ query: EventQuery) throws(SluiceError) -> [TieredReads.QueryPart] {
        try connection.readTransaction { () throws(SluiceError) -> [TieredReads.QueryPart] in
            try tiers.plan(query, marks: try tiers.marks()) ?? []
        }
    }

    func streamVersion(_ stream: StreamName) throws(SluiceError) -> Int64 {
        try connection.readTransaction { () throws(SluiceError) -> Int64 in
            guard let streamID = try tiers.streamID(stream.rawValue) else { return 0 }
            return try tiers.streamVersion(streamID, marks: try tiers.marks())
        }
    }

    /// Stream names by prefix, through the unique index on `streams.name`: SQLite compares text
    /// by its UTF-8 bytes, as the protocol asks, so the names with the prefix are one run from the
    /// prefix on, and the first name without it ends the run. A stream is interned by the
    /// transaction that appends its first event, so every name here has events.
    func streamNames(prefix: String, from: String?, limit: Int) throws(SluiceError) -> [StreamName] {
        guard limit > 0 else { return [] }
        let start = from.map { Array($0.utf8).lexicographicallyPrecedes(prefix.utf8) ? prefix : $0 } ?? prefix
        let select = try connection.statement("SELECT name FROM streams WHERE name >= ? ORDER BY name LIMIT ?")
        defer { select.reset() }
        select.bind(start, at: 1)
        select.bind(Int64(limit), at: 2)
        var names: [StreamName] = []
        while try select.step() {
            guard let name = select.text(0), name.utf8.starts(with: prefix.utf8) else { break }
            names.append(StreamName(unchecked: name))
        }
        return names
    }

    /// The head as far as reads in position order reach: the synced head while a commit waits
    /// for its sync, so a tail that moves past the head skips nothing it has not read.
    func headPosition() throws(SluiceError) -> Int64 {
        let head = try tiers.headPosition()
        return min(head, durable.readableThrough() ?? head)
    }
}
