import Foundation
import Hummingbird
import SluiceAdaptersLocal
import SluiceCore
import SluiceEngine
import SluiceLog
import SluiceTesting
import SluiceWorkflows
import Testing

/// A workflow's predictions go through the routed Vertex AI URL to real model servers over HTTP;
/// the test's model server fails on demand and counts the calls it receives per idempotency key.
@Suite("A failing model endpoint: retries with backoff, a FAILED execution, and a replay after the fix")
struct ModelFaultTests {
    /// Asks the `features` model, then the `digits` model with what it answered, retrying the
    /// second call with Google's default retry predicate and a short exponential backoff.
    static let workflow = """
        main:
          params: [input]
          steps:
            - features:
                call: http.post
                args:
                  url: https://us-central1-aiplatform.googleapis.com/v1/projects/p/locations/us-central1/endpoints/features:predict
                  body:
                    instances: ${input.instances}
                result: extracted
            - predict:
                try:
                  call: http.post
                  args:
                    url: https://us-central1-aiplatform.googleapis.com/v1/projects/p/locations/us-central1/endpoints/digits:predict
                    body:
                      instances: ${extracted.body.predictions}
                  result: response
                retry:
                  predicate: ${http.default_retry_predicate}
                  max_retries: 2
                  backoff:
                    initial_delay: 0.1
                    max_delay: 1
                    multiplier: 2
            - done:
                return: ${response.body.predictions[0]}
        """

    /// What the model server does when `digits` is called.
    enum Mode: Sendable {
        case failing(times: Int)
        case down
        case up
    }

    /// The test's model server: `features` doubles each number, `digits` answers label 7.
    actor ModelServer {
        var mode: Mode = .up
        private(set) var calls: [String: Int] = [:]
        private(set) var digitsCalls: [ContinuousClock.Instant] = []

        func set(_ mode: Mode) { self.mode = mode }

        func received(_ model: String, key: String) -> HTTPResponse.Status {
            calls["\(model) \(key)", default: 0] += 1
            guard model == "digits" else { return .ok }
            digitsCalls.append(.now)
            switch mode {
            case .up: return .ok
            case .down: return .serviceUnavailable
            case .failing(let times):
                mode = times > 1 ? .failing(times: times - 1) : .up
                return .serviceUnavailable
            }
        }

        func count(_ model: String) -> Int {
            calls.filter { $0.key.hasPrefix(model + " ") }.values.reduce(0, +)
        }

        var calledOncePerKey: Bool { calls.values.allSatisfy { $0 == 1 } }
    }

