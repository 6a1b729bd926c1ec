import CSQLiteLayers

/// The VFS that writes a connection's WAL frames out up to 30 at a time instead of in two writes
/// each (Sources/CSQLiteLayers/WALWriteBuffer.c says why and what keeps it safe).
enum WALWriteBuffer {
    /// Registers the VFS and returns its name for `sqlite3_open_v2`; nil where the platform's VFS
    /// is not one it can layer over, and connections then write as SQLite does.
    static func register() -> String? {
        sluice_sqlite3_register_wal_write_buffer().map { String(cString: $0) }
    }

    /// The WAL writes SQLite asked `connection` for and the writes made of them; nil when its WAL
    /// is not buffered (or not open yet).
    static func writeCounts(of connection: SQLiteConnection) -> (asked: UInt64, made: UInt64)? {
        var asked: UInt64 = 0
        var made: UInt64 = 0
        guard sluice_sqlite3_wal_write_counts(UnsafeMutableRawPointer(connection.handle), &asked, &made) != 0 else {
            return nil
        }
        return (asked, made)
    }
}
