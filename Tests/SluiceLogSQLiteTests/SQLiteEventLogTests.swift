import SluiceCore
import SluiceLog
import SluiceLogSQLite
import Testing

@Suite("The SQLite log is durable, indexed and group-committed")
struct SQLiteEventLogTests {
    @Test("events appended before close are all there after reopening")
    func eventsSurviveReopen() async throws {
        let database = try TemporaryDatabase()
        defer { database.remove() }
        let log = try await database.open()
        for index in 0..<100 {
            _ = try await log.append([NewEvent(type: "t", data: "{\"i\": \(index)}")], to: StreamName("s\(index % 4)"))
        }
        await log.close()
        let reopened = try await database.open()
        #expect(try await reopened.headPosition() == 100)
        let next = try await reopened.append([NewEvent(type: "t")], to: StreamName("s0"), expectedVersion: .exact(25))
        #expect(next.lastPosition == 101)
        #expect(try await reopened.verify().isIntact)
        await reopened.close()
    }

    @Test("concurrent appends share commits")
    func concurrentAppendsShareCommits() async throws {
        let database = try TemporaryDatabase()
        defer { database.remove() }
        let log = try await database.open()
        try await withThrowingTaskGroup(of: Void.self) { group in
            for writer in 0..<64 {
                group.addTask {
                    for _ in 0..<20 { _ = try await log.append([NewEvent(type: "t")], to: StreamName("w\(writer)")) }
                }
            }
            try await group.waitForAll()
        }
        let statistics = log.statistics.snapshot
        #expect(statistics.appends == 1_280)
        #expect(statistics.commits < statistics.appends)
        await log.close()
    }

    @Test("an append after close fails as unavailable")
    func appendAfterCloseFails() async throws {
        let database = try TemporaryDatabase()
        defer { database.remove() }
        let log = try await database.open()
        await log.close()
        await #expect(throws: SluiceError(.unavailable, "")) {
            _ = try await log.append([NewEvent(type: "t")], to: StreamName("s"))
        }
    }

    @Test("two log instances on one file keep positions and versions consistent")
    func twoInstancesOnOneFileStayConsistent() async throws {
        let database = try TemporaryDatabase()
        defer { database.remove() }
        let first = try await database.open()
        let second = try await database.open()
        for index in 0..<20 {
            let log = index % 2 == 0 ? first : second
            let result = try await log.append(
                [NewEvent(type: "t")], to: StreamName("shared"), expectedVersion: .exact(Int64(index)))
            #expect(result.lastPosition == Int64(index + 1))
        }
        #expect(try await first.verify().isIntact)
        await first.close()
        await second.close()
    }

    @Test(
        "common audit queries use an index, never a full scan of events",
        arguments: [
            EventQuery(stream: StreamName(unchecked: "object/a")),
            EventQuery(streamPrefix: "object/"),
            EventQuery(types: ["object.finalized"]),
            EventQuery(correlationID: "up-1"),
            EventQuery(since: 0, until: Int64.max),
            EventQuery(types: ["object.finalized"], predicates: [try! FieldPredicate(parsing: "data.objectId = 'a'")]),
        ]
    )
    func commonQueriesUseIndexes(_ query: EventQuery) async throws {
        let database = try TemporaryDatabase()
        defer { database.remove() }
        let log = try await database.open()
        _ = try await log.append(
            [
                NewEvent(
                    type: "object.finalized", data: "{\"objectId\": \"a\"}",
                    metadata: EventMetadata(correlationID: "up-1"))
            ],
            to: StreamName("object/a")
        )
        let plan = try await log.queryPlan(query)
        await log.close()
        #expect(!plan.isEmpty)
        let fullScans = plan.filter { $0.hasPrefix("SCAN events") && !$0.contains("USING") }
        #expect(fullScans.isEmpty, "plan: \(plan)")
    }

    @Test("a stream query for a type the stream rarely holds goes through the type index, not the whole stream")
    func rareTypeInALongStreamUsesTheTypeIndex() async throws {
        let database = try TemporaryDatabase()
        defer { database.remove() }
        let log = try await database.open()
        let topic = StreamName(unchecked: "topic/t")
        _ = try await log.append([NewEvent(type: "topic.created")], to: topic)
        _ = try await log.append(Array(repeating: NewEvent(type: "message.published"), count: 50), to: topic)
        _ = try await log.append([NewEvent(type: "topic.deleted")], to: topic)
        let other = StreamName(unchecked: "topic/other")
        _ = try await log.append([NewEvent(type: "topic.deleted")], to: other)
        _ = try await log.append(Array(repeating: NewEvent(type: "message.published"), count: 10), to: other)
        let rare = EventQuery(stream: topic, types: ["topic.deleted"])
        let plan = try await log.queryPlan(rare)
        #expect(plan.contains { $0.contains("event_positions_by_type") }, "plan: \(plan)")
        #expect(try await log.query(rare).events.map(\.position) == [52])
        let common = EventQuery(stream: topic, types: ["message.published"], limit: 3)
        #expect(try await log.query(common).events.map(\.position) == [2, 3, 4])
        #expect(try await log.queryPlan(common).allSatisfy { !$0.contains("event_positions_by_type") })
        await log.close()
    }
}
