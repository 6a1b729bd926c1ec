import Foundation
import SluiceCore
import SluiceLog
import Testing

@testable import SluiceLogSQLite

@Suite("A quiet log's WAL is copied into the main file off the writer")
struct IdleCheckpointTests {
    private func mainFileBytes(_ database: TemporaryDatabase) throws -> Int {
        let attributes = try FileManager.default.attributesOfItem(atPath: database.path)
        return (attributes[.size] as? NSNumber)?.intValue ?? 0
    }

    @Test("events appended below the checkpoint threshold reach the main file once appends stop")
    func quietLogIsCheckpointed() async throws {
        let database = try TemporaryDatabase()
        defer { database.remove() }
        let log = try await database.open()
        let before = try mainFileBytes(database)
        let data = "{\"padding\": \"" + String(repeating: "x", count: 2_000) + "\"}"
        for index in 0..<200 {
            _ = try await log.append(
                [NewEvent(type: "quiet.t", data: data)], to: StreamName(unchecked: "quiet/\(index % 7)"))
        }
        var grown = try mainFileBytes(database) > before + 200_000
        for _ in 0..<150 where !grown {
            try await Task.sleep(for: .milliseconds(20))
            grown = try mainFileBytes(database) > before + 200_000
        }
        let final = try mainFileBytes(database)
        #expect(grown, "the main file stayed at \(final) bytes (was \(before))")
        await log.close()
    }

    @Test("an idle request waits while commits keep coming and is carried out once they stop")
    func idleRequestWaitsForQuiet() async throws {
        let database = try TemporaryDatabase()
        defer { database.remove() }
        var configuration = database.configuration()
        configuration.idleCheckpointQuietPeriod = .seconds(3)
        let log = try await SQLiteEventLog.open(configuration)
        let data = "{\"padding\": \"" + String(repeating: "y", count: 2_000) + "\"}"
        let before = try mainFileBytes(database)
        // Appends 10 ms apart keep the log from being quiet for the 3 s the checkpointer waits.
        for index in 0..<30 {
            _ = try await log.append([NewEvent(type: "busy.t", data: data)], to: StreamName(unchecked: "busy/\(index)"))
            try await Task.sleep(for: .milliseconds(10))
        }
        let duringAppends = try mainFileBytes(database)
        var after = duringAppends
        for _ in 0..<500 where after <= duringAppends {
            try await Task.sleep(for: .milliseconds(20))
            after = try mainFileBytes(database)
        }
        #expect(duringAppends == before, "the WAL was copied while appends kept coming")
        #expect(after > duringAppends, "the WAL was not copied once appends stopped")
        await log.close()
    }
}
