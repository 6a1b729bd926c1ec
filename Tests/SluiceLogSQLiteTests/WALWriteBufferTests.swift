import Foundation
import SluiceCore
import SluiceLog
import Testing

@testable import SluiceLogSQLite

@Suite("The WAL write buffer joins a commit's frame writes and writes them out before anyone can see the commit")
struct WALWriteBufferTests {
    @Test("a commit of many frames reaches the WAL in a few writes, not two per frame")
    func aCommitsFramesAreWrittenTogether() throws {
        let database = try TemporaryDatabase()
        defer { database.remove() }
        let connection = try SQLiteConnection(path: database.path, readOnly: false)
        try connection.execute("PRAGMA journal_mode = WAL")
        try connection.execute("CREATE TABLE rows (id INTEGER PRIMARY KEY, body TEXT NOT NULL)")
        let before = try #require(WALWriteBuffer.writeCounts(of: connection))
        let framesBefore = connection.walPagesWritten
        try connection.execute("BEGIN")
        let insert = try connection.statement("INSERT INTO rows (body) VALUES (?)")
        for index in 0..<300 {
            insert.bind(String(repeating: "\(index % 10)", count: 3_000), at: 1)
            _ = try insert.step()
            insert.reset()
        }
        try connection.execute("COMMIT")
        let after = try #require(WALWriteBuffer.writeCounts(of: connection))
        let frames = connection.walPagesWritten - framesBefore
        #expect(frames > 200)
        // SQLite asks for a header and a page per frame; the buffer writes up to 30 frames at once.
        #expect(after.asked - before.asked == UInt64(2 * frames))
        #expect(after.made - before.made <= UInt64(frames / 30 + 2))
    }

    /// Both recent tables (appends turn from one to the other at a round's worth).
    private static let recentEvents = "(SELECT data FROM events_recent_a UNION ALL SELECT data FROM events_recent_b)"

    @Test("another connection sees every committed event as soon as its append returns")
    func commitsAreReadableElsewhereAtOnce() async throws {
        let database = try TemporaryDatabase()
        defer { database.remove() }
        let log = try await database.open(settling: .manual())
        let data = "{\"padding\": \"" + String(repeating: "r", count: 900) + "\"}"
        var appended = 0
        for round in 0..<40 {
            let count = 1 + round * 7 % 50
            _ = try await log.append(
                (0..<count).map {
                    NewEvent(type: "buffer.r", data: data.replacingOccurrences(of: "r", with: "\($0 % 10)"))
                },
                to: StreamName(unchecked: "buffer/\(round % 3)"))
            appended += count
            // A connection of its own, not through the buffering VFS, as another process reads.
            let reader = try SQLiteConnection(path: database.path, readOnly: true)
            #expect(try reader.scalarInteger("SELECT count(*) FROM \(Self.recentEvents)") == Int64(appended))
            #expect(
                try reader.scalarInteger("SELECT sum(length(data)) FROM \(Self.recentEvents)")
                    == Int64(appended * data.utf8.count))
        }
        #expect(try await log.verify().isIntact)
        await log.close()
    }
}
