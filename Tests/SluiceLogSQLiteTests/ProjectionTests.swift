import SluiceCore
import SluiceLog
import Testing

@testable import SluiceLogSQLite

@Suite("Projections follow the log in the same transaction and rebuild exactly")
struct ProjectionTests {
    let projections: [any Projection] = [StreamCountProjection(), EventTypeStatsProjection()]

    @Test("a rebuild from the log equals the incrementally maintained tables")
    func rebuildEqualsIncremental() async throws {
        let database = try TemporaryDatabase()
        defer { database.remove() }
        let log = try await database.open(projections: projections)
        try await withThrowingTaskGroup(of: Void.self) { group in
            for writer in 0..<8 {
                group.addTask {
                    for index in 0..<50 {
                        _ = try await log.append(
                            [NewEvent(type: "type\(index % 3)"), NewEvent(type: "other")],
                            to: StreamName("s\((writer * 50 + index) % 13)")
                        )
                    }
                }
            }
            try await group.waitForAll()
        }
        await log.close()
        let incremental = try tables(database)
        let rebuilt = try await database.open(projections: projections)
        #expect(try await rebuilt.rebuildProjections() == 800)
        await rebuilt.close()
        #expect(try tables(database) == incremental)
        #expect(incremental.streams.count == 13)
        #expect(incremental.streams.map { $0[1] }.reduce(0) { $0 + ($1.integer ?? 0) } == 800)
    }

    @Test("a projection registered later catches up from the start when the log opens")
    func lateProjectionCatchesUp() async throws {
        let database = try TemporaryDatabase()
        defer { database.remove() }
        let plain = try await database.open()
        for index in 0..<30 { _ = try await plain.append([NewEvent(type: "t")], to: StreamName("s\(index % 3)")) }
        await plain.close()
        let withProjection = try await database.open(projections: [StreamCountProjection()])
        await withProjection.close()
        let counts = try tables(database).streams
        #expect(counts.map { $0[1].integer } == [10, 10, 10])
    }

    @Test("a failing projection rolls back the append that triggered it and spares its neighbours")
    func failingProjectionRollsBackOnlyItsAppend() async throws {
        let database = try TemporaryDatabase()
        defer { database.remove() }
        var failing = StreamCountProjection()
        failing.failOnType = "poison"
        let log = try await database.open(projections: [failing])
        let badTask = Task { () -> SluiceError? in
            do {
                _ = try await log.append([NewEvent(type: "poison")], to: StreamName("b"))
                return nil
            } catch { return error as? SluiceError }
        }
        let goodResult = try await log.append([NewEvent(type: "fine")], to: StreamName("a"))
        let badError = await badTask.value
        #expect(goodResult.lastVersion == 1)
        #expect(badError?.code == .failedPrecondition)
        #expect(try await log.streamVersion(StreamName("b")) == 0)
        #expect(try await log.headPosition() == 1)
        await log.close()
        #expect(try tables(database).streams.map { $0[0] } == [.text("a")])
    }

    private struct Tables: Equatable {
        var streams: [[SQLValue]]
        var types: [[SQLValue]]
    }

    private func tables(_ database: TemporaryDatabase) throws -> Tables {
        let connection = try SQLiteConnection(path: database.path, readOnly: true)
        let reader = ConnectionProjectionDatabase(connection: connection)
        let streams = try reader.rows("SELECT stream, events, last_type FROM test_stream_counts ORDER BY stream", [])
        let hasStats =
            try connection.scalarInteger("SELECT count(*) FROM sqlite_master WHERE name = 'event_type_stats'") ?? 0
        let types = hasStats > 0 ? try reader.rows("SELECT * FROM event_type_stats ORDER BY type", []) : []
        return Tables(streams: streams, types: types)
    }
}

extension SQLValue {
    var integer: Int64? {
        if case .integer(let value) = self { return value }
        return nil
    }
}
