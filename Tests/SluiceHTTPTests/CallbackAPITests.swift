import Foundation
import Hummingbird
import HummingbirdTesting
import NIOCore
import SluiceCore
import SluiceEngine
import SluiceHTTP
import SluiceLog
import SluiceWorkflows
import Testing

@Suite("Callback endpoints take the request an execution's events.await_callback returns")
struct CallbackAPITests {
    static let workflow = """
        main:
          steps:
            - create:
                call: events.create_callback_endpoint
                result: callback
            - wait:
                call: events.await_callback
                args:
                  callback: ${callback}
                  timeout: 30
                result: request
            - done:
                return: ${request}
        """

    @Test(
        "a POST to the endpoint is recorded and is the await's result, with its body, method, query and headers but not its credentials"
    )
    func postedRequestIsAwaited() async throws {
        let fixture = APIFixture(servesCallbacks: true)
        let revision = try await fixture.catalog.deploy(name: "approval", source: Self.workflow)
        let id = try ExecutionID("run-1")
        try await fixture.runner.start(id, ExecutionStart(workflow: "approval", revision: revision, argument: .null))
        async let outcome = fixture.runner.run(id)
        var url: String?
        for _ in 0..<500 where url == nil {
            url = try await fixture.log.query(EventQuery(stream: id.stream, types: ["effect.completed"], limit: 10))
                .events.compactMap { event in
                    event.data.range(of: "/v1/projects/").map { range in
                        String(event.data[range.lowerBound...].prefix { $0 != "\"" })
                    }
                }.first
            if url == nil { try await Task.sleep(for: .milliseconds(10)) }
        }
        let path = try #require(url)
        let secret = try await fixture.secret(.invoker)
        var fields = APIFixture.bearer(secret)
        fields[.contentType] = "application/json"
        fields[.init("X-Decided-By")!] = "alice"
        let headers = fields
        try await fixture.app().test(.router) { client in
            try await client.execute(
                uri: path + "?decision=yes", method: .post, headers: headers,
                body: ByteBuffer(string: #"{"approved": true}"#)
            ) { response in #expect(response.status == .ok) }
        }
        let result = try #require(try await outcome.result)
        #expect(result["http_request"]?["body"]?["approved"] == true)
        #expect(result["http_request"]?["method"] == "POST")
        #expect(result["http_request"]?["query"]?["decision"] == ["yes"])
        #expect(result["http_request"]?["headers"]?["x-decided-by"] == "alice")
        #expect(result["http_request"]?["headers"]?["authorization"] == nil, "the caller's token is not recorded")
        #expect(result["type"] == "HTTP")
        let recorded = try await fixture.log.readAll(from: 1, limit: 10_000)
        #expect(!recorded.contains { $0.data.contains(secret) }, "no event holds the caller's token")
    }

    /// Deploys ``workflow``, starts `run-1` on it, and returns the run and the path of the
    /// callback endpoint it awaits.
    private static func awaiting(_ fixture: APIFixture, method: String? = nil) async throws -> (
        run: Task<ExecutionOutcome, any Error>, path: String
    ) {
        let source =
            method.map {
                workflow.replacingOccurrences(
                    of: "result: callback\n",
                    with: "args:\n          http_callback_method: \($0)\n        result: callback\n")
            } ?? workflow
        let revision = try await fixture.catalog.deploy(name: "approval", source: source)
        let id = try ExecutionID("run-1")
        try await fixture.runner.start(id, ExecutionStart(workflow: "approval", revision: revision, argument: .null))
        let runner = fixture.runner
        let run = Task { try await runner.run(id) }
        for _ in 0..<500 {
            let events = try await fixture.log.query(
                EventQuery(stream: id.stream, types: ["effect.requested"], limit: 10)
            )
            .events
            if events.contains(where: { $0.data.contains("events.await_callback") }) {
                let completed = try await fixture.log.query(
                    EventQuery(stream: id.stream, types: ["effect.completed"], limit: 10)
                ).events
                let url = completed.compactMap { event in
                    event.data.range(of: "/v1/projects/").map { range in
                        String(event.data[range.lowerBound...].prefix { $0 != "\"" })
                    }
                }.first
                if let url { return (run, url) }
            }
            try await Task.sleep(for: .milliseconds(10))
        }
        run.cancel()
        throw SluiceError(.unavailable, "the execution did not await its callback")
    }

    @Test("a request with another method than the endpoint was created for is NOT_FOUND, and the await takes the next")
    func otherMethodIsNotFound() async throws {
        let fixture = APIFixture(servesCallbacks: true)
        let (run, path) = try await Self.awaiting(fixture, method: "PUT")
        try await fixture.app().test(.router) { client in
            for method in [HTTPRequest.Method.get, .post] {
                try await client.execute(uri: path, method: method, body: ByteBuffer(string: "wrong")) { response in
                    #expect(response.status == .notFound)
                    #expect(APIFixture.error(response.body)["status"] as? String == "NOT_FOUND")
                }
            }
            try await client.execute(uri: path, method: .put, body: ByteBuffer(string: "right")) { response in
                #expect(response.status == .ok)
            }
        }
        let result = try #require(try await run.value.result)
        #expect(result["http_request"]?["method"] == "PUT")
        #expect(result["http_request"]?["body"] == "right")
    }

    @Test("an endpoint created without a method takes POST and refuses GET")
    func defaultMethodIsPost() async throws {
        let fixture = APIFixture(servesCallbacks: true)
        let (run, path) = try await Self.awaiting(fixture)
        try await fixture.app().test(.router) { client in
            try await client.execute(uri: path, method: .get) { #expect($0.status == .notFound) }
            try await client.execute(uri: path, method: .post) { #expect($0.status == .ok) }
        }
        #expect(try await run.value.result?["http_request"]?["method"] == "POST")
    }

    @Test(
        "a request too large for the execution to hold is refused with 413 before it is recorded, and the await goes on"
    )
    func oversizedRequestIsRefused() async throws {
        let fixture = APIFixture(servesCallbacks: true)
        let (run, path) = try await Self.awaiting(fixture)
        let huge =
            "["
            + Array(repeating: "\"" + String(repeating: "x", count: 1_000) + "\"", count: 3_000)
            .joined(separator: ",") + "]"
        try await fixture.app().test(.router) { client in
            try await client.execute(
                uri: path, method: .post, headers: [.contentType: "application/json"], body: ByteBuffer(string: huge)
            ) { response in
                #expect(response.status == .contentTooLarge)
                #expect(APIFixture.error(response.body)["status"] as? String == "INVALID_ARGUMENT")
            }
            #expect(
                try await fixture.log.query(EventQuery(types: [CallbackBroker.receivedType], limit: 10)).events.isEmpty)
            try await client.execute(uri: path, method: .post, body: ByteBuffer(string: "small")) { response in
                #expect(response.status == .ok)
            }
        }
        #expect(try await run.value.result?["http_request"]?["body"] == "small")
    }

    @Test("a callback of an unknown execution is NOT_FOUND")
    func unknownExecution() async throws {
        let fixture = APIFixture(servesCallbacks: true)
        try await fixture.app().test(.router) { client in
            try await client.execute(
                uri: APIFixture.base + "/workflows/w/executions/nope/callbacks/ab12", method: .post
            ) { response in #expect(response.status == .notFound) }
        }
    }
}
