import SluiceCore
import SluiceEngine
import SluiceLog
import SluiceWorkflows
import Synchronization
import Testing

@Suite("A function's execution is started and run before its start is recorded, as far as it can be done again")
struct StartAndRunTests {
    static let noted = StreamName(unchecked: "function/noted")
    /// Every append gets a time of its own, so equal times mean one append.
    static let ticks = Atomic<Int64>(1_700_000_000_000_000)

    static func note() -> StreamAppend { StreamAppend([NewEvent(type: "delivery.acked")], to: noted) }

    /// A log whose appends each get a time of their own, and a runner of its one-step workflow `flow`.
    static func flowRunner() async throws -> (MemoryEventLog, ExecutionRunner) {
        let log = MemoryEventLog(now: { ticks.add(1, ordering: .relaxed).newValue })
        let catalog = WorkflowCatalog(log: log)
        try await catalog.deploy(name: "flow", source: "main:\n  steps:\n    - done:\n        return: 1\n")
        return (log, ExecutionRunner(log: log, catalog: catalog, performer: UnroutedEffectPerformer()))
    }

    @Test("a workflow without outside effects is started, run and ended in one append, the parts alongside last")
    func wholeRunIsOneAppend() async throws {
        let (log, runner) = try await Self.flowRunner()
        let id = try ExecutionID("run-1")
        let start = ExecutionStart(workflow: "flow", revision: 1, argument: nil)
        #expect(try await runner.startAndRun(id, start, alongside: [Self.note()], idempotencyKey: "ack/run-1"))
        let execution = await log.readStream(id.stream, from: 1, limit: 10)
        #expect(execution.map(\.type) == ["execution.started", "execution.steps_started", "execution.succeeded"])
        let acked = try #require(await log.readStream(Self.noted, from: 1, limit: 1).first)
        #expect(acked.position == (execution.last?.position ?? 0) + 1)
        #expect(Set(execution.map(\.timestamp) + [acked.timestamp]).count == 1)
        #expect(try await runner.history(of: id).ending == .succeeded(1))
    }

    @Test("an outside effect makes it record the start and the work before it, and leave the effect to the scheduler")
    func outsideEffectHandsOff() async throws {
        let engine = EngineFixture()
        await engine.performer.script("http://features.test/extract", [ScriptedPerformer.ok([1, 2])])
        await engine.performer.script("http://model.test/predict", [ScriptedPerformer.ok(["label": "cat"])])
        await engine.performer.markReplaySafe("http://features.test/extract")
        let revision = try await engine.catalog.deploy(name: "pipeline", source: Workflows.twoCalls)
        let id = try ExecutionID("run-1")
        let runner = engine.runner()
        #expect(
            try await runner.startAndRun(
                id, ExecutionStart(workflow: "pipeline", revision: revision, argument: .null),
                alongside: [Self.note()], idempotencyKey: "ack/run-1"))
        #expect(
            try await engine.types(id) == ["execution.started", "execution.steps_started", "effect.completed"])
        #expect(await engine.performer.calls == ["run-1/e1 http://features.test/extract"])

        let outcome = try await runner.run(id)
        #expect(outcome.result == ["label": "cat"])
        #expect(
            await engine.performer.calls == [
                "run-1/e1 http://features.test/extract", "run-1/e2 http://model.test/predict",
            ])
    }

    @Test("a start repeated under its key stores nothing the second time and returns false")
    func repeatedKeyStoresNothing() async throws {
        let (log, runner) = try await Self.flowRunner()
        let start = ExecutionStart(workflow: "flow", revision: 1, argument: nil)
        #expect(
            try await runner.startAndRun(
                try ExecutionID("run-1"), start, alongside: [Self.note()], idempotencyKey: "ack/1"))
        let head = await log.headPosition()
        #expect(
            !(try await runner.startAndRun(
                try ExecutionID("run-2"), start, alongside: [Self.note()], idempotencyKey: "ack/1")))
        #expect(await log.headPosition() == head)
        #expect(await log.streamVersion(try ExecutionID("run-2").stream) == 0)
    }

    @Test("an execution that exists gets nothing stored, and it returns false")
    func existingExecutionIsNotRunAgain() async throws {
        let engine = EngineFixture()
        await engine.performer.script("http://features.test/extract", [ScriptedPerformer.ok([1])])
        await engine.performer.markReplaySafe("http://features.test/extract")
        let id = try await engine.started(Workflows.twoCalls)
        let head = await engine.log.headPosition()
        #expect(
            !(try await engine.runner().startAndRun(
                id, ExecutionStart(workflow: "pipeline", revision: 1, argument: .null), alongside: [Self.note()],
                idempotencyKey: "ack/run-1")))
        // Its replay-safe prefix may have run again before the append found the execution: that
        // is what replay-safe allows, and nothing of it was stored.
        #expect(await engine.log.headPosition() == head)
        #expect(try await engine.types(id) == ["execution.started"])
    }
}
