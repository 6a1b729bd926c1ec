import SluiceLog
import SluiceLogSQLite
import SluiceTesting
import Testing

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
        let log = try await database.open(settling: settling.configuration)
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
