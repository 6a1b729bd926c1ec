import SluiceCore
import SluiceLog
import SluiceTesting
import Testing

/// The checks every log's reads allow: a log whose reads show damage is reported, never passed.
@Suite("Verifying through a log's reads finds gaps, broken versions and time going back")
struct ReadableVerifyTests {
    @Test("a position missing from the reads is reported as a gap")
    func missingPositionIsAGap() async throws {
        let report = try await Self.verify(seeded: 30) { events in events.filter { $0.position != 12 } }
        #expect(report.problems.contains("position 13 follows 11: positions have a gap"))
    }

    @Test("a stream version out of order is reported with the version expected")
    func brokenVersionIsReported() async throws {
        let report = try await Self.verify(seeded: 30) { events in
            events.map { event in
                var event = event
                if event.position == 9 { event.version += 1 }
                return event
            }
        }
        #expect(report.problems.first == "stream s2 has version 4 where 3 was expected")
    }

    @Test("an event recorded earlier than the one before it is reported")
    func timeGoingBackIsReported() async throws {
        let report = try await Self.verify(seeded: 30) { events in
            events.map { event in
                var event = event
                if event.position == 20 { event.timestamp = 0 }
                return event
            }
        }
        #expect(report.problems == ["position 20 is recorded earlier than the event before it"])
    }

    @Test("reads that end before the head are reported")
    func readsEndingEarlyAreReported() async throws {
        let report = try await Self.verify(seeded: 30) { events in events.filter { $0.position <= 25 } }
        #expect(report.problems == ["the log's head is position 30, but its events end at 25"])
    }

    /// A log of `count` one-event appends over three streams, whose `readAll` pages pass
    /// through `damage` first.
    static func verify(seeded count: Int, damage: @escaping @Sendable ([RecordedEvent]) -> [RecordedEvent])
        async throws -> IntegrityReport
    {
        let log = MemoryEventLog()
        for index in 0..<count {
            _ = try await log.append([NewEvent(type: "t")], to: StreamName(unchecked: "s\(index % 3)"))
        }
        #expect(try await log.verify { _, _ in }.isIntact)
        return try await DamagedReads(base: log, damage: damage).verify { _, _ in }
    }
}

/// A log whose whole-log reads pass through `damage`; everything else is `base`'s.
struct DamagedReads: DelegatingEventLog {
    let base: any EventLog
    let damage: @Sendable ([RecordedEvent]) -> [RecordedEvent]

    func readAll(from position: Int64, limit: Int) async throws(SluiceError) -> [RecordedEvent] {
        damage(try await base.readAll(from: position, limit: limit))
    }
}
