import SluiceCore
import SluiceEngine
import SluiceLog
import SluiceTesting
import SluiceWorkflows
import Synchronization
import Testing

/// A log on which a busy runner always appends first: before each of the first `races`
/// cancellations reaches the log, `interloper` is appended to the same stream, so the
/// cancellation's expected version is stale.
final class RacingLog: DelegatingEventLog {
    let base: any EventLog
    private let races: Mutex<Int>
    private let interloper: NewEvent

    init(_ base: any EventLog, races: Int, interloper: NewEvent) {
        self.base = base
        self.races = Mutex(races)
        self.interloper = interloper
    }

    func append(
        _ events: [NewEvent], to stream: StreamName, expectedVersion: ExpectedVersion, idempotencyKey: String?
    ) async throws(SluiceError) -> AppendResult {
        let race = races.withLock { remaining in
            guard events.contains(where: { $0.type == ExecutionEventType.cancelled }), remaining > 0 else {
                return false
            }
            remaining -= 1
            return true
        }
        if race { _ = try await base.append([interloper], to: stream, expectedVersion: .any, idempotencyKey: nil) }
        return try await base.append(
            events, to: stream, expectedVersion: expectedVersion, idempotencyKey: idempotencyKey)
    }
}

@Suite("A cancellation wins against a runner that keeps appending")
struct CancelRaceTests {
    static let stepsStarted = NewEvent(type: ExecutionEventType.stepsStarted, data: #"{"steps":[]}"#)

    @Test("a cancellation that loses the version race to a running execution re-reads and is recorded")
    func cancelRetriesAfterLosingTheRace() async throws {
        let engine = EngineFixture()
        let id = try await engine.started("- done:\n    return: 1\n")
        let racing = RacingLog(engine.log, races: 10, interloper: Self.stepsStarted)
        let runner = ExecutionRunner(log: racing, catalog: engine.catalog, performer: engine.performer)

        try await runner.cancel(id, reason: "stop", principal: "alice")

        #expect(try await runner.history(of: id).ending == .cancelled(reason: "stop"))
        #expect(try await engine.types(id).filter { $0 == ExecutionEventType.cancelled }.count == 1)
    }

    @Test("a cancellation that loses the race to the execution's own ending is FAILED_PRECONDITION")
    func cancelOfAnExecutionThatEndedMeanwhileFails() async throws {
        let engine = EngineFixture()
        let id = try await engine.started("- done:\n    return: 1\n")
        let ending = NewEvent(type: ExecutionEventType.succeeded, data: #"{"result":1}"#)
        let racing = RacingLog(engine.log, races: 1, interloper: ending)
        let runner = ExecutionRunner(log: racing, catalog: engine.catalog, performer: engine.performer)

        await #expect(throws: SluiceError(.failedPrecondition, "")) {
            try await runner.cancel(id, reason: "stop", principal: nil)
        }
        #expect(try await runner.history(of: id).ending == .succeeded(1))
    }

    @Test("a busy execution that retries without pause is cancelled, and stops at its next append")
    func busyExecutionStopsOnceCancelled() async throws {
        let engine = EngineFixture()
        let id = try await engine.started(
            """
            - t:
                try:
                  raise: "x"
                retry:
                  predicate: ${retry.always}
                  max_retries: 1000000000
                  backoff:
                    initial_delay: 0.0001
                    max_delay: 0.0001
                    multiplier: 1
            """)
        let runner = engine.runner(
            performer: SystemEffectPerformer(now: WallClock.microsecondsSinceEpoch, next: UnroutedEffectPerformer()))
        let running = Task { try await runner.run(id) }
        while try await engine.types(id).count < 30 { try await Task.sleep(for: .milliseconds(5)) }

        try await runner.cancel(id, reason: "runaway", principal: nil)

        #expect(try await running.value.ending == .cancelled(reason: "runaway"))
        #expect(try await runner.history(of: id).ending == .cancelled(reason: "runaway"))
    }
}
