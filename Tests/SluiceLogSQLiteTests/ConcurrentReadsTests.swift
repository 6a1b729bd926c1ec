import Foundation
import SluiceCore
import SluiceLog
import SluiceLogSQLite
import Testing

@Suite("Short reads served inline and long reads on reader queues never see each other's rows")
struct ConcurrentReadsTests {
    @Test("many concurrent short stream reads beside long queries and appends each return their own stream")
    func concurrentShortAndLongReads() async throws {
        let database = try TemporaryDatabase()
        defer { database.remove() }
        let log = try await database.open()
        for index in 0..<400 {
            _ = try await log.append(
                [NewEvent(type: "t", data: "{\"i\": \(index)}")], to: StreamName("s\(index % 20)"))
        }
        try await withThrowingTaskGroup(of: Void.self) { group in
            for reader in 0..<64 {
                group.addTask {
                    for round in 0..<20 {
                        let stream = (reader + round) % 20
                        let events = try await log.readStream(StreamName("s\(stream)"), from: 1, limit: 256)
                        #expect(events.count >= 20)
                        #expect(events.allSatisfy { $0.stream.rawValue == "s\(stream)" })
                        #expect(events.map(\.version) == Array(1...Int64(events.count)))
                        #expect(try await log.streamVersion(StreamName("s\(stream)")) >= Int64(events.count))
                    }
                }
            }
            group.addTask {
                for _ in 0..<10 {
                    let page = try await log.query(EventQuery(types: ["t"], limit: 1_000))
                    #expect(page.events.count >= 400)
                }
            }
            group.addTask {
                for index in 0..<100 {
                    _ = try await log.append([NewEvent(type: "t")], to: StreamName("s\(index % 20)"))
                }
            }
            try await group.waitForAll()
        }
        await log.close()
    }
}
