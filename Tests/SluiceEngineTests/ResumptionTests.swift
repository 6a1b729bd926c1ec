import Foundation
import SluiceCore
import SluiceEngine
import SluiceLog
import SluiceWorkflows
import Testing

@Suite("An execution the server crashes on every time it is resumed is failed, not resumed forever")
struct ResumptionTests {
    /// Appends `execution.resumed` events as restarts would have: the first after a kill, then
    /// `crashes` more, each recording that the process before it crashed.
    private func resumed(_ engine: EngineFixture, _ id: ExecutionID, crashes: Int) async throws {
        for index in 0...crashes {
            _ = try await engine.log.append(
                [NewEvent(type: ExecutionEventType.resumed, data: index == 0 ? "{}" : #"{"afterCrash":true}"#)],
                to: id.stream, expectedVersion: .any)
        }
    }

    private static let limit = ExecutionRunner.crashesWithoutProgressLimit

    @Test("an execution run on after a restart records its resumption, then runs to its end")
    func resumptionIsRecorded() async throws {
        let engine = EngineFixture()
        await engine.performer.script("http://features.test/extract", [ScriptedPerformer.ok([1])])
        await engine.performer.script("http://model.test/predict", [ScriptedPerformer.ok("cat")])
        let id = try await engine.started(Workflows.twoCalls)
        let outcome = try await engine.runner().run(id, afterRestart: true)
        #expect(outcome.result == "cat")
        #expect(try await engine.types(id).prefix(2) == ["execution.started", "execution.resumed"])
    }

    @Test("an execution whose workflow was deleted before it could be cancelled is cancelled when resumed, not run")
    func executionOfADeletedWorkflowIsCancelledOnResumption() async throws {
        let engine = EngineFixture()
        await engine.performer.script("http://features.test/extract", [ScriptedPerformer.ok([1])])
        await engine.performer.script("http://model.test/predict", [ScriptedPerformer.ok("cat")])
        let id = try await engine.started(Workflows.twoCalls)
        // The process stopped after recording the delete, before it cancelled the executions.
        try await engine.catalog.delete(name: "pipeline")
        let outcome = try await engine.runner().run(id, afterRestart: true)
        #expect(outcome.ending == .cancelled(reason: "the workflow pipeline was deleted"))
        #expect(await engine.performer.calls.isEmpty)
        #expect(try await engine.types(id) == ["execution.started", "execution.cancelled"])
    }

    @Test("resumptions followed by progress do not count against the execution")
    func progressResetsTheCount() async throws {
        let engine = EngineFixture()
        await engine.performer.script("http://features.test/extract", [ScriptedPerformer.ok([1])])
        await engine.performer.script("http://model.test/predict", [ScriptedPerformer.ok("cat")])
        let id = try await engine.started(Workflows.twoCalls)
        try await resumed(engine, id, crashes: Self.limit)
        _ = try await engine.log.append(
            [NewEvent(type: ExecutionEventType.stepsStarted, data: #"{"steps":[]}"#)], to: id.stream,
            expectedVersion: .any)
        try await resumed(engine, id, crashes: Self.limit - 2)
        let outcome = try await engine.runner().run(id, afterRestart: true, afterCrash: true)
        #expect(outcome.result == "cat")
    }

    @Test("after as many crashes in a row as the limit while it was resumed, the execution is failed and runs nothing")
    func crashesWithoutProgressFail() async throws {
        let engine = EngineFixture()
        let id = try await engine.started(Workflows.twoCalls)
        try await resumed(engine, id, crashes: Self.limit - 1)
        let outcome = try await engine.runner().run(id, afterRestart: true, afterCrash: true)
        guard case .failed(let error) = outcome.ending else {
            Issue.record("the execution ended \(outcome.ending)")
            return
        }
        #expect(error.tags == ["InternalError"])
        #expect(
            error.message?.contains("the server crashed each of the last 3 times it resumed this execution") == true)
        #expect(await engine.performer.calls.isEmpty)
        #expect(try await engine.types(id).last == "execution.failed")
    }

    @Test("restarts after kills or stops, however many in a row, never fail the execution")
    func restartsWithoutCrashesDoNotCount() async throws {
        let engine = EngineFixture()
        await engine.performer.script("http://features.test/extract", [ScriptedPerformer.ok([1])])
        await engine.performer.script("http://model.test/predict", [ScriptedPerformer.ok("cat")])
        let id = try await engine.started(Workflows.twoCalls)
        for _ in 0..<10 {
            _ = try await engine.log.append(
                [NewEvent(type: ExecutionEventType.resumed, data: "{}")], to: id.stream, expectedVersion: .any)
        }
        let outcome = try await engine.runner().run(id, afterRestart: true)
        #expect(outcome.result == "cat")
    }

    @Test("a run that is not the first since a restart neither records nor checks resumptions")
    func ordinaryRunsIgnoreResumptions() async throws {
        let engine = EngineFixture()
        await engine.performer.script("http://features.test/extract", [ScriptedPerformer.ok([1])])
        await engine.performer.script("http://model.test/predict", [ScriptedPerformer.ok("cat")])
        let id = try await engine.started(Workflows.twoCalls)
        try await resumed(engine, id, crashes: Self.limit)
        let outcome = try await engine.runner().run(id)
        #expect(outcome.result == "cat")
    }

    @Test(
        "an execution that only waits on a sleep is resumed without recording it, so restarts during a long sleep never fail it"
    )
    func waitingExecutionsRecordNothing() async throws {
        let engine = EngineFixture()
        let sleeping = SystemEffectPerformer(now: WallClock.microsecondsSinceEpoch, next: UnroutedEffectPerformer())
        let id = try await engine.started(Workflows.sleepThenReturn)
        let first = Task { try await engine.runner(performer: sleeping).run(id) }
        while try await engine.types(id).last != "effect.requested" { try await Task.sleep(for: .milliseconds(5)) }
        first.cancel()
        _ = try? await first.value
        let versionBefore = try await engine.types(id).count
        let resumedRun = Task { try await engine.runner(performer: sleeping).run(id, afterRestart: true) }
        try await Task.sleep(for: .milliseconds(100))
        #expect(try await engine.types(id).count == versionBefore)
        resumedRun.cancel()
        _ = try? await resumedRun.value
    }
}
