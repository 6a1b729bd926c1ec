import Foundation
import SluiceTesting
import Testing

/// The durability bar: a process killed with SIGKILL at any moment loses nothing it acknowledged.
@Suite("A killed appender loses no acknowledged event", .serialized)
struct DurabilityKillTests {
    struct Acknowledgement: Decodable, Equatable {
        var position: Int64
        var stream: String
        var version: Int64
    }

    @Test("after each of 24 SIGKILLs every printed position is in the log, without gaps, duplicates or damage")
    func killedAppendersLoseNothingTheyPrinted() async throws {
        signal(SIGPIPE, SIG_IGN)
        let binary = try SluiceBinary.locate()
        let directory = ScratchSpace.url("sluice-kill-\(UUID())")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        let database = directory.appendingPathComponent("sluice.db").path
        var acknowledged: [Acknowledgement] = []
        var generator = SystemRandomNumberGenerator()

        for round in 0..<24 {
            // Odd rounds settle every few events, so many kills land in the middle of a settle;
            // half the rounds sync every commit on the syncer thread, so kills land between a
            // commit and its fsync.
            let child = AppendingChild(
                binary: binary, database: database, stream: "upload-\(round % 5)",
                extraArguments: (round % 2 == 1 ? ["--settle-threshold", "4"] : [])
                    + (round % 4 >= 2 ? ["--sync-off-thread-from", "1"] : []))
            try child.start(round: round)
            // Some kills land while the child opens or migrates the file, most mid-stream.
            let delay =
                round % 6 == 0
                ? UInt32.random(in: 0..<30_000, using: &generator)
                : UInt32.random(in: 80_000..<400_000, using: &generator)
            _ = await OffPool.run { usleep(delay) }
            let printed = await child.kill()
            acknowledged += try printed.map { try JSONDecoder().decode(Acknowledgement.self, from: Data($0.utf8)) }

            let snapshot = try await LogSnapshot.read(binary: binary, database: database)
            let stored = Dictionary(uniqueKeysWithValues: snapshot.events.map { ($0.position, $0) })
            for acknowledgement in acknowledged {
                let event = stored[acknowledgement.position]
                #expect(
                    event?.stream == acknowledgement.stream && event?.version == acknowledgement.version,
                    "round \(round): \(acknowledgement) lost")
            }
            #expect(
                snapshot.events.map(\.position)
                    == Array(1...Int64(max(snapshot.events.count, 1))).prefix(snapshot.events.count).map { $0 })
            for (stream, events) in Dictionary(grouping: snapshot.events, by: \.stream) {
                #expect(
                    events.map(\.version) == (1...Int64(events.count)).map { $0 }, "versions of \(stream) have a gap")
            }
            for (childRound, events) in Dictionary(grouping: snapshot.events, by: \.round) {
                #expect(
                    events.map(\.sequence) == Array(0..<events.count), "round \(childRound) lost or repeated a line")
            }
            let verify = try await binary.run(["admin", "verify", "--db", database])
            #expect(verify.status == 0, "round \(round): \(verify.stdout)\(verify.stderr)")
        }
        #expect(acknowledged.count >= 100, "the children acknowledged too few events for the test to mean much")
    }
}
