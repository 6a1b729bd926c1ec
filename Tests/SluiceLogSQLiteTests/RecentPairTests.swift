import Foundation
import SluiceCore
import SluiceLog
import Testing

@testable import SluiceLogSQLite

@Suite("The recent tier's two tables take turns: one takes appends while the other is settled and emptied")
struct RecentPairTests {
    @Test("appends turn to the other table once one holds a round's worth and the other is empty")
    func appendsTurnAtARoundsWorth() async throws {
        let database = try TemporaryDatabase()
        defer { database.remove() }
        let log = try await database.open(settling: .manual(round: 40, step: 7))
        try await ReadsSnapshot.seed(log, count: 100)
        // The first table turned at 40; the second keeps the rest, as the first is not yet settled.
        #expect(try recentCounts(database) == RecentCounts(a: 40, b: 60))
        await log.close()
    }

    @Test("reads keep position order when the older events are in the second table and the newer in the first")
    func readsFollowTheTablesTurn() async throws {
        let database = try TemporaryDatabase()
        defer { database.remove() }
        let log = try await database.open(settling: .manual(round: 40, step: 7))
        try await ReadsSnapshot.seed(log, count: 100)
        // Settles the first table's round (copies, then the step that empties it).
        while try recentCounts(database).a > 0 { _ = try await log.settleStep() }
        try await ReadsSnapshot.seed(log, count: 20, offset: 100)
        #expect(try recentCounts(database) == RecentCounts(a: 20, b: 60))

        let expected = try await ReadsSnapshot.read(log)
        #expect(expected.all.map(\.position) == Array(1...120))
        #expect(expected.versions == Array(repeating: 20, count: 6))
        #expect(try await log.verify().isIntact)
        await log.close()
        let reopened = try await database.open(settling: .manual(round: 40, step: 7))
        #expect(try await ReadsSnapshot.read(reopened) == expected)
        try await reopened.settle()
        #expect(try recentCounts(database) == RecentCounts(a: 0, b: 0))
        #expect(try await ReadsSnapshot.read(reopened) == expected)
        #expect(try await reopened.verify().isIntact)
        await reopened.close()
    }

    @Test("emptying a settled table writes almost none of its pages to the WAL")
    func emptyingATableWritesFewPages() async throws {
        let database = try TemporaryDatabase()
        defer { database.remove() }
        let log = try await database.open(settling: .manual(round: 10_000, step: 100))
        let data = "{\"padding\": \"" + String(repeating: "p", count: 1_000) + "\"}"
        for index in 0..<20 {
            let events = (0..<50).map { _ in NewEvent(type: "pair.t", data: data) }
            _ = try await log.append(events, to: StreamName(unchecked: "pair/\(index % 5)"))
        }
        var pagesPerStep: [Int] = []
        var pages = log.statistics.snapshot.walPages
        while try await log.settleStep() > 0 {
            let now = log.statistics.snapshot.walPages
            pagesPerStep.append(now - pages)
            pages = now
        }
        // 1,000 events of about 1 KiB fill some 250 pages of the table, each written by the append
        // and again by its copy; a delete row by row would write each a third time.
        let copies = pagesPerStep.dropLast()
        let emptying = try #require(pagesPerStep.last)
        #expect(copies.count == 10)
        #expect(copies.reduce(0, +) > 250)
        #expect(emptying < 10, "emptying the table wrote \(emptying) pages; the copies wrote \(Array(copies))")
        #expect(try recentCounts(database) == RecentCounts(a: 0, b: 0))
        #expect(try await log.verify().isIntact)
        await log.close()
    }

    struct RecentCounts: Equatable {
        var a: Int64
        var b: Int64
    }

    private func recentCounts(_ database: TemporaryDatabase) throws -> RecentCounts {
        RecentCounts(a: try recentCount(database, .a), b: try recentCount(database, .b))
    }
}

@Suite("Two writers on one file agree on which recent table takes appends")
struct RecentPairTwoWritersTests {
    @Test("appends and settle steps from two logs on one file interleave without losing or repeating an event")
    func twoWritersInterleave() async throws {
        let database = try TemporaryDatabase()
        defer { database.remove() }
        let first = try await database.open(settling: .manual(round: 30, step: 4))
        let second = try await database.open(settling: .manual(round: 30, step: 4))
        var written = 0
        for round in 0..<12 {
            // One log settles part of a round (it may just have turned appends to the other table
            // in memory) while the other appends, then they swap.
            let (settler, appender) = round % 2 == 0 ? (first, second) : (second, first)
            _ = try await settler.settleStep()
            try await ReadsSnapshot.seed(appender, count: 13, offset: written)
            written += 13
            _ = try await settler.settleStep()
            _ = try await appender.settleStep()
            try await ReadsSnapshot.seed(settler, count: 7, offset: written)
            written += 7
        }
        let expected = try await ReadsSnapshot.read(first)
        #expect(expected.all.map(\.position) == Array(1...Int64(written)))
        #expect(try await ReadsSnapshot.read(second) == expected)
        #expect(try await first.verify().isIntact)
        try await second.settle()
        #expect(try await ReadsSnapshot.read(first) == expected)
        #expect(try await first.verify().isIntact)
        await first.close()
        await second.close()
    }

    @Test("a round goes on through the other log's appends to the other table instead of starting over")
    func roundSurvivesAppendsElsewhere() async throws {
        let database = try TemporaryDatabase()
        defer { database.remove() }
        let settler = try await database.open(settling: .manual(round: 30, step: 4))
        let appender = try await database.open(settling: .manual(round: 30, step: 4))
        // 30 events fill the first table; the settler turns appends to the second with the 31st.
        try await ReadsSnapshot.seed(settler, count: 31)
        var steps = 0
        // The other log appends (to the second table) between every two settle steps: a round
        // that started over at each of its commits would never get past its first slice.
        while try recentCount(database, .a) > 0, steps < 20 {
            _ = try await settler.settleStep()
            try await ReadsSnapshot.seed(appender, count: 1, offset: 31 + steps)
            steps += 1
        }
        #expect(try recentCount(database, .a) == 0)
        // Eight slices of four and the step that empties the table.
        #expect(steps == 9)
        #expect(try await settler.verify().isIntact)
        await settler.close()
        await appender.close()
    }
}

/// The events `table` of `database` holds, read on a connection of its own.
private func recentCount(_ database: TemporaryDatabase, _ table: RecentTable) throws -> Int64 {
    let connection = try SQLiteConnection(path: database.path, readOnly: true)
    return try connection.scalarInteger("SELECT count(*) FROM \(table.name)") ?? -1
}
