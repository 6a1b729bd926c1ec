import Foundation
import SluiceCore
import SluiceLog
import Testing

@testable import SluiceLogSQLite

@Suite("The page cache layer answers a commit's truncation itself only when nothing past the limit can be cached")
struct PageCacheLayerTests {
    @Test("commits that reuse freed pages no longer walk the whole page cache")
    func commitsReusingFreedPagesSkipTheScan() async throws {
        let database = try TemporaryDatabase()
        defer { database.remove() }
        let log = try await database.open(settling: .manual(round: 300, step: 60))
        let before = PageCacheLayer.scansAvoided
        // Rounds of settling empty a recent table, so later appends take pages off the freelist
        // out of order, and b-tree balances swap page numbers through the page past the lock byte.
        let data = "{\"padding\": \"" + String(repeating: "p", count: 600) + "\"}"
        for round in 0..<4 {
            for index in 0..<30 {
                let events = (0..<20).map { _ in NewEvent(type: "cache.t", data: data) }
                _ = try await log.append(events, to: StreamName(unchecked: "cache/\((round * 30 + index) % 7)"))
            }
            try await log.settle()
        }
        #expect(PageCacheLayer.scansAvoided > before)
        #expect(try await log.verify().isIntact)
        await log.close()
    }

    @Test("a rolled-back transaction that reused freed pages and grew the file leaves the table as it was")
    func rollbackDiscardsTheTransactionsPages() throws {
        let database = try TemporaryDatabase()
        defer { database.remove() }
        let connection = try SQLiteConnection(path: database.path, readOnly: false)
        try connection.execute("PRAGMA journal_mode = WAL")
        try connection.execute("CREATE TABLE rows (id INTEGER PRIMARY KEY, tag TEXT NOT NULL, body TEXT NOT NULL)")
        try insert(into: connection, tag: "kept", count: 1_500)
        try connection.execute("DELETE FROM rows WHERE id % 3 = 0")
        // Takes the freed pages back out of order, and grows the file past them.
        try connection.execute("BEGIN")
        try insert(into: connection, tag: "undone", count: 3_000)
        try connection.execute("ROLLBACK")
        try insert(into: connection, tag: "after", count: 3_000)

        #expect(try connection.scalarInteger("SELECT count(*) FROM rows WHERE tag = 'undone'") == 0)
        #expect(try connection.scalarInteger("SELECT count(*) FROM rows WHERE tag = 'kept'") == 1_000)
        #expect(try connection.scalarInteger("SELECT count(*) FROM rows WHERE tag = 'after'") == 3_000)
        let check = try connection.statement("PRAGMA integrity_check")
        defer { check.reset() }
        #expect(try check.step())
        #expect(check.text(0) == "ok")
    }

    private func insert(into connection: SQLiteConnection, tag: String, count: Int) throws {
        let insert = try connection.statement("INSERT INTO rows (tag, body) VALUES (?, ?)")
        for index in 0..<count {
            insert.bind(tag, at: 1)
            insert.bind(String(repeating: "\(index % 10)", count: 300 + index % 200), at: 2)
            _ = try insert.step()
            insert.reset()
        }
    }
}
