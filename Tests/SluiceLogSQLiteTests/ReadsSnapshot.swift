import SluiceCore
import SluiceLog
import SluiceLogSQLite

/// Everything the read API returns for a seeded history, so tests can compare the log's answers
/// before and after events move between tiers.
struct ReadsSnapshot: Equatable {
    static let streams = (0..<6).map { StreamName(unchecked: "tier/\($0)") }

    var head: Int64 = 0
    var all: [RecordedEvent] = []
    var middle: [RecordedEvent] = []
    var streams: [[RecordedEvent]] = []
    var streamTails: [[RecordedEvent]] = []
    var versions: [Int64] = []
    var queries: [[Int64]] = []
    var pages: [Int64] = []

    /// Appends `count` events over six streams with three types and a correlation per five events.
    static func seed(_ log: any EventLog, count: Int, offset: Int = 0) async throws {
        for index in offset..<offset + count {
            let metadata = EventMetadata(
                correlationID: "journey-\(index / 5)", principal: index % 2 == 0 ? "alice" : "bob")
            _ = try await log.append(
                [
                    NewEvent(
                        type: "tier.t\(index % 3)", data: "{\"i\": \(index), \"even\": \(index % 2 == 0)}",
                        metadata: metadata)
                ],
                to: streams[index % streams.count]
            )
        }
    }

    static func read(_ log: any EventLog) async throws -> ReadsSnapshot {
        var snapshot = ReadsSnapshot()
        snapshot.head = try await log.headPosition()
        snapshot.all = try await log.readAll(from: 1, limit: 10_000)
        snapshot.middle = try await log.readAll(from: snapshot.head / 2, limit: 13)
        for stream in streams {
            snapshot.streams.append(try await log.readStream(stream, from: 1, limit: 10_000))
            snapshot.streamTails.append(try await log.readStream(stream, from: 5, limit: 3))
            snapshot.versions.append(try await log.streamVersion(stream))
        }
        let middleTime = snapshot.all.isEmpty ? 0 : snapshot.all[snapshot.all.count / 2].timestamp
        let queries = [
            EventQuery(limit: 10_000),
            EventQuery(stream: streams[1], limit: 10_000),
            EventQuery(stream: streams[2], after: snapshot.head / 3, limit: 10_000),
            EventQuery(streamPrefix: "tier/", types: ["tier.t1"], limit: 10_000),
            EventQuery(types: ["tier.t0", "tier.t2"], limit: 10_000),
            EventQuery(correlationID: "journey-3", limit: 10_000),
            EventQuery(correlationID: "journey-\(snapshot.head / 5 - 1)", limit: 10_000),
            EventQuery(since: middleTime, limit: 10_000),
            EventQuery(until: middleTime, limit: 10_000),
            EventQuery(predicates: [try FieldPredicate(parsing: "data.even = true")], limit: 10_000),
            EventQuery(
                types: ["tier.t1"], predicates: [try FieldPredicate(parsing: "metadata.principal = 'bob'")],
                limit: 10_000),
        ]
        for query in queries { snapshot.queries.append(try await log.query(query).events.map(\.position)) }
        var cursor: Int64 = 0
        while true {
            let page = try await log.query(EventQuery(types: ["tier.t2"], after: cursor, limit: 7))
            snapshot.pages += page.events.map(\.position)
            guard let next = page.nextCursor else { break }
            cursor = next
        }
        return snapshot
    }
}
