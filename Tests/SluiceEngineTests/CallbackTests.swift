import Foundation
import SluiceCore
import SluiceEngine
import SluiceLog
import SluiceWorkflows
import Testing

@Suite("events.await_callback returns what is sent to the endpoint events.create_callback_endpoint made")
struct CallbackTests {
    /// Creates an endpoint, records its URL, and returns the body of the first request to it.
    static let workflow = """
        main:
          steps:
            - create:
                call: events.create_callback_endpoint
                args:
                  http_callback_method: POST
                result: callback
            - wait:
                try:
                  call: events.await_callback
                  args:
                    callback: ${callback}
                    timeout: TIMEOUT
                  result: request
                except:
                  as: e
                  steps:
                    - timedOut:
                        return: ${"timed out with " + e.tags[0]}
            - done:
                return: ${request.http_request.body}
        """

    struct Fixture {
        let log = MemoryEventLog()
        let catalog: WorkflowCatalog
        let broker: CallbackBroker
        let runner: ExecutionRunner

        init() {
            catalog = WorkflowCatalog(log: log)
            broker = CallbackBroker(log: log, baseURL: "http://127.0.0.1:1234")
            runner = ExecutionRunner(
                log: log, catalog: catalog,
                performer: SystemEffectPerformer(
                    now: WallClock.microsecondsSinceEpoch,
                    next: CallbackEffectPerformer(
                        broker: broker, now: WallClock.microsecondsSinceEpoch, next: UnroutedEffectPerformer())))
        }

        func start(timeout: Double = 10) async throws -> ExecutionID {
            let source = CallbackTests.workflow.replacingOccurrences(of: "TIMEOUT", with: String(timeout))
            let revision = try await catalog.deploy(name: "approval", source: source)
            let id = try ExecutionID("run-1")
            try await runner.start(id, ExecutionStart(workflow: "approval", revision: revision, argument: .null))
            return id
        }

        /// The callback id in the URL the execution recorded, once it has.
        func callbackID(_ id: ExecutionID) async throws -> String {
            for _ in 0..<500 {
                for event in await log.readStream(id.stream, from: 1, limit: 1_000)
                where event.type == "effect.completed" {
                    if let range = event.data.range(of: "/callbacks/") {
                        return String(event.data[range.upperBound...].prefix { $0.isHexDigit })
                    }
                }
                try await Task.sleep(for: .milliseconds(10))
            }
            throw SluiceError(.notFound, "no callback endpoint was recorded")
        }

        func send(_ id: ExecutionID, _ callback: String, body: WorkflowValue) async throws {
            try await broker.receive(
                execution: id.rawValue, callback: callback, request: .object(["http_request": .object(["body": body])]))
        }
    }

    @Test("a request sent while the execution waits is what the await returns")
    func awaitReturnsTheRequest() async throws {
        let fixture = Fixture()
        let id = try await fixture.start()
        async let outcome = fixture.runner.run(id)
        let callback = try await fixture.callbackID(id)
        try await fixture.send(id, callback, body: ["approved": true])
        #expect(try await outcome.result == ["approved": true])
    }

    @Test("a request sent before the await is kept for it")
    func earlyRequestIsKept() async throws {
        let fixture = Fixture()
        let id = try await fixture.start()
        let broker = fixture.broker
        let endpoint = await broker.endpoint(
            EffectContext(
                executionID: "run-1", workflow: "approval", revision: 1, idempotencyKey: "run-1/e1", requestedAt: 0),
            method: "POST")
        let url = try #require(endpoint["url"]?.stringValue)
        #expect(
            url.hasPrefix(
                "http://127.0.0.1:1234/v1/projects/local/locations/local/workflows/approval/executions/run-1/callbacks/"
            ))
        let callback = String(url.split(separator: "/").last ?? "")
        try await fixture.send(id, callback, body: "early")
        #expect(try await fixture.runner.run(id).result == "early")
    }

    @Test("with no request the await ends in a TimeoutError the workflow can catch")
    func awaitTimesOut() async throws {
        let fixture = Fixture()
        let id = try await fixture.start(timeout: 0.2)
        #expect(try await fixture.runner.run(id).result == "timed out with TimeoutError")
    }

    @Test("an await with a timeout past a year is a ValueError, not a crash")
    func awaitWithAnEndlessTimeoutIsAValueError() async throws {
        let fixture = Fixture()
        let id = try await fixture.start(timeout: 1e300)
        #expect(try await fixture.runner.run(id).result == "timed out with ValueError")
    }

    @Test("an await performed again after a crash returns the request it took, and a second await takes the next")
    func awaitIsIdempotent() async throws {
        let fixture = Fixture()
        let context = EffectContext(
            executionID: "run-1", workflow: "approval", revision: 1, idempotencyKey: "run-1/e2",
            requestedAt: WallClock.microsecondsSinceEpoch())
        let url =
            "http://127.0.0.1:1234/v1/projects/local/locations/local/workflows/approval/executions/run-1/callbacks/ab12"
        let id = try ExecutionID("run-1")
        try await fixture.send(id, "ab12", body: "first")
        try await fixture.send(id, "ab12", body: "second")
        let now: @Sendable () -> Int64 = WallClock.microsecondsSinceEpoch
        let once = await fixture.broker.await(url, context: context, timeoutSeconds: 1, now: now)
        let again = await fixture.broker.await(url, context: context, timeoutSeconds: 1, now: now)
        var other = context
        other.idempotencyKey = "run-1/e5"
        let next = await fixture.broker.await(url, context: other, timeoutSeconds: 1, now: now)
        #expect(try once.get()["http_request"]?["body"] == "first")
        #expect(try again.get()["http_request"]?["body"] == "first")
        #expect(try next.get()["http_request"]?["body"] == "second")
    }
}
