import Foundation
import SluiceCore
import SluiceLog
import SluiceLogSQLite
import Testing

@Suite("The log's threads carry their names where operators look")
struct LogThreadNamesTests {
    @Test("an open log's writer, syncer and checkpointer threads are named in /proc")
    func threadsAreNamedInProc() async throws {
        let database = try TemporaryDatabase()
        defer { database.remove() }
        let log = try await database.open(synchronous: .full)
        _ = try await log.append([NewEvent(type: "noted")], to: StreamName(unchecked: "notes/a"))
        let names = try Self.threadNames()
        for expected in ["sluice-writer", "sluice-syncer", "sluice-checkpt"] {
            #expect(names.contains(expected), "threads: \(names.sorted())")
        }
        await log.close()
    }

    /// The kernel names of this process's threads.
    private static func threadNames() throws -> Set<String> {
        let tasks = try FileManager.default.contentsOfDirectory(atPath: "/proc/self/task")
        return Set(
            tasks.compactMap { task in
                (try? String(contentsOfFile: "/proc/self/task/\(task)/comm", encoding: .utf8))?
                    .trimmingCharacters(in: .whitespacesAndNewlines)
            })
    }
}
