import SluiceLog
import SluiceTesting
import Testing

@testable import SluiceLogSQLite

@Suite("The SQLite log meets the event log contract")
struct SQLiteEventLogConformanceTests {
    /// How the writer settles during a check: as configured by default, after every commit (so
    /// reads meet both tiers and copies ahead of the settled mark), or never (all reads recent).
    enum Settling: String, CaseIterable, CustomTestStringConvertible {
        case byDefault
        case afterEveryCommit
        case never

        var configuration: SQLiteEventLog.Configuration.Settling {
            switch self {
            case .byDefault: .init()
            case .afterEveryCommit: .eager
            case .never: .manual()
            }
        }

        var testDescription: String { rawValue }
    }

    @Test(arguments: EventLogConformance.all, Settling.allCases)
    func conformance(_ check: EventLogConformance.Check, settling: Settling) async throws {
        let database = try TemporaryDatabase()
        defer { database.remove() }
        try await Self.run(check, on: try await database.open(settling: settling.configuration))
    }

    /// With `synchronous=full` and every commit synced on the syncer thread (as a long queue
    /// does), position-ordered reads stop at the synced head until each sync; the contract holds
    /// all the same.
    @Test(arguments: EventLogConformance.all)
    func conformanceWithCommitsSyncedOffTheWriterThread(_ check: EventLogConformance.Check) async throws {
        let database = try TemporaryDatabase()
        defer { database.remove() }
        var configuration = database.configuration(synchronous: .full)
        configuration.offThreadSyncAppends = 1
        try await Self.run(check, on: try await SQLiteEventLog.open(configuration))
    }

    /// Runs one check, closing the log whether it passes or not.
    private static func run(_ check: EventLogConformance.Check, on log: SQLiteEventLog) async throws {
        do {
            try await check.run(on: log)
        } catch {
            await log.close()
            throw error
        }
        await log.close()
    }

    /// A parameterized test over an empty list passes silently: the contract must stay whole.
    @Test("the contract's checks are all there, each named once")
    func contractIsComplete() {
        let names = EventLogConformance.all.map(\.name)
        #expect(names.count >= 18)
        #expect(Set(names).count == names.count)
    }
}