    static func router(_ server: ModelServer) -> Router<BasicRequestContext> {
        let router = Router()
        router.post("/:model/predict") { request, context -> Response in
            let model = context.parameters.get("model") ?? ""
            let key = request.headers[.init("Idempotency-Key")!] ?? ""
            let body = try await request.body.collect(upTo: 1 << 20)
            let status = await server.received(model, key: key)
            guard status == .ok else {
                return Response(
                    status: status,
                    body: .init(byteBuffer: ByteBuffer(string: #"{"error": "the model is not loaded"}"#)))
            }
            let instances = try JSONDecoder().decode(Instances.self, from: Data(String(buffer: body).utf8)).instances
            let predictions =
                model == "features"
                ? "["
                    + instances.map { "[" + $0.map { String($0 * 2) }.joined(separator: ",") + "]" }
                    .joined(separator: ",") + "]"
                : "[" + instances.map { _ in #"{"label": "7"}"# }.joined(separator: ",") + "]"
            return Response(
                status: .ok, body: .init(byteBuffer: ByteBuffer(string: #"{"predictions": "# + predictions + "}")))
        }
        return router
    }

    struct Instances: Decodable {
        var instances: [[Double]]
    }

    /// A log, a catalog and a runner whose two models are HTTP endpoints on `port`.
    struct Engine {
        let log = MemoryEventLog()
        let catalog: WorkflowCatalog
        let runner: ExecutionRunner

        init(port: Int) async {
            catalog = WorkflowCatalog(log: log)
            let models = ModelRegistry()
            for model in ["features", "digits"] {
                await models.register(model, HTTPEndpointPredictor(url: "http://127.0.0.1:\(port)/\(model)/predict"))
            }
            let router = GoogleEffectRouter(
                models: models, topics: nil, executions: nil, next: UnroutedEffectPerformer())
            runner = ExecutionRunner(
                log: log, catalog: catalog,
                performer: SystemEffectPerformer(now: WallClock.microsecondsSinceEpoch, next: router))
        }

        func run(_ id: String = "run-1") async throws -> ExecutionOutcome {
            let revision = try await catalog.deploy(name: "digits", source: ModelFaultTests.workflow)
            let execution = try ExecutionID(id)
            try await runner.start(
                execution,
                ExecutionStart(workflow: "digits", revision: revision, argument: ["instances": [[1, 2], [3, 4]]]))
            return try await runner.run(execution)
        }

        /// The backoff sleeps the execution recorded, in seconds.
        func backoffSleeps(_ id: String = "run-1") async throws -> [WorkflowValue] {
            await log.readStream(try ExecutionID(id).stream, from: 1, limit: 1_000)
                .filter { $0.type == "effect.requested" }
                .compactMap { event -> WorkflowValue? in
                    guard let data = try? JSONReader.parse(event.data), data["function"] == "sys.sleep" else {
                        return nil
                    }
                    return data["arguments"]?["seconds"]
                }
        }
    }

    @Test("a model that fails twice is called a third time after the retry policy's backoff, and the run succeeds")
    func failsTwiceThenSucceeds() async throws {
        let server = ModelServer()
        await server.set(.failing(times: 2))
        try await TestHTTPServer.with(Self.router(server)) { port in
            let engine = await Engine(port: port)
            let outcome = try await engine.run()
            #expect(outcome.result?["label"] == "7")
            #expect(try await engine.backoffSleeps() == [0.1, 0.2])
            let calls = await server.digitsCalls
            try #require(calls.count == 3)
            #expect(calls[1] - calls[0] >= .milliseconds(100))
            #expect(calls[2] - calls[1] >= .milliseconds(200))
            #expect(await server.count("features") == 1)
            #expect(await server.calledOncePerKey)
        }
    }

    @Test("a model that stays down fails the execution with the endpoint's HTTP error after the retries")
    func staysDownFails() async throws {
        let server = ModelServer()
        await server.set(.down)
        try await TestHTTPServer.with(Self.router(server)) { port in
            let engine = await Engine(port: port)
            let outcome = try await engine.run()
            guard case .failed = outcome.ending else {
                Issue.record("expected FAILED, got \(outcome.ending)")
                return
            }
            #expect(outcome.error?.code == 503)
            #expect(outcome.error?.value["body"]?["error"]?["status"] == "UNAVAILABLE")
            #expect(await server.count("digits") == 3)
        }
    }

    @Test("a model server that is not running fails fast as UNAVAILABLE, not after its timeout")
    func unreachableModelFailsFast() async throws {
        let engine = await Engine(port: 9)
        let started = ContinuousClock.now
        let outcome = try await engine.run()
        #expect(outcome.error?.code == 503)
        // One attempt that waited for the endpoint's 60 s timeout would take longer than this; the
        // margin below it absorbs a stalled machine (a 20 s bound once failed during a VM stall).
        #expect(ContinuousClock.now - started < .seconds(45))
    }

    @Test("after the model is fixed, a replay succeeds without calling the steps before the failure again")
    func replayAfterFix() async throws {
        let server = ModelServer()
        await server.set(.down)
        try await TestHTTPServer.with(Self.router(server)) { port in
            let engine = await Engine(port: port)
            let failed = try await engine.run()
            #expect(failed.error?.code == 503)
            await server.set(.up)
            let replay = try ExecutionID("run-1-replay")
            try await engine.runner.replay(
                try ExecutionID("run-1"), as: replay, principal: "alice", reason: "model fixed")
            let outcome = try await engine.runner.run(replay)
            #expect(outcome.result?["label"] == "7")
            #expect(await server.count("features") == 1)
            #expect(await server.count("digits") == 4)
            #expect(await server.calledOncePerKey)
        }
    }
}
