import SluiceCore

/// The statements every append runs, prepared once and held by the writer, so the hot path
/// neither hashes their SQL to find them in the connection's cache nor clears their bindings:
/// each use binds every parameter.
struct AppendStatements {
    private let insertRecentA: SQLiteStatement
    private let insertRecentB: SQLiteStatement
    let insertPosition: SQLiteStatement

    init(connection: SQLiteConnection) throws(SluiceError) {
        insertRecentA = try Self.insertRecent(into: .a, connection: connection)
        insertRecentB = try Self.insertRecent(into: .b, connection: connection)
        insertPosition = try SQLiteStatement(
            connection: connection,
            sql: """
                INSERT INTO event_positions (position, stream_id, version, type_id, correlation_id, recorded_at)
                VALUES (?, ?, ?, ?, ?, ?)
                """
        )
    }

    /// The insert of an event's row into `table`.
    func insertRecent(into table: RecentTable) -> SQLiteStatement {
        table == .a ? insertRecentA : insertRecentB
    }

    private static func insertRecent(into table: RecentTable, connection: SQLiteConnection) throws(SluiceError)
        -> SQLiteStatement
    {
        try SQLiteStatement(
            connection: connection,
            sql: """
                INSERT INTO \(table.name) (position, stream_id, version, type_id, recorded_at, event_id, correlation_id,
                    causation_id, principal, extra, data, hash) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
                """
        )
    }
}
