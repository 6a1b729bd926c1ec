import SluiceCore
import SluiceLog

extension LogReader {
    /// Tier-aware reads on this reader's connection.
    var tiers: TieredReads { TieredReads(connection: connection, rows: rows) }

    func readStream(_ stream: StreamName, from version: Int64, limit: Int) throws(SluiceError) -> [RecordedEvent] {
        guard limit > 0 else { return [] }
        return try connection.readTransaction { () throws(SluiceError) -> [RecordedEvent] in
            guard let streamID = try tiers.streamID(stream.rawValue) else { return [] }
            return try tiers.readStream(streamID, from: version, limit: limit, settled: try tiers.settledThrough())
        }
    }

    func readAll(from position: Int64, limit: Int) throws(SluiceError) -> [RecordedEvent] {
        guard limit > 0 else { return [] }
        return try connection.readTransaction { () throws(SluiceError) -> [RecordedEvent] in
            try tiers.readAll(from: position, limit: limit, settled: try tiers.settledThrough())
        }
    }

    /// Runs an audit query. Each filter narrows through an index: stream → the (stream, version)
    /// keys, correlation and type → the indexes of `event_positions`, time → a position range.
    func query(_ query: EventQuery) throws(SluiceError) -> EventPage {
        try connection.readTransaction { () throws(SluiceError) -> EventPage in
            try tiers.query(query, settled: try tiers.settledThrough())
        }
    }

    /// The statements a query runs, for `EXPLAIN QUERY PLAN`.
    func plan(_ query: EventQuery) throws(SluiceError) -> [TieredReads.QueryPart] {
        try connection.readTransaction { () throws(SluiceError) -> [TieredReads.QueryPart] in
            try tiers.plan(query, settled: try tiers.settledThrough()) ?? []
        }
    }

    func streamVersion(_ stream: StreamName) throws(SluiceError) -> Int64 {
        try connection.readTransaction { () throws(SluiceError) -> Int64 in
            guard let streamID = try tiers.streamID(stream.rawValue) else { return 0 }
            return try tiers.streamVersion(streamID, settled: try tiers.settledThrough())
        }
    }

    func headPosition() throws(SluiceError) -> Int64 {
        try tiers.headPosition()
    }
}
