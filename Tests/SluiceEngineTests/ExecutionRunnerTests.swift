import SluiceCore
import SluiceEngine
import SluiceLog
import SluiceWorkflows
import Testing

@Suite("The execution runner records every step and effect and resumes from its history")
struct ExecutionRunnerTests {
    @Test("a workflow without effects records its start, its steps and its result")
    func pureWorkflowRecordsStepsAndResult() async throws {
        let engine = EngineFixture()
        let id = try await engine.started(
            """
            - init:
                assign:
                  - x: 40
            - answer:
                return: ${x + 2}
            """)
        let outcome = try await engine.runner().run(id)
        #expect(outcome.result == .int(42))
        #expect(try await engine.types(id) == ["execution.started", "execution.steps_started", "execution.succeeded"])
        let steps = await engine.log.readStream(id.stream, from: 2, limit: 1)[0].data
        #expect(steps == #"{"steps":[{"routine":"main","step":"init"},{"routine":"main","step":"answer"}]}"#)
    }

    @Test("a workflow reads its id and its six-digit revision id from the environment")
    func workflowSeesItsIdentity() async throws {
        let engine = EngineFixture()
        let id = try await engine.started(
            """
            - answer:
                return: ${sys.get_env("GOOGLE_CLOUD_WORKFLOW_ID") + "@" + sys.get_env("GOOGLE_CLOUD_WORKFLOW_REVISION_ID")}
            """)
        let outcome = try await engine.runner().run(id)
        guard case .string(let identity) = outcome.result else {
            Issue.record("the workflow returned \(String(describing: outcome.result))")
            return
        }
        #expect(identity.hasSuffix("@000001"))
    }

