import Logging
import SluiceCore

/// Brings a database file to the schema this binary knows, or refuses it with a clear reason.
enum MigrationRunner {
    /// Marks a file as Sluice's: `PRAGMA application_id` reads "SLCE".
    static let applicationID: Int64 = 0x534C_4345

    /// Applies every pending migration in one transaction and returns the schema version.
    @discardableResult
    static func migrate(
        _ connection: SQLiteConnection, migrations: [Migration] = EmbeddedMigrations.all, logger: Logger? = nil
    )
        throws(SluiceError)
        -> Int
    {
        try connection.execute("BEGIN IMMEDIATE")
        do {
            let version = try migrateInTransaction(connection, migrations: migrations, logger: logger)
            try connection.execute("COMMIT")
            return version
        } catch {
            try? connection.execute("ROLLBACK")
            throw error
        }
    }

    private static func migrateInTransaction(_ connection: SQLiteConnection, migrations: [Migration], logger: Logger?)
        throws(SluiceError)
        -> Int
    {
        let applicationID = try connection.scalarInteger("PRAGMA application_id") ?? 0
        let tableCount = try connection.scalarInteger("SELECT count(*) FROM sqlite_master") ?? 0
        if applicationID == 0 && tableCount > 0 || applicationID != 0 && applicationID != Self.applicationID {
            throw SluiceError(
                .corruptStore,
                "\(connection.path) is an SQLite database, but not a Sluice one; point --db at a Sluice database or a new file"
            )
        }
        if applicationID == 0 {
            try connection.execute("PRAGMA application_id = \(Self.applicationID)")
        }
        try connection.execute(
            """
            CREATE TABLE IF NOT EXISTS schema_migrations (
                version INTEGER PRIMARY KEY,
                name TEXT NOT NULL,
                applied_at TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now'))
            )
            """
        )
        let current = Int(try connection.scalarInteger("SELECT max(version) FROM schema_migrations") ?? 0)
        let latest = migrations.last?.version ?? 0
        if current > latest {
            throw SluiceError(
                .incompatibleSchema,
                "\(connection.path) has schema version \(current), written by a newer Sluice; this binary knows up to \(latest). Upgrade sluice to open it."
            )
        }
        for migration in migrations where migration.version > current {
            // An upgrade of a database in use can rewrite large tables (0003 copies the settled
            // tier): say so before the wait, and how long it took once it is done.
            let started = ContinuousClock.now
            if current > 0 {
                logger?.notice(
                    "upgrading the event log schema; on a large log this takes a while",
                    metadata: ["log.path": "\(connection.path)", "migration": "\(migration.version)_\(migration.name)"])
            }
            do {
                try connection.execute(migration.sql)
            } catch {
                throw SluiceError(
                    .internalFailure,
                    "migration \(migration.version)_\(migration.name) failed: \(error.message)",
                    cause: error
                )
            }
            let insert = try connection.statement("INSERT INTO schema_migrations (version, name) VALUES (?, ?)")
            try insert.bind([.integer(Int64(migration.version)), .text(migration.name)])
            try insert.step()
            if current > 0 {
                let elapsed = (ContinuousClock.now - started) / .milliseconds(1)
                logger?.notice(
                    "event log schema upgraded",
                    metadata: ["migration": "\(migration.version)_\(migration.name)", "elapsed_ms": "\(Int(elapsed))"])
            }
        }
        try connection.execute("PRAGMA user_version = \(max(current, latest))")
        return max(current, latest)
    }
}
