import SluiceCore

/// The statements every append runs, prepared once and held by the writer, so the hot path
/// neither hashes their SQL to find them in the connection's cache nor clears their bindings:
/// each use binds every parameter.
struct AppendStatements {
    let insertRecent: SQLiteStatement
    let insertPosition: SQLiteStatement

    init(connection: SQLiteConnection) throws(SluiceError) {
        insertRecent = try SQLiteStatement(
            connection: connection,
            sql: """
                INSERT INTO events_recent (position, stream_id, version, type_id, recorded_at, event_id, correlation_id,
                    causation_id, principal, extra, data, hash) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
                """
        )
        insertPosition = try SQLiteStatement(
            connection: connection,
            sql: """
                INSERT INTO event_positions (position, stream_id, version, type_id, correlation_id, recorded_at)
                VALUES (?, ?, ?, ?, ?, ?)
                """
        )
    }
}
