import SluiceCore
import SluiceLog
import Testing

@testable import SluiceLogSQLite

@Suite("Verify finds any damage to history")
struct IntegrityTests {
    private func seededDatabase() async throws -> TemporaryDatabase {
        let database = try TemporaryDatabase()
        let log = try await database.open()
        for index in 0..<40 {
            _ = try await log.append(
                [
                    NewEvent(
                        type: "t", data: "{\"i\": \(index)}", metadata: EventMetadata(correlationID: "c\(index % 4)"))
                ],
                to: StreamName("s\(index % 5)")
            )
        }
        await log.close()
        return database
    }

    private func verify(_ database: TemporaryDatabase) async throws -> IntegrityReport {
        let log = try await database.open()
        let report = try await log.verify()
        await log.close()
        return report
    }

    @Test("an untouched log verifies intact")
    func untouchedLogIsIntact() async throws {
        let database = try await seededDatabase()
        defer { database.remove() }
        let report = try await verify(database)
        #expect(report.isIntact)
        #expect(report.eventsChecked == 40)
        #expect(report.streamsChecked == 5)
    }

    @Test(
        "an edit to stored history is reported",
        arguments: [
            "UPDATE events SET data = '{\"i\": 999}' WHERE position = 17",
            "UPDATE events SET principal = 'mallory' WHERE position = 3",
            "UPDATE events SET recorded_at = recorded_at + 1 WHERE position = 40",
            "UPDATE correlations SET value = 'forged' WHERE id = 2",
            "DELETE FROM events WHERE position = 20",
            "UPDATE events SET version = version + 100 WHERE position = 39",
        ]
    )
    func tamperingIsDetected(_ edit: String) async throws {
        let database = try await seededDatabase()
        defer { database.remove() }
        let connection = try SQLiteConnection(path: database.path, readOnly: false)
        try connection.execute(edit)
        let report = try await verify(database)
        #expect(!report.isIntact)
    }
}
