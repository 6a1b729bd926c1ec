import Logging
import SluiceCore
import SluiceEngine
import SluiceLog
import SluiceWorkflows
import Testing

@Suite("Executions started in this process run at once, and exactly once")
struct ExecutionLaunchTests {
    @Test("each execution runs once although both its announcement and the log's tail bring it")
    func announcedAndTailedExecutionRunsOnce() async throws {
        let engine = EngineFixture()
        await engine.performer.script("http://features.test/extract", [ScriptedPerformer.ok([1])])
        await engine.performer.script("http://model.test/predict", [ScriptedPerformer.ok("cat")])
        let runner = engine.runner()
        let revision = try await engine.catalog.deploy(name: "pipeline", source: Workflows.twoCalls)
        let scheduler = ExecutionScheduler(log: engine.log, runner: runner, logger: Logger(label: "test"))
        let scheduling = Task { try await scheduler.run() }
        defer { scheduling.cancel() }
        let ids = try (1...20).map { try ExecutionID("run-\($0)") }
        for id in ids {
            try await runner.start(id, ExecutionStart(workflow: "pipeline", revision: revision, argument: .null))
        }
        // Generous: with the whole suite running, the two cooperative threads can be busy for long.
        let deadline = ContinuousClock.now + .seconds(60)
        var succeeded = 0
        while ContinuousClock.now < deadline {
            succeeded = 0
            for id in ids where try await engine.types(id).last == "execution.succeeded" { succeeded += 1 }
            if succeeded == ids.count { break }
            try await Task.sleep(for: .milliseconds(10))
        }
        #expect(succeeded == ids.count)
        try await Task.sleep(for: .milliseconds(50))
        #expect(await engine.performer.calls.count == 2 * ids.count)
        for id in ids { #expect(try await engine.types(id).filter { $0 == "effect.requested" }.count == 2) }
    }

    @Test("a runner refuses to advance an execution it is already advancing")
    func concurrentRunOfOneExecutionIsRefused() async throws {
        let engine = EngineFixture()
        await engine.performer.hang("http://features.test/extract")
        let id = try await engine.started(Workflows.twoCalls)
        let runner = engine.runner()
        let first = Task { try await runner.run(id) }
        defer { first.cancel() }
        while await engine.performer.calls.isEmpty { try await Task.sleep(for: .milliseconds(5)) }
        await #expect(throws: SluiceError(.failedPrecondition, "")) { try await runner.run(id) }
    }
}
