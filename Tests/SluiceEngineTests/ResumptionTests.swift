import Foundation
import SluiceCore
import SluiceEngine
import SluiceLog
import SluiceWorkflows
import Testing

@Suite("An execution that stops the process every time it is resumed is failed, not resumed forever")
struct ResumptionTests {
    /// Appends `count` `execution.resumed` events to `id`, as that many restarts would have.
    private func resumed(_ engine: EngineFixture, _ id: ExecutionID, count: Int) async throws {
        for _ in 0..<count {
            _ = try await engine.log.append(
                [NewEvent(type: ExecutionEventType.resumed, data: "{}")], to: id.stream, expectedVersion: .any)
        }
    }

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

    @Test("resumptions followed by progress do not count against the execution")
    func progressResetsTheCount() async throws {
        let engine = EngineFixture()
        await engine.performer.script("http://features.test/extract", [ScriptedPerformer.ok([1])])
        await engine.performer.script("http://model.test/predict", [ScriptedPerformer.ok("cat")])
        let id = try await engine.started(Workflows.twoCalls)
        try await resumed(engine, id, count: ExecutionRunner.resumptionsWithoutProgressLimit)
        _ = try await engine.log.append(
            [NewEvent(type: ExecutionEventType.stepsStarted, data: #"{"steps":[]}"#)], to: id.stream,
            expectedVersion: .any)
        try await resumed(engine, id, count: ExecutionRunner.resumptionsWithoutProgressLimit - 1)
        let outcome = try await engine.runner().run(id, afterRestart: true)
        #expect(outcome.result == "cat")
    }

    @Test("after as many resumptions in a row as the limit, the execution is failed and none of its effects run")
    func noProgressAcrossRestartsFails() async throws {
        let engine = EngineFixture()
        let id = try await engine.started(Workflows.twoCalls)
        try await resumed(engine, id, count: ExecutionRunner.resumptionsWithoutProgressLimit)
        let outcome = try await engine.runner().run(id, afterRestart: true)
        guard case .failed(let error) = outcome.ending else {
            Issue.record("the execution ended \(outcome.ending)")
            return
        }
        #expect(error.tags == ["InternalError"])
        #expect(
            error.message?.contains("the server stopped each of the last 3 times it resumed this execution") == true)
        #expect(await engine.performer.calls.isEmpty)
        #expect(try await engine.types(id).last == "execution.failed")
    }

    @Test("a run that is not the first since a restart neither records nor checks resumptions")
    func ordinaryRunsIgnoreResumptions() async throws {
        let engine = EngineFixture()
        await engine.performer.script("http://features.test/extract", [ScriptedPerformer.ok([1])])
        await engine.performer.script("http://model.test/predict", [ScriptedPerformer.ok("cat")])
        let id = try await engine.started(Workflows.twoCalls)
        try await resumed(engine, id, count: ExecutionRunner.resumptionsWithoutProgressLimit)
        let outcome = try await engine.runner().run(id)
        #expect(outcome.result == "cat")
    }

    @Test(
        "an execution that only waits on a sleep is resumed without recording it, so restarts during a long sleep never fail it"
    )
    func waitingExecutionsRecordNothing() async throws {
        let engine = EngineFixture()
        let sleeping = SystemEffectPerformer(now: WallClock.microsecondsSinceEpoch, next: UnroutedEffectPerformer())
        let id = try await engine.started(
            """
            - wait:
                call: sys.sleep
                args:
                  seconds: 30
            - done:
                return: 1
            """)
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
