import SluiceCore
import SluiceLog

extension LogReader {
    func readStream(_ stream: StreamName, from version: Int64, limit: Int) throws(SluiceError) -> [RecordedEvent] {
        guard limit > 0, let streamID = try streamID(stream.rawValue) else { return [] }
        let select = try connection.statement(
            "SELECT \(EventRows.columns) FROM events WHERE stream_id = ? AND version >= ? ORDER BY version LIMIT ?"
        )
        defer { select.reset() }
        select.bind(streamID, at: 1)
        select.bind(max(1, version), at: 2)
        select.bind(Int64(limit), at: 3)
        return try rows.decodeAll(select)
    }

    func readAll(from position: Int64, limit: Int) throws(SluiceError) -> [RecordedEvent] {
        guard limit > 0 else { return [] }
        let select = try connection.statement(
            "SELECT \(EventRows.columns) FROM events WHERE position >= ? ORDER BY position LIMIT ?"
        )
        defer { select.reset() }
        select.bind(max(1, position), at: 1)
        select.bind(Int64(limit), at: 2)
        return try rows.decodeAll(select)
    }

    func streamVersion(_ stream: StreamName) throws(SluiceError) -> Int64 {
        guard let streamID = try streamID(stream.rawValue) else { return 0 }
        return try connection.scalarInteger("SELECT max(version) FROM events WHERE stream_id = ?", [.integer(streamID)])
            ?? 0
    }

    func headPosition() throws(SluiceError) -> Int64 {
        try connection.scalarInteger("SELECT max(position) FROM events") ?? 0
    }

    func streamID(_ name: String) throws(SluiceError) -> Int64? {
        try connection.scalarInteger("SELECT id FROM streams WHERE name = ?", [.text(name)])
    }

    /// The first position recorded at or after `time`, found by binary search: timestamps never
    /// decrease with position, so no time index is needed on the hot table.
    func firstPosition(atOrAfter time: Int64) throws(SluiceError) -> Int64 {
        var low: Int64 = 1
        var high = try headPosition() + 1
        while low < high {
            let middle = low + (high - low) / 2
            let recorded = try connection.scalarInteger(
                "SELECT recorded_at FROM events WHERE position = ?", [.integer(middle)])
            if (recorded ?? Int64.max) < time { low = middle + 1 } else { high = middle }
        }
        return low
    }
}
