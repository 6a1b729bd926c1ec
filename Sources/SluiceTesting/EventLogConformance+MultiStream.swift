import SluiceCore
import SluiceLog
import Testing

extension EventLogConformance {
    static var multiStream: [Check] {
        [
            check("a multi-stream append stores every part, positions contiguous in part order") {
                (log: any EventLog) async throws in
                _ = try await log.append([event()], to: stream("b"))
                let results = try await log.append(
                    [
                        StreamAppend([event(), event()], to: stream("a"), expectedVersion: .noStream),
                        StreamAppend([event()], to: stream("b"), expectedVersion: .exact(1)),
                    ], idempotencyKey: nil)
                #expect(
                    results == [
                        AppendResult(
                            firstPosition: 2, lastPosition: 3, firstVersion: 1, lastVersion: 2, wasDuplicate: false),
                        AppendResult(
                            firstPosition: 4, lastPosition: 4, firstVersion: 2, lastVersion: 2, wasDuplicate: false),
                    ])
                let all = try await log.readAll(from: 1, limit: 10)
                #expect(all.map(\.stream) == [stream("b"), stream("a"), stream("a"), stream("b")])
                #expect(Set(all.dropFirst().map(\.timestamp)).count == 1)
            },
            check("a conflict on any part of a multi-stream append writes no part and names the stream") {
                (log: any EventLog) async throws in
                _ = try await log.append([event()], to: stream("b"))
                let failure = await thrownError {
                    _ = try await log.append(
                        [
                            StreamAppend([event()], to: stream("a")),
                            StreamAppend([event()], to: stream("b"), expectedVersion: .exact(0)),
                        ], idempotencyKey: "k")
                }
                #expect(failure?.code == .wrongExpectedVersion)
                #expect(failure?.versionConflict?.stream == stream("b"))
                #expect(failure?.versionConflict?.actual == 1)
                #expect(try await log.headPosition() == 1)
                #expect(try await log.streamVersion(stream("a")) == 0)
                // The refused append did not use up its key.
                let retried = try await log.append([StreamAppend([event()], to: stream("a"))], idempotencyKey: "k")
                #expect(retried.first?.wasDuplicate == false)
            },
            check("a part without events holds the append to its stream's version and writes nothing there") {
                (log: any EventLog) async throws in
                _ = try await log.append([event(), event()], to: stream("config"))
                let results = try await log.append(
                    [StreamAppend([event()], to: stream("a")), .condition(stream("config"), atVersion: 2)],
                    idempotencyKey: nil)
                #expect(
                    results[1]
                        == AppendResult(
                            firstPosition: 0, lastPosition: 0, firstVersion: 3, lastVersion: 2, wasDuplicate: false))
                #expect(try await log.streamVersion(stream("config")) == 2)
                let stale = await thrownError {
                    _ = try await log.append(
                        [StreamAppend([event()], to: stream("a")), .condition(stream("config"), atVersion: 1)],
                        idempotencyKey: nil)
                }
                #expect(stale?.code == .wrongExpectedVersion)
                #expect(try await log.headPosition() == 3)
            },
            check("a repeated multi-stream append returns every part's original result and writes nothing") {
                (log: any EventLog) async throws in
                let parts = [
                    StreamAppend([event()], to: stream("a")), StreamAppend([event(), event()], to: stream("b")),
                ]
                let first = try await log.append(parts, idempotencyKey: "once")
                let second = try await log.append(parts, idempotencyKey: "once")
                #expect(second == first.map(\.asDuplicate))
                #expect(try await log.headPosition() == 3)
            },
            check("a multi-stream append with no first events, a stream twice or a bad event is refused") {
                (log: any EventLog) async throws in
                let refused: [[StreamAppend]] = [
                    [], [.condition(stream("a"), atVersion: 0), StreamAppend([event()], to: stream("b"))],
                    [StreamAppend([event()], to: stream("a")), StreamAppend([event()], to: stream("a"))],
                    [StreamAppend([event()], to: stream("a")), StreamAppend([event("bad", "{nope")], to: stream("b"))],
                ]
                for parts in refused {
                    #expect(
                        await thrownError { _ = try await log.append(parts, idempotencyKey: nil) }?.code
                            == .invalidArgument)
                }
                #expect(try await log.headPosition() == 0)
            },
        ]
    }
}
