import Foundation
import SluiceCore
import SluiceLog
import Testing

@testable import SluiceLogSQLite

@Suite("Events read the same whichever tier holds them, and settling keeps history intact")
struct LogTiersTests {
    @Test("every read answers the same before, during and after settling, and the chain verifies at each step")
    func readsAreTheSameInEveryTierState() async throws {
        let database = try TemporaryDatabase()
        defer { database.remove() }
        let log = try await database.open(settling: .manual(round: 40, step: 7))
        try await ReadsSnapshot.seed(log, count: 120)
        let expected = try await ReadsSnapshot.read(log)
        #expect(expected.all.map(\.position) == Array(1...120))
        #expect(try tierCounts(database) == TierCounts(settled: 0, recent: 120, copiedAhead: 0))

        var steps = 0
        var mixedStates = 0
        var statesWithCopiesAhead = 0
        while try await log.settleStep() > 0 {
            steps += 1
            let counts = try tierCounts(database)
            if counts.settled > 0 && counts.recent > 0 { mixedStates += 1 }
            if counts.copiedAhead > 0 { statesWithCopiesAhead += 1 }
            #expect(try await ReadsSnapshot.read(log) == expected, "after settle step \(steps): \(counts)")
            #expect(try await log.verify().isIntact, "after settle step \(steps)")
        }
        #expect(try tierCounts(database) == TierCounts(settled: 120, recent: 0, copiedAhead: 0))
        #expect(mixedStates > 10)
        #expect(statesWithCopiesAhead > 5)

        let next = try await log.append([NewEvent(type: "tier.t0")], to: ReadsSnapshot.streams[0])
        #expect(
            next
                == AppendResult(
                    firstPosition: 121, lastPosition: 121, firstVersion: 21, lastVersion: 21, wasDuplicate: false))
        await log.close()
    }

    @Test("a recent tier of thousands of events settles in many slices, and every read stays the same")
    func readsStayTheSameThroughALongRound() async throws {
        let database = try TemporaryDatabase()
        defer { database.remove() }
        let log = try await database.open(settling: .manual(round: 3_000, step: 100))
        let count = 5_000
        for first in stride(from: 0, to: count, by: 50) {
            let events = (first..<first + 50).map { index in
                NewEvent(
                    type: "tier.t\(index % 3)", data: "{\"i\": \(index)}",
                    metadata: EventMetadata(correlationID: "journey-\(index / 5)"))
            }
            _ = try await log.append(events, to: ReadsSnapshot.streams[(first / 50) % ReadsSnapshot.streams.count])
        }
        let expected = try await ReadsSnapshot.read(log)
        #expect(expected.all.map(\.position) == Array(1...Int64(count)))
        #expect(expected.versions.reduce(0, +) == Int64(count))

        var steps = 0
        while try await log.settleStep() > 0 {
            steps += 1
            if steps % 5 == 0 {
                #expect(try await ReadsSnapshot.read(log) == expected, "after settle step \(steps)")
            }
        }
        // One copy step a slice of 100, and one step to empty each of the two recent tables.
        #expect(steps >= count / 100)
        #expect(try tierCounts(database) == TierCounts(settled: Int64(count), recent: 0, copiedAhead: 0))
        #expect(try await ReadsSnapshot.read(log) == expected)
        #expect(try await log.verify().isIntact)
        await log.close()
    }

    @Test("appends interleaved with settle steps keep versions and the chain contiguous")
    func appendsBetweenSettleSteps() async throws {
        let database = try TemporaryDatabase()
        defer { database.remove() }
        let log = try await database.open(settling: .manual(round: 9, step: 2))
        for round in 0..<20 {
            try await ReadsSnapshot.seed(log, count: 6, offset: round * 6)
            _ = try await log.settleStep()
            _ = try await log.settleStep()
        }
        #expect(try await log.verify().isIntact)
        let beforeSettling = try await ReadsSnapshot.read(log)
        try await log.settle()
        #expect(try await ReadsSnapshot.read(log) == beforeSettling)
        #expect(beforeSettling.versions == Array(repeating: 20, count: 6))
        await log.close()
        let reopened = try await database.open()
        #expect(try await ReadsSnapshot.read(reopened) == beforeSettling)
        #expect(try await reopened.verify().isIntact)
        await reopened.close()
    }

    @Test("a crash in the middle of a settle round loses nothing, and the next round finishes it", arguments: [3, 9])
    func crashMidSettle(steps: Int) async throws {
        let database = try TemporaryDatabase()
        defer { database.remove() }
        let log = try await database.open(settling: .manual(round: 60, step: 7))
        try await ReadsSnapshot.seed(log, count: 100)
        let expected = try await ReadsSnapshot.read(log)
        for _ in 0..<steps { _ = try await log.settleStep() }
        // The writer is between transactions, so the files now are what a SIGKILL would leave.
        let crashed = try TemporaryDatabase()
        defer { crashed.remove() }
        for suffix in ["", "-wal"] {
            try FileManager.default.copyItem(atPath: database.path + suffix, toPath: crashed.path + suffix)
        }
        await log.close()

        let recovered = try await crashed.open(settling: .manual(round: 60, step: 7))
        #expect(try await ReadsSnapshot.read(recovered) == expected)
        #expect(try await recovered.verify().isIntact)
        try await recovered.settle()
        #expect(try await ReadsSnapshot.read(recovered) == expected)
        #expect(try await recovered.verify().isIntact)
        #expect(try tierCounts(crashed) == TierCounts(settled: 100, recent: 0, copiedAhead: 0))
        await recovered.close()
    }

    @Test("a database written by the one-tier schema (0001) opens, migrates and keeps working")
    func oneTierDatabaseMigrates() async throws {
        let database = try TemporaryDatabase()
        defer { database.remove() }
        let log = try await database.open(projections: [EventTypeStatsProjection()])
        try await ReadsSnapshot.seed(log, count: 90)
        let expected = try await ReadsSnapshot.read(log)
        await log.close()
        try OneTierSchema.downgrade(database.path)
        #expect(try OneTierSchema.matchesFreshVersionOne(database.path))

        let reopened = try await database.open(projections: [EventTypeStatsProjection()])
        #expect(try await ReadsSnapshot.read(reopened) == expected)
        #expect(try await reopened.verify().isIntact)
        try await ReadsSnapshot.seed(reopened, count: 30, offset: 90)
        #expect(try await reopened.headPosition() == 120)
        #expect(try await reopened.verify().isIntact)
        #expect(try await reopened.rebuildProjections() == 120)
        await reopened.close()
    }

    @Test("a database of schema 2 with settled and recent events migrates to the rowid settled tier intact")
    func versionTwoDatabaseMigrates() async throws {
        let database = try TemporaryDatabase()
        defer { database.remove() }
        let log = try await database.open(settling: .manual(round: 60, step: 7))
        try await ReadsSnapshot.seed(log, count: 150)
        for _ in 0..<15 { _ = try await log.settleStep() }
        let expected = try await ReadsSnapshot.read(log)
        // A copy taken between settle steps keeps both tiers (a clean close would settle all).
        let old = try TemporaryDatabase()
        defer { old.remove() }
        for suffix in ["", "-wal"] {
            try FileManager.default.copyItem(atPath: database.path + suffix, toPath: old.path + suffix)
        }
        await log.close()
        try VersionTwoSchema.downgrade(old.path)
        #expect(try VersionTwoSchema.hasClusteredSettledTier(old.path))
        let countsBefore = try tierCounts(old)
        #expect(countsBefore.settled > 0 && countsBefore.recent > 0 && countsBefore.copiedAhead > 0)

        let reopened = try await old.open(settling: .manual(round: 60, step: 7))
        #expect(try !VersionTwoSchema.hasClusteredSettledTier(old.path))
        #expect(try tierCounts(old) == countsBefore)
        #expect(try await ReadsSnapshot.read(reopened) == expected)
        #expect(try await reopened.verify().isIntact)
        try await reopened.settle()
        #expect(try await ReadsSnapshot.read(reopened) == expected)
        #expect(try await reopened.verify().isIntact)
        await reopened.close()
    }

    struct TierCounts: Equatable, CustomStringConvertible {
        var settled: Int64
        var recent: Int64
        /// Rows a settle round copied ahead of the settled mark.
        var copiedAhead: Int64

        var description: String { "settled \(settled), recent \(recent), copied ahead \(copiedAhead)" }
    }

    /// The tiers' counts in the schema `database` has: one recent table before 0005, two since.
    private func tierCounts(_ database: TemporaryDatabase) throws -> TierCounts {
        let connection = try SQLiteConnection(path: database.path, readOnly: true)
        return try connection.readTransaction { () throws(SluiceError) -> TierCounts in
            let names = try connection.statement(
                "SELECT name FROM sqlite_master WHERE type = 'table' AND name LIKE 'events_recent%'")
            defer { names.reset() }
            var tables: [String] = []
            while try names.step() { tables.append(names.text(0) ?? "") }
            let recent = tables.map { "SELECT position FROM \($0)" }.joined(separator: " UNION ALL ")
            let mark =
                try connection.scalarInteger(
                    "SELECT coalesce((SELECT min(position) FROM (\(recent))) - 1, (SELECT max(position) FROM event_positions), 0)"
                ) ?? 0
            return TierCounts(
                settled: try connection.scalarInteger(
                    "SELECT count(*) FROM events WHERE position <= ?", [.integer(mark)]) ?? -1,
                recent: try connection.scalarInteger("SELECT count(*) FROM (\(recent))") ?? -1,
                copiedAhead: try connection.scalarInteger(
                    "SELECT count(*) FROM events WHERE position > ?", [.integer(mark)]) ?? -1
            )
        }
    }
}
