import Foundation
import SluiceCore
import SluiceLog
import Testing

@testable import SluiceLogSQLite

@Suite("Readers know the names their writer interned, and look up the rest")
struct InternedNamesTests {
    private func storedID(_ database: TemporaryDatabase, _ sql: String, _ value: String) throws -> Int64? {
        try SQLiteConnection(path: database.path, readOnly: true).internedID(sql, value)
    }

    @Test("a committed stream, type and correlation are known with the ids SQLite stored")
    func committedNamesAreKnownWithTheirStoredIDs() async throws {
        let database = try TemporaryDatabase()
        defer { database.remove() }
        let log = try await database.open()
        _ = try await log.append(
            [NewEvent(type: "order.placed", metadata: EventMetadata(correlationID: "journey-1"))],
            to: StreamName(unchecked: "orders/1"))
        let names = log.internedNames
        let streamID = try #require(try storedID(database, "SELECT id FROM streams WHERE name = ?", "orders/1"))
        let typeID = try #require(try storedID(database, "SELECT id FROM event_types WHERE name = ?", "order.placed"))
        let correlationID = try #require(
            try storedID(database, "SELECT id FROM correlations WHERE value = ?", "journey-1"))
        #expect(names.streamID("orders/1") == streamID)
        #expect(names.streamName(streamID)?.rawValue == "orders/1")
        #expect(names.typeName(typeID) == "order.placed")
        #expect(names.correlation(correlationID) == "journey-1")
        await log.close()
    }

    @Test("a stream another log on the file created is read through SQL, names and all")
    func namesInternedElsewhereAreLookedUp() async throws {
        let database = try TemporaryDatabase()
        defer { database.remove() }
        let reading = try await database.open()
        let writing = try await database.open()
        let stream = StreamName(unchecked: "orders/2")
        _ = try await writing.append(
            [NewEvent(type: "order.shipped", metadata: EventMetadata(correlationID: "journey-2"))], to: stream)
        #expect(reading.internedNames.streamID("orders/2") == nil)
        let events = try await reading.readStream(stream, from: 1, limit: 10)
        #expect(events.map(\.stream) == [stream])
        #expect(events.map(\.type) == ["order.shipped"])
        #expect(events.map(\.metadata.correlationID) == ["journey-2"])
        await writing.close()
        await reading.close()
    }
}
