import OrderedCollections
import SluiceCore
import SluiceEngine
import SluiceLog
import SluiceWorkflows
import Testing

@Suite("Replay-safe effects are recorded with the next append instead of around their performance")
struct ReplaySafeEffectTests {
    @Test("a run of replay-safe effects is recorded, one event per effect carrying its request, in the ending's append")
    func replaySafeEffectsGoOutWithTheEnding() async throws {
        let engine = EngineFixture()
        await engine.performer.script("http://features.test/extract", [ScriptedPerformer.ok([1, 2])])
        await engine.performer.script("http://model.test/predict", [ScriptedPerformer.ok(["label": "cat"])])
        await engine.performer.markReplaySafe("http://features.test/extract")
        await engine.performer.markReplaySafe("http://model.test/predict")
        let id = try await engine.started(Workflows.twoCalls)
        let outcome = try await engine.runner().run(id)
        #expect(outcome.result == ["label": "cat"])
        #expect(
            try await engine.types(id) == [
                "execution.started", "execution.steps_started",
                "effect.completed", "effect.completed", "execution.succeeded",
            ])
        let recorded = await engine.log.readStream(id.stream, from: 3, limit: 1)[0]
        let fields = try JSONReader.parse(recorded.data)
        #expect(fields["requestedAt"]?.numberValue.map { Int64($0) <= recorded.timestamp } == true)
        #expect(fields["idempotencyKey"] == "run-1/e1")
        #expect(fields["function"] == "http.get")
        #expect(fields["arguments"]?["url"] == "http://features.test/extract")
        #expect(fields["result"]?["body"] == [1, 2])
    }

    @Test("an outside effect's request carries the replay-safe results before it into the log")
    func outsideRequestFlushesEarlierResults() async throws {
        let engine = EngineFixture()
        await engine.performer.script("http://features.test/extract", [ScriptedPerformer.ok([1])])
        await engine.performer.markReplaySafe("http://features.test/extract")
        await engine.performer.hang("http://model.test/predict")
        let id = try await engine.started(Workflows.twoCalls)
        let running = Task { try await engine.runner().run(id) }
        defer { running.cancel() }
        while await engine.performer.calls(to: "predict").isEmpty { try await Task.sleep(for: .milliseconds(5)) }
        #expect(
            try await engine.types(id) == [
                "execution.started", "execution.steps_started", "effect.completed", "effect.requested",
            ])
    }

    @Test("a crash before the append performs the replay-safe effects again and records each once")
    func crashRepeatsUnrecordedReplaySafeEffects() async throws {
        let engine = EngineFixture()
        await engine.performer.script("http://features.test/extract", [ScriptedPerformer.ok([1])])
        await engine.performer.markReplaySafe("http://features.test/extract")
        await engine.performer.markReplaySafe("http://model.test/predict")
        await engine.performer.hang("http://model.test/predict")
        let id = try await engine.started(Workflows.twoCalls)
        let crashed = Task { try await engine.runner().run(id) }
        while await engine.performer.calls(to: "predict").isEmpty { try await Task.sleep(for: .milliseconds(5)) }
        #expect(try await engine.types(id) == ["execution.started"])

        let restarted = ScriptedPerformer()
        await restarted.script("http://features.test/extract", [ScriptedPerformer.ok([1])])
        await restarted.script("http://model.test/predict", [ScriptedPerformer.ok("cat")])
        await restarted.markReplaySafe("http://features.test/extract")
        await restarted.markReplaySafe("http://model.test/predict")
        let outcome = try await engine.runner(performer: restarted).run(id)
        crashed.cancel()

        #expect(outcome.result == "cat")
        #expect(
            await restarted.calls == ["run-1/e1 http://features.test/extract", "run-1/e2 http://model.test/predict"])
        let types = try await engine.types(id)
        #expect(types.filter { $0 == "effect.completed" }.count == 2)
        #expect(try await engine.runner().history(of: id).requested.keys.elementsEqual(["e1", "e2"]))
    }

    @Test("the system performer treats the clock as replay-safe and sleeps as outside effects")
    func systemReplaySafety() async {
        let performer = SystemEffectPerformer(now: { 0 }, next: UnroutedEffectPerformer())
        let now = EffectRequest(id: "e1", function: "sys.now", arguments: [:], routine: "main", step: "a")
        let sleep = EffectRequest(
            id: "e2", function: "sys.sleep", arguments: ["seconds": 1], routine: "main", step: "b")
        #expect(await performer.isReplaySafe(now))
        #expect(await !performer.isReplaySafe(sleep))
    }
}
