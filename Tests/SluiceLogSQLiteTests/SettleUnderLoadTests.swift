import Foundation
import SluiceCore
import SluiceLog
import Testing

@testable import SluiceLogSQLite

/// Past the threshold the writer settles between commits, in whole steps it has saved up for.
@Suite("The writer settles between commits in whole steps it owes")
struct SettleUnderLoadTests {
    @Test("one-event commits past the threshold earn a step of 8 rows every fourth commit")
    func smallCommitsSaveUpForAStep() {
        var credit = SettleCredit(step: 8)
        var stepsAfter: [Int] = []
        for commit in 1...12 {
            guard credit.afterCommit(of: 1, pastThreshold: true) != nil else { continue }
            stepsAfter.append(commit)
            credit.paid(8)
        }
        #expect(stepsAfter == [4, 8, 12])
    }

    @Test("a commit that appends a step's worth or more settles right after it")
    func largeCommitSettlesAtOnce() {
        var credit = SettleCredit(step: 8)
        #expect(credit.afterCommit(of: 5, pastThreshold: true) == 10)
    }

    @Test("a delete step that moves more than owed pays ahead, down to nothing owed")
    func largerStepPaysAhead() {
        var credit = SettleCredit(step: 8)
        _ = credit.afterCommit(of: 4, pastThreshold: true)
        credit.paid(32)
        #expect(credit.owed == 0)
    }

    @Test("below the threshold nothing is owed, and what was owed is forgotten")
    func belowThresholdOwesNothing() {
        var credit = SettleCredit(step: 8)
        _ = credit.afterCommit(of: 3, pastThreshold: true)
        #expect(credit.afterCommit(of: 100, pastThreshold: false) == nil)
        #expect(credit.owed == 0)
    }

    @Test("what is owed is capped at eight steps, so a writer catching up settles for a bounded time")
    func owedIsCapped() {
        var credit = SettleCredit(step: 8)
        #expect(credit.afterCommit(of: 10_000, pastThreshold: true) == 64)
    }

    @Test("one-event commits past the threshold keep the recent tier near it")
    func recentTierStaysNearTheThreshold() async throws {
        var settling = SQLiteEventLog.Configuration.Settling()
        settling.threshold = 40
        settling.roundEvents = 40
        settling.stepEvents = 8
        settling.idleDelay = .seconds(3_600)
        let database = try TemporaryDatabase()
        defer { database.remove() }
        let log = try await database.open(settling: settling)
        for index in 0..<400 {
            _ = try await log.append([NewEvent(type: "load.t")], to: StreamName("load-\(index % 7)"))
        }
        let connection = try SQLiteConnection(path: database.path, readOnly: true)
        let recent =
            try connection.scalarInteger(
                "SELECT (SELECT count(*) FROM events_recent_a) + (SELECT count(*) FROM events_recent_b)") ?? -1
        #expect(recent <= 40 + 40 + 8, "\(recent) events left unsettled of 400")
        #expect(log.statistics.snapshot.settleSteps > 40)
        #expect(try await log.verify().isIntact)
        await log.close()
    }
}
