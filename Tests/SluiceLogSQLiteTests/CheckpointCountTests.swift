import Foundation
import SluiceCore
import SluiceLog
import Testing

@testable import SluiceLogSQLite

/// The writer's statistics count checkpoints by who ran them, so a benchmark can tell how often
/// appends waited for one.
@Suite("Checkpoints are counted by who ran them")
struct CheckpointCountTests {
    @Test("a WAL held past its hard limit by a reader is copied by the writer and in the background, both counted")
    func checkpointsAreCounted() async throws {
        let database = try TemporaryDatabase()
        defer { database.remove() }
        var configuration = database.configuration()
        configuration.walAutocheckpointPages = 64
        let log = try await SQLiteEventLog.open(configuration)
        let data = "{\"padding\": \"" + String(repeating: "z", count: 3_000) + "\"}"
        _ = try await log.append([NewEvent(type: "held.t", data: data)], to: StreamName(unchecked: "held/0"))
        // A read transaction left open pins its snapshot, so the WAL cannot restart and stays
        // past its hard limit (256 frames) for the commits below.
        let reader = try SQLiteConnection(path: database.path, readOnly: true)
        try reader.execute("BEGIN")
        _ = try reader.scalarInteger("SELECT count(*) FROM events_recent_a")
        for index in 0..<300 {
            _ = try await log.append(
                [NewEvent(type: "held.t", data: data)], to: StreamName(unchecked: "held/\(index % 9)"))
        }
        var counts = log.statistics.snapshot
        for _ in 0..<100 where counts.backgroundCheckpoints == 0 {
            try await Task.sleep(for: .milliseconds(20))
            counts = log.statistics.snapshot
        }
        try reader.execute("COMMIT")
        #expect(counts.writerCheckpoints > 0)
        #expect(counts.backgroundCheckpoints > 0)
        #expect(try await log.verify().isIntact)
        await log.close()
    }
}
