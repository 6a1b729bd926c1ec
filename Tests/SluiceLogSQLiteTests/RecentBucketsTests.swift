import Foundation
import SluiceCore
import SluiceLog
import Testing

@testable import SluiceLogSQLite

@Suite("The recent tier finds a stream's events bucket by bucket, in version order")
struct RecentBucketsTests {
    /// Streams whose events sit in the oldest buckets only, the newest only, and all of them.
    static let early = StreamName(unchecked: "bucket/early")
    static let late = StreamName(unchecked: "bucket/late")
    static let everywhere = StreamName(unchecked: "bucket/everywhere")

    @Test(
        "each recent table's index is built on the expression the reads name, and stream reads use it without sorting",
        arguments: RecentTable.allCases)
    func streamReadsProbeTheIndexWithoutSorting(table: RecentTable) async throws {
        let database = try TemporaryDatabase()
        defer { database.remove() }
        await (try await database.open()).close()
        let connection = try SQLiteConnection(path: database.path, readOnly: true)
        let index = "\(table.name)_by_bucket"
        let indexSQL = try connection.statement("SELECT sql FROM sqlite_master WHERE name = '\(index)'")
        #expect(try indexSQL.step())
        #expect(indexSQL.text(0)?.contains("(position >> \(RecentBuckets.shift), stream_id, version)") == true)
        indexSQL.reset()
        for sql in [table.buckets.streamRead, table.buckets.newestVersion] {
            let plan = try connection.statement("EXPLAIN QUERY PLAN " + sql)
            var details: [String] = []
            while try plan.step() { details.append(plan.text(3) ?? "") }
            plan.reset()
            #expect(
                details.contains {
                    $0.contains("USING INDEX \(index)") || $0.contains("USING COVERING INDEX \(index)")
                },
                "\(details)")
            #expect(!details.contains { $0.contains("TEMP B-TREE") }, "\(details)")
        }
    }

    @Test(
        "streams spread over many buckets read back whole and in order, oldest or newest first, before and while settling"
    )
    func streamsAcrossBucketsReadInVersionOrder() async throws {
        let database = try TemporaryDatabase()
        defer { database.remove() }
        let log = try await database.open(settling: .manual(round: 6_000, step: 500))
        let bucket = 1 << RecentBuckets.shift
        try await appendInterleaved(log, total: 3 * bucket + 100)
        try await expectStreamsReadInOrder(log)
        var steps = 0
        while try await log.settleStep() > 0 {
            steps += 1
            if steps % 4 == 0 { try await expectStreamsReadInOrder(log) }
        }
        try await expectStreamsReadInOrder(log)
        #expect(try await log.verify().isIntact)
        await log.close()
    }

    /// Appends `total` events in appends of 25: `early` in the first bucket, `late` in the last,
    /// `everywhere` throughout, and filler streams between.
    private func appendInterleaved(_ log: SQLiteEventLog, total: Int) async throws {
        let bucket = 1 << RecentBuckets.shift
        var position = 0
        var append = 0
        while position < total {
            let stream: StreamName
            switch append % 4 {
            case 0: stream = position < bucket / 2 ? Self.early : Self.everywhere
            case 1: stream = position > total - bucket / 2 ? Self.late : Self.everywhere
            default: stream = StreamName(unchecked: "bucket/filler-\(append % 7)")
            }
            let events = (0..<25).map { NewEvent(type: "bucket.e", data: "{\"n\": \(position + $0)}") }
            _ = try await log.append(events, to: stream)
            position += 25
            append += 1
        }
    }

    /// Every read of the three streams agrees with the order `readAll` gives by position.
    private func expectStreamsReadInOrder(_ log: SQLiteEventLog) async throws {
        let all = try await log.readAll(from: 1, limit: 100_000)
        for stream in [Self.early, Self.late, Self.everywhere] {
            let expected = all.filter { $0.stream == stream }
            #expect(!expected.isEmpty)
            #expect(expected.map(\.version) == Array(1...Int64(expected.count)))
            #expect(try await log.readStream(stream, from: 1, limit: 100_000) == expected)
            let tail = try await log.readStream(stream, from: Int64(expected.count / 2), limit: 60)
            #expect(tail == Array(expected.dropFirst(expected.count / 2 - 1).prefix(60)))
            #expect(try await log.streamVersion(stream) == Int64(expected.count))
            let newest = try await log.query(EventQuery(stream: stream, limit: 40, newestFirst: true))
            #expect(newest.events == Array(expected.reversed().prefix(40)))
        }
    }
}
