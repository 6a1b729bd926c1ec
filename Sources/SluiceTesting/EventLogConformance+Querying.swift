import SluiceCore
import SluiceLog
import Testing

extension EventLogConformance {
    /// Appends a small, known history the query checks share.
    static func seedQueryHistory(_ log: any EventLog) async throws {
        _ = try await log.append(
            [event("object.finalized", "{\"objectId\": \"a.png\", \"size\": 10}", correlation: "up-1")],
            to: stream("object/uploads/a.png"))
        _ = try await log.append(
            [event("message.published", "{\"topic\": \"t\"}", correlation: "up-1")], to: stream("topic/t"))
        _ = try await log.append(
            [event("object.finalized", "{\"objectId\": \"b.png\", \"size\": 200}", correlation: "up-2")],
            to: stream("object/uploads/b.png"))
        _ = try await log.append(
            [event("execution.started", "{\"objectId\": \"a.png\"}", correlation: "up-1")], to: stream("execution/1"))
        _ = try await log.append(
            [
                event(
                    "object.finalized", "{\"objectId\": \"c.png\", \"size\": 30, \"meta\": {\"kind\": \"x\"}}",
                    correlation: "up-3")
            ], to: stream("object/other/c.png"))
    }

    static var querying: [Check] {
        [
            check("a query filters by stream, stream prefix and type") { (log: any EventLog) async throws in
                try await seedQueryHistory(log)
                #expect(try await log.query(EventQuery(stream: stream("topic/t"))).events.map(\.position) == [2])
                #expect(
                    try await log.query(EventQuery(streamPrefix: "object/uploads/")).events.map(\.position) == [1, 3])
                #expect(
                    try await log.query(EventQuery(types: ["object.finalized"])).events.map(\.position) == [1, 3, 5])
                #expect(
                    try await log.query(EventQuery(types: ["execution.started", "message.published"])).events.map(
                        \.position) == [2, 4])
                #expect(try await log.query(EventQuery(types: ["no.such.type"])).events.isEmpty)
            },
            check("a query by correlation id returns one journey in order") { (log: any EventLog) async throws in
                try await seedQueryHistory(log)
                #expect(try await log.query(EventQuery(correlationID: "up-1")).events.map(\.position) == [1, 2, 4])
                #expect(try await log.query(EventQuery(correlationID: "unknown")).events.isEmpty)
            },
            check("a query filters by predicates on data and metadata fields") { (log: any EventLog) async throws in
                try await seedQueryHistory(log)
                let byObject = try FieldPredicate(parsing: "data.objectId = 'a.png'")
                #expect(try await log.query(EventQuery(predicates: [byObject])).events.map(\.position) == [1, 4])
                let bySize = try FieldPredicate(parsing: "data.size >= 30")
                #expect(try await log.query(EventQuery(predicates: [bySize])).events.map(\.position) == [3, 5])
                let nested = try FieldPredicate(parsing: "data.meta.kind = 'x'")
                #expect(try await log.query(EventQuery(predicates: [nested])).events.map(\.position) == [5])
                let principal = try FieldPredicate(parsing: "metadata.principal = 'tester'")
                #expect(try await log.query(EventQuery(predicates: [principal])).events.count == 5)
                let combined = EventQuery(
                    types: ["object.finalized"], predicates: [try FieldPredicate(parsing: "data.size < 100")])
                #expect(try await log.query(combined).events.map(\.position) == [1, 5])
            },
            check("a query filters by time range") { (log: any EventLog) async throws in
                try await seedQueryHistory(log)
                let all = try await log.readAll(from: 1, limit: 10)
                let since = all[2].timestamp
                let page = try await log.query(EventQuery(since: since))
                #expect(page.events.allSatisfy { $0.timestamp >= since })
                #expect(page.events.map(\.position).contains(3))
                let until = try await log.query(EventQuery(until: all[0].timestamp))
                #expect(until.events.isEmpty)
            },
            check("a newest-first query pages backwards from its cursor") { (log: any EventLog) async throws in
                for index in 0..<25 {
                    _ = try await log.append([event("tick", "{\"i\": \(index)}")], to: stream("clock"))
                    _ = try await log.append([event("tock", "{\"i\": \(index)}")], to: stream("other"))
                }
                var before: Int64?
                var seen: [Int64] = []
                var pages = 0
                while pages < 10 {
                    let page = try await log.query(
                        EventQuery(types: ["tick"], limit: 10, newestFirst: true, before: before))
                    seen += page.events.map(\.position)
                    pages += 1
                    guard let next = page.nextCursor else { break }
                    before = next
                }
                #expect(seen == Array(stride(from: Int64(49), through: 1, by: -2)))
                #expect(pages == 3)
                let latest = try await log.query(EventQuery(stream: stream("clock"), limit: 3, newestFirst: true))
                #expect(latest.events.map(\.version) == [25, 24, 23])
                let older = try await log.query(
                    EventQuery(stream: stream("clock"), limit: 2, newestFirst: true, before: latest.nextCursor))
                #expect(older.events.map(\.version) == [22, 21])
            },
            check("query pages continue from the cursor until the last page") { (log: any EventLog) async throws in
                for index in 0..<25 {
                    _ = try await log.append([event("tick", "{\"i\": \(index)}")], to: stream("clock"))
                }
                var cursor: Int64 = 0
                var seen: [Int64] = []
                var pages = 0
                while true {
                    let page = try await log.query(EventQuery(types: ["tick"], after: cursor, limit: 10))
                    seen += page.events.map(\.position)
                    pages += 1
                    guard let next = page.nextCursor else { break }
                    cursor = next
                }
                #expect(seen == Array(1...25))
                #expect(pages == 3)
            },
            check("a query with an out-of-range limit is refused") { (log: any EventLog) async throws in
                #expect(await thrownError { _ = try await log.query(EventQuery(limit: 0)) }?.code == .invalidArgument)
                #expect(
                    await thrownError { _ = try await log.query(EventQuery(limit: 1_000_000)) }?.code
                        == .invalidArgument)
            },
        ]
    }
}
