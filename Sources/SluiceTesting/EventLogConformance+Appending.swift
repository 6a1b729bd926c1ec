import SluiceCore
import SluiceLog
import Testing

extension EventLogConformance {
    static var appending: [Check] {
        [
            check("appends get gap-free positions and versions starting at one") { (log: any EventLog) async throws in
                let first = try await log.append([event(), event()], to: stream("a"))
                let second = try await log.append([event()], to: stream("b"))
                let third = try await log.append([event()], to: stream("a"))
                #expect(
                    first
                        == AppendResult(
                            firstPosition: 1, lastPosition: 2, firstVersion: 1, lastVersion: 2, wasDuplicate: false))
                #expect(
                    second
                        == AppendResult(
                            firstPosition: 3, lastPosition: 3, firstVersion: 1, lastVersion: 1, wasDuplicate: false))
                #expect(
                    third
                        == AppendResult(
                            firstPosition: 4, lastPosition: 4, firstVersion: 3, lastVersion: 3, wasDuplicate: false))
                #expect(try await log.headPosition() == 4)
                #expect(try await log.streamVersion(stream("a")) == 3)
            },
            check("stream names that differ only in Unicode normalization are two streams") {
                (log: any EventLog) async throws in
                let composed = stream("object/b/caf\u{E9}")
                let decomposed = stream("object/b/cafe\u{301}")
                _ = try await log.append([event("a.composed")], to: composed, expectedVersion: .noStream)
                _ = try await log.append([event("a.decomposed")], to: decomposed, expectedVersion: .noStream)
                #expect(try await log.streamVersion(composed) == 1)
                #expect(try await log.streamVersion(decomposed) == 1)
                #expect(try await log.readStream(composed, from: 1, limit: 10).map(\.type) == ["a.composed"])
                let read = try await log.readStream(decomposed, from: 1, limit: 10)
                #expect(read.map(\.type) == ["a.decomposed"])
                #expect(read.first?.stream.rawValue.unicodeScalars.count == "object/b/cafe\u{301}".unicodeScalars.count)
            },
            check("a wrong expected version throws a conflict carrying the actual version and writes nothing") {
                (log: any EventLog) async throws in
                _ = try await log.append([event(), event()], to: stream("s"))
                let failure = await thrownError {
                    _ = try await log.append([event()], to: stream("s"), expectedVersion: .exact(1))
                }
                #expect(failure?.code == .wrongExpectedVersion)
                #expect(failure?.versionConflict?.actual == 2)
                #expect(failure?.versionConflict?.stream == stream("s"))
                #expect(try await log.headPosition() == 2)
            },
            check("no-stream and stream-exists expectations are enforced") { (log: any EventLog) async throws in
                #expect(
                    await thrownError {
                        _ = try await log.append([event()], to: stream("s"), expectedVersion: .streamExists)
                    }?.code == .wrongExpectedVersion)
                _ = try await log.append([event()], to: stream("s"), expectedVersion: .noStream)
                #expect(
                    await thrownError {
                        _ = try await log.append([event()], to: stream("s"), expectedVersion: .noStream)
                    }?.code == .wrongExpectedVersion)
                let result = try await log.append([event()], to: stream("s"), expectedVersion: .streamExists)
                #expect(result.lastVersion == 2)
            },
            check("an append with one invalid event stores none of its events") { (log: any EventLog) async throws in
                let failure = await thrownError {
                    _ = try await log.append([event(), event("bad", "{nope")], to: stream("s"))
                }
                #expect(failure?.code == .invalidArgument)
                #expect(try await log.headPosition() == 0)
                #expect(try await log.streamVersion(stream("s")) == 0)
            },
            check("an empty append is refused") { (log: any EventLog) async throws in
                #expect(await thrownError { _ = try await log.append([], to: stream("s")) }?.code == .invalidArgument)
            },
            check("an over-long metadata value is refused with a message naming its event") {
                (log: any EventLog) async throws in
                let oversized = NewEvent(
                    type: "thing.happened", metadata: EventMetadata(principal: String(repeating: "p", count: 1_025)))
                let failure = await thrownError { _ = try await log.append([event(), oversized], to: stream("s")) }
                #expect(failure?.code == .invalidArgument)
                #expect(failure?.message == "a metadata value of event 1 must be 1 to 1024 bytes long")
                #expect(try await log.headPosition() == 0)
            },
            check("an append repeated with the same idempotency key returns the original result and writes nothing") {
                (log: any EventLog) async throws in
                let original = try await log.append(
                    [event(), event()], to: stream("s"), expectedVersion: .noStream, idempotencyKey: "k1")
                _ = try await log.append([event()], to: stream("other"))
                let repeated = try await log.append(
                    [event(), event()], to: stream("s"), expectedVersion: .noStream, idempotencyKey: "k1")
                #expect(repeated == original.asDuplicate)
                #expect(repeated.wasDuplicate)
                #expect(try await log.headPosition() == 3)
                #expect(try await log.streamVersion(stream("s")) == 2)
            },
            check("concurrent writers expecting the same version cannot both win") { (log: any EventLog) async throws in
                _ = try await log.append([event()], to: stream("race"))
                let outcomes = await withTaskGroup(of: Bool.self) { group in
                    for _ in 0..<16 {
                        group.addTask {
                            (try? await log.append([event()], to: stream("race"), expectedVersion: .exact(1))) != nil
                        }
                    }
                    return await group.reduce(into: [Bool]()) { $0.append($1) }
                }
                #expect(outcomes.filter { $0 }.count == 1)
                #expect(try await log.streamVersion(stream("race")) == 2)
            },
            check("many concurrent appends all land with distinct gap-free positions") {
                (log: any EventLog) async throws in
                let results = try await withThrowingTaskGroup(of: AppendResult.self) { group in
                    for index in 0..<200 {
                        group.addTask { try await log.append([event(), event()], to: stream("s\(index % 7)")) }
                    }
                    return try await group.reduce(into: [AppendResult]()) { $0.append($1) }
                }
                let positions = results.flatMap { Array($0.firstPosition...$0.lastPosition) }.sorted()
                #expect(positions == Array(1...400))
                for index in 0..<7 {
                    let events = try await log.readStream(stream("s\(index)"), from: 1, limit: 1_000)
                    #expect(events.map(\.version) == Array(1...Int64(events.count)))
                }
            },
            check("recorded events keep their type, data and metadata and never go back in time") {
                (log: any EventLog) async throws in
                var metadata = EventMetadata(
                    correlationID: "c", causationID: "e0", principal: "alice", extra: ["reason": "test \"quoted\""])
                metadata.extra["tenant"] = "t1"
                let id = EventID(high: 0x0190_0000_0000_7000, low: 0x8000_0000_0000_0001)
                _ = try await log.append(
                    [NewEvent(type: "a.b", data: "{\"x\": [1, 2.5, \"é\"]}", metadata: metadata, id: id)],
                    to: stream("s"))
                _ = try await log.append([event()], to: stream("s"))
                let events = try await log.readAll(from: 1, limit: 10)
                #expect(events[0].type == "a.b")
                #expect(events[0].data == "{\"x\": [1, 2.5, \"é\"]}")
                #expect(events[0].metadata == metadata)
                #expect(events[0].id == id)
                #expect(events[0].stream == stream("s"))
                #expect(events[1].timestamp >= events[0].timestamp)
                #expect(events[0].id != events[1].id)
            },
        ]
    }
}
