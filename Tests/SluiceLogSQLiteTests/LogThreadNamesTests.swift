import Foundation
import SluiceCore
import SluiceLog
import SluiceLogSQLite
import Testing

@Suite("The log's threads carry their names where operators look")
struct LogThreadNamesTests {
    @Test("an open log's writer, syncer and checkpointer threads are named in /proc")
    func threadsAreNamedInProc() async throws {
        try await Self.withWrittenLog {
            let names = try Self.threadNames()
            for expected in ["sluice-writer", "sluice-syncer", "sluice-checkpt"] {
                #expect(names.contains(expected), "threads: \(names.sorted())")
            }
        }
    }

    @Test("the checkpointer yields the CPU to the writer and the engine: it runs at nice 10")
    func checkpointerRunsNiced() async throws {
        try await Self.withWrittenLog {
            let niceness = try Self.threadNiceness()
            #expect(niceness["sluice-checkpt"]?.allSatisfy { $0 == 10 } == true, "\(niceness)")
            #expect(niceness["sluice-writer"]?.allSatisfy { $0 == 0 } == true, "\(niceness)")
        }
    }

    /// Runs `body` while a log with `synchronous=full` (so it has all its threads) is open and
    /// has committed once.
    private static func withWrittenLog(_ body: () throws -> Void) async throws {
        let database = try TemporaryDatabase()
        defer { database.remove() }
        let log = try await database.open(synchronous: .full)
        _ = try await log.append([NewEvent(type: "noted")], to: StreamName(unchecked: "notes/a"))
        try body()
        await log.close()
    }

    /// The nice values of this process's threads by kernel name (field 19 of `stat`).
    private static func threadNiceness() throws -> [String: [Int]] {
        var niceness: [String: [Int]] = [:]
        for task in try FileManager.default.contentsOfDirectory(atPath: "/proc/self/task") {
            guard let stat = try? String(contentsOfFile: "/proc/self/task/\(task)/stat", encoding: .utf8),
                let open = stat.firstIndex(of: "("), let close = stat.lastIndex(of: ")")
            else { continue }
            let name = String(stat[stat.index(after: open)..<close])
            // After the name: state is field 3, so nice (field 19) is the 17th of the rest.
            let rest = stat[stat.index(after: close)...].split(separator: " ")
            if rest.count > 16, let value = Int(rest[16]) { niceness[name, default: []].append(value) }
        }
        return niceness
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
