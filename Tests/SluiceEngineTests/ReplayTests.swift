import Foundation
import SluiceCore
import SluiceEngine
import SluiceLog
import SluiceWorkflows
import Testing

@Suite("A failed execution replays on a fixed revision, reusing what already succeeded")
struct ReplayTests {
    /// Runs `twoCallsThenStore` once with the store down, so it fails at its third call.
    private func failedRun(_ engine: EngineFixture) async throws -> ExecutionID {
        await engine.performer.script("http://features.test/extract", [ScriptedPerformer.ok([1])])
        await engine.performer.script("http://model.test/predict", [ScriptedPerformer.ok("cat")])
        await engine.performer.script(
            "http://store.test/result", [ScriptedPerformer.status(500), ScriptedPerformer.ok("stored")])
        let id = try await engine.started(Workflows.twoCallsThenStore)
        let outcome = try await engine.runner().run(id)
        #expect(outcome.error?.code == 500)
        return id
    }

    @Test("a replay reuses the results before the failure and runs the failed call live")
    func replayReusesPrefix() async throws {
        let engine = EngineFixture()
        let failed = try await failedRun(engine)
        let replay = try ExecutionID("run-1-replay")
        try await engine.runner().replay(failed, as: replay, principal: "alice", reason: "store fixed")
        let outcome = try await engine.runner().run(replay)
        #expect(outcome.result == "cat")
        #expect(outcome.effectsReused == 2)
        #expect(outcome.effectsPerformed == 1)
        #expect(await engine.performer.calls(to: "predict") == ["run-1/e2 http://model.test/predict"])
        #expect(try await engine.types(failed).last == "execution.replayed")
    }

    @Test("a replay from a named step runs that step and everything after it live")
    func replayFromStepRunsLive() async throws {
        let engine = EngineFixture()
        let failed = try await failedRun(engine)
        let replay = try ExecutionID("run-1-replay")
        try await engine.runner().replay(
            failed, as: replay, liveFromStep: "predict", principal: "alice", reason: "new model")
        let outcome = try await engine.runner().run(replay)
        #expect(outcome.effectsReused == 1)
        #expect(await engine.performer.calls(to: "predict").count == 2)
    }

    @Test("a replay or dry run from a step the revision does not have is refused, and starts nothing")
    func replayFromUnknownStepIsRefused() async throws {
        let engine = EngineFixture()
        let failed = try await failedRun(engine)
        let replay = try ExecutionID("run-1-replay")
        do {
            try await engine.runner().replay(failed, as: replay, liveFromStep: "predcit", principal: nil, reason: "")
            Issue.record("the replay was accepted")
        } catch {
            #expect(error.code == .invalidArgument)
            #expect(error.message == "revision 1 of workflow pipeline has no step named 'predcit'")
        }
        await #expect(throws: SluiceError.self) {
            _ = try await engine.runner().dryRunReplay(failed, liveFromStep: "predcit")
        }
        #expect(try await engine.types(replay).isEmpty)
    }

    @Test("a replay of a replay is numbered on among the first original's replays, so its id does not grow")
    func replayOfReplayNumbersOn() async throws {
        let engine = EngineFixture()
        let failed = try await failedRun(engine)
        let first = try await ReplaySelection.nextReplayID(of: failed, runner: engine.runner())
        #expect(first.rawValue == "run-1-replay-1")
        try await engine.runner().replay(failed, as: first, principal: nil, reason: "")
        let second = try await ReplaySelection.nextReplayID(of: first, runner: engine.runner())
        #expect(second.rawValue == "run-1-replay-2")
        let namedLikeAReplay = try ExecutionID("job-replay-7")
        #expect(
            try await ReplaySelection.nextReplayID(of: namedLikeAReplay, runner: engine.runner()).rawValue
                == "job-replay-7-replay-1")
    }

    @Test("a dry run reports the first effect the new revision asks for differently, and runs nothing")
    func dryRunReportsDivergence() async throws {
        let engine = EngineFixture()
        let failed = try await failedRun(engine)
        let callsBefore = await engine.performer.calls.count
        try await engine.catalog.deploy(
            name: "pipeline",
            source: Workflows.twoCallsThenStore.replacingOccurrences(of: "model.test/predict", with: "model.test/v2"))
        let report = try await engine.runner().dryRunReplay(failed)
        #expect(report.reusableEffects == 1)
        #expect(report.divergence?.step == "predict")
        #expect(report.divergence?.reason == "the arguments differ from the original call")
        #expect(await engine.performer.calls.count == callsBefore)
    }

    @Test("replaying an execution that is still running is refused")
    func replayOfRunningExecutionIsRefused() async throws {
        let engine = EngineFixture()
        let id = try await engine.started(Workflows.twoCalls)
        await #expect(throws: SluiceError.self) {
            try await engine.runner().replay(id, as: try ExecutionID("again"), principal: nil, reason: "")
        }
    }
}
