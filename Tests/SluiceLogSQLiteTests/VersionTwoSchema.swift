import SluiceCore

@testable import SluiceLogSQLite

/// Turns a closed log back into the schema of migrations 0001 and 0002, as a Sluice built before
/// 0003 left it: the settled tier a WITHOUT ROWID table keyed by (stream, version), the recent
/// tier one table indexed by (stream, version) again, the position index as it is.
enum VersionTwoSchema {
    static func downgrade(_ path: String) throws {
        let connection = try SQLiteConnection(path: path, readOnly: false)
        try connection.execute(
            """
            BEGIN;
            \(try OneTierSchema.clusteredSettledTier());
            INSERT INTO events_recent_a SELECT * FROM events_recent_b;
            DROP TABLE events_recent_b;
            DROP INDEX events_recent_a_by_bucket;
            ALTER TABLE events_recent_a RENAME TO events_recent;
            CREATE UNIQUE INDEX events_recent_by_stream ON events_recent (stream_id, version);
            DELETE FROM schema_migrations WHERE version > 2;
            PRAGMA user_version = 2;
            COMMIT;
            """
        )
    }

    /// Whether `events` of `path` is the WITHOUT ROWID table of 0001 and 0002.
    static func hasClusteredSettledTier(_ path: String) throws -> Bool {
        let connection = try SQLiteConnection(path: path, readOnly: true)
        let sql = try connection.statement("SELECT sql FROM sqlite_master WHERE name = 'events'")
        defer { sql.reset() }
        guard try sql.step() else { return false }
        return sql.text(0)?.hasSuffix("WITHOUT ROWID") == true
    }
}
