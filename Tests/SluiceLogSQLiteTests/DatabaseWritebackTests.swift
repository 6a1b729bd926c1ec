import Foundation
import Synchronization
import Testing

@testable import SluiceLogSQLite

@Suite("While a checkpoint copies into the database file, the file is written out as it goes")
struct DatabaseWritebackTests {
    /// How many times writeback was started.
    private final class Nudges: Sendable {
        let count = Mutex(0)
        var value: Int { count.withLock { $0 } }
    }

    /// A writeback on a scratch file that counts its nudges instead of calling the kernel.
    private static func countingWriteback(_ nudges: Nudges) throws -> (DatabaseWriteback, TemporaryDatabase) {
        let database = try TemporaryDatabase()
        #expect(FileManager.default.createFile(atPath: database.path, contents: Data([1, 2, 3])))
        let writeback = try #require(
            DatabaseWriteback(path: database.path, interval: .milliseconds(2)) { _ in
                nudges.count.withLock { $0 += 1 }
            })
        return (writeback, database)
    }

    @Test("during a checkpoint writeback is started every few milliseconds, and stops with it")
    func nudgesOnlyWhileACheckpointRuns() async throws {
        let nudges = Nudges()
        let (writeback, database) = try Self.countingWriteback(nudges)
        defer { database.remove() }
        try await Task.sleep(for: .milliseconds(30))
        #expect(nudges.value == 0)
        writeback.begin()
        try await Task.sleep(for: .milliseconds(60))
        writeback.end()
        try await Task.sleep(for: .milliseconds(10))
        let during = nudges.value
        #expect(during >= 3)
        try await Task.sleep(for: .milliseconds(40))
        #expect(nudges.value == during)
        writeback.stop()
    }

    @Test("this machine's libc has sync_file_range, so checkpoints use it")
    func systemWritebackIsAvailable() {
        #expect(DatabaseWriteback.startWriteback != nil)
    }
}