    @Test("every effect is recorded as requested, then completed, and performed once")
    func effectsAreRecordedAndPerformedOnce() async throws {
        let engine = EngineFixture()
        await engine.performer.script("http://features.test/extract", [ScriptedPerformer.ok([1, 2])])
        await engine.performer.script("http://model.test/predict", [ScriptedPerformer.ok(["label": "cat"])])
        let id = try await engine.started(Workflows.twoCalls)
        let outcome = try await engine.runner().run(id)
        #expect(outcome.result == ["label": "cat"])
        #expect(outcome.effectsPerformed == 2)
        #expect(
            try await engine.types(id) == [
                "execution.started",
                "execution.steps_started", "effect.requested", "effect.completed",
                "execution.steps_started", "effect.requested", "effect.completed",
                "execution.steps_started", "execution.succeeded",
            ])
        #expect(
            await engine.performer.calls == [
                "run-1/e1 http://features.test/extract", "run-1/e2 http://model.test/predict",
            ])
    }

    @Test("running an ended execution again performs nothing and returns the recorded ending")
    func endedExecutionIsNotRunAgain() async throws {
        let engine = EngineFixture()
        await engine.performer.script("http://features.test/extract", [ScriptedPerformer.ok([1])])
        await engine.performer.script("http://model.test/predict", [ScriptedPerformer.ok("dog")])
        let id = try await engine.started(Workflows.twoCalls)
        _ = try await engine.runner().run(id)
        let again = try await engine.runner().run(id)
        #expect(again.result == "dog")
        #expect(await engine.performer.calls.count == 2)
    }

    @Test("a run resumed after a crash performs only the effect that was in flight, with the same key")
    func resumedRunPerformsOnlyTheUnfinishedEffect() async throws {
        let engine = EngineFixture()
        await engine.performer.script("http://features.test/extract", [ScriptedPerformer.ok([1])])
        await engine.performer.hang("http://model.test/predict")
        let id = try await engine.started(Workflows.twoCalls)
        let crashed = Task { try await engine.runner().run(id) }
        while await engine.performer.calls(to: "predict").isEmpty { try await Task.sleep(for: .milliseconds(5)) }

        let restarted = ScriptedPerformer()
        await restarted.script("http://model.test/predict", [ScriptedPerformer.ok("cat")])
        let outcome = try await engine.runner(performer: restarted).run(id)
        crashed.cancel()

        #expect(outcome.result == "cat")
        #expect(await restarted.calls == ["run-1/e2 http://model.test/predict"])
        let types = try await engine.types(id)
        #expect(types.filter { $0 == "effect.requested" }.count == 2)
        #expect(types.filter { $0 == "execution.steps_started" }.count == 3)
    }

    @Test("starting an execution id twice records one execution")
    func duplicateStartRecordsNothing() async throws {
        let engine = EngineFixture()
        let id = try await engine.started("- done:\n    return: 1\n")
        let second = try await engine.runner().start(
            id, ExecutionStart(workflow: "pipeline", revision: 1, argument: .null))
        #expect(second == false)
        #expect(try await engine.types(id) == ["execution.started"])
    }

    @Test("an execution id derived from a message id is the same on every redelivery")
    func messageExecutionIDIsStable() throws {
        let first = ExecutionID.forMessage(subscription: "predict", messageID: "1234")
        #expect(first == ExecutionID.forMessage(subscription: "predict", messageID: "1234"))
        #expect(first != ExecutionID.forMessage(subscription: "predict", messageID: "1235"))
        #expect(try ExecutionID(first.rawValue) == first)
    }

    @Test("an HTTP error nothing catches fails the execution with the GCP error map")
    func uncaughtHTTPErrorFailsTheExecution() async throws {
        let engine = EngineFixture()
        await engine.performer.script("http://features.test/extract", [ScriptedPerformer.ok([1])])
        await engine.performer.script("http://model.test/predict", [ScriptedPerformer.status(503)])
        let id = try await engine.started(Workflows.twoCalls)
        let outcome = try await engine.runner().run(id)
        #expect(outcome.error?.tags == ["HttpError"])
        #expect(outcome.error?.code == 503)
        #expect(try await engine.types(id).last == "execution.failed")
        let history = try await engine.runner().history(of: id)
        #expect(history.ending == .failed(outcome.error!))
    }

    @Test("an execution whose effect is too large to record fails with a ResourceLimitError instead of staying active")
    func effectTooLargeToRecordFails() async throws {
        let engine = EngineFixture()
        // Eight 256 KiB values in the arguments, and eight more in the headers: over 4 MiB.
        let id = try await engine.started(
            """
            main:
              params: [s]
              steps:
                - send:
                    call: http.post
                    args:
                      url: http://store.test/result
                      body: ${[s, s, s, s, s, s, s, s]}
                      headers:
                        a: ${s}
                        b: ${s}
                        c: ${s}
                        d: ${s}
                        e: ${s}
                        f: ${s}
                        g: ${s}
                        h: ${s}
            """, argument: .string(String(repeating: "x", count: 256 * 1024)))
        let outcome = try await engine.runner().run(id)
        guard case .failed(let error) = outcome.ending else {
            Issue.record("the execution ended \(outcome.ending)")
            return
        }
        #expect(error.tags == ["ResourceLimitError"])
        #expect(await engine.performer.calls.isEmpty)
        #expect(try await engine.types(id).last == "execution.failed")
    }

    @Test(
        "an effect whose result is too large to hold raises a ResourceLimitError the workflow catches",
        arguments: [2, 40])
    func effectResultTooLargeIsCatchable(megabytes: Int) async throws {
        let engine = EngineFixture()
        let body = WorkflowValue.string(String(repeating: "x", count: megabytes << 20))
        await engine.performer.script("http://big.test/body", [ScriptedPerformer.ok(body)])
        let id = try await engine.started(
            """
            - fetch:
                try:
                  call: http.get
                  args:
                    url: http://big.test/body
                  result: answer
                except:
                  as: e
                  steps:
                    - caught:
                        return: ${e.tags}
            """)
        let outcome = try await engine.runner().run(id)
        #expect(outcome.ending == .succeeded(["ResourceLimitError"]))
    }

    @Test("a cancelled execution stops, and its in-flight sleep is abandoned")
    func cancelStopsARunningExecution() async throws {
        let engine = EngineFixture()
        let clockPerformer = SystemEffectPerformer(
            now: WallClock.microsecondsSinceEpoch, next: UnroutedEffectPerformer())
        let id = try await engine.started(Workflows.sleepThenReturn)
        let runner = engine.runner(performer: clockPerformer)
        let running = Task { try await runner.run(id) }
        while try await engine.types(id).last != "effect.requested" { try await Task.sleep(for: .milliseconds(5)) }
        try await runner.cancel(id, reason: "wrong input", principal: "alice")
        running.cancel()
        let outcome = try await running.value
        #expect(outcome.ending == .cancelled(reason: "wrong input"))
        #expect(try await engine.types(id).last == "execution.cancelled")
    }
}
