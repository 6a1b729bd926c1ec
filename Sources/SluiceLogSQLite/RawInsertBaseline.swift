import Foundation
public import SluiceCore

/// The physical limit the log benchmark compares with: the same rows inserted in batches into a
/// bare table with no index, on the same disk with the same durability.
public enum RawInsertBaseline {
    /// Inserts `rows` rows shaped like events in transactions of `batch` rows and returns rows per second.
    public static func measure(
        path: String,
        rows: Int,
        batch: Int = 1_000,
        synchronous: SQLiteEventLog.Configuration.Synchronous,
        makeData: (Int) -> String
    ) throws(SluiceError) -> Double {
        let connection = try SQLiteConnection(path: path, readOnly: false, plainWrites: true)
        try connection.execute("PRAGMA journal_mode = WAL")
        try connection.execute("PRAGMA synchronous = \(synchronous.rawValue.uppercased())")
        try connection.execute(
            """
            CREATE TABLE IF NOT EXISTS raw (stream TEXT, version INTEGER, position INTEGER, type TEXT,
                recorded_at INTEGER, event_id BLOB, correlation TEXT, data TEXT, hash BLOB)
            """
        )
        let insert = try connection.statement("INSERT INTO raw VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)")
        let hash = [UInt8](repeating: 7, count: 32)
        let eventID = [UInt8](repeating: 9, count: 16)
        let started = ContinuousClock.now
        var written = 0
        while written < rows {
            try connection.execute("BEGIN")
            for index in written..<min(rows, written + batch) {
                insert.reset()
                insert.bind("bench/\(index % 1_000)", at: 1)
                insert.bind(Int64(index / 1_000), at: 2)
                insert.bind(Int64(index + 1), at: 3)
                insert.bind("bench.recorded", at: 4)
                insert.bind(Int64(index), at: 5)
                eventID.withUnsafeBytes { insert.bind(bytes: $0, at: 6) }
                insert.bind("correlation-\(index / 10)", at: 7)
                insert.bind(makeData(index), at: 8)
                hash.withUnsafeBytes { insert.bind(bytes: $0, at: 9) }
                try insert.step()
            }
            try connection.execute("COMMIT")
            written = min(rows, written + batch)
        }
        let elapsed = ContinuousClock.now - started
        return Double(rows) / (Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) / 1e18)
    }
}
