import Foundation
import SluiceCore
import SluiceLog
import Testing

@testable import SluiceLogSQLite

@Suite("Opening a database applies migrations or refuses the file clearly")
struct MigrationTests {
    @Test("a new file is created at the latest schema and records each migration once")
    func newFileIsMigrated() async throws {
        let database = try TemporaryDatabase()
        defer { database.remove() }
        await (try await database.open()).close()
        await (try await database.open()).close()
        let connection = try SQLiteConnection(path: database.path, readOnly: true)
        #expect(
            try connection.scalarInteger("SELECT count(*) FROM schema_migrations")
                == Int64(EmbeddedMigrations.all.count))
        #expect(
            try connection.scalarInteger("SELECT max(version) FROM schema_migrations")
                == Int64(EmbeddedMigrations.latestVersion))
        #expect(try connection.scalarInteger("PRAGMA application_id") == MigrationRunner.applicationID)
    }

    @Test("every SQL file in Migrations is embedded, in order")
    func embeddedMigrationsMatchTheFolder() throws {
        let folder = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent().appendingPathComponent("Migrations")
        let files = try FileManager.default.contentsOfDirectory(atPath: folder.path).filter { $0.hasSuffix(".sql") }
            .sorted()
        let embedded = EmbeddedMigrations.all.map { String(format: "%04d_%@.sql", $0.version, $0.name) }
        #expect(files == embedded)
        for migration in EmbeddedMigrations.all {
            let file = String(format: "%04d_%@.sql", migration.version, migration.name)
            #expect(try String(contentsOf: folder.appendingPathComponent(file), encoding: .utf8) == migration.sql)
        }
    }

    @Test("a database from a newer schema is refused with a message naming both versions")
    func newerSchemaIsRefused() async throws {
        let database = try TemporaryDatabase()
        defer { database.remove() }
        await (try await database.open()).close()
        let connection = try SQLiteConnection(path: database.path, readOnly: false)
        try connection.execute("INSERT INTO schema_migrations (version, name) VALUES (999, 'future')")
        let error = await openError(database)
        #expect(error?.code == .incompatibleSchema)
        #expect(error?.message.contains("999") == true)
    }

    @Test("a file that is not a database is refused as not a Sluice database")
    func garbageFileIsRefused() async throws {
        let database = try TemporaryDatabase()
        defer { database.remove() }
        try Data(repeating: 0x42, count: 8_192).write(to: URL(fileURLWithPath: database.path))
        let error = await openError(database)
        #expect(error?.code == .corruptStore)
        #expect(error?.message.contains("not a Sluice database") == true)
    }

    @Test("another application's SQLite database is refused and left untouched")
    func foreignDatabaseIsRefused() async throws {
        let database = try TemporaryDatabase()
        defer { database.remove() }
        let connection = try SQLiteConnection(path: database.path, readOnly: false)
        try connection.execute("CREATE TABLE customers (id INTEGER PRIMARY KEY); INSERT INTO customers VALUES (7)")
        let error = await openError(database)
        #expect(error?.code == .corruptStore)
        #expect(try connection.scalarInteger("SELECT count(*) FROM sqlite_master WHERE name = 'events'") == 0)
        #expect(try connection.scalarInteger("SELECT id FROM customers") == 7)
    }

    @Test("a truncated database file gives an error, not a crash")
    func truncatedFileGivesAnError() async throws {
        let database = try TemporaryDatabase()
        defer { database.remove() }
        let log = try await database.open()
        for index in 0..<500 {
            _ = try await log.append(
                [NewEvent(type: "t", data: "{\"i\": \(index), \"pad\": \"\(String(repeating: "x", count: 200))\"}")],
                to: StreamName("s\(index % 10)"))
        }
        await log.close()
        let url = URL(fileURLWithPath: database.path)
        for suffix in ["-wal", "-shm"] { try? FileManager.default.removeItem(atPath: database.path + suffix) }
        let bytes = try Data(contentsOf: url)
        try #require(bytes.count > 16_384, "closing the log should checkpoint every event into the main file")
        var damaged = bytes.prefix(bytes.count / 2)
        damaged.replaceSubrange(4_096..<8_192, with: Data(repeating: 0xFF, count: 4_096))
        try damaged.write(to: url)
        do {
            let reopened = try await database.open()
            let report = try await reopened.verify()
            #expect(!report.isIntact)
            await reopened.close()
        } catch let error as SluiceError {
            #expect(error.code == .corruptStore || error.code == .storageFailure)
        }
    }

    private func openError(_ database: TemporaryDatabase) async -> SluiceError? {
        do {
            let log = try await database.open()
            await log.close()
            return nil
        } catch {
            return error as? SluiceError
        }
    }
}
