import CSQLite
import SluiceCore
import SluiceLog
import SluiceLogSQLite
import Testing

@Suite("SQLite runs without process-wide locks that Sluice does not need")
struct ProcessSettingsTests {
    @Test("SQLite keeps no memory statistics, so its allocations take no process-wide mutex")
    func sqliteKeepsNoMemoryStatistics() async throws {
        let database = try TemporaryDatabase()
        defer { database.remove() }
        let log = try await database.open()
        _ = try await log.append([NewEvent(type: "noted", data: #"{"n": 1}"#)], to: StreamName(unchecked: "notes/a"))
        #expect(try await log.readStream(StreamName(unchecked: "notes/a"), from: 1, limit: 10).count == 1)
        // With statistics on, this counts the bytes the open connections and caches hold.
        #expect(sqlite3_memory_used() == 0)
        await log.close()
    }
}
