import Foundation
import SluiceCore
import SluiceTesting

@testable import SluiceLogSQLite

/// Turns a closed, fully settled log back into the schema of migration 0001 alone, as a Sluice
/// built before the tiers left it: the settled rows are exactly 0001's rows.
enum OneTierSchema {
    static func downgrade(_ path: String) throws {
        let connection = try SQLiteConnection(path: path, readOnly: false)
        try connection.execute(
            """
            BEGIN;
            \(try clusteredSettledTier());
            DROP TABLE events_recent_a;
            DROP TABLE events_recent_b;
            DROP TABLE event_positions;
            CREATE UNIQUE INDEX events_by_position ON events (position);
            CREATE INDEX events_by_correlation ON events (correlation_id, position) WHERE correlation_id IS NOT NULL;
            CREATE INDEX events_by_type ON events (type_id, position);
            DELETE FROM schema_migrations WHERE version > 1;
            PRAGMA user_version = 1;
            COMMIT;
            """
        )
    }

    /// SQL that rebuilds `events` as the WITHOUT ROWID table of 0001 and 0002 (0003 made it a
    /// rowid table), with the same rows.
    static func clusteredSettledTier() throws -> String {
        let columns = """
            stream_id, version, position, type_id, recorded_at, event_id, correlation_id, causation_id, principal,
            extra, data, hash
            """
        return """
            ALTER TABLE events RENAME TO events_settled;
            \(try versionOneEventsTable());
            INSERT INTO events (\(columns)) SELECT \(columns) FROM events_settled ORDER BY stream_id, version;
            DROP TABLE events_settled
            """
    }

    /// 0001's `CREATE TABLE events` statement, as that migration wrote it.
    private static func versionOneEventsTable() throws -> String {
        let sql = EmbeddedMigrations.all[0].sql
        guard let start = sql.range(of: "CREATE TABLE events ("),
            let end = sql.range(of: ") WITHOUT ROWID", range: start.upperBound..<sql.endIndex)
        else { throw SluiceError(.internalFailure, "0001 defines no events table") }
        return String(sql[start.lowerBound..<end.upperBound])
    }

    /// Whether the log tables of `path` are those of a new file migrated with 0001 only.
    static func matchesFreshVersionOne(_ path: String) throws -> Bool {
        let directory = ScratchSpace.url("sluice-0001-\(UUID())")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        let fresh = try SQLiteConnection(path: directory.appendingPathComponent("v1.db").path, readOnly: false)
        try MigrationRunner.migrate(fresh, migrations: [EmbeddedMigrations.all[0]])
        return try schema(fresh) == schema(SQLiteConnection(path: path, readOnly: true))
    }

    private static func schema(_ connection: SQLiteConnection) throws -> [String] {
        let select = try connection.statement(
            """
            SELECT type || ' ' || name || ': ' || coalesce(sql, '') FROM sqlite_master
            WHERE name NOT LIKE 'sqlite_%' AND name NOT IN ('event_type_stats') ORDER BY name
            """
        )
        defer { select.reset() }
        var lines: [String] = []
        while try select.step() { lines.append(select.text(0) ?? "") }
        return lines
    }
}
