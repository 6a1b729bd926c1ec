import SluiceLog
import SluiceLogSQLite
import SluiceTesting
import Testing

@Suite("The SQLite log meets the event log contract")
struct SQLiteEventLogConformanceTests {
    @Test(arguments: EventLogConformance.all)
    func conformance(_ check: EventLogConformance.Check) async throws {
        let database = try TemporaryDatabase()
        defer { database.remove() }
        let log = try await database.open()
        do {
            try await check.run(on: log)
        } catch {
            await log.close()
            throw error
        }
        await log.close()
    }
}
